/**
 * Shared plumbing for the browser tests and the browser benchmark: Vite's `preview()` serving the
 * built demo on an ephemeral 127.0.0.1 port, and Debian's Chromium driven by playwright-core.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../..');
export const DEMO_ROOT = join(REPO_ROOT, 'demo');
export const OUTPUT_DIR = join(REPO_ROOT, 'test-output');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags that make headless Chromium render Pixi through WebGL 2 on SwiftShader (NOTES.md), less
 * `--disable-gpu`: with it, the compositor is software and reads every WebGL frame back, and
 * Chromium logs "GL Driver Message ... GPU stall due to ReadPixels" warnings into the page console
 * (measured: 4 warnings in the first frames; none without the flag, still SwiftShader via ANGLE).
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/** Serves demo/dist (run `npm run build -w @tslab/demo` first) with the COOP/COEP headers of vite.config.ts. */
export async function startDemoPreview(): Promise<DemoServer> {
  const server: PreviewServer = await preview({
    root: DEMO_ROOT,
    configFile: join(DEMO_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('vite preview: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () => server.close(),
  };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Console errors and warnings, page errors and failed requests seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** Launches Chromium with a fresh profile folder and opens one page that records every problem. */
export async function launchBrowser(extraFlags: readonly string[] = []): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'tslab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraFlags],
    viewport: { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e: Error) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until `predicate` (evaluated in the page) is true, polling; throws with `what` on timeout. */
export async function waitInPage(page: Page, what: string, predicate: string, timeoutMs = 20_000): Promise<void> {
  try {
    await page.waitForFunction(predicate, undefined, { timeout: timeoutMs, polling: 100 });
  } catch (error) {
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${predicate}): ${String(error)}`);
  }
}
