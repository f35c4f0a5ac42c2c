import { diagnose } from '@tslab/core';
import { loadDump } from '../load.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { EXIT_FINDINGS, EXIT_OK } from '../errors.js';
import type { FailOn } from '../findings.js';
import { renderFindings, summaryLine, violates } from '../findings.js';
import type { Colors } from '../format.js';

/**
 * `tslab doctor URL|file`: the findings of `diagnose(dump)` (the same thresholds as `heap.doctor()`),
 * exit 1 when one is at or above `failOn`.
 */
export async function doctorCommand(io: CliIo, target: string, o: { timeoutMs: number; failOn: FailOn; json: boolean; colors: Colors }): Promise<number> {
  const dump = await loadDump(target, { timeoutMs: o.timeoutMs });
  const findings = diagnose(dump);
  const failed = violates(findings, o.failOn);
  if (o.json) {
    writeLine(io.stdout, JSON.stringify({ source: target, failOn: o.failOn, failed, findings }, null, 2));
  } else {
    const verdict = failed ? o.colors.red(`threshold violated (--fail-on ${o.failOn})`) : o.colors.green('ok');
    writeLine(io.stdout, `${o.colors.bold('tslab doctor')} ${target}: ${summaryLine(findings)}: ${verdict}`);
    if (findings.length) writeLine(io.stdout, renderFindings(findings, o.colors, dump));
  }
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
