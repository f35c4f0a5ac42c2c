/**
 * Runs one documentation code block as an ES module: `node --import tsx <file>` on a copy written
 * inside the test workspace (test/.docs-tmp/), so `@tslab/*`, `bitecs` and `prom-client` resolve
 * from node_modules exactly as they do for a user's project. Not a test file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeBlock } from './markdown-blocks.js';

export interface BlockRun {
  /** Where the block was written (kept on failure, for a rerun by hand). */
  path: string;
  /** Exit code, or null when the process was killed. */
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/** A file name that says where the block came from: packages/core/README.md:17 -> packages_core_README-L17.ts */
export function blockFileName(block: CodeBlock): string {
  const base = block.file.replace(/\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '_');
  const ext = block.lang === 'js' || block.lang === 'javascript' ? 'mjs' : 'ts';
  return `${base}-L${block.line}.${ext}`;
}

/** Writes the block into `dir` and runs it; the child is SIGKILLed after `timeoutMs`. */
export function runBlock(block: CodeBlock, dir: string, timeoutMs: number): Promise<BlockRun> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, blockFileName(block));
  // Written unchanged, so line k of the file is line (block.line + k) of the Markdown document.
  writeFileSync(path, block.code);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      cwd: dir,
      // No inherited --expose-gc or vitest worker flags: a block runs as a user would run it.
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ path, code, timedOut, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs `items` through `work` with at most `limit` in flight; results keep the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The failure text of a run: the Markdown location first, then why, then the child's output tail. */
export function describeFailure(block: CodeBlock, run: BlockRun, timeoutMs: number): string {
  const why = run.timedOut ? `did not finish within ${timeoutMs} ms (examples must end by themselves: close servers, stop loops)` : `exited with code ${run.code}`;
  const tail = (text: string) => (text.length > 4000 ? `...${text.slice(-4000)}` : text).trimEnd();
  return [
    `${block.file}:${block.line} (\`\`\`${block.lang} block) ${why}`,
    `  run again: node --import tsx ${run.path}  (its line k is line ${block.line}+k of the document)`,
    `--- stderr ---\n${tail(run.stderr) || '(empty)'}`,
    `--- stdout ---\n${tail(run.stdout) || '(empty)'}`,
  ].join('\n');
}
