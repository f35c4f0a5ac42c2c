/**
 * @tslab/bitecs — bitECS 0.4 component storage whose per-entity records live in @tslab/core slabs.
 * See README.md for the fast-access pattern systems use and when views must be re-read.
 */
export { slabComponent, SlabComponentStore, type SlabComponent, type RecordData } from './component.js';
export { heapViews, type HeapViews } from './heap-views.js';
export { slabQuery, SlabQuery } from './slab-query.js';
export { layoutRecord, FIELD_BYTES, type RecordLayout, type FieldLayout } from './schema.js';
export type {
  FieldArray,
  FieldType,
  FrameRetirer,
  Handle,
  Ptr,
  EpochId,
  Schema,
  SlabComponentOptions,
  SlabComponentStats,
  SlabHeap,
} from './types.js';
