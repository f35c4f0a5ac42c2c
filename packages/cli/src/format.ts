import pc from 'picocolors';

export type Colors = ReturnType<typeof pc.createColors>;

export interface ColorContext {
  /** The stream the output goes to (its isTTY decides by default). */
  isTTY?: boolean;
  env: Record<string, string | undefined>;
  /** --color (true) / --no-color (false) from the command line. */
  flag?: boolean;
}

/**
 * Colour only when it can be seen: never with NO_COLOR set (https://no-color.org), always with
 * FORCE_COLOR (except '0'), otherwise only on a TTY that is not TERM=dumb. picocolors' own default
 * also turns colour on whenever CI is set, which would put escape codes into piped output.
 */
export function colorsFor(ctx: ColorContext): Colors {
  let enabled: boolean;
  if (ctx.flag !== undefined) enabled = ctx.flag;
  else if (ctx.env.NO_COLOR !== undefined && ctx.env.NO_COLOR !== '') enabled = false;
  else if (ctx.env.FORCE_COLOR !== undefined && ctx.env.FORCE_COLOR !== '0') enabled = true;
  else enabled = ctx.isTTY === true && ctx.env.TERM !== 'dumb';
  return pc.createColors(enabled);
}

const INT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const ONE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function int(n: number): string {
  return INT.format(n);
}

/** A rate or ratio with one decimal below 100, none above. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Math.abs(n) >= 100 ? INT.format(n) : ONE.format(n);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number): string {
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return `${sign}${u === 0 ? INT.format(v) : v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[u]}`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '-';
  return `${((100 * part) / whole).toFixed(1)}%`;
}

/** A signed delta: '+1,234', '-5', '0'. */
export function signed(n: number, asBytes = false): string {
  const body = asBytes ? bytes(Math.abs(n)) : num(Math.abs(n));
  return n > 0 ? `+${body}` : n < 0 ? `-${body}` : asBytes ? '0 B' : '0';
}

/** Fields whose values are byte counts (formatted as bytes in views and diffs). */
export function isBytesField(field: string): boolean {
  return /bytes$/i.test(field) || field === 'slabBytes' || field === 'maxBytes';
}
