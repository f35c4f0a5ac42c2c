import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricCatalog } from '@tslab/prometheus';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every exported metric family in its metric table, with its type', () => {
    for (const m of metricCatalog()) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${m.name}\` |`));
      expect(row, m.name).toBeDefined();
      expect(row!.split('|')[2].trim(), m.name).toBe(m.type);
    }
  });
});
