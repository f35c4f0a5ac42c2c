import { readFile } from 'node:fs/promises';
import type { StatsDump } from '@tslab/core';
import { CliError, reason } from './errors.js';
import { validateDump } from './validate.js';

export function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/**
 * The stats URL for a target: a server's base URL ('http://host:port' or '.../') gets '/stats.json'
 * (what `serveMetrics` serves); any other path is used as given.
 */
export function statsUrl(target: string): string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new CliError(`invalid URL ${JSON.stringify(target)}`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/stats.json';
  return url.href;
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  } catch (err) {
    const why = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError') ? `no answer within ${timeoutMs} ms` : reason(err);
    throw new CliError(`cannot reach ${url}: ${why}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new CliError(`${url} answered HTTP ${res.status} ${res.statusText}`.trimEnd());
  }
  return res.text();
}

export interface LoadOptions {
  /** Give up on an HTTP source after this many milliseconds; default 5,000. */
  timeoutMs?: number;
}

/** Read a stats dump from a URL (a server started with serveMetrics) or a JSON file, and validate it. */
export async function loadDump(target: string, options: LoadOptions = {}): Promise<StatsDump> {
  const timeoutMs = options.timeoutMs ?? 5000;
  let source: string;
  let text: string;
  if (isUrl(target)) {
    source = statsUrl(target);
    text = await fetchText(source, timeoutMs);
  } else {
    source = target;
    try {
      text = await readFile(target, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${target}: ${reason(err)}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${source} is not JSON: ${reason(err)}`);
  }
  return validateDump(json, source);
}
