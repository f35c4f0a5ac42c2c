/**
 * Demo settings, their ranges, and their round trip through the URL (`?mode=plain&burst=5000`), so a
 * configuration can be shared or opened directly by a browser test.
 */

/**
 * 'tslab': bitECS entities whose component records live in slabs (@tslab/bitecs);
 * 'tslab-raw': slab records without an ECS; 'plain': one JS object per particle;
 * 'bitecs': bitECS entities with its native typed-array component storage;
 * 'worker': the 'tslab-raw' simulation in a Web Worker over a shared heap (cross-origin isolated
 * pages only), the page keeping only the sprites.
 */
export type StorageMode = 'tslab' | 'tslab-raw' | 'plain' | 'bitecs' | 'worker';
export const STORAGE_MODES: readonly StorageMode[] = ['tslab', 'tslab-raw', 'plain', 'bitecs', 'worker'];
export const MODE_LABELS: Record<StorageMode, string> = {
  tslab: 'tslab + bitECS',
  'tslab-raw': 'tslab records',
  plain: 'plain JS objects',
  bitecs: 'bitECS typed arrays',
  worker: 'tslab in a worker',
};
/** Modes whose particles live in a tslab heap (they show the epoch strip and use the cadence). */
export function usesTslab(mode: StorageMode): boolean {
  return mode === 'tslab' || mode === 'tslab-raw' || mode === 'worker';
}

/** Modes that need SharedArrayBuffer, so a cross-origin isolated page. */
export function needsIsolation(mode: StorageMode): boolean {
  return mode === 'worker';
}

export interface Settings {
  mode: StorageMode;
  /** Particles per burst. */
  burst: number;
  /** Particle lifetime in frames. */
  life: number;
  /** Frames between automatic bursts; 0 turns them off. */
  every: number;
  /** tslab epoch cadence: advance (and close the previous epoch) every N frames. */
  cadence: number;
  /**
   * Draw the particles (default). `?render=0` keeps every sprite up to date but skips drawing them,
   * for measuring the simulation where the GPU is a software rasterizer (headless benchmarks).
   */
  render: boolean;
  /**
   * tslab heap backing: 'auto' (default) uses a SharedArrayBuffer when the page is cross-origin
   * isolated and an ArrayBuffer otherwise; `?heap=arraybuffer` forces the ArrayBuffer (to compare).
   */
  heap: HeapBacking;
  /**
   * Copy each particle's position and colour into its Pixi sprite (default). `?sync=0` (benchmarks
   * only, implies nothing is drawn) skips that copy, to measure the storage alone: the sprites are
   * 300k JS objects in every mode, and writing them is a cost all modes share.
   */
  sync: boolean;
}

export type HeapBacking = 'auto' | 'arraybuffer';

interface Range {
  min: number;
  max: number;
  fallback: number;
}

export type NumericSetting = 'burst' | 'life' | 'every' | 'cadence';

export const RANGES: Record<NumericSetting, Range> = {
  burst: { min: 100, max: 20_000, fallback: 2_000 },
  life: { min: 10, max: 600, fallback: 90 },
  every: { min: 0, max: 240, fallback: 12 },
  cadence: { min: 1, max: 60, fallback: 8 },
};

/** Live particles are capped so a long click session cannot exhaust memory. */
export const MAX_PARTICLES = 1_000_000;

export function clampSetting(key: keyof typeof RANGES, value: number): number {
  const r = RANGES[key];
  if (!Number.isFinite(value)) return r.fallback;
  return Math.min(r.max, Math.max(r.min, Math.round(value)));
}

function isMode(value: string | null): value is StorageMode {
  return value !== null && (STORAGE_MODES as readonly string[]).includes(value);
}

/** Reads settings from a query string; out-of-range numbers are clamped, unknown values ignored. */
export function settingsFromQuery(search: string): Settings {
  const q = new URLSearchParams(search);
  const mode = q.get('mode');
  const num = (key: keyof typeof RANGES): number => {
    const raw = q.get(key);
    return raw === null || raw.trim() === '' ? RANGES[key].fallback : clampSetting(key, Number(raw));
  };
  return {
    mode: isMode(mode) ? mode : 'tslab',
    burst: num('burst'),
    life: num('life'),
    every: num('every'),
    cadence: num('cadence'),
    render: q.get('render') !== '0',
    heap: q.get('heap') === 'arraybuffer' ? 'arraybuffer' : 'auto',
    sync: q.get('sync') !== '0',
  };
}

/** Writes the settings that differ from the defaults back into the URL (no reload, no history entry). */
export function writeSettingsToUrl(s: Settings): void {
  const q = new URLSearchParams(window.location.search);
  q.set('mode', s.mode);
  if (s.render) q.delete('render');
  else q.set('render', '0');
  if (s.sync) q.delete('sync');
  else q.set('sync', '0');
  if (s.heap === 'auto') q.delete('heap');
  else q.set('heap', s.heap);
  for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
    if (s[key] === RANGES[key].fallback) q.delete(key);
    else q.set(key, String(s[key]));
  }
  const url = `${window.location.pathname}?${q.toString()}${window.location.hash}`;
  window.history.replaceState(null, '', url);
}
