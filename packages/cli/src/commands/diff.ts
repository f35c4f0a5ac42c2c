import { diffDumps, renderDiff } from '../diff.js';
import { loadDump } from '../load.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { EXIT_OK } from '../errors.js';
import type { Colors } from '../format.js';

/** `tslab diff a b`: global and per-class numeric deltas, epochs appeared/disappeared/changed. */
export async function diffCommand(io: CliIo, a: string, b: string, o: { timeoutMs: number; json: boolean; colors: Colors }): Promise<number> {
  const [da, db] = await Promise.all([loadDump(a, { timeoutMs: o.timeoutMs }), loadDump(b, { timeoutMs: o.timeoutMs })]);
  const diff = diffDumps(da, db);
  writeLine(io.stdout, o.json ? JSON.stringify(diff, null, 2) : renderDiff(diff, o.colors, { a, b }));
  return EXIT_OK;
}
