export { registerHeapMetrics, DEFAULT_FRAME_BUCKETS } from './register.js';
export { serveMetrics } from './server.js';
export type { ServeMetricsOptions, MetricsServer } from './server.js';
export { metricCatalog } from './catalog.js';
export type { MetricInfo, MetricType } from './catalog.js';
export type { StatsSource, FrameSource, FrameReportLike, HeapMetricsOptions, HeapMetrics } from './types.js';
