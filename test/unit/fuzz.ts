/** Shared helpers for the randomized unit tests: a seeded PRNG (mulberry32) and byte helpers. */
import { Rng as BaseRng } from '../gen/rng';

/** The generator's PRNG, plus what the parser fuzzers need. */
export class Rng extends BaseRng {
  /** n random decimal digits (the first one may be 0 unless `nonZeroFirst`). */
  digits(n: number, nonZeroFirst = false): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(i === 0 && nonZeroFirst ? this.range(1, 9) : this.int(10));
    return out;
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Latin-1 bytes of a string (each char code → one byte), for byte-exact junk. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** The text placed inside a larger buffer at a random offset, so parsers must honour s/e. */
export function embed(rng: Rng, text: string): { b: Uint8Array; s: number; e: number } {
  const body = utf8(text);
  const pre = rng.int(4);
  const post = rng.int(4);
  const b = new Uint8Array(pre + body.length + post);
  for (let i = 0; i < pre; i++) b[i] = 0x37; // '7': a digit, to catch reads before s
  b.set(body, pre);
  for (let i = 0; i < post; i++) b[pre + body.length + i] = 0x35; // '5': a digit, to catch reads past e
  return { b, s: pre, e: pre + body.length };
}

/** 1–10 sorted random prefix ends in [from, len]. */
export function randomCuts(rng: Rng, from: number, len: number): number[] {
  const n = rng.range(1, 10);
  const cuts: number[] = [];
  for (let i = 0; i < n; i++) cuts.push(rng.range(from, len));
  return cuts.sort((a, b) => a - b);
}

/** Every prefix end from `from` to `len`: byte-by-byte feeding. */
export function everyByte(from: number, len: number): number[] {
  const cuts: number[] = [];
  for (let end = from; end <= len; end++) cuts.push(end);
  return cuts;
}

/** 1 + the number of LF bytes before `pos`. */
export function lineAt(buf: Uint8Array, pos: number): number {
  let n = 1;
  for (let i = 0; i < pos; i++) if (buf[i] === 0x0a) n++;
  return n;
}
