import type { Finding, FindingSeverity, StatsDump } from '@tslab/core';
import type { Colors } from './format.js';
import { num } from './format.js';

export type FailOn = FindingSeverity | 'none';

const RANK: Record<FindingSeverity, number> = { info: 0, warn: 1, error: 2 };

/** Whether findings violate the threshold: a finding at or above `failOn` ('none' never fails). */
export function violates(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

/** Most severe first, stable otherwise. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
}

export function countBySeverity(findings: readonly Finding[]): Record<FindingSeverity, number> {
  const out: Record<FindingSeverity, number> = { info: 0, warn: 0, error: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

function badge(severity: FindingSeverity, c: Colors): string {
  if (severity === 'error') return c.bold(c.red('ERROR'));
  if (severity === 'warn') return c.bold(c.yellow('WARN '));
  return c.cyan('INFO ');
}

function subject(f: Finding, dump: StatsDump | undefined): string {
  const parts: string[] = [];
  if (f.classIndex !== undefined) {
    const size = dump?.classes.find((k) => k.classIndex === f.classIndex)?.objectSize;
    parts.push(size === undefined ? `class ${f.classIndex}` : `class ${f.classIndex} (${size} B)`);
  }
  if (f.epoch !== undefined) parts.push(`epoch ${f.epoch}`);
  return parts.length ? ` [${parts.join(', ')}]` : '';
}

/** One finding as three lines: badge, id, metric = value (threshold); the message; the action. */
export function renderFinding(f: Finding, c: Colors, dump?: StatsDump): string {
  const head = `${badge(f.severity, c)} ${c.bold(f.id)}${subject(f, dump)}  ${f.metric} = ${num(f.value)} ${c.dim(`(threshold ${num(f.threshold)})`)}`;
  return `${head}\n      ${f.message}\n      ${c.dim('->')} ${f.action}`;
}

export function renderFindings(findings: readonly Finding[], c: Colors, dump?: StatsDump): string {
  if (findings.length === 0) return c.green('no findings: every doctor threshold is met');
  return sortFindings(findings)
    .map((f) => renderFinding(f, c, dump))
    .join('\n');
}

export function summaryLine(findings: readonly Finding[]): string {
  const n = countBySeverity(findings);
  const total = findings.length;
  return `${total} finding${total === 1 ? '' : 's'} (${n.error} error, ${n.warn} warn, ${n.info} info)`;
}
