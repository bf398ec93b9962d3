/**
 * The bar above the chart: measure, range (presets, or two dates), resolution, and for Revenue the
 * kind; then Copy as CSV, Save as CSV and Save Chart as PNG. Ranges default to the export's own span
 * (its first transaction to its date), clipped to what a daily chart reads well.
 */
import { CHART_MAX_DAYS as MAX_DAYS, REVENUE_KINDS, words, type RevenueKind } from '../../core/measures/chartData';
import type { MeasureName } from '../../core/measures';
import type { ChartRequest, RangeKind } from '../../protocol/chart';

export type Resolution = 'day' | 'week' | 'month';

export interface ChartState {
  measure: MeasureName;
  preset: string;
  from: string;
  to: string;
  resolution: Resolution;
  revenueKind: RevenueKind;
  /** The custom attribute key of the attribute chart ('' until one is known). */
  key: string;
}

/** The measure whose chart draws a line per value of a custom attribute key. */
export const ATTRIBUTE_MEASURE: MeasureName = 'active-subscriptions-with-attribute';

export interface MeasureChoice {
  readonly name: MeasureName;
  readonly title: string;
  readonly range: RangeKind;
}

const PRESETS: [string, string][] = [
  ['all', 'The export’s span'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
  ['365', 'Last 12 months'],
  ['1095', 'Last 3 years'],
  ['custom', 'Custom range'],
];

const DAY_MS = 86_400_000;
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

function select(label: string, options: [string, string][], className: string): HTMLSelectElement {
  const s = document.createElement('select');
  s.className = `control ${className}`;
  s.setAttribute('aria-label', label);
  s.title = label;
  for (const [value, text] of options) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    s.append(o);
  }
  return s;
}

let measuring: CanvasRenderingContext2D | null = null;

/**
 * Makes a select as wide as its chosen option's text needs (a native select is as wide as its longest
 * option: "Active Subscriptions with a Custom Attribute" made the measure picker 300px for every measure).
 * Once it is in the page, where its font is known.
 */
function fitToChoice(s: HTMLSelectElement): void {
  if (!s.isConnected) {
    requestAnimationFrame(() => s.isConnected && fitToChoice(s));
    return;
  }
  measuring ??= document.createElement('canvas').getContext('2d');
  if (!measuring) return;
  const cs = getComputedStyle(s);
  measuring.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const text = s.selectedOptions[0]?.textContent ?? '';
  // the text, the select's padding and border, and its arrow
  s.style.width = `${Math.ceil(measuring.measureText(text).width) + 36}px`;
}

