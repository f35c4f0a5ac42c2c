import { Writable } from 'node:stream';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAllocator } from '@tslab/core';
import { main, renderSnapshot, colorsFor } from '@tslab/cli';
import type { CliIo } from '@tslab/cli';

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIo = { stdout, stderr, env: {} };
  const code = await main(args, io, '9.9.9');
  return { code, out: stdout.text, err: stderr.text };
}

const dir = mkdtempSync(join(tmpdir(), 'tslab-cli-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main (in process)', () => {
  it('prints help and version', async () => {
    expect((await run(['--help'])).out).toContain('Usage: tslab <command>');
    expect(await run(['-v'])).toEqual({ code: 0, out: '9.9.9\n', err: '' });
  });

  it('turns usage mistakes into exit 2 with one line on stderr', async () => {
    for (const args of [[], ['frobnicate'], ['dump'], ['diff', 'a'], ['watch', 'x', '--interval', '10'], ['doctor', 'x', '--fail-on', 'maybe'], ['dump', 'x', '--bogus']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.split('\n').filter(Boolean), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(/^tslab: /);
    }
  });

  it('reads saved dumps: dump, doctor and watch --once', async () => {
    const heap = createAllocator();
    for (let i = 0; i < 3; i++) heap.alloc(64);
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(heap.statsDump()));
    const dump = await run(['dump', file]);
    expect(dump.code).toBe(0);
    expect(JSON.parse(dump.out)).toEqual(heap.statsDump());
    const doctor = await run(['doctor', file]);
    expect(doctor).toMatchObject({ code: 0, err: '' });
    expect(doctor.out).toContain('0 findings');
    const once = await run(['watch', file, '--once']);
    expect(once.code).toBe(0);
    expect(once.out).toContain('live 192 B in 3 objects');
    heap.check();
  });
});

describe('renderSnapshot', () => {
  it('computes per-second rates between two samples', () => {
    const heap = createAllocator();
    const first = { dump: heap.statsDump(), atMs: 1000 };
    for (let i = 0; i < 500; i++) heap.alloc(64);
    const second = { dump: heap.statsDump(), atMs: 1500 }; // 500 allocs in 0.5 s
    const text = renderSnapshot(second, first, { source: 's', intervalMs: 500, frame: 2, colors: colorsFor({ env: {}, flag: false }), clock: new Date(0) });
    expect(text).toContain('allocs 1,000/s');
    expect(text).toContain('frees 0/s');
    expect(text).toMatch(/│\s+0 │\s+64 │\s+500 │/);
    expect(text).toContain('#2  00:00:00');
    const noRates = renderSnapshot(second, null, { source: 's', intervalMs: 500, frame: 1, colors: colorsFor({ env: {}, flag: false }) });
    expect(noRates).toContain('allocs -');
    heap.check();
  });
});
