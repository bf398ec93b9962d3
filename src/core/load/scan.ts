/**
 * A quote-aware RFC 4180 record scanner over bytes. It finds record and field boundaries in one
 * pass, resumes where a chunk ended (a record cut by a chunk boundary is rescanned once more data
 * arrives), counts physical lines (quoted newlines included) and never allocates per record.
 *
 * The searches read four bytes at a time (SWAR: "SIMD within a register") through a DataView,
 * which the JIT turns into plain unaligned loads; bytewise loops finish the last few bytes.
 */
import { CR, LF, QUOTE } from './cells';

/** Record flags. */
export const UNTERMINATED_QUOTE = 1;
/** Text after a closing quote before the next delimiter (`"ab"c`): kept, the field reads as raw bytes. */
export const STRAY_QUOTE = 2;

export interface RecordSink {
  /**
   * One complete record. Field k spans scanner.starts[k]..scanner.ends[k] (quotes included when
   * scanner.quoted[k] is 1). `line` is the physical line where the record starts (1-based).
   */
  record(scanner: RecordScanner, start: number, line: number, fieldCount: number, flags: number): void;
}

const ONES = 0x01010101;
const HIGHS = 0x80808080 | 0;
const LOWS7 = 0x7f7f7f7f;
const QUOTES4 = QUOTE * ONES;
const LFS4 = LF * ONES;

/** Bit 7 of each byte of `w` that equals the byte repeated in `c4` (exact, no false positives). */
function eqMask(w: number, c4: number): number {
  const t = w ^ c4;
  return ~(((t & LOWS7) + LOWS7) | t | LOWS7);
}

/** Bit 7 of each byte of `t` that is zero, exact up to the lowest one (a borrow can flag bytes above it). */
function hasZero(t: number): number {
  return (t - ONES) & ~t & HIGHS;
}

/** Index (0..3) of the lowest byte flagged in a nonzero byte mask. */
function firstByte(m: number): number {
  return (31 - Math.clz32(m & -m)) >> 3;
}

/** A field count no record reaches (a small integer, so the check per field stays cheap). */
const NO_FIELD_LIMIT = 0x3fffffff;

/** Quoted field outcomes besides the index of the closing quote. */
const NEED_MORE = -1;
const UNCLOSED = -2;

export class RecordScanner {
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  quoted = new Uint8Array(64);
  /** Where the next record starts. */
  pos: number;
  /** Physical line of the next record. */
  line: number;
  /** Newlines inside the quoted field last searched. */
  private quotedLines = 0;
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | null = null;

  constructor(
    readonly delimiter: number,
    pos = 0,
    line = 1,
  ) {
    this.pos = pos;
    this.line = line;
  }

  private grow(): void {
    const n = this.starts.length * 2;
    const s = new Float64Array(n);
    s.set(this.starts);
    const e = new Float64Array(n);
    e.set(this.ends);
    const q = new Uint8Array(n);
    q.set(this.quoted);
    this.starts = s;
    this.ends = e;
    this.quoted = q;
  }

