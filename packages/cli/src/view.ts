import Table from 'cli-table3';
import { diagnose } from '@tslab/core';
import type { SlabClassStats, StatsDump } from '@tslab/core';
import { countBySeverity, renderFindings } from './findings.js';
import type { Colors } from './format.js';
import { bytes, int, num, percent } from './format.js';

/** One poll: the dump and when it arrived (performance.now() milliseconds). */
export interface Sample {
  dump: StatsDump;
  atMs: number;
}

export interface ViewOptions {
  source: string;
  intervalMs: number;
  /** Redraw counter shown in the header. */
  frame: number;
  colors: Colors;
  /** Shown under the header when the latest poll failed (the view keeps the last good sample). */
  error?: string;
  /** Wall-clock time printed in the header; default now. */
  clock?: Date;
}

function perSecond(now: number, before: number, seconds: number): number {
  return seconds > 0 ? (now - before) / seconds : 0;
}

function rate(now: number, before: number | undefined, seconds: number, asBytes = false): string {
  if (before === undefined || seconds <= 0) return '-';
  const r = perSecond(now, before, seconds);
  return asBytes ? `${bytes(r)}/s` : `${num(r)}/s`;
}

// cli-table3 colours head and border through the 'colors' package (ignoring NO_COLOR); empty lists
// keep it plain, and head cells are coloured with picocolors instead. Compact: no rule between rows.
const PLAIN_STYLE = { head: [] as string[], border: [] as string[], compact: true };

function classTable(cur: StatsDump, prev: StatsDump | undefined, seconds: number, c: Colors): string {
  const t = new Table({
    head: ['class', 'size', 'live', 'slabs', 'allocs/s', 'frees/s', 'slow %', 'live bytes', 'committed'].map((h) => c.bold(h)),
    colAligns: ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    style: PLAIN_STYLE,
  });
  const before = new Map<number, SlabClassStats>((prev?.classes ?? []).map((k) => [k.classIndex, k]));
  for (const k of cur.classes) {
    const p = before.get(k.classIndex);
    const dAllocs = p ? k.totalAllocs - p.totalAllocs : k.totalAllocs;
    const dSlow = p ? k.slowPathHits - p.slowPathHits : k.slowPathHits;
    t.push([
      k.classIndex,
      k.objectSize,
      int(k.liveObjects),
      int(k.slabs),
      rate(k.totalAllocs, p?.totalAllocs, seconds),
      rate(k.totalFrees, p?.totalFrees, seconds),
      percent(dSlow, dAllocs),
      bytes(k.liveObjects * k.objectSize),
      cur.global.diagnostics ? bytes(k.committedBytes) : c.dim('off'),
    ]);
  }
  return t.toString();
}

function epochTable(cur: StatsDump, c: Colors): string {
  if (cur.epochs.length === 0) return c.dim('no epochs in use');
  const t = new Table({
    head: ['slot', 'epoch', 'state', 'age', 'label', 'live', 'slabs', 'bytes'].map((h) => c.bold(h)),
    colAligns: ['right', 'right', 'left', 'right', 'left', 'right', 'right', 'right'],
    style: PLAIN_STYLE,
  });
  const current = cur.global.currentEpoch;
  for (const e of [...cur.epochs].sort((a, b) => a.epoch - b.epoch)) {
    const state = e.state === 'open' ? c.green(e.state) : e.state === 'closing' ? c.yellow(e.state) : c.dim(e.state);
    t.push([e.ringSlot, e.epoch === current ? c.bold(`${e.epoch}*`) : e.epoch, state, e.age, e.label, int(e.liveObjects), int(e.slabs), bytes(e.bytes)]);
  }
  return t.toString();
}

/** The whole watch screen for one sample, as one string (written in a single redraw). */
export function renderSnapshot(cur: Sample, prev: Sample | null, o: ViewOptions): string {
  const c = o.colors;
  const d = cur.dump;
  const g = d.global;
  const p = prev?.dump;
  const seconds = prev ? (cur.atMs - prev.atMs) / 1000 : 0;
  const pg = p?.global;
  const time = (o.clock ?? new Date()).toISOString().slice(11, 19);
  let liveBytes = 0;
  for (const k of d.classes) liveBytes += k.liveObjects * k.objectSize;

  const lines: string[] = [];
  lines.push(`${c.bold('tslab watch')} ${o.source}  ${c.dim(`every ${o.intervalMs} ms  #${o.frame}  ${time}  Ctrl-C quits`)}`);
  if (o.error) lines.push(c.red(`poll failed, showing the last good sample: ${o.error}`));
  lines.push(
    `${c.bold('memory')}  live ${bytes(liveBytes)} in ${int(g.liveObjects)} objects   committed ${bytes(g.committedBytes)}   reserved ${bytes(g.reservedBytes)}   peak ${bytes(g.peakBytes)}   max ${bytes(d.config.maxBytes)}`,
  );
  const dAllocs = pg ? g.totalAllocs - pg.totalAllocs : 0;
  const dSlow = pg ? g.slowPathHits - pg.slowPathHits : 0;
  lines.push(
    `${c.bold('rates')}   allocs ${rate(g.totalAllocs, pg?.totalAllocs, seconds)}   frees ${rate(g.totalFrees, pg?.totalFrees, seconds)}   slow path ${pg ? percent(dSlow, dAllocs) : '-'}   reclaimed ${rate(g.reclaimedBytes, pg?.reclaimedBytes, seconds, true)}   epochs ${rate(g.epochsAdvanced, pg?.epochsAdvanced, seconds)}   refused ${rate(g.slowPathEpochClosed + g.allocFailedMaxBytes, pg ? pg.slowPathEpochClosed + pg.allocFailedMaxBytes : undefined, seconds)}`,
  );
  lines.push(
    `${c.bold('totals')}  allocs ${int(g.totalAllocs)}   frees ${int(g.totalFrees)}   reclaimed ${bytes(g.reclaimedBytes)}   epoch ${g.currentEpoch} (open ${g.openEpochs}, closing ${g.closingEpochs}, closed ${g.closedEpochs} of ${d.config.epochSlots})   ${d.config.backing}, diagnostics ${g.diagnostics ? 'on' : 'off'}`,
  );
  lines.push('', classTable(d, p, seconds, c), '', epochTable(d, c));
  const findings = diagnose(d);
  const n = countBySeverity(findings);
  lines.push('', `${c.bold('doctor')}  ${n.error} error, ${n.warn} warn, ${n.info} info`, renderFindings(findings, c, d));
  return lines.join('\n');
}
