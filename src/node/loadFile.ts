/**
 * Loading an export file from disk in Node: file chunks, the gzip size hint, node:zlib.
 *
 * Room src/node: files and folders on disk in Node: reading, decompressing with node:zlib, deliveries.
 * May import: src/core, src/core/catalog, src/core/load, src/core/measures.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSizeHint } from '../core/load/decode';
import { loadExport, type LoadOptions, type LoadOutcome } from '../core/load/load';
import { nodeGunzip } from './decodeNode';

export type FileLoadOptions = Omit<LoadOptions, 'decompressor'> & { decompressor?: LoadOptions['decompressor'] };

async function readTrailer(file: string, size: number): Promise<Uint8Array> {
  if (size < 18) return new Uint8Array(0);
  const fh = await fs.promises.open(file, 'r');
  try {
    const b = new Uint8Array(4);
    await fh.read(b, 0, 4, size - 4);
    return b;
  } finally {
    await fh.close();
  }
}

/** Clean text for the validator: valid UTF-8 without NUL bytes (both checks native and fast). */
export function cleanText(chunk: Uint8Array): boolean {
  const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return b.indexOf(0) < 0 && isUtf8(b);
}

export async function loadExportFile(file: string, options: FileLoadOptions = {}): Promise<LoadOutcome> {
  let size: number;
  try {
    const st = await fs.promises.stat(file);
    if (st.isDirectory())
      return { ok: false, error: { code: 'io', message: `${file} is a folder, not an export file` } };
    size = st.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error: {
        code: 'io',
        message:
          code === 'ENOENT' ? `${file} does not exist` : `${file} cannot be read (${code ?? (e as Error).message})`,
      },
    };
  }
  const trailer = await readTrailer(file, size);
  return loadExport(
    {
      name: path.basename(file),
      path: file,
      size,
      sizeHint: gzipSizeHint(trailer),
      // read-only: the user's file is never opened for writing
      chunks: fs.createReadStream(file, { flags: 'r', highWaterMark: 1 << 20 }),
    },
    { decompressor: nodeGunzip, cleanText, ...options },
  );
}
