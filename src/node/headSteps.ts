/**
 * The first rows of an export file read on the calling thread in small steps: what head.ts reads in
 * one go, for a thread that must never block (the extension host) and cannot wait for a loading
 * thread still booting. The file is read and inflated off the thread (fs.promises, zlib's async
 * gunzip on libuv's pool); the header and the rows are scanned a few kilobytes at a time, and the
 * first rows are cut into text a few at a time, with a turn of the event loop whenever a step has
 * run STEP_MS. The result is head.ts's (the same builder, options and limits) plus the texts.
 */
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { TableBuilder } from '../core/load/builder';
import { isGzip } from '../core/load/decode';
import { EARLY_ROWS, type FirstRows } from '../core/load/load';
import { ExportTable } from '../core/load/table';
import { FIRST_BYTES, HEAD_BYTES, HEAD_TEXT, headBuilderOptions, ROW_GUESS } from './head';

/** How long one step runs before the thread gets a turn (well under a frame's 16 ms). */
export const STEP_MS = 4;
/** Text handed to the builder at a time: small, so a cold first piece (it reads the header) stays short. */
const PIECE = 2 * 1024;

const gunzip = promisify(zlib.gunzip);

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
    const head = await readStart(file);
    if (head.length === 0 || stop()) return null;
    const text = isGzip(head)
      ? await inflateHead(head, rows)
      : /\.gz$/i.test(file)
        ? null
        : head.subarray(0, HEAD_TEXT);
    if (!text || text.length === 0 || stop()) return null;
    const steps = new Steps(log);
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

  /** Gives the thread a turn when the slice is used up; true when the read should stop. */
  async turn(stop: () => boolean): Promise<boolean> {
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

/** As head.ts's inflateHead, off this thread: FIRST_BYTES inflated, or all the head when that gives too little text. */
async function inflateHead(head: Uint8Array, rows: number): Promise<Uint8Array> {
  const inflate = (n: number) =>
    gunzip(head.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: HEAD_TEXT });
  let text: Uint8Array = new Uint8Array(0);
  for (let n = Math.min(FIRST_BYTES, head.length); n >= 256; n >>= 1) {
    try {
      text = await inflate(n);
      break;
    } catch (e) {
      // more text than HEAD_TEXT: inflate less; anything else (corrupt, not gzip): nothing
      if (!(e instanceof RangeError)) return text;
    }
  }
  if (text.length >= rows * ROW_GUESS || head.length <= FIRST_BYTES) return text;
  try {
    return await inflate(head.length);
  } catch {
    return text;
  }
}

async function readStart(file: string): Promise<Uint8Array> {
  // read-only: the user's file is never opened for writing
  const fd = await fs.promises.open(file, 'r');
  try {
    const b = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fd.read(b, 0, HEAD_BYTES, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fd.close();
  }
}