function button(text: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.className = 'text-button';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

export class Controls {
  readonly element = document.createElement('div');
  private readonly measure: HTMLSelectElement;
  private readonly preset = select('Range', PRESETS, 'preset');
  private readonly from = document.createElement('input');
  private readonly to = document.createElement('input');
  private readonly resolution = select(
    'Resolution',
    [
      ['day', 'Day'],
      ['week', 'Week'],
      ['month', 'Month'],
    ],
    'resolution',
  );
  private readonly kind = select(
    'Revenue kind',
    REVENUE_KINDS.map((k) => [k, words(k)]),
    'revenue-kind',
  );
  private readonly key = select('Attribute key', [], 'attribute-key');
  state: ChartState;

  constructor(
    private readonly measures: readonly MeasureChoice[],
    private readonly span: { first: string | null; last: string | null },
    start: { measure: MeasureName; request: ChartRequest },
    private readonly actions: { changed(): void; copy(): void; saveCsv(): void; savePng(): void },
  ) {
    this.element.className = 'controls';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Chart settings');
    this.measure = select(
      'Measure',
      measures.map((m) => [m.name, m.title]),
      'measure',
    );
    for (const input of [this.from, this.to]) {
      input.type = 'date';
      input.className = 'control date';
      input.addEventListener('change', () => {
        this.preset.value = 'custom';
        this.read();
      });
    }
    this.from.setAttribute('aria-label', 'First day');
    this.to.setAttribute('aria-label', 'Last day');
    const r = start.request;
    const last = r.to ?? span.last ?? new Date().toISOString().slice(0, 10);
    this.state = {
      measure: start.measure,
      preset: r.from ? 'custom' : 'all',
      from: r.from ?? '',
      to: last,
      resolution: r.resolution ?? (start.measure === 'weekly-revenue' ? 'week' : 'day'),
      revenueKind: 'revenue_net_of_refunds',
      key: r.key ?? '',
    };
    if (!r.from) this.applyPreset(this.defaultPreset(start.measure));
    if (!r.resolution) this.state.resolution = this.defaultResolution();
    this.measure.value = this.state.measure;
    this.measure.addEventListener('change', () => {
      const m = this.measure.value as MeasureName;
      this.state.measure = m;
      if (this.state.preset !== 'custom') this.applyPreset(this.defaultPreset(m));
      this.state.resolution = this.defaultResolution();
      this.write();
      this.actions.changed();
    });
    this.preset.addEventListener('change', () => {
      if (this.preset.value !== 'custom') this.applyPreset(this.preset.value);
      else this.state.preset = 'custom';
      this.write();
      this.actions.changed();
    });
    for (const s of [this.resolution, this.kind, this.key]) s.addEventListener('change', () => this.read());
    const label = (text: string, ...controls: HTMLElement[]) => {
      const l = document.createElement('label');
      l.className = 'field';
      const t = document.createElement('span');
      t.textContent = text;
      l.append(t, ...controls);
      return l;
    };
    // the three buttons move as one: a narrow bar puts them together on a line of their own, at its end
    const buttons = document.createElement('div');
    buttons.className = 'actions';
    buttons.append(
      button('Copy as CSV', 'Copy the numbers as CSV', () => this.actions.copy()),
      button('Save as CSV…', 'Save the numbers as a CSV file', () => this.actions.saveCsv()),
      button('Save as PNG…', 'Save the chart as a PNG image', () => this.actions.savePng()),
    );
    this.element.append(
      label('Measure', this.measure),
      label('Range', this.preset, this.from, this.dash(), this.to),
      label('By', this.resolution),
      label('Kind', this.kind),
      label('Attribute', this.key),
      buttons,
    );
    this.write();
  }

  private dash(): HTMLElement {
    const s = document.createElement('span');
    s.textContent = '–';
    s.className = 'dash';
    return s;
  }

  private get choice(): MeasureChoice | undefined {
    return this.measures.find((m) => m.name === this.state.measure);
  }

  /** Retention reads best over three months of daily cohorts; everything else over the whole span. */
  private defaultPreset(m: MeasureName): string {
    return m === 'subscription-retention' ? '90' : 'all';
  }

  /**
   * Day for lines; bars (revenue, movement, trials) over more than four months read better by week,
   * and Weekly Revenue is by week.
   */
  private defaultResolution(): Resolution {
    const m = this.state.measure;
    if (m === 'weekly-revenue') return 'week';
    const bars = m === 'revenue' || m.endsWith('-movement') || m === 'trial-conversion-rate';
    const days = (Date.parse(this.state.to) - Date.parse(this.state.from)) / DAY_MS + 1;
    return bars && days > 120 ? 'week' : 'day';
  }

  private applyPreset(preset: string): void {
    const last = this.span.last ?? this.state.to;
    this.state.preset = preset;
    this.state.to = last;
    if (preset === 'all') {
      const first = this.span.first ?? addDays(last, -89);
      this.state.from = first < addDays(last, -(MAX_DAYS - 1)) ? addDays(last, -(MAX_DAYS - 1)) : first;
    } else this.state.from = addDays(last, -(Number(preset) - 1));
  }

  private read(): void {
    const s = this.state;
    if (this.from.value && this.to.value && this.from.value <= this.to.value) {
      s.from = this.from.value;
      s.to = this.to.value;
    }
    s.resolution = this.resolution.value as Resolution;
    s.revenueKind = this.kind.value as RevenueKind;
    if (this.key.value) s.key = this.key.value;
    this.write();
    this.actions.changed();
  }

  /** The controls show the state; those that do not apply to the measure are hidden. */
  write(): void {
    const s = this.state;
    const range = this.choice?.range ?? 'series';
    this.preset.value = s.preset;
    this.from.value = s.from;
    this.to.value = s.to;
    this.resolution.value = s.resolution;
    this.kind.value = s.revenueKind;
    (this.resolution.parentElement as HTMLElement).hidden = range !== 'series';
    (this.kind.parentElement as HTMLElement).hidden = s.measure !== 'revenue';
    (this.key.parentElement as HTMLElement).hidden = s.measure !== ATTRIBUTE_MEASURE;
    if (s.key) this.key.value = s.key;
    this.to.hidden = range === 'since';
    (this.from.nextElementSibling as HTMLElement).hidden = range === 'since';
    fitToChoice(this.measure);
  }

  /** Whether the attribute keys are listed yet. */
  get hasKeys(): boolean {
    return this.key.options.length > 0;
  }

  /** The attribute keys to pick from (most used first, with how many rows carry each). */
  setKeys(keys: readonly { key: string; rows: number }[]): void {
    this.key.replaceChildren(
      ...keys.map(({ key, rows }) => {
        const o = document.createElement('option');
        o.value = key;
        o.textContent = `${key} (${rows.toLocaleString('en-US')} rows)`;
        return o;
      }),
    );
    this.write();
  }

  /** The key the chart was drawn for (the host picks the most used one when none was asked for). */
  setKey(key: string): void {
    this.state.key = key;
    this.write();
  }

  /** The measure's request for the state. */
  request(): ChartRequest {
    const s = this.state;
    const range = this.choice?.range ?? 'series';
    if (range === 'series')
      return {
        from: s.from,
        to: s.to,
        resolution: s.resolution,
        ...(s.measure === ATTRIBUTE_MEASURE && s.key ? { key: s.key } : {}),
      };
    if (range === 'since') return { from: s.from };
    if (range === 'cohorts' && s.preset === 'all') return {};
    return { from: s.from, to: s.to };
  }
}
