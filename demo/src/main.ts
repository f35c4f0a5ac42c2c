import './styles.css';
import { mountOverlay } from '@tslab/overlay';
import { Application, Texture, UPDATE_PRIORITY } from 'pixi.js';
import { Controls } from './controls.js';
import { FrameSamples } from './frame-samples.js';
import { settingsFromQuery, writeSettingsToUrl, MODE_LABELS, needsIsolation, type Settings } from './settings.js';
import { ParticleSprites } from './sprites.js';
import { BitecsStore } from './stores/bitecs-store.js';
import { PlainStore } from './stores/plain-store.js';
import type { ParticleStore } from './stores/store.js';
import { TslabRawStore } from './stores/tslab-raw-store.js';
import { TslabStore } from './stores/tslab-store.js';
import { WorkerStore } from './stores/worker-store.js';
import { installTestHook } from './test-hook.js';

/** A soft white dot; tinted per burst through the particle colour. */
function dotTexture(): Texture {
  const size = 16;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('2D canvas unavailable');
  const g = ctx.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size / 2);
  g.addColorStop(0, 'rgba(255,255,255,1)');
  g.addColorStop(0.45, 'rgba(255,255,255,0.85)');
  g.addColorStop(1, 'rgba(255,255,255,0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, size, size);
  return Texture.from(canvas);
}

function element<T extends HTMLElement>(selector: string): T {
  const el = document.querySelector<T>(selector);
  if (el === null) throw new Error(`demo: missing element ${selector}`);
  return el;
}

/** Bursts requested by clicks, applied at the start of the next frame (fixed size: no allocation). */
const MAX_PENDING = 32;
const pendingX = new Float64Array(MAX_PENDING);
const pendingY = new Float64Array(MAX_PENDING);
let pendingCount = 0;

