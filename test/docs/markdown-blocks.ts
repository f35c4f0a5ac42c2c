/**
 * Finds the code blocks of the repository's Markdown documents that the executed-docs test runs.
 * Not a test file: examples.test.ts uses it.
 *
 * A block is runnable when its fence's info string is ts, typescript or js. A runnable block that is
 * deliberately not a program (a type signature, a fragment) is marked on the line right before its
 * fence with `<!-- not-executed: reason -->`; the reason is required so a skip always says why.
 * Other languages (sh, yaml, text, ...) are documentation only and are neither run nor counted.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const RUNNABLE_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript']);

export interface CodeBlock {
  /** Path of the Markdown file relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line number of the opening fence. */
  line: number;
  /** Info-string language, lower-cased ('' when the fence has none). */
  lang: string;
  /** The code between the fences, with the fence's indentation removed. */
  code: string;
  /** The not-executed reason when the block is marked, else undefined. */
  skipReason?: string;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;
const SKIP_MARK = /^\s*<!--\s*not-executed\s*:?\s*(.*?)\s*-->\s*$/;

/**
 * Every fenced block of one Markdown text, in order. Throws on an unclosed fence or on a
 * not-executed mark without a reason, naming the file and line: both are mistakes in the docs.
 */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const fence = open[2];
    const lang = open[3].toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const trimmed = lines[j].trim();
      // A closing fence: the same character, at least as long, nothing after it.
      if (trimmed.length >= fence.length && trimmed === fence[0].repeat(trimmed.length)) break;
      body.push(stripIndent(lines[j], indent));
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: code fence ${fence}${lang} is never closed`);
    const block: CodeBlock = { file, line: i + 1, lang, code: body.join('\n') + '\n' };
    const mark = i > 0 ? SKIP_MARK.exec(lines[i - 1]) : null;
    if (mark) {
      if (mark[1] === '') throw new Error(`${file}:${i}: <!-- not-executed --> needs a reason: <!-- not-executed: why -->`);
      block.skipReason = mark[1];
    }
    blocks.push(block);
    i = j;
  }
  return blocks;
}

function stripIndent(line: string, indent: number): string {
  let n = 0;
  while (n < indent && line[n] === ' ') n++;
  return line.slice(n);
}

/** The documents the test covers: docs/*.md, README.md, packages/<name>/README.md, demo/README.md. */
export function documentPaths(repo: string): string[] {
  const paths: string[] = [];
  const docs = join(repo, 'docs');
  if (existsSync(docs)) {
    for (const f of readdirSync(docs).sort()) if (f.endsWith('.md')) paths.push(join(docs, f));
  }
  paths.push(join(repo, 'README.md'));
  for (const pkg of readdirSync(join(repo, 'packages')).sort()) {
    const readme = join(repo, 'packages', pkg, 'README.md');
    if (existsSync(readme)) paths.push(readme);
  }
  paths.push(join(repo, 'demo', 'README.md'));
  return paths.filter((p) => existsSync(p));
}

/** Runnable-language blocks of every covered document (skipped ones included, marked). */
export function runnableBlocks(repo: string): CodeBlock[] {
  const all: CodeBlock[] = [];
  for (const path of documentPaths(repo)) {
    const file = relative(repo, path).split('\\').join('/');
    for (const block of extractBlocks(readFileSync(path, 'utf8'), file)) {
      if (RUNNABLE_LANGUAGES.has(block.lang)) all.push(block);
    }
  }
  return all;
}
