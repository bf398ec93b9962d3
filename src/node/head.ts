/**
 * The first rows of an export file, read on the spot while its full load is still starting up in a
 * worker thread. The export editor puts them into its page, so the grid has rows the moment VS Code
 * shows the page, instead of waiting for the loading thread to start, reach them and send them over.
 *
 * Small and bounded: it reads at most HEAD_BYTES of the file, inflates on libuv's thread pool and
 * stops at `rows` rows or HEAD_TEXT bytes of text, whichever comes first (a zip bomb's head gives
 * no more). The few hundred rows are read on the calling thread (well under a millisecond). Anything
 * out of the ordinary (not gzip, corrupt, not an export, an empty head) gives null: the full load
 * then reports it in its own words.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { TableBuilder } from '../core/load/builder';
import { isGzip } from '../core/load/decode';
import { EARLY_ROWS, type FirstRows } from '../core/load/load';

/** Compressed bytes read from the start of the file (a screenful of rows is ~16 KB of gzip). */
export const HEAD_BYTES = 64 * 1024;
/** Decompressed bytes at most. */
export const HEAD_TEXT = 1024 * 1024;

export async function readHead(file: string, template: string, rows = EARLY_ROWS): Promise<FirstRows | null> {
  try {
    const head = await readStart(file);
    if (head.length === 0) return null;
    const builder = new TableBuilder({
      maxBytes: HEAD_TEXT + 64 * 1024,
      sizeHint: HEAD_TEXT,
      template,
      validate: false,
    });
    if (!isGzip(head)) {
      if (/\.gz$/i.test(file)) return null;
      builder.append(head.subarray(0, HEAD_TEXT));
    } else {
      const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
      gunzip.end(head);
      let text = 0;
      try {
        for await (const chunk of gunzip) {
          const piece = (chunk as Buffer).subarray(0, HEAD_TEXT - text);
          builder.append(piece);
          text += piece.length;
          if (builder.rowCount >= rows || text >= HEAD_TEXT) break;
        }
      } catch {
        // the head ends mid-stream (unless the file is that small): what came out before is good
      } finally {
        gunzip.destroy();
      }
    }
    if (builder.rowCount === 0 || !builder.headerInfo) return null;
    return { table: builder.table(), info: builder.headerInfo };
  } catch {
    return null;
  }
}

async function readStart(file: string): Promise<Uint8Array> {
  // read-only: the user's file is never opened for writing
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(b, 0, HEAD_BYTES, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
