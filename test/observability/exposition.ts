// The exposition parser helper lives with @tslab/prometheus's own tests; the integration tests reuse it.
export * from '../../packages/prometheus/test/exposition.js';
