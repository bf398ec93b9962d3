/**
 * The chart pane's frame in the export editor's page: under the grid, a splitter (drag it, or focus
 * it and use the arrow keys; a double click gives the chart the page) and the pane, with its title, a
 * button that gives the chart the page's height (and back) and a Close button (Escape in the pane
 * closes it too). The height the user gives it is kept in the page's saved state: the pane opened
 * again, or the page loaded again after its tab was hidden, has it back. Its code is not part of this page's first paint: the host sends it with the first
 * "open the pane" message, and it runs here once, under the nonce the page's own script came with
 * (the CSP allows nothing else), as do its styles.
 */
import type { ChartView } from './chart/chartView';
import type { ChartPaneScript } from './chart/pane';
import { paneEndpoint, post, saved } from './host';
import { icon, iconButton } from './icons';

/** The nonce of this page's script, for the pane's script and style (read while the page's script runs). */
const NONCE = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

/** The pane's height at first: this share of the page. */
const FIRST_SHARE = 0.5;
/** The least height of the grid and of the pane, in pixels. */
const MIN_GRID = 90;
/** The grid's height beside a maximized chart: its toolbar, headers, info bar and three rows, so the rows a click
 * on a value filters to are still in view. */
const MAXIMIZED_GRID = 160;
const MIN_PANE = 160;
/** A step of the splitter's arrow keys, in pixels. */
const KEY_STEP = 24;
const MAXIMIZE = 'Give the chart the editor’s height (double-click the splitter)';
const RESTORE = 'Give the grid its room back (double-click the splitter)';

/** The pane's height as the page's saved state keeps it; `restore`: the height before it was maximized. */
interface PaneSize {
  readonly height: number;
  readonly restore?: number;
}

interface Open {
  readonly script: string;
  readonly style: string;
  readonly first?: unknown;
}

export class ChartPane {
  private view: ChartView | null = null;
  private frame: { split: HTMLElement; pane: HTMLElement; root: HTMLElement; grow: HTMLButtonElement } | null = null;
  private height = 0;
  /** The height before the chart was given the page's (0: not maximized). */
  private restore = 0;

  constructor(
    private readonly app: HTMLElement,
    /** Gives the focus back to the grid (when the pane closes). */
    private readonly focusGrid: () => void,
  ) {
    const kept = saved.get<PaneSize>('chartPane');
    this.height = kept?.height ?? 0;
    this.restore = kept?.restore ?? 0;
    // a maximized pane follows the page's height; another stays between the least heights
    window.addEventListener('resize', () => this.frame && this.setHeight(this.restore ? Infinity : this.height));
  }

  /** Opens the pane on the host's first message (a pane already open starts again on it). */
  open(m: Open): void {
    const script = load(m);
    if (!script) return;
    this.view?.dispose();
    const frame = this.frame ?? this.build();
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

  private build(): { split: HTMLElement; pane: HTMLElement; root: HTMLElement; grow: HTMLButtonElement } {
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
    const grow = iconButton('up', MAXIMIZE, () => this.toggleMaximized());
    grow.classList.add('pane-grow');
    const close = iconButton('close', 'Close the chart (Escape)', () => this.close());
    close.classList.add('pane-close');
    head.append(icon('graph'), title, grow, close);
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
    this.frame = { split, pane, root, grow };
    this.height ||= Math.max(MIN_PANE, Math.round(document.body.clientHeight * FIRST_SHARE));
    this.setHeight(this.restore ? Infinity : this.height);
    this.dragging(split);
    split.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowUp' ? KEY_STEP : e.key === 'ArrowDown' ? -KEY_STEP : 0;
      if (!step) return;
      e.preventDefault();
      this.resize(this.height + step);
    });
    split.addEventListener('dblclick', () => this.toggleMaximized());
    return this.frame;
  }

  /** The user's own height: kept, and the pane no longer maximized. */
  private resize(px: number): void {
    this.restore = 0;
    this.setHeight(px);
    this.keep();
  }

  /** Gives the chart the page's height (the grid keeps its least height), or its height before back. */
  private toggleMaximized(): void {
    if (this.restore) {
      const back = this.restore;
      this.restore = 0;
      this.setHeight(back);
    } else {
      this.restore = this.height;
      this.setHeight(Infinity);
    }
    this.keep();
  }

  private keep(): void {
    saved.set('chartPane', { height: this.height, ...(this.restore ? { restore: this.restore } : {}) });
  }

  /** The pane's height, kept between the least heights of the grid and the pane. */
  private setHeight(px: number): void {
    const total = document.body.clientHeight;
    const grid = px === Infinity ? MAXIMIZED_GRID : MIN_GRID;
    this.height = Math.round(Math.max(MIN_PANE, Math.min(px, total - grid)));
    document.body.style.setProperty('--chart-pane-height', `${this.height}px`);
    const f = this.frame;
    if (!f) return;
    f.split.setAttribute('aria-valuenow', String(Math.round((this.height / Math.max(1, total)) * 100)));
    const label = this.restore ? RESTORE : MAXIMIZE;
    if (f.grow.title !== label) {
      f.grow.title = label;
      f.grow.setAttribute('aria-label', label);
      f.grow.replaceChildren(icon(this.restore ? 'down' : 'up'));
    }
    f.grow.setAttribute('aria-pressed', String(!!this.restore));
  }

  private dragging(split: HTMLElement): void {
    split.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      split.setPointerCapture(e.pointerId);
      let moved = false;
      const move = (ev: PointerEvent) => {
        // dragged: the user's own height (a press with no move, as in a double click, changes nothing)
        moved = true;
        this.restore = 0;
        this.setHeight(document.body.clientHeight - ev.clientY);
      };
      const up = () => {
        split.removeEventListener('pointermove', move);
        split.removeEventListener('pointerup', up);
        if (moved) this.keep();
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
