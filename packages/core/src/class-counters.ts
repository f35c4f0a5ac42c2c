/** Per-class counters (the seed's SlabClassStats), one Float64Array entry per class. */
export class ClassCounters {
  readonly allocs: Float64Array;
  readonly slowPathHits: Float64Array;
  readonly slowPathCacheMiss: Float64Array;
  readonly slowPathEpochClosed: Float64Array;
  readonly emptySlabRecycled: Float64Array;
  readonly emptySlabOverflowed: Float64Array;
  readonly reclaimedBytes: Float64Array;
  /** Active (epoch-owned) slabs per class. */
  readonly activeSlabs: Int32Array;
  constructor(classes: number) {
    this.allocs = new Float64Array(classes);
    this.slowPathHits = new Float64Array(classes);
    this.slowPathCacheMiss = new Float64Array(classes);
    this.slowPathEpochClosed = new Float64Array(classes);
    this.emptySlabRecycled = new Float64Array(classes);
    this.emptySlabOverflowed = new Float64Array(classes);
    this.reclaimedBytes = new Float64Array(classes);
    this.activeSlabs = new Int32Array(classes);
  }
}
