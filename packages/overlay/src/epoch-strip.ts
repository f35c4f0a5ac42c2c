import { GlyphAtlas } from './glyph-atlas.js';
import { SLOT_CLOSED, SLOT_CLOSING, SLOT_FREE, SLOT_OPEN } from './ring-reader.js';

/** Colours per slot state (index = SLOT_* code). Constant strings: assigning them allocates nothing. */
export const STATE_COLORS: readonly string[] = ['#1d2330', '#2ecc71', '#f5a623', '#e5534b'];
const STATE_TEXT_BG: readonly string[] = ['#151a24', '#133d25', '#3d2c0c', '#3b1716'];
const BACKGROUND = '#0b0e14';
const CURRENT_OUTLINE = '#ffffff';
const BAR_COLOR = '#9ab4ff';

/** CSS pixels. */
const CELL_WIDTH = 30;
const CELL_GAP = 2;
const HEIGHT = 40;
const STATE_BAND = 6;
const BAR_HEIGHT = 12;

/**
 * The epoch ring as a row of cells on one canvas: each cell's colour band is the slot's state, its
 * number the slot's live objects, its bar the live objects relative to the busiest slot, and the
 * current epoch's cell is outlined. Cells are redrawn only when their values change; drawing uses
 * constant colours and a glyph atlas, so `draw` allocates nothing.
 */
export class EpochStrip {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly glyphs: GlyphAtlas;
  private readonly ratio: number;
  private readonly slots: number;
  /** What each cell shows now, to skip unchanged cells. */
  private readonly shownState: Int16Array;
  private readonly shownLive: Float64Array;
  private readonly shownBar: Int16Array;
  private shownCurrent = -1;

  constructor(slots: number, pixelRatio: number) {
    this.slots = slots;
    this.ratio = pixelRatio;
    this.canvas = document.createElement('canvas');
    const cssWidth = slots * (CELL_WIDTH + CELL_GAP) - CELL_GAP;
    this.canvas.width = Math.round(cssWidth * pixelRatio);
    this.canvas.height = Math.round(HEIGHT * pixelRatio);
    this.canvas.style.cssText = `display:block;width:${cssWidth}px;height:${HEIGHT}px`;
    this.canvas.dataset.tslabStrip = '';
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) throw new Error('EpochStrip: 2D canvas context unavailable');
    this.ctx = ctx;
    this.glyphs = new GlyphAtlas('#e8ecf4', 11, pixelRatio);
    this.shownState = new Int16Array(slots).fill(-1);
    this.shownLive = new Float64Array(slots).fill(-1);
    this.shownBar = new Int16Array(slots).fill(-1);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /** Draws the ring: per-slot state codes and live counts, and the slot of the current epoch. */
  draw(state: Uint8Array, live: Float64Array, currentSlot: number): void {
    let maxLive = 1;
    for (let r = 0; r < this.slots; r++) if (live[r] > maxLive) maxLive = live[r];
    const barMax = Math.round(BAR_HEIGHT * this.ratio);
    const currentChanged = currentSlot !== this.shownCurrent;
    for (let r = 0; r < this.slots; r++) {
      const s = state[r];
      const n = live[r];
      const bar = s === SLOT_FREE || n <= 0 ? 0 : Math.max(1, Math.round((n / maxLive) * barMax));
      const isCurrent = r === currentSlot;
      const wasCurrent = r === this.shownCurrent;
      if (
        s === this.shownState[r] &&
        n === this.shownLive[r] &&
        bar === this.shownBar[r] &&
        !(currentChanged && (isCurrent || wasCurrent))
      ) {
        continue;
      }
      this.drawCell(r, s, n, bar, isCurrent);
      this.shownState[r] = s;
      this.shownLive[r] = n;
      this.shownBar[r] = bar;
    }
    this.shownCurrent = currentSlot;
  }

  /** Forces a full redraw on the next `draw` (after the heap was swapped). */
  reset(): void {
    this.shownState.fill(-1);
    this.shownCurrent = -1;
  }

  private drawCell(r: number, s: number, live: number, bar: number, isCurrent: boolean): void {
    const ctx = this.ctx;
    const p = this.ratio;
    const x = Math.round(r * (CELL_WIDTH + CELL_GAP) * p);
    const w = Math.round(CELL_WIDTH * p);
    const h = this.canvas.height;
    const band = Math.round(STATE_BAND * p);
    ctx.fillStyle = STATE_TEXT_BG[s];
    ctx.fillRect(x, 0, w, h);
    ctx.fillStyle = STATE_COLORS[s];
    ctx.fillRect(x, 0, w, band);
    if (s !== SLOT_FREE) {
      this.glyphs.drawCompact(ctx, live, x + w / 2, band + Math.round(2 * p));
      if (bar > 0) {
        ctx.fillStyle = BAR_COLOR;
        ctx.fillRect(x + Math.round(3 * p), h - bar - Math.round(2 * p), w - Math.round(6 * p), bar);
      }
    }
    if (isCurrent) {
      ctx.strokeStyle = CURRENT_OUTLINE;
      ctx.lineWidth = Math.max(1, Math.round(p));
      ctx.strokeRect(x + ctx.lineWidth / 2, ctx.lineWidth / 2, w - ctx.lineWidth, h - ctx.lineWidth);
    }
  }
}

/** Legend entries in slot-state order, for the overlay's static legend. */
export const STRIP_LEGEND: ReadonlyArray<readonly [code: number, label: string]> = [
  [SLOT_OPEN, 'open'],
  [SLOT_CLOSING, 'closing'],
  [SLOT_CLOSED, 'closed'],
  [SLOT_FREE, 'free'],
];
