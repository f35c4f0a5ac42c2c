/**
 * In-page helpers for the demo browser tests. Functions passed to `page.evaluate` run in the page;
 * these read the demo through its read-only `window.__tslabDemo` hook.
 */
import type { Page } from 'playwright-core';
import type { DemoTestHook } from '../../demo/src/test-hook.js';

type HookCall<K extends keyof DemoTestHook> = ReturnType<DemoTestHook[K]>;

/** Calls one read-only hook method in the page. */
/**
 * Sprites and particles read in one evaluate: between two separate calls the page may run a frame
 * (a burst or a death changes both), so comparing two hook() results races.
 */
export async function spritesAndParticles(page: Page): Promise<{ sprites: number; particles: number }> {
  return page.evaluate(() => {
    const h = (window as unknown as { __tslabDemo?: DemoTestHook }).__tslabDemo;
    if (h === undefined) throw new Error('window.__tslabDemo is missing');
    return { sprites: h.spriteCount(), particles: h.particleCount() };
  });
}

export async function hook<K extends keyof DemoTestHook>(page: Page, method: K): Promise<HookCall<K>> {
  return page.evaluate((m) => {
    const h = (window as unknown as { __tslabDemo?: Record<string, () => unknown> }).__tslabDemo;
    if (h === undefined) throw new Error('window.__tslabDemo is missing');
    return h[m]();
  }, method as string) as Promise<HookCall<K>>;
}

/** Waits until the demo has simulated `frames` more frames than now. */
export async function waitFrames(page: Page, frames: number, timeoutMs = 60_000): Promise<void> {
  const start = await hook(page, 'frame');
  await page.waitForFunction(
    ([target]) => (window as unknown as { __tslabDemo: { frame(): number } }).__tslabDemo.frame() >= target,
    [start + frames],
    { timeout: timeoutMs, polling: 50 },
  );
}

/**
 * Counts pixels of a PNG (decoded in the page) that differ from `background` by more than
 * `threshold` in any channel.
 */
export async function countForegroundPixels(page: Page, png: Buffer, background: [number, number, number], threshold = 48): Promise<number> {
  return page.evaluate(
    async ([base64, bg, t]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (ctx === null) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - bg[0]) > t || Math.abs(data[i + 1] - bg[1]) > t || Math.abs(data[i + 2] - bg[2]) > t) n++;
      }
      return n;
    },
    [png.toString('base64'), background, threshold] as const,
  );
}
