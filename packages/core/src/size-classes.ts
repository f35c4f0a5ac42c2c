/** Size classes: object sizes and the O(1) size -> class lookup (one table entry per 8 bytes of size). */
export class SizeClasses {
  readonly count: number;
  /** Object size of each class, ascending. */
  readonly sizes: Int32Array;
  /** Largest object size (the largest class). */
  readonly maxSize: number;
  /** classBySize8[(size + 7) >> 3] is the smallest class that fits `size`. */
  readonly classBySize8: Uint8Array;

  constructor(sizes: readonly number[]) {
    this.count = sizes.length;
    this.sizes = Int32Array.from(sizes);
    this.maxSize = sizes[sizes.length - 1];
    this.classBySize8 = new Uint8Array((this.maxSize >> 3) + 1);
    let cls = 0;
    for (let units = 0; units < this.classBySize8.length; units++) {
      while (sizes[cls] < units * 8) cls++;
      this.classBySize8[units] = cls;
    }
  }

  classOf(size: number): number {
    return this.classBySize8[(size + 7) >> 3];
  }
}
