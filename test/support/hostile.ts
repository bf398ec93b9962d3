/**
 * Helpers for the hostile-input tests: a v5 header followed by bytes of one's choosing, loaded in
 * this process the way the worker loads it (64 KB slices, as the loader feeds early data), with the
 * memory the builder asks for counted, and timings that take the best of a few runs.
 */
import { performance } from 'node:perf_hooks';
import { templateVersion } from '../../src/core/catalog/templates';
import { loadExport, type LoadOptions, type LoadOutcome } from '../../src/core/load/load';
import { nodeGunzip } from '../../src/node/decodeNode';
import { cleanText } from '../../src/node/loadFile';

export const V5_HEADER = `${templateVersion('v5')
  .columns.map((c) => c.name)
  .join(',')}\n`;

/** The header, then `body` (a string is written as UTF-8 and repeated `times` times). */
export function exportBytes(body: string | Uint8Array, times = 1): Uint8Array {
  const head = Buffer.from(V5_HEADER);
  const piece = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
  const out = Buffer.alloc(head.length + piece.length * times);
  head.copy(out, 0);
  for (let k = 0; k < times; k++) piece.copy(out, head.length + k * piece.length);
  return out;
}

async function* slices(b: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
}

export interface Measured {
  readonly outcome: LoadOutcome;
  /** Bytes the builder allocated in all (text buffer, row index, vectors). */
  readonly allocated: number;
  readonly ms: number;
}

/** Loads plain text (or gzip, by name) from memory in 64 KB pieces. */
export async function loadBytes(
  bytes: Uint8Array,
  options: Partial<LoadOptions> & { name?: string; sizeHint?: number } = {},
): Promise<Measured> {
  let allocated = 0;
  const { name = 'transactions.csv', sizeHint, ...rest } = options;
  const t0 = performance.now();
  const outcome = await loadExport(
    { name, size: bytes.length, chunks: slices(bytes, 64 * 1024), sizeHint },
    {
      decompressor: nodeGunzip,
      cleanText,
      maxPerRule: 100,
      ...rest,
      allocate: (n) => {
        allocated += n;
        return new ArrayBuffer(n);
      },
    },
  );
  return { outcome, allocated, ms: performance.now() - t0 };
}

/**
 * The best (lowest) of `runs` costs of fn, in CPU milliseconds of this process (every thread): the
 * scaling checks compare work done, which a busy machine's descheduling does not inflate as it does
 * wall time; noise only ever adds, hence the best.
 */
export async function bestMs(runs: number, fn: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  return best;
}
