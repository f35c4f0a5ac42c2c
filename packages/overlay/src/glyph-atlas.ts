/**
 * Numbers drawn from a pre-rendered glyph atlas, so a per-frame redraw allocates nothing.
 *
 * `ctx.fillText(String(n))` creates a string per call. Instead, the glyphs "0-9 . k M -" are
 * rendered once into an offscreen canvas, and a number is drawn digit by digit with `drawImage`,
 * using only integer arithmetic on the value.
 */

const GLYPHS = '0123456789.kM-';
const GLYPH_DOT = 10;
const GLYPH_K = 11;
const GLYPH_M = 12;
const GLYPH_MINUS = 13;

/** Up to this many glyphs per drawn number ("999k", "1.2M", "-1"). */
const MAX_GLYPHS = 8;

export class GlyphAtlas {
  readonly glyphWidth: number;
  readonly glyphHeight: number;
  private readonly canvas: HTMLCanvasElement;
  /** Scratch for the glyph indices of one number, filled right to left; reused by every call. */
  private readonly scratch = new Uint8Array(MAX_GLYPHS);
  private readonly pixelRatio: number;

  constructor(color: string, cssPixelHeight: number, pixelRatio: number) {
    this.pixelRatio = pixelRatio;
    const fontPx = Math.round(cssPixelHeight * pixelRatio);
    this.canvas = document.createElement('canvas');
    const probe = this.canvas.getContext('2d');
    if (probe === null) throw new Error('GlyphAtlas: 2D canvas context unavailable');
    const font = `bold ${fontPx}px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace`;
    probe.font = font;
    this.glyphWidth = Math.ceil(probe.measureText('0').width);
    this.glyphHeight = Math.ceil(fontPx * 1.2);
    this.canvas.width = this.glyphWidth * GLYPHS.length;
    this.canvas.height = this.glyphHeight;
    // Resizing a canvas resets its context state, so set the font again.
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) throw new Error('GlyphAtlas: 2D canvas context unavailable');
    ctx.font = font;
    ctx.textBaseline = 'top';
    ctx.fillStyle = color;
    for (let i = 0; i < GLYPHS.length; i++) {
      ctx.fillText(GLYPHS[i], i * this.glyphWidth, Math.round(fontPx * 0.1));
    }
  }

  /**
   * Draws a non-negative count in at most 4 glyphs (0..999, 1.0k..9.9k, 10k..999k, 1.0M..99M, then
   * "99M") centred on `centerX` (device pixels). Returns nothing and allocates nothing.
   */
  drawCompact(ctx: CanvasRenderingContext2D, value: number, centerX: number, top: number): void {
    const s = this.scratch;
    let n = 0; // glyphs written into scratch, right to left
    let v = value < 0 || value !== value ? 0 : Math.floor(value);
    if (v < 1000) {
      n = this.pushInteger(v, 0);
    } else if (v < 10_000) {
      // d.dk
      const tenths = Math.floor(v / 100);
      s[0] = GLYPH_K;
      s[1] = tenths % 10;
      s[2] = GLYPH_DOT;
      n = this.pushInteger(Math.floor(tenths / 10), 3);
    } else if (v < 1_000_000) {
      s[0] = GLYPH_K;
      n = this.pushInteger(Math.floor(v / 1000), 1);
    } else if (v < 10_000_000) {
      const tenths = Math.floor(v / 100_000);
      s[0] = GLYPH_M;
      s[1] = tenths % 10;
      s[2] = GLYPH_DOT;
      n = this.pushInteger(Math.floor(tenths / 10), 3);
    } else {
      v = Math.min(99, Math.floor(v / 1_000_000));
      s[0] = GLYPH_M;
      n = this.pushInteger(v, 1);
    }
    const width = n * this.glyphWidth;
    let x = Math.round(centerX - width / 2);
    for (let i = n - 1; i >= 0; i--) {
      this.blit(ctx, s[i], x, top);
      x += this.glyphWidth;
    }
  }

  /** Draws an integer (negative allowed) left-aligned at `left`; returns the x after the last glyph. */
  drawInteger(ctx: CanvasRenderingContext2D, value: number, left: number, top: number): number {
    let v = value !== value ? 0 : Math.trunc(value);
    let x = left;
    if (v < 0) {
      this.blit(ctx, GLYPH_MINUS, x, top);
      x += this.glyphWidth;
      v = -v;
    }
    const n = this.pushInteger(Math.min(v, 9_999_999), 0);
    for (let i = n - 1; i >= 0; i--) {
      this.blit(ctx, this.scratch[i], x, top);
      x += this.glyphWidth;
    }
    return x;
  }

  /** Device pixels per CSS pixel the atlas was rendered for. */
  get ratio(): number {
    return this.pixelRatio;
  }

  /** Writes the decimal digits of a non-negative integer into scratch from `start`, least significant first. */
  private pushInteger(value: number, start: number): number {
    const s = this.scratch;
    let n = start;
    let v = value;
    do {
      s[n++] = v % 10;
      v = Math.floor(v / 10);
    } while (v > 0 && n < MAX_GLYPHS);
    return n;
  }

  private blit(ctx: CanvasRenderingContext2D, glyph: number, x: number, y: number): void {
    const w = this.glyphWidth;
    ctx.drawImage(this.canvas, glyph * w, 0, w, this.glyphHeight, x, y, w, this.glyphHeight);
  }
}
