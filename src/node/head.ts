/**
 * The first rows of an export file, read on the spot while its full load has not begun. The export
 * editor puts them into its page, so the grid has rows the moment VS Code shows the page, instead of
 * waiting for the loading thread to reach them and send them over.
 *
 * Small, bounded and synchronous: it reads at most HEAD_BYTES of the file, inflates them a few
 * kilobytes first, all of them only when those hold too few rows (node:zlib, in this thread: no trip
 * through libuv's pool, which a busy machine makes slow), and never more than HEAD_TEXT bytes of
 * text (a zip bomb's head gives no more: less of it is inflated). `readHeadNow` reads it all in one
 * go, so it runs in the loading thread kept ready for it (src/worker/loadClient.ts, LoadThreads),
 * never on the extension host's thread: cold, the table builder takes tens of milliseconds for its
 * first rows. Until that thread is warm the extension host reads the same head with the same pieces
 * (readStart, inflateHead, headBuilderOptions), scanned in steps (headSteps.ts). Anything out of the
 * ordinary (not gzip, corrupt, not an export, an empty head) gives null: the full load then reports
 * it in its own words.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { TableBuilder, type Allocate, type BuilderOptions } from '../core/load/builder';
import { isGzip } from '../core/load/decode';
import { EARLY_ROWS, type FirstRows } from '../core/load/load';

/** Compressed bytes read from the start of the file (a screenful of rows is ~16 KB of gzip). */
export const HEAD_BYTES = 64 * 1024;
/** Decompressed bytes at most. */
export const HEAD_TEXT = 1024 * 1024;
/** Compressed bytes inflated first: a screenful of rows or more in a usual export. */
export const FIRST_BYTES = 16 * 1024;
/** Text that holds `rows` rows in a usual export (~700 bytes a row) decides whether to inflate more. */
export const ROW_GUESS = 700;
/** Text handed to the builder at a time. */
const PIECE = 16 * 1024;

/** The first `rows` rows of `file` read as `template` ('auto': detected), or null; never throws. */
export function readHeadNow(file: string, template: string, rows = EARLY_ROWS, allocate?: Allocate): FirstRows | null {
  try {
    const head = readStart(file);
    if (head.length === 0) return null;
    const builder = new TableBuilder(headBuilderOptions(template, allocate));
    if (!isGzip(head)) {
      if (/\.gz$/i.test(file)) return null;
      builder.append(head.subarray(0, HEAD_TEXT));
    } else {
      // in pieces: the builder stops once the rows wanted are in, not at the end of the text
      const text = inflateHead(head, rows);
      for (let at = 0; at < text.length && builder.rowCount < rows; at += PIECE)
        builder.append(text.subarray(at, at + PIECE));
    }
    if (builder.rowCount === 0 || !builder.headerInfo) return null;
    return { table: builder.table(), info: builder.headerInfo };
  } catch {
    return null;
  }
}

/** The builder of a head: the text limit, no validation, no key codes (the page shows text). */
export function headBuilderOptions(template: string, allocate?: Allocate): BuilderOptions {
  return { maxBytes: HEAD_TEXT + 64 * 1024, sizeHint: 256 * 1024, template, validate: false, keys: false, allocate };
}

/** The same, as a promise (the tests' and any caller's that would rather not block). */
export function readHead(file: string, template: string, rows = EARLY_ROWS): Promise<FirstRows | null> {
  return Promise.resolve().then(() => readHeadNow(file, template, rows));
}

/**
 * The text of a gzip head: FIRST_BYTES of it inflated, or all of it when that gives too little text for
 * `rows` rows; less when the text would pass HEAD_TEXT. A stream that ends early or goes bad gives
 * what came out before (zlib's sync flush), a head that is not gzip after all an empty text.
 */
export function inflateHead(head: Uint8Array, rows: number): Uint8Array {
  const inflate = (n: number) =>
    zlib.gunzipSync(head.subarray(0, n), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: HEAD_TEXT,
    });
  let text: Uint8Array = new Uint8Array(0);
  for (let n = Math.min(FIRST_BYTES, head.length); n >= 256; n >>= 1) {
    try {
      text = inflate(n);
      break;
    } catch (e) {
      // more text than HEAD_TEXT: inflate less; anything else (corrupt, not gzip): nothing
      if (!(e instanceof RangeError)) return text;
    }
  }
  if (text.length >= rows * ROW_GUESS || head.length <= FIRST_BYTES) return text;
  try {
    return inflate(head.length);
  } catch {
    return text;
  }
}

export function readStart(file: string): Uint8Array {
  // read-only: the user's file is never opened for writing
  const fd = fs.openSync(file, 'r');
  try {
    const b = new Uint8Array(HEAD_BYTES);
    return b.subarray(0, fs.readSync(fd, b, 0, HEAD_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}
