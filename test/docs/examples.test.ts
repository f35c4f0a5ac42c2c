/**
 * Executed documentation (issue 8): every ```ts / ```typescript / ```js block of docs/*.md,
 * README.md, packages/<name>/README.md and demo/README.md runs as an ES module under
 * `node --import tsx` and must exit 0 within the per-block timeout. Blocks marked
 * `<!-- not-executed: reason -->` on the line before the fence are counted and listed, not run.
 *
 * Every executed block must also type-check under the repository's strict tsconfig (one tsc run
 * over all of them): tsx strips types without checking them, and a doc that does not compile
 * misleads as much as one that does not run.
 *
 * The packages resolve from their dist/ folders (turbo's test task builds them first).
 * TSLAB_DOCS_TIMEOUT_MS overrides the per-block timeout; TSLAB_DOCS_ONLY=<substring> runs only the
 * blocks whose file:line contains it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractBlocks, runnableBlocks, type CodeBlock } from './markdown-blocks.js';
import { describeFailure, mapLimited, runBlock, type BlockRun } from './run-block.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMP = join(REPO, 'test', '.docs-tmp');
const BLOCKS_DIR = join(TMP, 'blocks');
const RUNNER_DIR = join(TMP, 'runner-check');
const TIMEOUT_MS = Number(process.env.TSLAB_DOCS_TIMEOUT_MS ?? 20_000);
/** The machine has 2 cores shared with other work: two blocks at a time. */
const CONCURRENCY = 2;

const only = process.env.TSLAB_DOCS_ONLY;
const blocks = runnableBlocks(REPO).filter((b) => !only || `${b.file}:${b.line}`.includes(only));
const toRun = blocks.filter((b) => b.skipReason === undefined);
const skipped = blocks.filter((b) => b.skipReason !== undefined);
const runs = new Map<CodeBlock, BlockRun>();
let typecheckFailed = false;

describe('the Markdown extractor', () => {
  const doc = [
    '# t', //                                   1
    '```ts', //                                 2
    'console.log(1);', //                       3
    '```', //                                   4
    '<!-- not-executed: a type signature -->', // 5
    '```typescript', //                         6
    'function f(): void;', //                   7
    '```', //                                   8
    '```sh', //                                 9
    'npm test', //                              10
    '```', //                                   11
    '1. a list item', //                        12
    '   ````js', //                             13
    '   const s = "```";', //                   14
    '   ````', //                               15
  ].join('\n');

  it('finds every fence with its language, opening line, code and skip reason', () => {
    const found = extractBlocks(doc, 'x.md');
    expect(found.map((b) => [b.lang, b.line, b.skipReason])).toEqual([
      ['ts', 2, undefined],
      ['typescript', 6, 'a type signature'],
      ['sh', 9, undefined],
      ['js', 13, undefined],
    ]);
    expect(found[0].code).toBe('console.log(1);\n');
    // Indentation of a fence inside a list is removed; a shorter fence inside does not close it.
    expect(found[3].code).toBe('const s = "```";\n');
  });

  it('rejects an unclosed fence and a mark without a reason, naming the line', () => {
    expect(() => extractBlocks('a\n```ts\nx', 'y.md')).toThrow('y.md:2: code fence ```ts is never closed');
    expect(() => extractBlocks('<!-- not-executed -->\n```ts\nx\n```', 'z.md')).toThrow('z.md:1: <!-- not-executed --> needs a reason');
  });

  it('covers the package READMEs and finds runnable blocks in them', () => {
    const files = new Set(runnableBlocks(REPO).map((b) => b.file));
    expect(files.has('packages/core/README.md')).toBe(true);
    expect(files.has('packages/frame/README.md')).toBe(true);
  });
});

describe('the block runner', () => {
  it('reports a failing block with its exit code and stderr, and kills one that never ends', async () => {
    const failing: CodeBlock = { file: 'runner-check.md', line: 7, lang: 'ts', code: "throw new RangeError('boom from a doc block');\n" };
    const bad = await runBlock(failing, RUNNER_DIR, TIMEOUT_MS);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('boom from a doc block');
    expect(describeFailure(failing, bad, TIMEOUT_MS)).toContain('runner-check.md:7');

    const endless: CodeBlock = { file: 'runner-check.md', line: 20, lang: 'js', code: 'setInterval(() => {}, 1000);\n' };
    const hung = await runBlock(endless, RUNNER_DIR, 1500);
    expect(hung.timedOut).toBe(true);
    expect(hung.code).toBe(null);
  });
});

describe('documentation code blocks', () => {
  beforeAll(async () => {
    rmSync(BLOCKS_DIR, { recursive: true, force: true });
    mkdirSync(BLOCKS_DIR, { recursive: true });
    const results = await mapLimited(toRun, CONCURRENCY, (b) => runBlock(b, BLOCKS_DIR, TIMEOUT_MS));
    toRun.forEach((b, i) => runs.set(b, results[i]));
    const lines = skipped.map((b) => `  skipped ${b.file}:${b.line} (${b.skipReason})`);
    console.log(`docs examples: ${toRun.length} executed, ${skipped.length} marked not-executed\n${lines.join('\n')}`);
  }, 900_000);

  afterAll(() => {
    // Keep the files of failed blocks for a rerun by hand; drop the rest.
    const failed = typecheckFailed || [...runs.values()].some((r) => r.code !== 0);
    if (!failed && existsSync(TMP)) rmSync(TMP, { recursive: true, force: true });
    else rmSync(RUNNER_DIR, { recursive: true, force: true });
  });

  it('has blocks to run', () => {
    expect(toRun.length).toBeGreaterThan(only ? 0 : 10);
  });

  for (const block of toRun) {
    it(`${block.file}:${block.line} runs and exits 0`, () => {
      const run = runs.get(block);
      expect(run, 'the block was not run').toBeDefined();
      if (run!.code !== 0) expect.fail(describeFailure(block, run!, TIMEOUT_MS));
    });
  }

  it('every executed block type-checks (strict, the repository tsconfig)', async () => {
    if (toRun.length === 0) return;
    // Each block is its own module (moduleDetection force), so top-level names never collide.
    writeFileSync(join(BLOCKS_DIR, 'tsconfig.json'), JSON.stringify({
      extends: '../../../tsconfig.json',
      compilerOptions: { noEmit: true, moduleDetection: 'force', declaration: false, declarationMap: false, sourceMap: false },
      include: ['*.ts'],
    }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', join(BLOCKS_DIR, 'tsconfig.json')], { cwd: BLOCKS_DIR, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: `${stdout}${stderr}` });
      });
    });
    // tsc names the temp file (e.g. packages_core_README-L17.ts(12,5)): file and fence line; the
    // error's own line k is line L+k of that document.
    typecheckFailed = result.code !== 0;
    if (result.code !== 0) expect.fail(`doc blocks do not type-check:\n${result.out}`);
  }, 180_000);

  for (const block of skipped) {
    it.skip(`${block.file}:${block.line} not executed: ${block.skipReason}`, () => {});
  }
});
