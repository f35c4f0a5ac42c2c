import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { createLogUpdate } from 'log-update';
import { isUrl, loadDump, statsUrl } from '../load.js';
import type { CliIo } from '../io.js';
import { writeLine } from '../io.js';
import { CliError, EXIT_OK, reason } from '../errors.js';
import type { Colors } from '../format.js';
import { renderSnapshot } from '../view.js';
import type { Sample } from '../view.js';

export interface WatchOptions {
  intervalMs: number;
  /** Print one snapshot and return. */
  once: boolean;
  /** Stop after this many redraws; 0 = until aborted. */
  count: number;
  timeoutMs: number;
  colors: Colors;
}

/**
 * `tslab watch URL|file`: poll, and redraw the whole view in place. On a TTY the frame is built as
 * one string and handed to log-update, which erases the previous frame and writes the new one in a
 * single write (no blank flash between frames). On a pipe each frame is printed in turn, without
 * escape codes. The first poll must succeed (exit 2 otherwise); later failures are shown in the
 * view, which keeps the last good sample and retries.
 */
export async function watchCommand(io: CliIo, target: string, o: WatchOptions): Promise<number> {
  const source = isUrl(target) ? statsUrl(target) : target;
  const live = io.stdout.isTTY === true && !o.once;
  const out = live ? createLogUpdate(io.stdout) : null;
  let prev: Sample | null = null;
  let cur: Sample | null = null;
  const limit = o.once ? 1 : o.count;
  try {
    for (let frame = 1; limit === 0 || frame <= limit; frame++) {
      if (io.signal?.aborted) break;
      const started = performance.now();
      let error: string | undefined;
      try {
        const dump = await loadDump(target, { timeoutMs: o.timeoutMs });
        prev = cur;
        cur = { dump, atMs: performance.now() };
      } catch (err) {
        if (cur === null) throw err; // nothing to show yet: a clear exit-2 error
        error = err instanceof CliError ? err.message : reason(err);
      }
      const text = renderSnapshot(cur, prev, { source, intervalMs: o.intervalMs, frame, colors: o.colors, error });
      if (out) out(text);
      else writeLine(io.stdout, frame > 1 ? `\n${text}` : text);
      if (limit !== 0 && frame === limit) break;
      const wait = Math.max(0, o.intervalMs - (performance.now() - started));
      try {
        await sleep(wait, undefined, { signal: io.signal });
      } catch {
        break; // aborted (Ctrl-C): leave the last frame on screen
      }
    }
  } finally {
    out?.done();
  }
  return EXIT_OK;
}
