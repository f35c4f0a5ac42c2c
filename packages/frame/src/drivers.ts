import type { FrameEpochs } from './frame-epochs.js';

/**
 * Drives a game loop from requestAnimationFrame: each animation frame calls `update(time)` and then
 * `frames.tick()`. One callback is created here, not one per frame. Returns a function that stops
 * the loop (cancels the pending frame). Needs requestAnimationFrame (a browser, or a stub in tests).
 */
export function driveWithAnimationFrame(frames: FrameEpochs, update: (time: number) => void): () => void {
  if (typeof update !== 'function') throw new TypeError(`driveWithAnimationFrame: update must be a function, got ${typeof update}`);
  const raf = globalThis.requestAnimationFrame;
  const cancel = globalThis.cancelAnimationFrame;
  if (typeof raf !== 'function' || typeof cancel !== 'function') {
    throw new TypeError('driveWithAnimationFrame: requestAnimationFrame is not available in this environment');
  }
  let running = true;
  let pending = 0;
  const onFrame = (time: number): void => {
    if (!running) return;
    pending = raf(onFrame);
    update(time);
    frames.tick();
  };
  pending = raf(onFrame);
  return () => {
    if (!running) return;
    running = false;
    cancel(pending);
  };
}

/**
 * The part of a Pixi `Ticker` the helper uses, so this package does not depend on pixi.js.
 * `T` is what the ticker passes to its listeners (Pixi 8 passes the Ticker itself).
 */
export interface TickerLike<T = unknown> {
  add(fn: (ticker: T) => unknown, context?: unknown): unknown;
  remove(fn: (ticker: T) => unknown, context?: unknown): unknown;
}

/**
 * Drives a game loop from a Pixi `Ticker` (e.g. `app.ticker`): each tick calls `update(ticker)` and
 * then `frames.tick()`. Add it before rendering listeners (Pixi renders at low priority), so the
 * frame's data is complete when drawn. Returns a function that removes the listener.
 */
export function driveWithPixiTicker<T>(ticker: TickerLike<T>, frames: FrameEpochs, update: (ticker: T) => void): () => void {
  if (typeof update !== 'function') throw new TypeError(`driveWithPixiTicker: update must be a function, got ${typeof update}`);
  if (typeof ticker !== 'object' || ticker === null || typeof ticker.add !== 'function' || typeof ticker.remove !== 'function') {
    throw new TypeError('driveWithPixiTicker: ticker must have add(fn, context) and remove(fn, context) (a Pixi Ticker)');
  }
  let attached = true;
  const onTick = (arg: T): void => {
    update(arg);
    frames.tick();
  };
  ticker.add(onTick);
  return () => {
    if (!attached) return;
    attached = false;
    ticker.remove(onTick);
  };
}
