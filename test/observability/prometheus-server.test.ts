/**
 * A real Prometheus server (Debian's `prometheus` package) scrapes the example game server every
 * second on 127.0.0.1; values are read back through Prometheus's HTTP query API and compared with
 * the game heap's own /stats.json. The game runs a fixed number of ticks and then holds still, so
 * the scraped values and the stats are the same instant.
 *
 * Needs /usr/bin/prometheus; when it is missing the test installs it with
 *   apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus
 * and is skipped, saying why, only if that is impossible (not root, no network).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '@tslab/core';
import type { StatsDump } from '@tslab/core';
import { GAME_SERVER, REPO, freePort, waitFor } from './helpers.js';

const TICKS = 45; // 1.5 s at 30 ticks/s

function prometheusBinary(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** Install Debian's prometheus when missing; returns the binary or why it could not. */
function ensurePrometheus(): { bin: string } | { why: string } {
  const bin = prometheusBinary();
  if (bin) return { bin };
  if (process.getuid?.() !== 0) return { why: 'prometheus is not installed and installing it needs root (apt-get install -y prometheus)' };
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { env, encoding: 'utf8', timeout: 180_000 });
  if (update.status !== 0) return { why: `apt-get update failed: ${(update.stderr || update.error?.message || '').trim().split('\n').pop()}` };
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'prometheus'], { env, encoding: 'utf8', timeout: 300_000 });
  if (install.status !== 0) return { why: `apt-get install prometheus failed: ${(install.stderr || install.error?.message || '').trim().split('\n').pop()}` };
  const after = prometheusBinary();
  return after ? { bin: after } : { why: 'apt-get installed prometheus but no prometheus binary is on PATH' };
}

const children: ChildProcess[] = [];
let workDir: string | undefined;

function startChild(cmd: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

let prom: { bin: string } | { why: string } = { why: 'not checked' };
// Installing takes minutes on a cold apt cache: do it in a hook with its own timeout, not in the test.
beforeAll(() => {
  prom = ensurePrometheus();
}, 600_000);

afterAll(async () => {
  for (const c of children) await stop(c);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(base: string, promql: string): Promise<VectorResult[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { status: string; data: { resultType: string; result: VectorResult[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
  return body.data.result;
}

async function scalar(base: string, promql: string): Promise<number> {
  const r = await query(base, promql);
  if (r.length !== 1) throw new Error(`${promql}: ${r.length} series`);
  return Number(r[0].value[1]);
}

describe('Prometheus scraping the example game server', () => {
  it('reads back through /api/v1/query what the heap reports', async (ctx) => {
    if ('why' in prom) {
      console.warn(`SKIPPED: real Prometheus test: ${prom.why}`);
      ctx.skip();
      return;
    }
    workDir = mkdtempSync(join(tmpdir(), 'tslab-prom-'));

    // 1. The example game server: TICKS ticks, then it holds still and keeps serving.
    const game = startChild(process.execPath, ['--import', 'tsx', GAME_SERVER, '--port', '0', '--ticks', String(TICKS), '--hold']);
    const gameUrl = await waitFor('the game server URL', () => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(game.output())?.[1], 20_000);
    await waitFor(`${TICKS} ticks`, () => (game.output().includes(`done: ${TICKS} ticks`) ? true : undefined), 20_000);
    const stats = (await (await fetch(`${gameUrl}/stats.json`)).json()) as StatsDump;

    // 2. Prometheus on 127.0.0.1 with a temporary config scraping it every second.
    const promPort = await freePort();
    const target = new URL(gameUrl).host;
    const config = join(workDir, 'prometheus.yml');
    writeFileSync(config, [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      '  - job_name: tslab-game',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'));
    const server = startChild(prom.bin, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ]);
    const base = `http://127.0.0.1:${promPort}`;
    try {
      // 3. Wait until a scrape of the game succeeded.
      await waitFor('a successful scrape', async () => {
        const up = await query(base, 'up{job="tslab-game"}');
        return up.length === 1 && up[0].value[1] === '1' ? true : undefined;
      }, 25_000, 250);
      await waitFor('tslab series in the TSDB', async () => ((await query(base, 'tslab_live_objects')).length === 1 ? true : undefined), 10_000, 250);

      // 4. Compare with the heap's own stats (the game holds still, so they are the same instant).
      const h = '{job="tslab-game",heap="game"}';
      const g = stats.global;
      expect(await scalar(base, `tslab_live_objects${h}`)).toBe(g.liveObjects);
      expect(await scalar(base, `tslab_committed_bytes${h}`)).toBe(g.committedBytes);
      expect(await scalar(base, `tslab_reserved_bytes${h}`)).toBe(g.reservedBytes);
      expect(await scalar(base, `tslab_epochs_advanced_total${h}`)).toBe(g.epochsAdvanced);
      expect(await scalar(base, `sum(tslab_allocs_total${h})`)).toBe(g.totalAllocs);
      expect(await scalar(base, `sum(tslab_frees_total${h})`)).toBe(g.totalFrees);
      for (const c of stats.classes) {
        const l = `{job="tslab-game",heap="game",class="${c.classIndex}",object_size="${c.objectSize}"}`;
        expect(await scalar(base, `tslab_allocs_total${l}`), `class ${c.objectSize}`).toBe(c.totalAllocs);
        expect(await scalar(base, `tslab_class_live_objects${l}`), `class ${c.objectSize}`).toBe(c.liveObjects);
      }
      const epochs = await query(base, `tslab_epoch_live_objects${h}`);
      expect(epochs).toHaveLength(stats.epochs.length);
      for (const e of stats.epochs) {
        const s = epochs.find((r) => r.metric.epoch === String(e.epoch));
        expect(s?.metric.state).toBe(e.state);
        expect(Number(s?.value[1])).toBe(e.liveObjects);
      }
      expect(await scalar(base, `tslab_frames_total${h}`)).toBe(TICKS);
      expect(await scalar(base, `tslab_frame_observed_total${h}`)).toBe(TICKS);
      expect(await scalar(base, `sum(tslab_doctor_findings${h})`)).toBe(diagnose(stats).length);
      // The histogram arrived as a histogram: its _count series exists and counts sampled ticks.
      const ticksSampled = await scalar(base, `tslab_frame_tick_seconds_count${h}`);
      expect(ticksSampled).toBeGreaterThan(0);
      expect(ticksSampled).toBeLessThanOrEqual(TICKS);
    } finally {
      await stop(server.child);
      await stop(game.child);
    }
    expect(game.output()).not.toMatch(/Error/);
  }, 60_000);
});
