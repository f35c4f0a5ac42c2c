import type { SlabEpochStats, StatsDump } from '@tslab/core';
import type { Colors } from './format.js';
import { bytes, int, isBytesField, signed } from './format.js';

export interface NumberChange {
  field: string;
  before: number;
  after: number;
  delta: number;
}

export interface ValueChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ClassDiff {
  classIndex: number;
  objectSize: number;
  changes: NumberChange[];
}

export interface EpochDiff {
  epoch: number;
  changes: Array<NumberChange | ValueChange>;
}

export interface DumpDiff {
  /** Configuration fields that differ (the two dumps may come from different heaps). */
  config: Array<NumberChange | ValueChange>;
  /** Numeric global fields that changed, plus non-numeric ones as ValueChange. */
  global: Array<NumberChange | ValueChange>;
  /** Size classes (matched by classIndex) with at least one numeric change. */
  classes: ClassDiff[];
  /** Classes present in only one dump. */
  classesAdded: number[];
  classesRemoved: number[];
  epochs: {
    /** Epochs in b but not in a (by epoch id). */
    appeared: SlabEpochStats[];
    /** Epochs in a but not in b: drained and freed, or reset. */
    disappeared: SlabEpochStats[];
    /** Epochs in both whose state or numbers changed. */
    changed: EpochDiff[];
  };
}

function fieldChanges(a: object, b: object, skip: ReadonlySet<string>): Array<NumberChange | ValueChange> {
  const out: Array<NumberChange | ValueChange> = [];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const field of keys) {
    if (skip.has(field)) continue;
    const before = ra[field];
    const after = rb[field];
    if (typeof before === 'number' && typeof after === 'number') {
      if (before !== after) out.push({ field, before, after, delta: after - before });
    } else if (JSON.stringify(before) !== JSON.stringify(after)) {
      out.push({ field, before, after });
    }
  }
  return out;
}

const NONE = new Set<string>();
const CLASS_KEYS = new Set(['classIndex', 'objectSize']);
const EPOCH_KEYS = new Set(['epoch']);

/** What changed from dump a to dump b. */
export function diffDumps(a: StatsDump, b: StatsDump): DumpDiff {
  const config = fieldChanges(a.config, b.config, NONE);
  const global = fieldChanges(a.global, b.global, NONE);
  const classes: ClassDiff[] = [];
  const aClasses = new Map(a.classes.map((c) => [c.classIndex, c]));
  const bClasses = new Map(b.classes.map((c) => [c.classIndex, c]));
  for (const cb of b.classes) {
    const ca = aClasses.get(cb.classIndex);
    if (!ca) continue;
    const changes = fieldChanges(ca, cb, CLASS_KEYS).filter((c): c is NumberChange => 'delta' in c);
    if (changes.length) classes.push({ classIndex: cb.classIndex, objectSize: cb.objectSize, changes });
  }
  const aEpochs = new Map(a.epochs.map((e) => [e.epoch, e]));
  const bEpochs = new Map(b.epochs.map((e) => [e.epoch, e]));
  const changed: EpochDiff[] = [];
  for (const eb of b.epochs) {
    const ea = aEpochs.get(eb.epoch);
    if (!ea) continue;
    const changes = fieldChanges(ea, eb, EPOCH_KEYS);
    if (changes.length) changed.push({ epoch: eb.epoch, changes });
  }
  return {
    config,
    global,
    classes,
    classesAdded: b.classes.filter((c) => !aClasses.has(c.classIndex)).map((c) => c.classIndex),
    classesRemoved: a.classes.filter((c) => !bClasses.has(c.classIndex)).map((c) => c.classIndex),
    epochs: {
      appeared: b.epochs.filter((e) => !aEpochs.has(e.epoch)),
      disappeared: a.epochs.filter((e) => !bEpochs.has(e.epoch)),
      changed,
    },
  };
}

export function isEmptyDiff(d: DumpDiff): boolean {
  return (
    d.config.length + d.global.length + d.classes.length + d.classesAdded.length + d.classesRemoved.length +
      d.epochs.appeared.length + d.epochs.disappeared.length + d.epochs.changed.length === 0
  );
}

function value(field: string, v: unknown): string {
  if (typeof v === 'number') return isBytesField(field) ? bytes(v) : int(v);
  return JSON.stringify(v) ?? 'undefined';
}

function changeLine(ch: NumberChange | ValueChange, c: Colors, width: number): string {
  const name = ch.field.padEnd(width);
  const arrow = `${value(ch.field, ch.before)} -> ${value(ch.field, ch.after)}`;
  if (!('delta' in ch)) return `  ${name}  ${arrow}`;
  const d = signed(ch.delta, isBytesField(ch.field));
  return `  ${name}  ${arrow}  ${ch.delta > 0 ? c.green(d) : c.red(d)}`;
}

function epochName(e: SlabEpochStats): string {
  const label = e.label ? ` "${e.label}"` : '';
  return `epoch ${e.epoch}${label} (slot ${e.ringSlot}, ${e.state}, ${int(e.liveObjects)} live, ${bytes(e.bytes)})`;
}

/** The diff as text: one section per part that changed. */
export function renderDiff(d: DumpDiff, c: Colors, names: { a: string; b: string }): string {
  const out: string[] = [`${c.bold('tslab diff')} ${names.a} -> ${names.b}`];
  if (isEmptyDiff(d)) {
    out.push('no differences');
    return out.join('\n');
  }
  const width = (xs: Array<{ field: string }>): number => Math.max(0, ...xs.map((x) => x.field.length));
  if (d.config.length) {
    out.push('', c.bold('config'));
    for (const ch of d.config) out.push(changeLine(ch, c, width(d.config)));
  }
  if (d.global.length) {
    out.push('', c.bold('global'));
    for (const ch of d.global) out.push(changeLine(ch, c, width(d.global)));
  }
  if (d.classes.length || d.classesAdded.length || d.classesRemoved.length) {
    out.push('', c.bold('classes'));
    for (const k of d.classes) {
      out.push(`  class ${k.classIndex} (${k.objectSize} B)`);
      for (const ch of k.changes) out.push(`  ${changeLine(ch, c, width(k.changes))}`);
    }
    if (d.classesAdded.length) out.push(`  added: class ${d.classesAdded.join(', ')}`);
    if (d.classesRemoved.length) out.push(`  removed: class ${d.classesRemoved.join(', ')}`);
  }
  const e = d.epochs;
  if (e.appeared.length || e.disappeared.length || e.changed.length) {
    out.push('', c.bold('epochs'));
    for (const x of e.appeared) out.push(`  ${c.green('appeared')}     ${epochName(x)}`);
    for (const x of e.disappeared) out.push(`  ${c.red('disappeared')}  ${epochName(x)}`);
    for (const x of e.changed) {
      out.push(`  changed      epoch ${x.epoch}`);
      for (const ch of x.changes) out.push(`  ${changeLine(ch, c, width(x.changes))}`);
    }
  }
  return out.join('\n');
}
