/**
 * The scanner's byte searches. They read four bytes at a time (SWAR: "SIMD within a register")
 * through a DataView, which the JIT turns into plain unaligned loads; bytewise loops finish the last
 * few bytes. Each search is resumable: what it learnt before the data ended is handed back, so a
 * record cut by a chunk boundary is never searched twice.
 */
import { LF, QUOTE } from './cells';

export const ONES = 0x01010101;
export const HIGHS = 0x80808080 | 0;
const LOWS7 = 0x7f7f7f7f;
export const QUOTES4 = QUOTE * ONES;
export const LFS4 = LF * ONES;

/** Bit 7 of each byte of `w` that equals the byte repeated in `c4` (exact, no false positives). */
export function eqMask(w: number, c4: number): number {
  const t = w ^ c4;
  return ~(((t & LOWS7) + LOWS7) | t | LOWS7);
}

/** Bit 7 of each byte of `t` that is zero, exact up to the lowest one (a borrow can flag bytes above it). */
export function hasZero(t: number): number {
  return (t - ONES) & ~t & HIGHS;
}

/** Index (0..3) of the lowest byte flagged in a nonzero byte mask. */
export function firstByte(m: number): number {
  return (31 - Math.clz32(m & -m)) >> 3;
}

/** First index in [i, end) holding the delimiter `d` or LF; `end` when there is none. */
export function fieldEnd(d: number, buf: Uint8Array, dv: DataView, i: number, end: number): number {
  const d4 = d * ONES;
  while (i + 4 <= end) {
    const w = dv.getInt32(i, true);
    const x = w ^ d4;
    const y = w ^ LFS4;
    // the lowest flagged byte is exact; flags above it may be false (borrows), and are not read
    const z = (((x - ONES) & ~x) | ((y - ONES) & ~y)) & HIGHS;
    if (z !== 0) return i + firstByte(z);
    i += 4;
  }
  while (i < end) {
    const c = buf[i];
    if (c === d || c === LF) return i;
    i++;
  }
  return end;
}

/** Quoted field outcomes besides the index of the closing quote. */
export const NEED_MORE = -1;
export const UNCLOSED = -2;

/** What a search learnt besides its answer. */
export interface SearchOut {
  /** closingQuote: newlines inside the field before the closing quote (before resumeAt on NEED_MORE); blankRunEnd: the blank lines. */
  lines: number;
  /** On NEED_MORE: where to search again once more data is there (every quote before it is paired). */
  resumeAt: number;
}

/**
 * The closing quote of a quoted field whose content continues at j (j follows the opening quote, or
 * is a resumeAt handed back earlier): the first quote that is not the first of a doubled pair. Counts
 * the newlines before it into out.lines. NEED_MORE when the data ends before that is known
 * (and more may come), UNCLOSED when the data ends (final).
 */
export function closingQuote(
  buf: Uint8Array,
  dv: DataView,
  j: number,
  end: number,
  final: boolean,
  out: SearchOut,
): number {
  let lines = 0;
  // Word loop. `carry` is 1 when the previous word ended in an unpaired quote: that quote closes
  // the field unless this word starts with its pair.
  let carry = 0;
  while (j + 4 <= end) {
    const w = dv.getInt32(j, true);
    const q = eqMask(w, QUOTES4);
    // inclusive prefix parity of quotes (bit 8k: bytes 0..k hold an odd number), with the carry
    let p = (q >>> 7) ^ carry;
    p ^= p << 8;
    p ^= p << 16;
    const unpaired = q & (p << 7);
    const closing = unpaired & ~(q >>> 8) & 0x00808080;
    const lf = w ^ LFS4;
    const lfs = (lf - ONES) & ~lf & HIGHS;
    const closesBefore = carry & ~(q >>> 7);
    if ((closing | lfs | closesBefore) !== 0) {
      if (closesBefore !== 0) {
        out.lines = lines;
        return j - 1;
      }
      const stop = closing !== 0 ? firstByte(closing) : 4;
      if (lfs !== 0) for (let k = 0; k < stop; k++) if (buf[j + k] === LF) lines++;
      if (closing !== 0) {
        out.lines = lines;
        return j + stop;
      }
    }
    carry = unpaired >>> 31;
    j += 4;
  }
  out.lines = lines;
  if (carry !== 0) {
    // the quote just before j is unpaired: it closes the field unless a quote follows
    if (j < end) {
      if (buf[j] !== QUOTE) return j - 1;
      j++;
    } else {
      out.resumeAt = j - 1;
      return final ? j - 1 : NEED_MORE;
    }
  }
  while (j < end) {
    const c = buf[j];
    if (c === QUOTE) {
      out.lines = lines;
      if (j + 1 < end) {
        if (buf[j + 1] === QUOTE) {
          j += 2;
          continue;
        }
        return j;
      }
      out.resumeAt = j;
      return final ? j : NEED_MORE;
    }
    if (c === LF) lines++;
    j++;
  }
  out.lines = lines;
  out.resumeAt = end;
  return final ? UNCLOSED : NEED_MORE;
}

/**
 * The end of a run of blank lines (each `\n` or `\r\n`) starting at i, and how many there are.
 * Returns the index after the run; out.lines receives the count.
 */
export function blankRunEnd(buf: Uint8Array, dv: DataView, i: number, end: number, out: SearchOut): number {
  let lines = 0;
  for (;;) {
    while (i + 4 <= end && dv.getInt32(i, true) === LFS4) {
      i += 4;
      lines += 4;
    }
    if (i < end && buf[i] === LF) {
      i++;
      lines++;
    } else if (i + 1 < end && buf[i] === 0x0d && buf[i + 1] === LF) {
      i += 2;
      lines++;
    } else break;
  }
  out.lines = lines;
  return i;
}
