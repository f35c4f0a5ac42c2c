import { loadDump } from '../load.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { EXIT_OK } from '../errors.js';

/** `tslab dump URL|file`: the validated stats dump as indented JSON. */
export async function dumpCommand(io: CliIo, target: string, timeoutMs: number): Promise<number> {
  const dump = await loadDump(target, { timeoutMs });
  writeLine(io.stdout, JSON.stringify(dump, null, 2));
  return EXIT_OK;
}
