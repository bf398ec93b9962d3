/**
 * How much decompressed text a load may take on this machine: what its memory allows, up to the most
 * a table can index. A load peaks at about 1.6 times its text (text, row index, typed vectors and the
 * validator's batches), and the system, VS Code and the other tabs need room of their own.
 */
import * as os from 'node:os';
import { HARD_MAX_BYTES } from '../core/load/builderOptions';

/** Peak memory of a load, per byte of decompressed text (measured: 1.43–1.56 on the 1M-row bench file). */
export const LOAD_PEAK_PER_TEXT_BYTE = 1.6;
/** Memory left to everything else. */
export const MEMORY_RESERVE = 2 * 2 ** 30;
/** Never below this, however small the machine: a limit that refuses every real export helps no one. */
export const MIN_LIMIT = 256 * 2 ** 20;

/** The default decompressed-size limit for a machine with `totalMemory` bytes of memory. */
export function memoryMaxBytes(totalMemory = os.totalmem()): number {
  const allowed = Math.floor((totalMemory - MEMORY_RESERVE) / LOAD_PEAK_PER_TEXT_BYTE);
  return Math.min(HARD_MAX_BYTES, Math.max(MIN_LIMIT, allowed));
}

/** The limit a load uses: the one asked for (CLI --max-bytes, a setting), else what memory allows. */
export function loadLimit(asked: number | undefined): number {
  return asked !== undefined && asked > 0 ? Math.min(asked, HARD_MAX_BYTES) : memoryMaxBytes();
}
