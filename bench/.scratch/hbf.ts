import { measureFrameHeapBytes } from '../lib/frame-heap-bytes.js';
const rows = measureFrameHeapBytes(false);
for (const r of rows) if (r.maxWindowBytes > 0) console.log(r.operation, r.bytesPerCall.toFixed(3), 'max window', r.maxWindowBytes);
