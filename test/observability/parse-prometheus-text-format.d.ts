// The module's types are declared once, beside @tslab/prometheus's own tests.
/// <reference path="../../packages/prometheus/test/parse-prometheus-text-format.d.ts" />
