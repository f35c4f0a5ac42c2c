import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import { EpochStrip, STATE_COLORS, STRIP_LEGEND } from './epoch-strip.js';
import { OverlayPanels } from './panels.js';
import { ReadoutText } from './readout.js';
import { RingReader, SLOT_STATE_NAMES } from './ring-reader.js';
import type { EpochSlotView, Overlay, OverlayOptions, OverlayReadings } from './types.js';

const ROOT_STYLE =
  'display:inline-flex;flex-direction:column;gap:6px;padding:8px;border-radius:8px;' +
  'background:rgba(11,14,20,0.88);color:#e8ecf4;font:12px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;' +
  'box-shadow:0 2px 12px rgba(0,0,0,0.45);max-width:100%;box-sizing:border-box';

function frameOption(options: OverlayOptions, name: 'dumpEvery' | 'memoryEvery' | 'textEvery', fallback: number): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`mountOverlay: options.${name} must be an integer 1..600, got ${typeof value}`);
  }
  if (!Number.isInteger(value) || value < 1 || value > 600) {
    throw new RangeError(`mountOverlay: options.${name} must be an integer 1..600, got ${value}`);
  }
  return value;
}

/** Entries of mountOverlay's frame clock. */
const LAST_UPDATE = 0;
const WINDOW_START = 1;
const WINDOW_WORST = 2;

/**
 * Mounts the overlay into `parent`: stats.js panels, an epoch-ring strip and a text readout.
 * It reads the heap and the frame adapter; it never steers them.
 */
export function mountOverlay(parent: HTMLElement, options: OverlayOptions): Overlay {
  if (typeof HTMLElement === 'undefined' || !(parent instanceof HTMLElement)) {
    throw new TypeError(`mountOverlay: parent must be an HTMLElement, got ${parent === null ? 'null' : typeof parent}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`mountOverlay: options must be an object with a heap (SlabAllocator or null)`);
  }
  const dumpEvery = frameOption(options, 'dumpEvery', 60);
  const memoryEvery = frameOption(options, 'memoryEvery', 30);
  const textEvery = frameOption(options, 'textEvery', 10);
  const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));

  const root = document.createElement('div');
  root.className = 'tslab-overlay';
  root.style.cssText = ROOT_STYLE;
  const title = document.createElement('div');
  title.textContent = options.title ?? 'tslab';
  title.style.cssText = 'font-weight:600;letter-spacing:0.02em';
  const panels = new OverlayPanels();
  const stripBox = document.createElement('div');
  const stripCaption = document.createElement('div');
  stripCaption.style.cssText = 'display:flex;gap:10px;align-items:center;color:#aab3c5;font-size:11px';
  const caption = document.createElement('span');
  caption.textContent = 'epoch ring: live objects per slot';
  stripCaption.appendChild(caption);
  for (const [code, label] of STRIP_LEGEND) {
    const item = document.createElement('span');
    item.innerHTML = `<i style="display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:3px;background:${STATE_COLORS[code]}"></i>${label}`;
    stripCaption.appendChild(item);
  }
  const noHeap = document.createElement('div');
  noHeap.style.cssText = 'color:#aab3c5;font-style:italic;padding:4px 0';
  noHeap.textContent = 'no tslab heap in this mode';
  const readout = new ReadoutText();
  stripBox.append(stripCaption, noHeap);
  root.append(title, panels.dom, stripBox, readout.dom);
  parent.appendChild(root);

  const readings: OverlayReadings = {
    updates: 0,
    frame: -1,
    epoch: -1,
    updateMicros: 0,
    frameIntervalMs: 0,
    worstFrameMs: 0,
    liveBytes: 0,
    committedBytes: 0,
    jsHeapBytes: -1,
  };
  let heap: SlabAllocator | null = null;
  let frames: FrameEpochs | null = null;
  let reader: RingReader | null = null;
  let strip: EpochStrip | null = null;
  let destroyed = false;
  /*
   * The frame clock: performance.now() at the previous update() (-1 before the first), the start of
   * the worst-frame window and its worst interval. In a typed array, not in `let`s: a double stored
   * in a closure variable is boxed on every store (Node 20: about 12 bytes of garbage per update).
   */
  const clock = new Float64Array([-1, -1, 0]);

  function setHeap(next: SlabAllocator | null, nextFrames?: FrameEpochs | null): void {
    if (destroyed) throw new Error('mountOverlay: setHeap called after destroy()');
    heap = next;
    frames = nextFrames ?? null;
    if (strip !== null) strip.canvas.remove();
    strip = null;
    reader = null;
    if (heap !== null) {
      reader = new RingReader(heap, dumpEvery);
      strip = new EpochStrip(reader.slots, ratio);
      stripBox.insertBefore(strip.canvas, noHeap);
    }
    noHeap.style.display = heap === null ? 'block' : 'none';
    readings.liveBytes = 0;
    readings.committedBytes = 0;
    readings.epoch = -1;
  }

  function update(updateMicros: number): void {
    if (destroyed) return;
    const n = ++readings.updates;
    readings.updateMicros = updateMicros;
    const now = performance.now();
    const interval = clock[LAST_UPDATE] < 0 ? 0 : now - clock[LAST_UPDATE];
    clock[LAST_UPDATE] = now;
    readings.frameIntervalMs = interval;
    if (clock[WINDOW_START] < 0) clock[WINDOW_START] = now;
    if (interval > clock[WINDOW_WORST]) clock[WINDOW_WORST] = interval;
    if (now - clock[WINDOW_START] >= 1000) {
      readings.worstFrameMs = clock[WINDOW_WORST];
      clock[WINDOW_WORST] = 0;
      clock[WINDOW_START] = now;
    }
    readings.frame = frames === null ? -1 : frames.frame;
    if (reader !== null && strip !== null) {
      reader.refresh();
      strip.draw(reader.state, reader.live, reader.currentSlot);
      readings.epoch = reader.currentEpoch;
      readings.liveBytes = reader.liveBytes;
      readings.committedBytes = reader.committedBytes;
    }
    panels.update(updateMicros, interval, readings.liveBytes, readings.committedBytes);
    if (n % memoryEvery === 1 || memoryEvery === 1) readings.jsHeapBytes = panels.updateJsHeap();
    if (n % textEvery === 1 || textEvery === 1) readout.show(readings, heap !== null);
  }

  function epochSlots(): EpochSlotView[] {
    const out: EpochSlotView[] = [];
    if (reader === null) return out;
    for (let r = 0; r < reader.slots; r++) {
      out.push({
        slot: r,
        epoch: reader.epoch[r],
        state: SLOT_STATE_NAMES[reader.state[r]],
        liveObjects: reader.live[r],
        current: r === reader.currentSlot,
      });
    }
    return out;
  }

  setHeap(options.heap, options.frames);
  return {
    dom: root,
    begin: () => panels.begin(),
    update,
    setHeap,
    readings: () => readings,
    epochSlots,
    destroy(): void {
      if (destroyed) return;
      destroyed = true;
      root.remove();
      heap = null;
      frames = null;
      reader = null;
      strip = null;
    },
  };
}
