/**
 * Rows of the current view, pulled from the host in windows of WINDOW rows and kept in a small
 * cache. A window arriving for a view no longer shown is dropped. The first window of the file
 * comes with the host's `init` (`put`), so the first paint waits for no request.
 */
import { unpackRows, WINDOW, type Cells } from '../../protocol/editor';
import { request } from '../host';
import type { Model } from './model';
import { stats } from '../stats';

const CACHE_WINDOWS = 40;

export interface RowData {
  /** 0-based row number in the file. */
  number: number;
  cells: (string | null)[];
}

interface Window {
  rowNumbers: number[];
  rows: Cells[];
}

export class RowSource {
  private readonly windows = new Map<string, Window>();
  private readonly asked = new Set<string>();

  constructor(
    private readonly model: Model,
    private readonly arrived: () => void,
  ) {}

  clear(): void {
    this.windows.clear();
    this.asked.clear();
  }

  /** Window `win` of the current view, as the host sent it unasked. */
  put(win: number, w: Window): void {
    this.windows.set(`${this.model.viewKey}#${win}`, w);
  }

  /** A row of the view, or null while its window is on its way (then it is asked for). */
  row(i: number): RowData | null {
    const win = Math.floor(i / WINDOW);
    const w = this.windows.get(`${this.model.viewKey}#${win}`);
    if (!w) {
      this.fetch(win);
      return null;
    }
    const k = i - win * WINDOW;
    return k < w.rows.length ? { number: w.rowNumbers[k], cells: w.rows[k] } : null;
  }

  /** Rows of the current view that are here (up to `max`): what a column is fitted to. */
  cached(max = 2000): (string | null)[][] {
    const out: (string | null)[][] = [];
    const prefix = `${this.model.viewKey}#`;
    for (const [key, w] of this.windows) {
      if (!key.startsWith(prefix)) continue;
      for (const r of w.rows) if (out.length < max) out.push(r);
    }
    return out;
  }

  /** Asks for window `win` of the current view unless it is here or on its way. */
  fetch(win: number): void {
    const key = `${this.model.viewKey}#${win}`;
    if (this.windows.has(key) || this.asked.has(key) || win * WINDOW >= this.model.total) return;
    this.asked.add(key);
    const t0 = performance.now();
    void request({ type: 'getRows', view: this.model.view, start: win * WINDOW, count: WINDOW }, 'rows').then((m) => {
      this.asked.delete(key);
      const w = unpackRows(m);
      stats.window(m.ms, performance.now() - t0, t0, m.at);
      // rows that do not unpack are dropped, like a reply that did not pass its schema
      if (!w || !key.startsWith(`${this.model.viewKey}#`)) return;
      this.windows.set(key, w);
      if (this.windows.size > CACHE_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
      this.arrived();
    });
  }
}
