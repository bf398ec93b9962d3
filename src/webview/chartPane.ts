/**
 * The chart pane's frame in the export editor's page: under the grid, a splitter (drag it, or focus
 * it and use the arrow keys) and the pane, with its title and a Close button (Escape in the pane
 * closes it too). Its code is not part of this page's first paint: the host sends it with the first
 * "open the pane" message, and it runs here once, under the nonce the page's own script came with
 * (the CSP allows nothing else), as do its styles.
 */
import type { ChartView } from './chart/chartView';
import type { ChartPaneScript } from './chart/pane';
import { paneEndpoint, post } from './host';
import { icon, iconButton } from './icons';

/** The nonce of this page's script, for the pane's script and style (read while the page's script runs). */
const NONCE = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

/** The pane's height at first: this share of the page. */
const FIRST_SHARE = 0.5;
/** The least height of the grid and of the pane, in pixels. */
const MIN_GRID = 90;
const MIN_PANE = 160;
/** A step of the splitter's arrow keys, in pixels. */
const KEY_STEP = 24;

interface Open {
  readonly script: string;
  readonly style: string;
  readonly first?: unknown;
}

export class ChartPane {
  private view: ChartView | null = null;
  private frame: { split: HTMLElement; pane: HTMLElement; root: HTMLElement } | null = null;
  private height = 0;

  constructor(
    private readonly app: HTMLElement,
    /** Gives the focus back to the grid (when the pane closes). */
    private readonly focusGrid: () => void,
  ) {}

  /** Opens the pane on the host's first message (a pane already open starts again on it). */
  open(m: Open): void {
    const script = load(m);
    if (!script) return;
    this.view?.dispose();
    const frame = (this.frame ??= this.build());
    document.body.classList.add('with-chart');
    this.view = script.mount(frame.root, paneEndpoint, m.first);
    // the pane's controls are where the keyboard goes next
    frame.pane.focus({ preventScroll: true });
  }

  close(): void {
    if (!this.frame) return;
    this.view?.dispose();
    this.view = null;
    this.frame.split.remove();
    this.frame.pane.remove();
    this.frame = null;
    document.body.classList.remove('with-chart');
    post({ type: 'chartClosed' });
    this.focusGrid();
  }

  private build(): { split: HTMLElement; pane: HTMLElement; root: HTMLElement } {
    const split = document.createElement('div');
    split.className = 'pane-split';
    split.tabIndex = 0;
    split.setAttribute('role', 'separator');
    split.setAttribute('aria-orientation', 'horizontal');
    split.setAttribute('aria-label', 'Chart pane height');
    split.title = 'Drag, or use the arrow keys, to change the chart’s height';
    const pane = document.createElement('section');
    pane.className = 'chart-pane';
    pane.tabIndex = -1;
    pane.setAttribute('aria-label', 'Chart');
    const head = document.createElement('div');
    head.className = 'pane-head';
    const title = document.createElement('span');
    title.className = 'pane-title';
    title.textContent = 'Chart';
    const close = iconButton('close', 'Close the chart (Escape)', () => this.close());
    close.classList.add('pane-close');
    head.append(icon('graph'), title, close);
    const root = document.createElement('div');
    root.className = 'chart-root';
    pane.append(head, root);
    pane.addEventListener('keydown', (e) => {
      // Escape closes the pane, unless a control in it uses the key (an open list, a date being typed)
      const t = e.target as HTMLElement;
      if (e.key === 'Escape' && !e.defaultPrevented && t.tagName !== 'SELECT' && t.tagName !== 'INPUT') {
        e.preventDefault();
        this.close();
      }
    });
    this.app.after(split, pane);
    this.height ||= Math.max(MIN_PANE, Math.round(document.body.clientHeight * FIRST_SHARE));
    this.setHeight(this.height);
    this.dragging(split);
    split.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowUp' ? KEY_STEP : e.key === 'ArrowDown' ? -KEY_STEP : 0;
      if (!step) return;
      e.preventDefault();
      this.setHeight(this.height + step);
    });
    return { split, pane, root };
  }

  /** The pane's height, kept between the least heights of the grid and the pane. */
  private setHeight(px: number): void {
    const total = document.body.clientHeight;
    this.height = Math.round(Math.max(MIN_PANE, Math.min(px, total - MIN_GRID)));
    document.body.style.setProperty('--chart-pane-height', `${this.height}px`);
    const split = this.frame?.split ?? document.querySelector('.pane-split');
    split?.setAttribute('aria-valuenow', String(Math.round((this.height / Math.max(1, total)) * 100)));
  }

  private dragging(split: HTMLElement): void {
    split.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      split.setPointerCapture(e.pointerId);
      const move = (ev: PointerEvent) => this.setHeight(document.body.clientHeight - ev.clientY);
      const up = () => {
        split.removeEventListener('pointermove', move);
        split.removeEventListener('pointerup', up);
      };
      split.addEventListener('pointermove', move);
      split.addEventListener('pointerup', up);
    });
  }
}

/** The pane's script, run once (with its style sheet) under the page's nonce. */
function load(m: Open): ChartPaneScript | null {
  const w = window as unknown as { rcChartPane?: ChartPaneScript };
  if (!w.rcChartPane) {
    const style = document.createElement('style');
    style.nonce = NONCE;
    style.textContent = m.style;
    document.head.append(style);
    const script = document.createElement('script');
    script.nonce = NONCE;
    script.textContent = m.script;
    document.body.append(script);
  }
  return w.rcChartPane ?? null;
}
