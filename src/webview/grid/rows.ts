/**
 * Rows of the current view, pulled from the host in windows of WINDOW rows and kept in a small
 * cache. A window arriving for a view no longer shown is dropped. The first window of the file
 * comes with the host's `init` (`put`), so the first paint waits for no request.
 *
 * Windows are asked for with the columns in and near the view only (`columns`, set by the scroller
 * before it asks for rows): a row of 44 columns costs the message path several times the bytes of
 * the dozen on screen. A window lacking columns scrolled into view is asked for those. The windows
 * one render asks for go out as one request (a screenful often straddles two windows), and the
 * window after the screen is asked for only once the screen's rows are here (`row(i, need, true)`),
 * so it never queues ahead of them.
 */
import { unpackRows, WINDOW, type Cells } from '../../protocol/editor';
import { request } from '../host';
import type { Model } from './model';
import { stats } from '../stats';

const CACHE_WINDOWS = 40;
/** Windows one request may bring (the link allows 10 × WINDOW rows). */
const MAX_WINDOWS = 10;

export interface RowData {
  /** 0-based row number in the file. */
  number: number;
  cells: (string | null)[];
}

interface Window {
  rowNumbers: number[];
  rows: Cells[];
  /** The columns the rows hold (their cells are indexed by column); null: all of them. */
  has: Set<number> | null;
}

export class RowSource {
  private readonly windows = new Map<string, Window>();
  /** Columns on their way, per window key (null: all of them). */
  private readonly asked = new Map<string, Set<number> | null>();
  /** Windows to ask for at the end of this turn, with the columns each lacks. */
  private queued = new Map<number, number[] | null>();
  private flushing = false;
  /** The columns to ask for (the ones in and near the view); null: all of them. */
  columns: readonly number[] | null = null;

  constructor(
    private readonly model: Model,
    private readonly arrived: () => void,
  ) {}

  clear(): void {
    this.windows.clear();
    this.asked.clear();
    this.queued.clear();
  }

  /** Window `win` of the current view, as the host sent it unasked. */
  put(win: number, w: { rowNumbers: number[]; rows: Cells[]; columns?: number[] }): void {
    this.windows.set(`${this.model.viewKey}#${win}`, {
      rowNumbers: w.rowNumbers,
      rows: w.rows,
      has: w.columns ? new Set(w.columns) : null,
    });
  }

  /**
   * A row of the view, or null while its window (or a column of `need` in it) is on its way: then
   * it is asked for, with the columns set in `columns`. `later`: ask only if nothing else is queued.
   */
  row(i: number, need: readonly number[] = [], later = false): RowData | null {
    const win = Math.floor(i / WINDOW);
    const key = `${this.model.viewKey}#${win}`;
    const w = this.windows.get(key);
    const lacking = w ? missing(w.has, need) : [];
    if (!w || lacking.length) {
      if (!later || (this.queued.size === 0 && !this.waiting())) this.want(win, key, w, lacking);
      return null;
    }
    const k = i - win * WINDOW;
    return k < w.rows.length ? { number: w.rowNumbers[k], cells: w.rows[k] } : null;
  }

