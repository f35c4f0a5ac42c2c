/**
 * An append-only queue of doubles drained in one pass: the retire queues. Handles can exceed 2^31, so
 * they are stored as doubles (never in Int32Array/Uint32Array). Growth doubles the capacity: that is
 * the only allocation, amortized, and it stops once the queue has reached the largest per-frame count.
 */
export class Float64Queue {
  items: Float64Array;
  length = 0;

  constructor(capacity: number) {
    this.items = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.items.length) this.grow();
    this.items[this.length++] = value;
  }

  get capacity(): number {
    return this.items.length;
  }

  private grow(): void {
    const next = new Float64Array(this.items.length * 2);
    next.set(this.items);
    this.items = next;
  }
}
