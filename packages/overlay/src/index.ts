export { mountOverlay } from './mount.js';
export type { EpochSlotView, Overlay, OverlayOptions, OverlayReadings } from './types.js';
export { STATE_COLORS } from './epoch-strip.js';
