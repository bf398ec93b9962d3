/**
 * A seeded mutator of export files for the fuzz suite. It starts from a small generated export (any
 * version, delimiter, line ends) and applies a few mutations that know the format: CSV-level (bytes
 * that matter to a CSV reader, long runs of them, cut or doubled lines, numbers and keys that are not
 * what they look like, bytes that are not UTF-8) and, for gzip files, gzip-level (cut, flipped bits,
 * a forged size trailer, garbage or a second member after the end). Each input records the
 * mutations it went through, so a failure names its seed and recipe.
 */
import * as zlib from 'node:zlib';
import { VERSION_IDS, type VersionId } from '../../src/core/catalog/templates';
import { generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';

export interface FuzzInput {
  readonly name: string;
  readonly bytes: Buffer;
  /** The text before compression (what a gzip input should decompress to, if undamaged). */
  readonly text: Buffer;
  readonly gzip: boolean;
  readonly recipe: string[];
}

const PIECES: readonly (string | number[])[] = [
  ',',
  ';',
  '"',
  '""',
  '\n',
  '\r\n',
  '\r',
  '\n\n',
  ' ',
  '\t',
  [0],
  [0xe9],
  [0xff, 0xfe],
  [0xc3, 0x28],
  'é',
  '😀',
  '1e309',
  '-1E400',
  '1'.repeat(400),
  'NaN',
  '0x10',
  '{"__proto__": null}',
  '{"a": {"value": "x", "updated_at_ms": 1}}',
  '[',
  '}',
  '2024-13-45 99:00:00',
  'true',
  't',
  '\\',
];

const bytesOf = (p: string | number[]) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p));

function lineStarts(b: Buffer): number[] {
  const out = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a && i + 1 < b.length) out.push(i + 1);
  return out;
}

/** One CSV-level mutation of `b`, described in `recipe`. */
function mutateText(rng: Rng, b: Buffer, recipe: string[]): Buffer {
  const at = b.length ? rng.int(b.length + 1) : 0;
  // mutations stay off the header line most of the time, so the file is still read as an export
  const headerEnd = b.indexOf(0x0a) + 1;
  const inRows = headerEnd > 0 && b.length > headerEnd ? headerEnd + rng.int(b.length - headerEnd + 1) : at;
  const pos = rng.chance(0.9) ? inRows : at;
  switch (rng.int(9)) {
    case 0: {
      const p = rng.pick(PIECES);
      recipe.push(`insert ${JSON.stringify(p)} at ${pos}`);
      return Buffer.concat([b.subarray(0, pos), bytesOf(p), b.subarray(pos)]);
    }
    case 1: {
      const n = rng.range(1, 16);
      recipe.push(`delete ${n} at ${pos}`);
      return Buffer.concat([b.subarray(0, pos), b.subarray(pos + n)]);
    }
    case 2: {
      const p = rng.pick(PIECES);
      const n = rng.range(1, 12);
      recipe.push(`replace ${n} at ${pos} with ${JSON.stringify(p)}`);
      return Buffer.concat([b.subarray(0, pos), bytesOf(p), b.subarray(pos + n)]);
    }
    case 3: {
      const p = rng.pick([',', '"', '\n', '\r\n', 'a', ';', '""', '\0']);
      const n = rng.range(100, 20_000);
      recipe.push(`run of ${n} × ${JSON.stringify(p)} at ${pos}`);
      return Buffer.concat([b.subarray(0, pos), Buffer.from(p.repeat(n)), b.subarray(pos)]);
    }
    case 4: {
      recipe.push(`cut at ${pos}`);
      return b.subarray(0, pos);
    }
    case 5: {
      const starts = lineStarts(b);
      const k = rng.int(starts.length);
      const line = b.subarray(starts[k], k + 1 < starts.length ? starts[k + 1] : b.length);
      const times = rng.range(1, 50);
      recipe.push(`line ${k + 1} repeated ${times} times`);
      return Buffer.concat([b.subarray(0, starts[k]), ...Array<Buffer>(times).fill(line), b.subarray(starts[k])]);
    }
    case 6: {
      const n = rng.range(1, 200);
      recipe.push(`${n} tiny rows at the end`);
      return Buffer.concat([b, Buffer.from('a\n'.repeat(n))]);
    }
    case 7: {
      recipe.push('a BOM in front');
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]);
    }
    default: {
      const from = rng.pick([',', ';', '\n', '"']);
      const to = rng.pick([',', ';', '\r\n', '"', '\t']);
      recipe.push(`every ${JSON.stringify(from)} after ${pos} → ${JSON.stringify(to)}`);
      const tail = b.subarray(pos).toString('latin1').split(from).join(to);
      return Buffer.concat([b.subarray(0, pos), Buffer.from(tail, 'latin1')]);
    }
  }
}

/** One gzip-level mutation of compressed bytes. */
function mutateGzip(rng: Rng, gz: Buffer, recipe: string[]): Buffer {
  switch (rng.int(6)) {
    case 0: {
      const n = rng.int(gz.length);
      recipe.push(`gzip cut to ${n} bytes`);
      return gz.subarray(0, n);
    }
    case 1: {
      const out = Buffer.from(gz);
      const i = rng.int(out.length);
      out[i] ^= 1 << rng.int(8);
      recipe.push(`gzip bit flipped at ${i}`);
      return out;
    }
    case 2: {
      const out = Buffer.from(gz);
      const isize = rng.pick([0xffffffff, 0x7fffffff, 0, 1, rng.int(2 ** 32)]);
      out.writeUInt32LE(isize >>> 0, out.length - 4);
      recipe.push(`gzip ISIZE forged to ${isize}`);
      return out;
    }
    case 3: {
      recipe.push('garbage after the gzip member');
      return Buffer.concat([gz, Buffer.from('not gzip at all')]);
    }
    case 4: {
      recipe.push('a second gzip member');
      return Buffer.concat([gz, zlib.gzipSync(Buffer.from('a,b\n'))]);
    }
    default: {
      const n = rng.range(1, 20);
      recipe.push(`gzip header: ${n} bytes cut from the front`);
      return gz.subarray(n);
    }
  }
}

/** Input number `k` of a run seeded with `seed` (the same pair always gives the same input). */
export function fuzzInput(seed: number, k: number): FuzzInput {
  const rng = new Rng((seed ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0);
  const version: VersionId = rng.pick(VERSION_IDS);
  const recipe = [`${version}`];
  const g = generateExport({
    version,
    rows: rng.range(0, 6),
    seed: rng.int(1e9),
    delimiter: rng.chance(0.3) ? ';' : ',',
    crlf: rng.chance(0.3),
    multiline: rng.chance(0.3),
    finalNewline: rng.chance(0.8),
  });
  let text = g.text;
  const n = rng.range(0, 4);
  for (let i = 0; i < n; i++) text = mutateText(rng, text, recipe);
  const gzip = rng.chance(0.5);
  let bytes = gzip ? zlib.gzipSync(text) : text;
  if (gzip && rng.chance(0.3)) bytes = mutateGzip(rng, bytes, recipe);
  return { name: gzip ? 'transactions_1735689600.csv.gz' : 'transactions_1735689600.csv', bytes, text, gzip, recipe };
}
