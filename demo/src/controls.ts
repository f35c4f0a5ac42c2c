import { MODE_LABELS, RANGES, STORAGE_MODES, usesTslab, type NumericSetting, type Settings, type StorageMode } from './settings.js';

export interface ControlEvents {
  /** A setting changed; `rebuild` is true when the storage must be recreated (mode or cadence). */
  onChange(next: Settings, rebuild: boolean): void;
  /** "Burst now" pressed. */
  onBurst(): void;
}

interface SliderSpec {
  key: NumericSetting;
  label: string;
  step: number;
  unit: string;
  hint: string;
}

const SLIDERS: readonly SliderSpec[] = [
  { key: 'burst', label: 'Burst size', step: 100, unit: 'particles', hint: 'particles per burst (click or timer)' },
  { key: 'life', label: 'Lifetime', step: 5, unit: 'frames', hint: 'how long each particle lives' },
  { key: 'every', label: 'Auto burst every', step: 1, unit: 'frames', hint: '0 turns automatic bursts off' },
  { key: 'cadence', label: 'Epoch cadence N', step: 1, unit: 'frames', hint: 'tslab advances and closes an epoch every N frames' },
];

/**
 * The control panel: storage mode (segmented buttons) and sliders. DOM is built once; live figures
 * are written into text nodes by `showStatus`.
 */
export class Controls {
  readonly dom: HTMLElement;
  private settings: Settings;
  private readonly modeButtons = new Map<StorageMode, HTMLButtonElement>();
  private readonly outputs = new Map<NumericSetting, HTMLOutputElement>();
  private readonly inputs = new Map<NumericSetting, HTMLInputElement>();
  private readonly countText: Text;
  private readonly noteText: Text;

  constructor(initial: Settings, private readonly events: ControlEvents) {
    this.settings = { ...initial };
    this.dom = document.createElement('aside');
    this.dom.className = 'controls';
    this.dom.setAttribute('aria-label', 'Demo controls');

    const modeGroup = document.createElement('div');
    modeGroup.className = 'field';
    const modeLabel = document.createElement('div');
    modeLabel.className = 'label';
    modeLabel.textContent = 'Particle storage';
    const segmented = document.createElement('div');
    segmented.className = 'segmented';
    segmented.setAttribute('role', 'radiogroup');
    for (const mode of STORAGE_MODES) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.mode = mode;
      b.textContent = MODE_LABELS[mode];
      b.setAttribute('role', 'radio');
      b.addEventListener('click', () => this.setMode(mode));
      this.modeButtons.set(mode, b);
      segmented.appendChild(b);
    }
    modeGroup.append(modeLabel, segmented);
    this.dom.appendChild(modeGroup);

    for (const spec of SLIDERS) this.dom.appendChild(this.slider(spec));

    const burst = document.createElement('button');
    burst.type = 'button';
    burst.className = 'burst-button';
    burst.textContent = 'Burst now';
    burst.addEventListener('click', () => this.events.onBurst());

    const status = document.createElement('div');
    status.className = 'status';
    const countLabel = document.createElement('span');
    countLabel.className = 'label';
    countLabel.textContent = 'Live particles ';
    this.countText = document.createTextNode('0');
    const count = document.createElement('strong');
    count.dataset.particleCount = '';
    count.appendChild(this.countText);
    status.append(countLabel, count);
    const note = document.createElement('div');
    note.className = 'note';
    this.noteText = document.createTextNode('');
    note.appendChild(this.noteText);
    this.dom.append(burst, status, note);
    this.refresh();
  }

  get current(): Readonly<Settings> {
    return this.settings;
  }

  /** Greys out a mode this page cannot run, saying why (e.g. the worker mode without isolation). */
  disableMode(mode: StorageMode, reason: string): void {
    const b = this.modeButtons.get(mode);
    if (b === undefined) return;
    b.disabled = true;
    b.title = reason;
  }

  setMode(mode: StorageMode): void {
    if (mode === this.settings.mode) return;
    this.settings.mode = mode;
    this.refresh();
    this.events.onChange({ ...this.settings }, true);
  }

  /** Live count and a one-line note; call a few times per second, not per frame. */
  showStatus(count: number, note: string): void {
    const text = count.toLocaleString('en-US');
    if (this.countText.nodeValue !== text) this.countText.nodeValue = text;
    if (this.noteText.nodeValue !== note) this.noteText.nodeValue = note;
  }

  private slider(spec: SliderSpec): HTMLElement {
    const r = RANGES[spec.key];
    const field = document.createElement('label');
    field.className = 'field';
    field.title = spec.hint;
    const row = document.createElement('div');
    row.className = 'label';
    row.textContent = spec.label;
    const out = document.createElement('output');
    row.appendChild(out);
    const input = document.createElement('input');
    input.type = 'range';
    input.name = spec.key;
    input.min = String(r.min);
    input.max = String(r.max);
    input.step = String(spec.step);
    input.addEventListener('input', () => {
      this.settings[spec.key] = Number(input.value);
      this.refresh();
      // Changing the cadence means a new frame adapter: the tslab storage is rebuilt.
      this.events.onChange({ ...this.settings }, spec.key === 'cadence' && usesTslab(this.settings.mode));
    });
    field.append(row, input);
    this.outputs.set(spec.key, out);
    this.inputs.set(spec.key, input);
    return field;
  }

  private refresh(): void {
    for (const [mode, b] of this.modeButtons) {
      const on = mode === this.settings.mode;
      b.classList.toggle('active', on);
      b.setAttribute('aria-checked', String(on));
    }
    for (const spec of SLIDERS) {
      const value = this.settings[spec.key];
      const input = this.inputs.get(spec.key);
      const out = this.outputs.get(spec.key);
      if (input !== undefined && input.value !== String(value)) input.value = String(value);
      if (out !== undefined) {
        out.textContent = spec.key === 'every' && value === 0 ? 'off' : `${value.toLocaleString('en-US')} ${spec.unit}`;
      }
    }
    const cadence = this.inputs.get('cadence');
    if (cadence !== undefined) cadence.disabled = !usesTslab(this.settings.mode);
  }
}