  private dataView(buf: Uint8Array): DataView {
    if (this.viewOf !== buf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    return this.view;
  }

  /** First index in [i, end) holding the delimiter or LF; `end` when there is none. */
  private fieldEnd(buf: Uint8Array, dv: DataView, i: number, end: number): number {
    const d = this.delimiter;
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

  /**
   * The closing quote of a quoted field whose content starts at j: the first quote that is not the
   * first of a doubled pair. Counts the newlines before it into quotedLines. NEED_MORE when the
   * data ends before that is known (and more may come), UNCLOSED when the data ends (final).
   */
  private closingQuote(buf: Uint8Array, dv: DataView, j: number, end: number, final: boolean): number {
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
          this.quotedLines = lines;
          return j - 1;
        }
        const stop = closing !== 0 ? firstByte(closing) : 4;
        if (lfs !== 0) for (let k = 0; k < stop; k++) if (buf[j + k] === LF) lines++;
        if (closing !== 0) {
          this.quotedLines = lines;
          return j + stop;
        }
      }
      carry = unpaired >>> 31;
      j += 4;
    }
    if (carry !== 0) {
      // the quote just before j is unpaired: it closes the field unless a quote follows
      if (j < end) {
        if (buf[j] !== QUOTE) {
          this.quotedLines = lines;
          return j - 1;
        }
        j++;
      } else {
        this.quotedLines = lines;
        return final ? j - 1 : NEED_MORE;
      }
    }
    while (j < end) {
      const c = buf[j];
      if (c === QUOTE) {
        this.quotedLines = lines;
        if (j + 1 < end) {
          if (buf[j + 1] === QUOTE) {
            j += 2;
            continue;
          }
          return j;
        }
        return final ? j : NEED_MORE;
      }
      if (c === LF) lines++;
      j++;
    }
    this.quotedLines = lines;
    return final ? UNCLOSED : NEED_MORE;
  }

  /**
   * Where the field `k` fields after the one starting at i begins, in a record of buf read to its end
   * (as scan reads it with `final`): i for k = 0, -1 when the record ends first, buf.length for the
   * empty field after a delimiter that ends the bytes. Eight bytes holding no quote and no line feed
   * are passed at once, counting their delimiters; quoted fields are read as scan reads them.
   */
  fieldStart(buf: Uint8Array, i: number, k: number): number {
    const end = buf.length;
    const d = this.delimiter;
    const d4 = d * ONES;
    const dv = this.dataView(buf);
    const first = i;
    while (k > 0) {
      /** The first quote or line feed ahead, once a word shows one. */
      let stop = end;
      while (i + 8 <= end) {
        const w = dv.getInt32(i, true);
        const x = dv.getInt32(i + 4, true);
        const sw = hasZero(w ^ QUOTES4) | hasZero(w ^ LFS4);
        const sx = hasZero(x ^ QUOTES4) | hasZero(x ^ LFS4);
        if ((sw | sx) !== 0) {
          stop = sw !== 0 ? i + firstByte(sw) : i + 4 + firstByte(sx);
          break;
        }
        const mw = eqMask(w, d4);
        const mx = eqMask(x, d4);
        // delimiters among the eight bytes: bits 7, 15, 23, 31 of each word summed into the top byte
        const c = Math.imul(((mw >>> 7) & ONES) + ((mx >>> 7) & ONES), ONES) >>> 24;
        if (c >= k) {
          const cw = Math.imul((mw >>> 7) & ONES, ONES) >>> 24;
          let m = mw;
          let at = i;
          if (cw < k) {
            k -= cw;
            m = mx;
            at += 4;
          }
          for (; k > 1; k--) m &= m - 1;
          return at + firstByte(m) + 1;
        }
        k -= c;
        i += 8;
      }
      // a byte at a time through that quote or line feed (or to the end)
      const last = Math.min(stop, end - 1);
      while (i <= last) {
        const c = buf[i];
        if (c === QUOTE && (i === first || buf[i - 1] === d)) {
          // a quoted field (a quote inside an unquoted field is text)
          i = this.quotedEnd(buf, dv, i, end);
          if (i >= end || buf[i] !== d) return -1;
          i++;
          if (--k === 0) return i;
          break;
        }
        i++;
        if (c === LF) return -1;
        if (c === d && --k === 0) return i;
      }
      if (i >= end) return -1;
    }
    return i;
  }

  /** The end of the quoted field at i (where its delimiter or line end is), as scan finds it with `final`. */
  private quotedEnd(buf: Uint8Array, dv: DataView, i: number, end: number): number {
    const j = this.closingQuote(buf, dv, i + 1, end, true);
    if (j < 0) return end;
    i = j + 1;
    if (i < end && buf[i] === CR) {
      if (i + 1 >= end) i++;
      else if (buf[i + 1] === LF) i++;
    }
    while (i < end && buf[i] !== this.delimiter && buf[i] !== LF) i++;
    return i;
  }

  /**
   * Scans the complete records in buf[pos, end). With `final`, the bytes up to `end` are all there
   * is: the last record may lack a newline, and an open quote is reported as unterminated.
   * `limit` stops after that many records (used to read just the header). `fieldLimit` ends a
   * record after that many fields (to read one column of a row without the rest; `pos` and `line`
   * then do not point past that record).
   */
  scan(
    buf: Uint8Array,
    end: number,
    final: boolean,
    sink: RecordSink,
    limit = Infinity,
    fieldLimit = NO_FIELD_LIMIT,
  ): void {
    const d = this.delimiter;
    const dv = this.dataView(buf);
    let i = this.pos;
    let emitted = 0;
    let starts = this.starts;
    let ends = this.ends;
    let quoted = this.quoted;
    while (i < end && emitted < limit) {
      const recStart = i;
      let n = 0;
      let flags = 0;
      let extraLines = 0;
      let complete = false;
      for (;;) {
        const fs = i;
        let fe: number;
        let q = 0;
        if (buf[i] === QUOTE) {
          q = 1;
          const j = this.closingQuote(buf, dv, i + 1, end, final);
          if (j === NEED_MORE) {
            this.pos = recStart;
            return; // incomplete record: rescan it when more data arrives
          }
          extraLines += this.quotedLines;
          if (j === UNCLOSED) {
            flags |= UNTERMINATED_QUOTE;
            fe = end;
            i = end;
          } else {
            i = j + 1;
            fe = i;
            if (i < end && buf[i] === CR) {
              // CR LF after the closing quote ends the record; a lone CR is stray text
              if (i + 1 < end) {
                if (buf[i + 1] === LF) i++;
              } else if (!final) {
                this.pos = recStart;
                return;
              } else i++;
            }
            if (i < end && buf[i] !== d && buf[i] !== LF) {
              flags |= STRAY_QUOTE;
              while (i < end && buf[i] !== d && buf[i] !== LF) i++;
              fe = i;
              if (fe > fs && buf[fe - 1] === CR && i < end && buf[i] === LF) fe--;
              q = 0;
            }
          }
        } else {
          i = this.fieldEnd(buf, dv, i, end);
          fe = i;
          if (fe > fs && buf[fe - 1] === CR && (i < end ? buf[i] === LF : final)) fe--;
        }
        if (n === starts.length) {
          this.grow();
          starts = this.starts;
          ends = this.ends;
          quoted = this.quoted;
        }
        starts[n] = fs;
        ends[n] = fe;
        quoted[n] = q;
        n++;
        if (n === fieldLimit) {
          complete = true;
          break;
        }
        if (i >= end) {
          if (!final) {
            this.pos = recStart;
            return;
          }
          complete = true;
          break;
        }
        if (buf[i] === d) {
          i++;
          if (i >= end && final) {
            // a trailing delimiter at the very end: one more, empty field
            if (n === starts.length) {
              this.grow();
              starts = this.starts;
              ends = this.ends;
              quoted = this.quoted;
            }
            starts[n] = i;
            ends[n] = i;
            quoted[n] = 0;
            n++;
            complete = true;
            break;
          }
          if (i >= end) {
            this.pos = recStart;
            return;
          }
          continue;
        }
        // LF (a CR before it was already skipped)
        i++;
        complete = true;
        break;
      }
      if (!complete) break;
      const line = this.line;
      this.line += 1 + extraLines;
      this.pos = i;
      emitted++;
      sink.record(this, recStart, line, n, flags);
    }
    this.pos = i;
  }
}
