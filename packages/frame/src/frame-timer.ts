/**
 * Times the update part of a frame: `begin()` before it, `end()` after it. Keeps the latest, the mean
 * and the maximum over a sliding window of samples, in microseconds, in one reused object.
 *
 * Each clock read allocates a 16-byte heap number on Node 20 (performance.now()), so the timer can
 * sample: with `sampleEvery: N` only one frame in N is timed and the other begin()/end() calls
 * cost a counter decrement.
 */
export interface FrameTimerStats {
  /** Latest sampled duration, µs. */
  lastUs: number;
  /** Mean of the samples in the window, µs. */
  avgUs: number;
  /** Maximum of the samples in the window, µs. */
  maxUs: number;
  /** Samples taken since creation or reset(). */
  samples: number;
}

export interface FrameTimerOptions {
  /** Time one frame in this many, 1..65,535; default 1 (every frame). */
  sampleEvery?: number;
  /** Samples kept for avg and max, 1..65,535; default 60. */
  window?: number;
}

function checkInteger(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const message = `FrameTimer: options.${name} must be an integer ${min}..${max}, got ${typeof value === 'number' ? value : typeof value}`;
  if (typeof value !== 'number') throw new TypeError(message);
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(message);
  return value;
}

export class FrameTimer {
  /** Reused: read the fields, do not keep the object expecting it to stay unchanged. */
  readonly stats: FrameTimerStats = { lastUs: 0, avgUs: 0, maxUs: 0, samples: 0 };
  private readonly sampleEvery: number;
  private readonly ring: Float64Array;
  private ringNext = 0;
  private ringFilled = 0;
  private sum = 0;
  private countdown = 1;
  private startedAt = -1;

  constructor(options: FrameTimerOptions = {}) {
    this.sampleEvery = checkInteger('sampleEvery', options.sampleEvery, 1, 65_535, 1);
    this.ring = new Float64Array(checkInteger('window', options.window, 1, 65_535, 60));
  }

  begin(): void {
    if (--this.countdown !== 0) return;
    this.countdown = this.sampleEvery;
    this.startedAt = performance.now();
  }

  end(): void {
    if (this.startedAt < 0) return;
    this.record((performance.now() - this.startedAt) * 1000);
    this.startedAt = -1;
  }

  /** Adds one sample measured elsewhere, µs. */
  record(us: number): void {
    const ring = this.ring;
    if (this.ringFilled === ring.length) this.sum -= ring[this.ringNext];
    else this.ringFilled++;
    ring[this.ringNext] = us;
    this.ringNext = this.ringNext + 1 === ring.length ? 0 : this.ringNext + 1;
    this.sum += us;
    let max = 0;
    for (let i = 0; i < this.ringFilled; i++) if (ring[i] > max) max = ring[i];
    const stats = this.stats;
    stats.lastUs = us;
    stats.avgUs = this.sum / this.ringFilled;
    stats.maxUs = max;
    stats.samples++;
  }

  reset(): void {
    this.ring.fill(0);
    this.ringNext = 0;
    this.ringFilled = 0;
    this.sum = 0;
    this.countdown = 1;
    this.startedAt = -1;
    this.stats.lastUs = 0;
    this.stats.avgUs = 0;
    this.stats.maxUs = 0;
    this.stats.samples = 0;
  }
}
