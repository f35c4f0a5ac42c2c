import { defineConfig } from 'vite';

/**
 * COOP + COEP make the page cross-origin isolated, which is what exposes SharedArrayBuffer (the
 * tslab heap then runs in shared mode). Both the dev server and `vite preview` send them.
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  // The worker mode's module worker (stores/worker-store.ts) imports @tslab/core like the page.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // pixi.js is most of the bundle; a single-page demo does not need it split.
    chunkSizeWarningLimit: 2048,
  },
});
