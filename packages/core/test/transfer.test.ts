import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Node flags that give this Node ArrayBuffer.prototype.transfer (none when it has it natively). */
function transferFlags(): string[] {
  const native = execFileSync(process.execPath, ['-e', "process.stdout.write(typeof ArrayBuffer.prototype.transfer)"], { encoding: 'utf8' });
  return native === 'function' ? [] : ['--harmony-rab-gsab-transfer'];
}

describe("'transfer' backing (ArrayBuffer.prototype.transfer), and 'copy' where transfer exists", () => {
  it("'transfer' grows and shrinks by transfer (old buffer and metadata detached at once), losing no data and keeping stale handles stale; 'copy' never detaches", () => {
    const out = execFileSync(process.execPath, [...transferFlags(), '--import', 'tsx', join(here, 'fixtures', 'transfer-child.ts')], {
      cwd: here,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number | boolean> & {
      copy: { grownBufferDetached: boolean; firstMetadataDetached: boolean; shrank: boolean };
    };
    expect(r.hasTransfer).toBe(true);
    expect(r.peakBytes).toBeGreaterThan(7 * 2 ** 20);
    expect(r.shrunkTo).toBeLessThan((r.peakBytes as number) / 4);
    // Detached at the shrink: the engine took the old memory back, it was not left for the GC.
    expect(r.oldBufferDetached).toBe(true);
    expect(r.oldGensDetached).toBe(true);
    expect(r.canariesBroken).toBe(0);
    expect(r.staleAccepted).toBe(0);
    expect(r.newBroken).toBe(0);
    expect(r.backing).toBe('transfer');
    // 'copy' must never detach: the first detached ArrayBuffer in a process puts a detached check
    // on every typed-array access V8 compiles from then on (bench/run.ts).
    expect(r.copy.shrank).toBe(true);
    expect(r.copy.grownBufferDetached).toBe(false);
    expect(r.copy.firstMetadataDetached).toBe(false);
  });
});
