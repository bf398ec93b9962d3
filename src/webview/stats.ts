/**
 * What the webview measures about itself, for `npm run bench`: when the first rows were painted, how
 * long windows of rows and views took (on the host and round trip), its memory and the host's. The
 * UI bench (bench/ui.ts) reads `window.rcStats` through the browser.
 */
import { request } from './host';

interface Timing {
  host: number[];
  roundTrip: number[];
}

let onShown: () => void = () => {};

export const stats = {
  /** Epoch ms when the first rows with data were on screen. */
  firstPaint: 0,
  /**
   * Epoch ms when VS Code began the frame our page goes into, and when that frame's placeholder page
   * had loaded (VS Code then writes our page into it): everything before is the workbench's doing.
   */
  frame: performance.timeOrigin,
  frameLoaded: placeholderLoaded(),
  /** Epoch ms when the script started. */
  started: performance.timeOrigin + performance.now(),
  /** Epoch ms: when the first rows were rendered (in the DOM), and the page's load event (VS Code shows the frame then). */
  rendered: 0,
  loaded: 0,
  /** Epoch ms when the first rows arrived (the host's first `init`). */
  firstRows: 0,
  windows: { host: [], roundTrip: [] } as Timing,
  views: { host: [], roundTrip: [] } as Timing,
  window(hostMs: number, roundTripMs: number): void {
    this.windows.host.push(hostMs);
    this.windows.roundTrip.push(roundTripMs);
  },
  view(hostMs: number, roundTripMs: number): void {
    this.views.host.push(hostMs);
    this.views.roundTrip.push(roundTripMs);
  },
  /** Marks the arrival of the first rows. */
  arrived(): void {
    this.firstRows ||= performance.timeOrigin + performance.now();
  },
  /** Settles at the first paint of real rows (see painted). */
  shown: new Promise<void>((resolve) => (onShown = resolve)),
  /**
   * Marks the first paint of real rows: after the frame that shows them. VS Code keeps the page's
   * frame hidden until the page's load event, so rows put in before it count from the frame after it.
   */
  painted(): void {
    if (this.firstPaint) return;
    this.firstPaint = -1;
    this.rendered = performance.timeOrigin + performance.now();
    const mark = () =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          this.firstPaint = performance.timeOrigin + performance.now();
          document.body.dataset.firstPaint = String(Math.round(this.firstPaint));
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

window.addEventListener('load', () => (stats.loaded = performance.timeOrigin + performance.now()), { once: true });
(window as unknown as { rcStats: typeof stats }).rcStats = stats;
