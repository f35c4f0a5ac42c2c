import { request, Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { createAllocator } from '@tslab/core';
import { serveMetrics } from '@tslab/prometheus';
import type { MetricsServer } from '@tslab/prometheus';
import { Exposition } from './exposition.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

async function start(...args: Parameters<typeof serveMetrics>): Promise<MetricsServer> {
  const s = await serveMetrics(...args);
  servers.push(s);
  return s;
}

function raw(url: string, method: string, agent?: Agent): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveMetrics', () => {
  it('serves /metrics in the Prometheus text format and /stats.json as the heap dump', async () => {
    const heap = createAllocator({ diagnostics: true });
    for (let i = 0; i < 42; i++) heap.alloc(100);
    const s = await start(heap, { port: 0, name: 'srv' });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.port).toBeGreaterThan(0);

    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const x = new Exposition(await res.text());
    expect(x.value('tslab_allocs_total', { heap: 'srv', object_size: '128' })).toBe(42);
    expect(x.value('tslab_live_objects', { heap: 'srv' })).toBe(42);

    const stats = await fetch(`${s.url}/stats.json`);
    expect(stats.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await stats.json()).toEqual(heap.statsDump());

    // Values are read at request time.
    heap.alloc(100);
    const again = new Exposition(await (await fetch(`${s.url}/metrics`)).text());
    expect(again.value('tslab_allocs_total', { heap: 'srv', object_size: '128' })).toBe(43);
    heap.check();
  });

  it('answers 404, 405 and HEAD properly', async () => {
    const heap = createAllocator();
    const s = await start(heap);
    expect((await fetch(`${s.url}/nope`)).status).toBe(404);
    const post = await fetch(`${s.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await raw(`${s.url}/stats.json`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(heap.statsDump())));
    expect((await fetch(`${s.url}/metrics?x=1`)).status).toBe(200);
    heap.check();
  });

  it('close() ends promptly despite a keep-alive connection, frees the port and unregisters', async () => {
    const heap = createAllocator();
    const s = await serveMetrics(heap);
    const agent = new Agent({ keepAlive: true });
    expect((await raw(`${s.url}/metrics`, 'GET', agent)).status).toBe(200);
    const t0 = performance.now();
    await s.close();
    expect(performance.now() - t0).toBeLessThan(2000); // without closeAllConnections it waits for the idle socket
    expect(s.registry.getMetricsAsArray()).toHaveLength(0);
    await expect(fetch(`${s.url}/metrics`)).rejects.toThrow();
    await s.close(); // idempotent
    agent.destroy();
    heap.check();
  });

  it('serves a caller-provided registry with the caller metrics beside the heap ones', async () => {
    const heap = createAllocator();
    const registry = new Registry();
    const players = new Counter({ name: 'game_players_joined_total', help: 'players', registers: [registry] });
    players.inc(3);
    const s = await start(heap, { registry, defaultMetrics: true });
    const x = new Exposition(await (await fetch(`${s.url}/metrics`)).text());
    expect(x.value('game_players_joined_total')).toBe(3);
    expect(x.value('tslab_live_objects')).toBe(0);
    expect(x.families.has('process_cpu_user_seconds_total')).toBe(true);
    heap.check();
  });

  it('rejects a busy port with EADDRINUSE and leaves the registry clean; validates options', async () => {
    const heap = createAllocator();
    const first = await start(heap);
    const registry = new Registry();
    await expect(serveMetrics(heap, { port: first.port, registry })).rejects.toThrow(/EADDRINUSE/);
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    await expect(serveMetrics(heap, { port: 70_000 })).rejects.toThrow(RangeError);
    await expect(serveMetrics(heap, { port: 1.5 })).rejects.toThrow(/options\.port/);
    heap.check();
  });
});