  /** Some window of the current view is on its way (a request turned down never answers: older views' are left out). */
  private waiting(): boolean {
    const prefix = `${this.model.viewKey}#`;
    for (const key of this.asked.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  /** Rows of the current view that are here (up to `max`), those holding `column` when given: what a column is fitted to. */
  cached(max = 2000, column?: number): (string | null)[][] {
    const out: (string | null)[][] = [];
    const prefix = `${this.model.viewKey}#`;
    for (const [key, w] of this.windows) {
      if (!key.startsWith(prefix) || (column !== undefined && w.has && !w.has.has(column))) continue;
      for (const r of w.rows) if (out.length < max) out.push(r);
    }
    return out;
  }

  /** Asks for window `win` of the current view unless it is here or on its way. */
  fetch(win: number): void {
    const key = `${this.model.viewKey}#${win}`;
    this.want(win, key, this.windows.get(key), []);
  }

  /** Queues window `win` for this turn's request: the columns it lacks of `columns` and `need`, less those on their way. */
  private want(win: number, key: string, w: Window | undefined, need: readonly number[]): void {
    if (win * WINDOW >= this.model.total || w?.has === null) return;
    // (undefined: nothing on its way; null: all the columns are)
    const inFlight = this.asked.get(key);
    if (inFlight === null) return;
    let cols: number[] | null = null;
    if (this.columns) {
      cols = [...new Set([...this.columns, ...need])].filter((c) => !w?.has?.has(c) && !inFlight?.has(c));
      if (cols.length === 0) return;
    }
    const before = this.queued.get(win);
    this.queued.set(win, before === null || cols === null ? null : [...new Set([...(before ?? []), ...cols])]);
    if (!this.flushing) {
      this.flushing = true;
      queueMicrotask(() => this.flush());
    }
  }

  /** Sends the queued windows: runs of neighbours wanting the same columns go as one request. */
  private flush(): void {
    this.flushing = false;
    const queued = [...this.queued].sort((a, b) => a[0] - b[0]);
    this.queued = new Map();
    for (let k = 0; k < queued.length;) {
      const [from, cols] = queued[k];
      const same = (c: number[] | null) => (c === null ? cols === null : cols !== null && c.join() === cols.join());
      let to = from + 1;
      for (k++; k < queued.length && queued[k][0] === to && same(queued[k][1]) && to - from < MAX_WINDOWS; k++) to++;
      this.send(from, to, cols ? [...cols].sort((a, b) => a - b) : null);
    }
  }

  /** Asks for windows from..to (exclusive) of the current view, of `cols` (null: all columns). */
  private send(from: number, to: number, cols: number[] | null): void {
    const viewKey = this.model.viewKey;
    const keys: string[] = [];
    for (let win = from; win < to; win++) {
      const key = `${viewKey}#${win}`;
      keys.push(key);
      const before = this.asked.get(key);
      this.asked.set(key, cols === null || before === null ? null : new Set([...(before ?? []), ...cols]));
    }
    const t0 = performance.now();
    const ask = { type: 'getRows' as const, view: this.model.view, start: from * WINDOW, count: (to - from) * WINDOW };
    void request(cols ? { ...ask, columns: cols } : ask, 'rows').then((m) => {
      for (const key of keys) this.asked.delete(key);
      const w = unpackRows(m);
      stats.window(m.ms, performance.now() - t0, t0, m.at);
      // rows that do not unpack are dropped, like a reply that did not pass its schema
      if (!w || viewKey !== this.model.viewKey) return;
      for (let win = from; win < to; win++) {
        const at = (win - from) * WINDOW;
        if (at >= w.rows.length) break;
        this.merge(keys[win - from], {
          rowNumbers: w.rowNumbers.slice(at, at + WINDOW),
          rows: w.rows.slice(at, at + WINDOW),
          has: w.columns ? new Set(w.columns) : null,
        });
      }
      this.arrived();
    });
  }

  /** A window that came: kept, its columns added to the same window's others. */
  private merge(key: string, w: Window): void {
    const old = this.windows.get(key);
    if (old && old.has && w.has && old.rowNumbers.length === w.rowNumbers.length) {
      for (let k = 0; k < w.rows.length; k++) for (const c of w.has) old.rows[k][c] = w.rows[k][c];
      for (const c of w.has) old.has.add(c);
      return;
    }
    if (old && old.has === null && w.has !== null) return;
    this.windows.delete(key);
    this.windows.set(key, w);
    if (this.windows.size > CACHE_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
  }
}

/** The columns of `need` a window holding `has` lacks. */
function missing(has: Set<number> | null, need: readonly number[]): number[] {
  return has === null ? [] : need.filter((c) => !has.has(c));
}
