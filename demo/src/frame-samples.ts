/**
 * Per-frame timings kept in preallocated rings (update time in µs, time since the previous frame in
 * ms, and in the worker mode the worker's time for the frame the page last showed, in µs), so
 * recording them allocates nothing; tools and the browser benchmark read them through the test hook.
 */
export class FrameSamples {
  readonly capacity: number;
  private readonly update: Float64Array;
  private readonly interval: Float64Array;
  private readonly worker: Float64Array;
  /** Samples written since the last reset. */
  private written = 0;

  constructor(capacity = 8192) {
    this.capacity = capacity;
    this.update = new Float64Array(capacity);
    this.interval = new Float64Array(capacity);
    this.worker = new Float64Array(capacity);
  }

  /** `workerMicros`: the worker's frame time in the worker mode, -1 in the others. */
  record(updateMicros: number, frameIntervalMs: number, workerMicros: number): void {
    const i = this.written % this.capacity;
    this.update[i] = updateMicros;
    this.interval[i] = frameIntervalMs;
    this.worker[i] = workerMicros;
    this.written++;
  }

  reset(): void {
    this.written = 0;
  }

  get count(): number {
    return Math.min(this.written, this.capacity);
  }

  /** The samples since the last reset (up to capacity), oldest first, as plain arrays (allocates). */
  read(): { updateMicros: number[]; frameMs: number[]; workerMicros: number[] } {
    const n = this.count;
    const start = this.written - n;
    const updateMicros: number[] = [];
    const frameMs: number[] = [];
    const workerMicros: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = (start + k) % this.capacity;
      updateMicros.push(this.update[i]);
      frameMs.push(this.interval[i]);
      workerMicros.push(this.worker[i]);
    }
    return { updateMicros, frameMs, workerMicros };
  }
}