async function start(): Promise<void> {
  const stage = element<HTMLDivElement>('#stage');
  const app = new Application();
  await app.init({ preference: 'webgl', background: '#0b0e14', resizeTo: stage, antialias: false, autoDensity: true, resolution: window.devicePixelRatio || 1 });
  app.canvas.setAttribute('aria-label', 'Particle bursts');
  stage.appendChild(app.canvas);

  const sprites = new ParticleSprites(dotTexture());
  app.stage.addChild(sprites.container);
  const initial = settingsFromQuery(window.location.search);
  sprites.sync = initial.sync;
  sprites.container.visible = initial.render && initial.sync;
  // Drawing off (benchmarks): Pixi does not render at all. An empty stage would still be cleared and
  // composited every frame, work that on a 2-core machine runs beside the simulation under test.
  if (!initial.render) app.ticker.remove(app.render, app);

  const isolated = window.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined';
  let settings: Settings = settingsFromQuery(window.location.search);
  // The worker mode shares its heap with a Web Worker: without isolation there is no
  // SharedArrayBuffer, so it runs the same simulation on the page instead.
  if (needsIsolation(settings.mode) && !isolated) settings.mode = 'tslab-raw';
  writeSettingsToUrl(settings);

  const shared = isolated && settings.heap === 'auto';
  const backing = element<HTMLElement>('#backing');
  backing.textContent = shared
    ? 'tslab heap: SharedArrayBuffer (this page is cross-origin isolated)'
    : isolated
      ? 'tslab heap: ArrayBuffer (chosen by ?heap=arraybuffer; this page is cross-origin isolated)'
      : 'tslab heap: ArrayBuffer (this page is not cross-origin isolated, so SharedArrayBuffer is unavailable)';
  backing.dataset.shared = String(shared);

  function createStore(s: Settings): ParticleStore {
    if (s.mode === 'plain') return new PlainStore(sprites);
    if (s.mode === 'bitecs') return new BitecsStore(sprites);
    if (s.mode === 'tslab-raw') return new TslabRawStore(sprites, { cadence: s.cadence, shared });
    if (s.mode === 'worker') return new WorkerStore(sprites, { cadence: s.cadence });
    return new TslabStore(sprites, { cadence: s.cadence, shared });
  }

  let store = createStore(settings);
  const overlay = mountOverlay(element<HTMLDivElement>('#overlay'), {
    heap: store.heap,
    frames: store.frames,
    title: 'tslab overlay',
  });

  const controls = new Controls(settings, {
    onChange(next, rebuild) {
      settings = next;
      writeSettingsToUrl(settings);
      if (rebuild) {
        store.destroy();
        overlay.setHeap(null);
        store = createStore(settings);
        overlay.setHeap(store.heap, store.frames);
        samples.reset();
      }
    },
    onBurst() {
      queueBurst(app.screen.width * (0.3 + Math.random() * 0.4), app.screen.height * (0.25 + Math.random() * 0.3));
    },
  });
  if (!isolated) controls.disableMode('worker', 'needs a cross-origin isolated page (SharedArrayBuffer); this one is not');
  element<HTMLElement>('#controls').appendChild(controls.dom);

  function queueBurst(x: number, y: number): void {
    if (pendingCount === MAX_PENDING) return;
    pendingX[pendingCount] = x;
    pendingY[pendingCount] = y;
    pendingCount++;
  }
  app.canvas.addEventListener('pointerdown', (e: PointerEvent) => {
    const rect = app.canvas.getBoundingClientRect();
    queueBurst(e.clientX - rect.left, e.clientY - rect.top);
  });

  const samples = new FrameSamples();
  let frame = 0;
  let lastStart = -1;
  let updateMicros = 0;

  // The simulation runs before Pixi renders (Pixi renders at LOW priority) ...
  app.ticker.add(() => {
    overlay.begin();
    const t0 = performance.now();
    const s = settings;
    if (s.every > 0 && frame % s.every === 0) {
      const w = app.screen.width;
      const h = app.screen.height;
      store.spawn(s.burst, w * (0.12 + Math.random() * 0.76), h * (0.18 + Math.random() * 0.42), s.life);
    }
    for (let i = 0; i < pendingCount; i++) store.spawn(s.burst, pendingX[i], pendingY[i], s.life);
    pendingCount = 0;
    store.update();
    store.endFrame();
    const t1 = performance.now();
    updateMicros = (t1 - t0) * 1000;
    samples.record(updateMicros, lastStart < 0 ? 0 : t0 - lastStart, store instanceof WorkerStore ? store.workerMicros : -1);
    lastStart = t0;
    frame++;
  }, undefined, UPDATE_PRIORITY.NORMAL);

  // ... and the overlay reads the frame's figures after rendering, so its MS panel covers both.
  app.ticker.add(() => {
    overlay.update(updateMicros);
    if (frame % 15 === 1) controls.showStatus(store.count, statusNote(store));
  }, undefined, UPDATE_PRIORITY.UTILITY);

  installTestHook({
    particleCount: () => store.count,
    frame: () => frame,
    mode: () => store.mode,
    epochStrip: () => overlay.epochSlots(),
    overlay: () => ({ ...overlay.readings() }),
    spriteCount: () => sprites.count,
    heapBacking: () => (store.heap === null ? 'none' : store.heap.buffer instanceof ArrayBuffer ? 'ArrayBuffer' : 'SharedArrayBuffer'),
    crossOriginIsolated: () => window.crossOriginIsolated === true,
    samples: () => samples.read(),
    resetSamples: () => samples.reset(),
    renderer: () => app.renderer.name,
  });
}

function statusNote(store: ParticleStore): string {
  if (store instanceof WorkerStore) {
    return `${MODE_LABELS[store.mode]}: the worker's last frame took ${(store.workerMicros / 1000).toFixed(1)} ms; this page only copies sprites`;
  }
  if (store.frames !== null) {
    const r = store.frames.report;
    const deferred = r.advanceDeferred > 0 ? `; ring full, advance deferred ${r.advanceDeferred}×: raise N` : '';
    return `${MODE_LABELS[store.mode]}: epoch ${r.epoch}, ${r.pendingEpochs} closed epochs draining${deferred}`;
  }
  if (store.mode === 'plain') return 'plain JS objects: each particle is an object the garbage collector must trace and free';
  return 'bitECS typed arrays: one array per field, sized by the largest entity id';
}

start().catch((error: unknown) => {
  const box = document.querySelector('#fatal');
  if (box !== null) {
    box.textContent = `The demo could not start: ${error instanceof Error ? error.message : String(error)}`;
    (box as HTMLElement).hidden = false;
  }
  throw error;
});
