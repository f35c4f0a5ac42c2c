import type { OverlayReadings } from './types.js';

const FIELDS = ['frame', 'epoch', 'update', 'worstFrame', 'live', 'committed', 'jsHeap'] as const;
type Field = (typeof FIELDS)[number];
const LABELS: Record<Field, string> = {
  frame: 'frame',
  epoch: 'epoch',
  update: 'update',
  worstFrame: 'worst frame (1 s)',
  live: 'live',
  committed: 'committed',
  jsHeap: 'JS heap',
};

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/**
 * The exact figures as text (stats.js panels round and scroll). Each field is one text node whose
 * value is replaced in place; formatting builds strings, so the overlay refreshes it every
 * `textEvery` frames rather than every frame.
 */
export class ReadoutText {
  readonly dom: HTMLDivElement;
  private readonly nodes = new Map<Field, Text>();

  constructor() {
    this.dom = document.createElement('div');
    this.dom.dataset.tslabReadout = '';
    this.dom.style.cssText =
      'display:grid;grid-template-columns:repeat(3,auto);gap:2px 14px;font:11px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#cfd6e4';
    for (const field of FIELDS) {
      const cell = document.createElement('span');
      cell.dataset.field = field;
      const label = document.createElement('span');
      label.style.color = '#8a93a6';
      label.textContent = `${LABELS[field]} `;
      const value = document.createTextNode('–');
      cell.append(label, value);
      this.dom.appendChild(cell);
      this.nodes.set(field, value);
    }
  }

  show(r: Readonly<OverlayReadings>, hasHeap: boolean): void {
    this.set('frame', r.frame < 0 ? '–' : grouped.format(r.frame));
    this.set('epoch', r.epoch < 0 ? '–' : grouped.format(r.epoch));
    this.set('update', `${grouped.format(r.updateMicros)} µs`);
    this.set('worstFrame', r.worstFrameMs > 0 ? `${oneDecimal.format(r.worstFrameMs)} ms` : '–');
    this.set('live', hasHeap ? `${oneDecimal.format(r.liveBytes / 1024)} KB` : '–');
    this.set('committed', hasHeap ? `${oneDecimal.format(r.committedBytes / 1024)} KB` : '–');
    this.set('jsHeap', r.jsHeapBytes < 0 ? 'unavailable' : `${oneDecimal.format(r.jsHeapBytes / 1_048_576)} MB`);
  }

  private set(field: Field, text: string): void {
    const node = this.nodes.get(field);
    if (node !== undefined && node.nodeValue !== text) node.nodeValue = text;
  }
}
