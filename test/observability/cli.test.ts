/**
 * The built `tslab` bin (node packages/cli/dist/bin.js) against a live serveMetrics server in this
 * process and against saved dumps: dump, doctor exit codes, diff, watch redraws (piped and in a
 * real terminal through tmux), and every error case (exit 2, one line on stderr).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllocator, diagnose, STATS_SCHEMA_VERSION } from '@tslab/core';
import type { SlabAllocator } from '@tslab/core';
import { serveMetrics } from '@tslab/prometheus';
import type { MetricsServer } from '@tslab/prometheus';
import { CLI_BIN, runCli, sleep, waitFor } from './helpers.js';

let dir: string;
let warnHeap: SlabAllocator;
let warnServer: MetricsServer;
let busyHeap: SlabAllocator;
let busyServer: MetricsServer;
let plainServer: Server;
let plainUrl: string;
let deadUrl: string;
const files: Record<string, string> = {};

function save(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  files[name] = file;
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tslab-cli-'));

  // Healthy: a little work, no doctor finding.
  const healthy = createAllocator();
  for (let i = 0; i < 10; i++) healthy.alloc(64);
  expect(diagnose(healthy.statsDump())).toEqual([]);
  save('healthy.json', healthy.statsDump());
  healthy.check();

  // Warn: one allocation refused by a closing epoch (finding 'epoch-closed-allocs', severity warn).
  warnHeap = createAllocator({ diagnostics: true });
  const e0 = warnHeap.epochCurrent();
  for (let i = 0; i < 10; i++) warnHeap.alloc(64);
  warnHeap.epochAdvance();
  expect(warnHeap.alloc(64, e0)).toBe(0);
  expect(diagnose(warnHeap.statsDump()).map((f) => f.severity)).toContain('warn');
  expect(diagnose(warnHeap.statsDump()).map((f) => f.severity)).not.toContain('error');
  warnServer = await serveMetrics(warnHeap, { port: 0 });

  // Error: maxBytes reached (finding 'max-bytes', severity error).
  const full = createAllocator({ maxBytes: 1 << 20 });
  for (let i = 0; i < 10_000 && full.alloc(768) !== 0; i++);
  expect(diagnose(full.statsDump()).map((f) => f.id)).toContain('max-bytes');
  save('error.json', full.statsDump());
  full.check();

  // A heap the tests mutate while `watch` polls it.
  busyHeap = createAllocator();
  busyServer = await serveMetrics(busyHeap, { port: 0 });

  save('not-tslab.json', { name: 'some-package', version: '1.0.0' });
  save('not-json.json', 'hello, world');
  save('newer.json', { ...healthy.statsDump(), schemaVersion: STATS_SCHEMA_VERSION + 1 });

  plainServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => plainServer.listen(0, '127.0.0.1', r));
  plainUrl = `http://127.0.0.1:${(plainServer.address() as { port: number }).port}`;

  const gone = await serveMetrics(createAllocator(), { port: 0 });
  deadUrl = gone.url;
  await gone.close();
});

afterAll(async () => {
  await warnServer?.close();
  await busyServer?.close();
  await new Promise((r) => plainServer?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('tslab dump', () => {
  it('prints the dump of a URL and of a file as JSON', async () => {
    const fromUrl = await runCli(['dump', warnServer.url]);
    expect(fromUrl.code).toBe(0);
    expect(fromUrl.stderr).toBe('');
    expect(JSON.parse(fromUrl.stdout)).toEqual(JSON.parse(JSON.stringify(warnHeap.statsDump())));
    const fromFile = await runCli(['dump', files['error.json']]);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout).global.allocFailedMaxBytes).toBe(1);
    warnHeap.check();
  });
});

describe('tslab doctor', () => {
  it('exits 0 with no findings', async () => {
    const r = await runCli(['doctor', files['healthy.json']]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('0 findings (0 error, 0 warn, 0 info): ok');
  });

  it('exits 1 on a warn finding (URL), 0 with --fail-on error, and prints JSON with --json', async () => {
    const r = await runCli(['doctor', warnServer.url]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/WARN\s+epoch-closed-allocs\s+slowPathEpochClosed = 1 \(threshold 0\)/);
    expect(r.stdout).toContain('threshold violated (--fail-on warn)');
    expect((await runCli(['doctor', warnServer.url, '--fail-on', 'error'])).code).toBe(0);
    const json = await runCli(['doctor', warnServer.url, '--json']);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { failed: boolean; findings: Array<{ id: string }> };
    expect(parsed.failed).toBe(true);
    expect(parsed.findings.map((f) => f.id)).toEqual(diagnose(warnHeap.statsDump()).map((f) => f.id));
    warnHeap.check();
  });

  it('exits 1 on an error finding even with --fail-on error, 0 with --fail-on none', async () => {
    const r = await runCli(['doctor', files['error.json'], '--fail-on', 'error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+max-bytes/);
    expect((await runCli(['doctor', files['error.json'], '--fail-on', 'none'])).code).toBe(0);
  });
});

describe('tslab diff', () => {
  it('shows global and per-class deltas and epochs that appeared and disappeared', async () => {
    const heap = createAllocator();
    const e0 = heap.epochCurrent();
    const hs: number[] = [];
    for (let i = 0; i < 30; i++) hs.push(heap.alloc(64));
    const a = save('diff-a.json', heap.statsDump());
    const e1 = heap.epochAdvance();
    for (const h of hs) heap.free(h);
    for (let i = 0; i < 12; i++) heap.alloc(500);
    const b = save('diff-b.json', heap.statsDump());

    const r = await runCli(['diff', a, b]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/totalAllocs\s+30 -> 42\s+\+12/);
    expect(r.stdout).toMatch(/totalFrees\s+0 -> 30\s+\+30/);
    expect(r.stdout).toMatch(/liveObjects\s+30 -> 12\s+-18/);
    expect(r.stdout).toContain('class 0 (64 B)');
    expect(r.stdout).toContain('class 6 (512 B)');
    expect(r.stdout).toMatch(new RegExp(`appeared\\s+epoch ${e1} `));
    expect(r.stdout).toMatch(new RegExp(`disappeared\\s+epoch ${e0} `));

    const json = JSON.parse((await runCli(['diff', a, b, '--json'])).stdout) as {
      global: Array<{ field: string; delta?: number }>;
      epochs: { appeared: Array<{ epoch: number }>; disappeared: Array<{ epoch: number }> };
    };
    expect(json.global.find((c) => c.field === 'totalAllocs')?.delta).toBe(12);
    expect(json.epochs.appeared.map((e) => e.epoch)).toEqual([e1]);
    expect(json.epochs.disappeared.map((e) => e.epoch)).toEqual([e0]);
    heap.check();
  });

  it('diffs a live URL against a saved file', async () => {
    const before = save('busy-before.json', busyHeap.statsDump());
    for (let i = 0; i < 7; i++) busyHeap.alloc(200);
    const r = await runCli(['diff', before, busyServer.url]);
    expect(r.code).toBe(0);
    const block = r.stdout.split('class 4 (256 B)')[1]?.split(/\n  class |\n\n/)[0] ?? '';
    expect(block).toMatch(/totalAllocs\s+\d+ -> \d+\s+\+7(\n|$)/);
    busyHeap.check();
  });
});

describe('errors: exit 2 and one line on stderr', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['unreachable URL', () => ['dump', deadUrl], /^tslab: cannot reach http:\/\/127\.0\.0\.1:\d+\/stats\.json: .*ECONNREFUSED/],
    ['unreachable URL (doctor)', () => ['doctor', deadUrl], /cannot reach .*ECONNREFUSED/],
    ['unreachable URL (watch)', () => ['watch', deadUrl, '--once'], /cannot reach .*ECONNREFUSED/],
    ['HTTP 404', () => ['dump', `${warnServer.url}/nope.json`], /answered HTTP 404/],
    ['non-tslab JSON file', () => ['doctor', files['not-tslab.json']], /not-tslab\.json is not a tslab stats dump \(kind is missing, expected "tslab-stats"\)/],
    ['non-tslab JSON URL', () => ['dump', plainUrl], /\/stats\.json is not a tslab stats dump/],
    ['not JSON at all', () => ['dump', `${warnServer.url}/metrics`], /\/metrics is not JSON/],
    ['not JSON file', () => ['diff', files['healthy.json'], files['not-json.json']], /not-json\.json is not JSON/],
    ['newer schemaVersion', () => ['doctor', files['newer.json']], new RegExp(`schemaVersion ${STATS_SCHEMA_VERSION + 1}, newer than this tslab understands \\(${STATS_SCHEMA_VERSION}\\): upgrade @tslab/cli`)],
    ['missing file', () => ['dump', join(tmpdir(), 'no-such-tslab-dump.json')], /cannot read .*ENOENT/],
    ['unknown command', () => ['explode'], /unknown command "explode"/],
    ['unknown option', () => ['dump', 'x', '--frob'], /Unknown option '--frob'/],
  ];
  // Independent processes: run them side by side (most of each is node's start-up time).
  for (const [name, args, pattern] of cases) {
    it.concurrent(name, async ({ expect: expectHere }) => {
      const r = await runCli(args());
      expectHere(r.code).toBe(2);
      expectHere(r.stdout).toBe('');
      const lines = r.stderr.split('\n').filter((l) => l.length > 0);
      expectHere(lines, r.stderr).toHaveLength(1);
      expectHere(lines[0]).toMatch(/^tslab: /);
      expectHere(lines[0]).toMatch(pattern);
    });
  }
});

describe('tslab watch', () => {
  it('--once prints one snapshot with the epoch table and doctor findings', async () => {
    const r = await runCli(['watch', warnServer.url, '--once']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.match(/tslab watch /g)).toHaveLength(1);
    expect(r.stdout).toContain(`tslab watch ${warnServer.url}/stats.json`);
    expect(r.stdout).toMatch(/│ slot │ epoch │ state\s+│/);
    expect(r.stdout).toMatch(/│\s+0 │\s+0 │ closing │/);
    expect(r.stdout).toContain('epoch-closed-allocs');
    expect(r.stdout).not.toContain('\u001b['); // piped and NO_COLOR: plain text
  });

  it('redraws with new numbers and per-second rates (piped: one frame after another)', async () => {
    const churn = setInterval(() => {
      for (let i = 0; i < 20; i++) busyHeap.alloc(64);
    }, 40);
    try {
      const r = await runCli(['watch', busyServer.url, '--interval', '200', '--count', '4']);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      const frames = r.stdout.split(/(?=tslab watch )/);
      expect(frames).toHaveLength(4);
      frames.forEach((f, i) => expect(f).toContain(`#${i + 1} `));
      const totals = frames.map((f) => /totals\s+allocs ([\d,]+)/.exec(f)?.[1]);
      expect(new Set(totals).size).toBeGreaterThan(1); // two different snapshots seen
      expect(frames[0]).toMatch(/rates\s+allocs -/); // no rate before a second sample
      expect(frames[3]).toMatch(/rates\s+allocs [\d,.]+\/s/);
    } finally {
      clearInterval(churn);
    }
    busyHeap.check();
  });

  const tmux = spawnSync('tmux', ['-V']).status === 0;
  it.skipIf(!tmux)('redraws in place in a real terminal (tmux) and quits on Ctrl-C', async () => {
    const socket = `tslab-test-${process.pid}`;
    const t = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
    const churn = setInterval(() => {
      for (let i = 0; i < 20; i++) busyHeap.alloc(96);
    }, 40);
    try {
      // Ctrl-C in the pane reaches node as from a real terminal; the shell then prints its exit
      // status, and remain-on-exit keeps the pane and its last screen for the checks below.
      const command = `'${process.execPath}' '${CLI_BIN}' watch ${busyServer.url} --interval 200 --count 150; echo "watch exited $?"; sleep 30`;
      t('new-session', '-d', '-s', 'w', '-x', '160', '-y', '90', command);
      t('set-option', '-t', 'w', 'remain-on-exit', 'on');
      const frameOf = (screen: string): number => Number(/#(\d+) /.exec(screen)?.[1] ?? 0);
      const first = await waitFor('a second frame', () => {
        const s = t('capture-pane', '-p', '-t', 'w');
        return frameOf(s) >= 2 ? s : undefined;
      });
      await sleep(700);
      const second = t('capture-pane', '-p', '-t', 'w');
      expect(frameOf(second)).toBeGreaterThan(frameOf(first));
      const allocs = (s: string): string | undefined => /totals\s+allocs ([\d,]+)/.exec(s)?.[1];
      expect(allocs(second)).not.toBe(allocs(first));
      // In place: the screen and its scrollback hold exactly one frame, not one per redraw.
      const history = t('capture-pane', '-p', '-t', 'w', '-S', '-1000');
      expect(history.match(/tslab watch /g)).toHaveLength(1);
      expect(second).toMatch(/│ class │ size │/);

      t('send-keys', '-t', 'w', 'C-c');
      const last = await waitFor('exit after Ctrl-C', () => {
        const screen = t('capture-pane', '-p', '-t', 'w', '-S', '-1000');
        return screen.includes('watch exited') ? screen : undefined;
      });
      expect(last).toContain('watch exited 0');
      expect(last.match(/tslab watch /g)).toHaveLength(1); // the last frame stays on screen
      expect(frameOf(last)).toBeLessThan(150);
    } finally {
      clearInterval(churn);
      spawnSync('tmux', ['-L', socket, 'kill-server']);
    }
    busyHeap.check();
  });
});
