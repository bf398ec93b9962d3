/**
 * gzip → text bytes, streaming, behind one small interface. The Node build uses node:zlib
 * (decodeNode.ts: native and off the JavaScript thread); anything without Node (a web build) uses
 * fflate, in pure JavaScript. Both raise LoadFailure with the same codes.
 */
import { Gunzip } from 'fflate';
import { LoadFailure } from '../errors';

/** Turns compressed chunks into decompressed chunks. */
export type Decompressor = (input: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export function isGzip(b: Uint8Array): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** `PAR1`: the first (and last) four bytes of every Parquet file. */
export function isParquet(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;
}

/**
 * The gzip trailer's ISIZE: the uncompressed size modulo 2^32 of the last member. A hint only: read
 * from the last four bytes of whatever the file is (a cut-off file has no trailer there), and
 * anyone can write any number in it.
 */
export function gzipSizeHint(trailer: Uint8Array): number {
  if (trailer.length < 4) return 0;
  const n = trailer.length;
  return (trailer[n - 4] | (trailer[n - 3] << 8) | (trailer[n - 2] << 16)) + trailer[n - 1] * 2 ** 24;
}

/** Deflate inflates at most about 1032-fold (258 bytes from a two-bit code). */
export const MAX_DEFLATE_RATIO = 1032;

/**
 * The size hint a loader may start from: ISIZE when a file of `compressed` bytes can inflate to it,
 * else 0 (unknown). Even then it stays a first guess, never a size to rely on.
 */
export function plausibleSizeHint(isize: number, compressed: number): number {
  return isize > 0 && isize <= compressed * MAX_DEFLATE_RATIO ? isize : 0;
}

export function truncatedGzip(produced: number): LoadFailure {
  return new LoadFailure(
    'gzip-truncated',
    `The gzip data ends early, after ${produced.toLocaleString('en-US')} decompressed bytes: the file was cut off (an interrupted download or copy?)`,
  );
}

export function corruptGzip(detail: string): LoadFailure {
  return new LoadFailure('gzip-corrupt', `The gzip data is damaged (${detail}); the file cannot be decompressed`);
}

/** fflate's streaming Gunzip. Note: fflate does not check the CRC-32 of a member. */
export const fflateGunzip: Decompressor = async function* (input) {
  const out: Uint8Array[] = [];
  let produced = 0;
  const gz = new Gunzip((chunk) => {
    out.push(chunk);
    produced += chunk.length;
  });
  const push = (data: Uint8Array, final: boolean) => {
    try {
      gz.push(data, final);
    } catch (e) {
      const err = e as Error & { code?: number };
      if (err.code === 0) throw truncatedGzip(produced);
      throw corruptGzip(err.message);
    }
  };
  for await (const chunk of input) {
    push(chunk, false);
    while (out.length) yield out.shift()!;
  }
  push(new Uint8Array(0), true);
  while (out.length) yield out.shift()!;
};
