/**
 * When the first rows are on screen (the host holds back the rest of a fresh load until then), and,
 * only when the UI bench asks for it (the page's body has `data-bench`, see
 * src/host/editor/benchMarks.ts), what the webview measures about itself: when the first rows were
 * painted, how long windows of rows and views took (on the host and round trip), its memory and the
 * host's. The bench (bench/ui.ts) reads them as `window.rcStats` through the browser.
 */
import { unpackRows } from '../protocol/editor';
import { request } from './host';

interface Timing {
  host: number[];
  roundTrip: number[];
  /** Windows only: from the ask to the host having it, and from the host's reply to the page having it checked. */
  up?: number[];
  down?: number[];
}

/** The bench asked for the figures: without it nothing is timed and `window.rcStats` is not there. */
const BENCH = document.body.dataset.bench !== undefined;
const now = () => performance.timeOrigin + performance.now();

let onShown: () => void = () => {};
let painted = false;

export const stats = {
  /** Epoch ms when the first rows with data were on screen. */
  firstPaint: 0,
  /**
   * Epoch ms when VS Code began the frame our page goes into, and when that frame's placeholder page
   * had loaded (VS Code then writes our page into it): everything before is the workbench's doing.
   */
  frame: BENCH ? performance.timeOrigin : 0,
  frameLoaded: BENCH ? placeholderLoaded() : 0,
  /** Epoch ms when the script started. */
  started: BENCH ? now() : 0,
  /** Epoch ms: when the first rows were rendered (in the DOM), and the page's load event (VS Code shows the frame then). */
  rendered: 0,
  loaded: 0,
  /** Epoch ms when the first rows arrived (the host's first `init`). */
  firstRows: 0,
  /** Epoch ms after the frame that first showed the whole file loaded (an `init` no longer loading). */
  whole: 0,
  windows: { host: [], roundTrip: [] } as Timing,
  views: { host: [], roundTrip: [] } as Timing,
  /** The grid's renders (the scroller's, ms of script; the frame's style, layout and paint come after). */
  renders: [] as number[],
  /** Times a grid render, when the bench asks. */
  renderTime(ms: number): void {
    if (BENCH) this.renders.push(ms);
  },
  /** A window of rows came: the host's time, the round trip's; `asked` (page clock) and `at` (epoch, the host's) split the trip. */
  window(hostMs: number, roundTripMs: number, asked: number, at?: number): void {
    if (!BENCH) return;
    this.windows.host.push(hostMs);
    this.windows.roundTrip.push(roundTripMs);
    if (at === undefined) return;
    const sent = performance.timeOrigin + asked;
    (this.windows.up ??= []).push(at - sent);
    (this.windows.down ??= []).push(sent + roundTripMs - (at + hostMs));
  },
  view(hostMs: number, roundTripMs: number): void {
    if (!BENCH) return;
    this.views.host.push(hostMs);
    this.views.roundTrip.push(roundTripMs);
  },
  /** The whole file is in the model and the info bar: marks the frame after, once. */
  wholeShown(): void {
    if (!BENCH || this.whole) return;
    this.whole = -1;
    requestAnimationFrame(() => setTimeout(() => (this.whole = now()), 0));
  },
  /** Marks the arrival of the first rows. */
  arrived(): void {
    if (BENCH) this.firstRows ||= now();
  },
  /** Settles at the first paint of real rows (see painted). */
  shown: new Promise<void>((resolve) => (onShown = resolve)),
  /**
   * Marks the first paint of real rows: after the frame that shows them. VS Code keeps the page's
   * frame hidden until the page's load event, so rows put in before it count from the frame after it.
   */
  painted(): void {
    if (painted) return;
    painted = true;
    if (BENCH) this.rendered = now();
    const mark = () =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          if (BENCH) {
            this.firstPaint = now();
            document.body.dataset.firstPaint = String(Math.round(this.firstPaint));
          }
          onShown();
        }, 0),
      );
    if (document.readyState === 'complete') mark();
    else window.addEventListener('load', mark, { once: true });
  },
  /** The page's JavaScript heap (Chromium; precise with --enable-precise-memory-info). */
  memory(): { used: number; total: number } | null {
    const m = (performance as Performance & { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
    return m ? { used: m.usedJSHeapSize, total: m.totalJSHeapSize } : null;
  },
  /**
   * Asks for one window of rows in file order (nothing is rendered), for the bench to tell the
   * message path's own time from the page's work during a scroll: the round trip and its legs, ms.
   */
  async probe(start: number, count = 100): Promise<{ roundTrip: number; host: number; up: number; down: number }> {
    const view = { filters: [], search: '', sort: null };
    const t0 = performance.now();
    const m = await request({ type: 'getRows', view, start, count }, 'rows');
    // the rows as the grid takes them: unpacked and checked
    unpackRows(m);
    const roundTrip = performance.now() - t0;
    const sent = performance.timeOrigin + t0;
    const at = m.at ?? sent;
    return { roundTrip, host: m.ms, up: at - sent, down: sent + roundTrip - (at + m.ms) };
  },
  /** The extension host's figures: its memory, and when (epoch ms) it resolved this editor. */
  async host(): Promise<Record<string, number>> {
    return (await request({ type: 'stats' }, 'stats')).host;
  },
};

/** When the frame's first document (VS Code's placeholder, before ours was written in) had loaded. */
function placeholderLoaded(): number {
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  return nav && nav.loadEventEnd > 0 ? performance.timeOrigin + nav.loadEventEnd : 0;
}

if (BENCH) {
  window.addEventListener('load', () => (stats.loaded = now()), { once: true });
  (window as unknown as { rcStats: typeof stats }).rcStats = stats;
}
