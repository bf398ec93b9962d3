/**
 * The first rows of an export file read on the calling thread in small steps: what head.ts reads in
 * one go, for a thread that must never block (the extension host) and cannot wait for a loading
 * thread still booting. The first step reads the file's first 64 KB and inflates a few kilobytes of
 * them as head.ts does (a millisecond or two; not on libuv's pool, which is slow to come back on a
 * busy extension host); the header and the rows are then scanned 2 KB at a time, and the first rows
 * cut into text one at a time, with a turn of the event loop whenever a step has run STEP_MS. Warm,
 * the whole read is one step. The result is head.ts's (the same builder, options and limits) plus
 * the texts.
 */
import { TableBuilder } from '../core/load/builder';
import { isGzip } from '../core/load/decode';
import { EARLY_ROWS, type FirstRows } from '../core/load/load';
import { ExportTable } from '../core/load/table';
import { HEAD_TEXT, headBuilderOptions, inflateHead, readStart } from './head';

/** How long one step runs before the thread gets a turn (under a frame's 16 ms with the piece that ends it). */
export const STEP_MS = 8;
/** Text handed to the builder at a time: small, so a cold first piece (it reads the header) stays short. */
const PIECE = 2 * 1024;

export interface HeadRows {
  readonly first: FirstRows;
  /** The first rows as text (ExportTable.row), as many as asked for. */
  readonly texts: (string | null)[][];
}

/** How a stepped read went: the steps it took and the longest (ms), for the UI bench. */
export interface StepLog {
  steps: number;
  longest: number;
}

/**
 * The first `rows` rows of `file` read as `template`, the first `texts` of them also as text, in
 * steps; null when unreadable (as head.ts) or when `stop()` says so between steps. Never throws.
 */
export async function readHeadSteps(
  file: string,
  template: string,
  texts = 0,
  stop: () => boolean = () => false,
  log?: StepLog,
  rows = EARLY_ROWS,
): Promise<HeadRows | null> {
  try {
    const steps = new Steps(log);
    const head = readStart(file);
    if (head.length === 0) return null;
    const text = isGzip(head) ? inflateHead(head, rows) : /\.gz$/i.test(file) ? null : head.subarray(0, HEAD_TEXT);
    if (!text || text.length === 0) return null;
    const builder = new TableBuilder(headBuilderOptions(template));
    for (let at = 0; at < text.length && builder.rowCount < rows; at += PIECE) {
      if (await steps.turn(stop)) return null;
      builder.append(text.subarray(at, at + PIECE));
    }
    if (builder.rowCount === 0 || !builder.headerInfo) return null;
    const first: FirstRows = { table: builder.table(), info: builder.headerInfo };
    const t = new ExportTable(first.table);
    const out: (string | null)[][] = [];
    for (let r = 0; r < Math.min(texts, t.rowCount); r++) {
      if (await steps.turn(stop)) return null;
      out.push(t.row(r));
    }
    steps.end();
    return { first, texts: out };
  } catch {
    return null;
  }
}

/** Time slices on this thread: `turn` yields once the current slice has run STEP_MS. */
class Steps {
  private began = performance.now();

  constructor(private readonly log?: StepLog) {
    if (log) log.steps = 1;
  }

  /** Gives the thread a turn when the slice is used up; true when the read should stop (asked at every piece). */
  async turn(stop: () => boolean): Promise<boolean> {
    if (stop()) return true;
    if (performance.now() - this.began < STEP_MS) return false;
    this.end();
    await new Promise((resolve) => setImmediate(resolve));
    this.began = performance.now();
    if (this.log) this.log.steps++;
    return stop();
  }

  end(): void {
    if (this.log) this.log.longest = Math.max(this.log.longest, performance.now() - this.began);
  }
}
