import { describe, expect, it } from 'vitest';
import { createAllocator, STATS_SCHEMA_VERSION } from '@tslab/core';
import { CliError, colorsFor, statsUrl, validateDump, violates } from '@tslab/cli';
import type { Finding } from '@tslab/core';

describe('validateDump', () => {
  const dump = createAllocator().statsDump();

  it('accepts a real dump and returns it', () => {
    expect(validateDump(JSON.parse(JSON.stringify(dump)), 'x')).toEqual(dump);
  });

  it('rejects other JSON, naming the source and what is wrong', () => {
    expect(() => validateDump({ hello: 1 }, 'a.json')).toThrow(/a\.json is not a tslab stats dump \(kind is missing/);
    expect(() => validateDump([1], 'a.json')).toThrow(/got an array/);
    expect(() => validateDump({ ...dump, kind: 'other' }, 'a.json')).toThrow(/kind is "other"/);
    expect(() => validateDump({ ...dump, schemaVersion: '1' }, 'a.json')).toThrow(/invalid schemaVersion "1"/);
    expect(() => validateDump({ ...dump, classes: null }, 'a.json')).toThrow(/"classes" is missing/);
    expect(() => validateDump({ ...dump, global: undefined }, 'a.json')).toThrow(/"global" is missing/);
  });

  it('rejects a newer schemaVersion with an upgrade hint', () => {
    const newer = { ...dump, schemaVersion: STATS_SCHEMA_VERSION + 1 };
    expect(() => validateDump(newer, 'u')).toThrow(CliError);
    expect(() => validateDump(newer, 'u')).toThrow(`u has schemaVersion ${STATS_SCHEMA_VERSION + 1}, newer than this tslab understands (${STATS_SCHEMA_VERSION}): upgrade @tslab/cli`);
  });
});

describe('helpers', () => {
  it('statsUrl appends /stats.json to a base URL only', () => {
    expect(statsUrl('http://127.0.0.1:9464')).toBe('http://127.0.0.1:9464/stats.json');
    expect(statsUrl('http://127.0.0.1:9464/')).toBe('http://127.0.0.1:9464/stats.json');
    expect(statsUrl('http://h:1/custom/dump.json')).toBe('http://h:1/custom/dump.json');
    expect(() => statsUrl('http://')).toThrow(/invalid URL/);
  });

  it('colorsFor respects --no-color, NO_COLOR, FORCE_COLOR and TTY', () => {
    const red = (c: ReturnType<typeof colorsFor>): string => c.red('x');
    expect(red(colorsFor({ isTTY: true, env: {} }))).toContain('\u001b[31m');
    expect(red(colorsFor({ isTTY: false, env: {} }))).toBe('x');
    expect(red(colorsFor({ isTTY: false, env: { CI: 'true' } }))).toBe('x');
    expect(red(colorsFor({ isTTY: true, env: { NO_COLOR: '1' } }))).toBe('x');
    expect(red(colorsFor({ isTTY: true, env: { TERM: 'dumb' } }))).toBe('x');
    expect(red(colorsFor({ isTTY: false, env: { FORCE_COLOR: '1' } }))).toContain('\u001b[31m');
    expect(red(colorsFor({ isTTY: true, env: {}, flag: false }))).toBe('x');
    expect(red(colorsFor({ isTTY: false, env: { NO_COLOR: '1' }, flag: true }))).toContain('\u001b[31m');
  });

  it('violates() compares severities against --fail-on', () => {
    const f = (severity: Finding['severity']): Finding => ({ id: 'x', severity, metric: 'm', value: 1, threshold: 0, message: '', action: '' });
    expect(violates([], 'warn')).toBe(false);
    expect(violates([f('info')], 'warn')).toBe(false);
    expect(violates([f('info'), f('warn')], 'warn')).toBe(true);
    expect(violates([f('warn')], 'error')).toBe(false);
    expect(violates([f('error')], 'error')).toBe(true);
    expect(violates([f('error')], 'none')).toBe(false);
    expect(violates([f('info')], 'info')).toBe(true);
  });
});
