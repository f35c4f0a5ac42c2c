import Stats from 'stats.js';

/** Chromium's non-standard `performance.memory`; absent in Firefox and Safari. */
interface MemoryInfo {
  usedJSHeapSize: number;
  jsHeapSizeLimit: number;
}

/** The JS heap reader, or null where the browser has none. */
export function jsHeapReader(): (() => MemoryInfo) | null {
  const perf = performance as Performance & { memory?: MemoryInfo };
  if (perf.memory === undefined || typeof perf.memory.usedJSHeapSize !== 'number') return null;
  return () => (performance as Performance & { memory: MemoryInfo }).memory;
}

const MICROS_PER_FRAME_60HZ = 16_667;
/** The frame-gap graph's full height, ms: six frames at 60 Hz, so a collector pause stands out. */
const GAP_GRAPH_MS = 100;

/**
 * The stats.js panels: FPS and frame ms from stats.js itself, plus custom panels for per-frame update
 * time (µs, because stats.js rounds to integers), the time between frames (ms), live KB, committed KB and JS heap MB. All panels
 * are shown side by side (stats.js shows one at a time and cycles on click; we lay its panels out
 * ourselves). stats.js builds one label string per panel update: that is its only allocation.
 */
export class OverlayPanels {
  readonly dom: HTMLDivElement;
  private readonly stats: Stats;
  private readonly updatePanel: Stats.Panel;
  private readonly gapPanel: Stats.Panel;
  private readonly livePanel: Stats.Panel;
  private readonly committedPanel: Stats.Panel;
  private readonly heapPanel: Stats.Panel;
  private readonly readHeap: (() => MemoryInfo) | null;
  private began = false;
  private maxMicros = MICROS_PER_FRAME_60HZ;
  private maxCommittedKB = 1;

  constructor() {
    this.stats = new Stats();
    this.readHeap = jsHeapReader();
    this.dom = document.createElement('div');
    this.dom.style.cssText = 'display:flex;flex-wrap:wrap;gap:2px';
    // stats.js creates FPS, MS and (in Chromium) its own once-a-second MB panel. Keep FPS and MS, drop
    // its MB panel in favour of ours, which is labelled and shown as unavailable where it cannot work.
    const own = Array.from(this.stats.dom.children) as HTMLElement[];
    for (let i = 0; i < own.length && i < 2; i++) this.adopt(own[i]);
    this.updatePanel = this.addPanel('µs upd', '#ff0', '#220');
    this.gapPanel = this.addPanel('ms gap', '#f84', '#210');
    this.gapPanel.dom.title = 'time between frames: pauses the garbage collector takes between frames show here, not in the update time';
    this.livePanel = this.addPanel('KB live', '#6cf', '#012');
    this.committedPanel = this.addPanel('KB comm', '#c9f', '#102');
    this.heapPanel = this.addPanel(this.readHeap === null ? 'MB JS n/a' : 'MB JS', '#f08', '#201');
    if (this.readHeap === null) this.heapPanel.dom.title = 'performance.memory is not available in this browser';
  }

  /** Starts stats.js's frame timer (optional: without it, FPS/MS measure frame to frame). */
  begin(): void {
    this.stats.begin();
    this.began = true;
  }

  /** Per-frame update: stats.js FPS/MS, update time, frame interval, live and committed bytes. */
  update(updateMicros: number, intervalMs: number, liveBytes: number, committedBytes: number): void {
    if (this.began) {
      this.stats.end();
      this.began = false;
    } else {
      this.stats.update();
    }
    if (updateMicros > this.maxMicros) this.maxMicros = updateMicros;
    this.updatePanel.update(updateMicros, this.maxMicros);
    // A gap past the graph's height fills its column (stats.js would draw past the graph otherwise).
    this.gapPanel.update(intervalMs, Math.max(GAP_GRAPH_MS, intervalMs));
    const committedKB = committedBytes / 1024;
    if (committedKB > this.maxCommittedKB) this.maxCommittedKB = committedKB;
    this.livePanel.update(liveBytes / 1024, Math.max(1, committedKB));
    this.committedPanel.update(committedKB, this.maxCommittedKB);
  }

  /** Reads the JS heap (call every N frames: Chromium builds a MemoryInfo object per read). Returns bytes, or -1. */
  updateJsHeap(): number {
    if (this.readHeap === null) return -1;
    const m = this.readHeap();
    this.heapPanel.update(m.usedJSHeapSize / 1_048_576, m.jsHeapSizeLimit / 1_048_576);
    return m.usedJSHeapSize;
  }

  private addPanel(name: string, fg: string, bg: string): Stats.Panel {
    const panel = new Stats.Panel(name, fg, bg);
    this.adopt(panel.dom);
    return panel;
  }

  private adopt(el: HTMLElement): void {
    el.style.display = 'block';
    this.dom.appendChild(el);
  }
}
