export { createFrameEpochs, AUTO_SCRATCH_FREE_FIRST, type FrameEpochs } from './frame-epochs.js';
export type { FrameReport } from './frame-report.js';
export type { FrameEpochsOptions, ScratchMode } from './options.js';
export { FrameTimer, type FrameTimerStats, type FrameTimerOptions } from './frame-timer.js';
export { driveWithAnimationFrame, driveWithPixiTicker, type TickerLike } from './drivers.js';
