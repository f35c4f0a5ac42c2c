import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('README examples', () => {
  it('has at least one TypeScript example', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  blocks.forEach((code, i) => {
    it(`example ${i + 1} runs`, () => {
      // Run against this package's source (its dist may not be built when tests run).
      const source = code.replaceAll("from '@tslab/bitecs'", `from '${join(here, '..', 'src', 'index.ts')}'`);
      const file = join(here, `.readme-example-${i + 1}.mts`);
      writeFileSync(file, source);
      try {
        const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: here, encoding: 'utf8', timeout: 60_000 });
        expect(out.length).toBeGreaterThan(0);
      } finally {
        rmSync(file, { force: true });
      }
    });
  });
});
