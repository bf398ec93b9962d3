/**
 * A quote-aware RFC 4180 record scanner over bytes. It finds record and field boundaries in one
 * pass and counts physical lines (quoted newlines included). A record cut by the end of the data
 * is not searched again: the scanner keeps where it stopped (inside which field, in which state)
 * and goes on from there when more data arrives, so the time is linear in the data however long a
 * record is. It never allocates per record, and stores at most `keep` fields of a record (the
 * others are counted).
 */
import { CR, LF, QUOTE } from './cells';
import {
  blankRunEnd,
  closingQuote,
  eqMask,
  fieldEnd,
  firstByte,
  hasZero,
  LFS4,
  NEED_MORE,
  ONES,
  QUOTES4,
  UNCLOSED,
  type SearchOut,
} from './search';

/** Record flags. */
export const UNTERMINATED_QUOTE = 1;
/** Text after a closing quote before the next delimiter (`"ab"c`): kept, the field reads as raw bytes. */
export const STRAY_QUOTE = 2;

export interface RecordSink {
  /**
   * One complete record. Field k spans scanner.starts[k]..scanner.ends[k] (quotes included when
   * scanner.quoted[k] is 1) for k below both fieldCount and scanner.keep. `line` is the physical
   * line where the record starts (1-based).
   */
  record(scanner: RecordScanner, start: number, line: number, fieldCount: number, flags: number): void;
  /**
   * `count` blank lines in a row (each `\n` or `\r\n`) over bytes [start, end), the first on
   * physical line `line`. Optional: a sink without it gets each blank line as a record of one
   * empty unquoted field.
   */
  blankLines?(start: number, end: number, line: number, count: number): void;
}

/** A field count no record reaches (a small integer, so the check per field stays cheap). */
const NO_FIELD_LIMIT = 0x3fffffff;

/** Where a record cut by the end of the data stopped, to go on from there (0: at a record start). */
const AT_FIELD = 1; // a field starts at `at`
const IN_UNQUOTED = 2; // in an unquoted field: no delimiter or LF before `at`
const IN_QUOTED = 3; // in a quoted field: every quote before `at` is paired
const AFTER_QUOTE = 4; // a quoted field was closed by the quote before `at`
const IN_STRAY = 5; // in text after a closing quote, up to `at`

export class RecordScanner {
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  quoted = new Uint8Array(64);
  /** Where the next record starts (while a record is cut, where that record starts). */
  pos: number;
  /** Physical line of the next record. */
  line: number;
  /** Fields stored per record: later ones are counted, not stored (a record of millions of delimiters stays small). */
  keep = NO_FIELD_LIMIT;
  private readonly found: SearchOut = { lines: 0, resumeAt: 0 };
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | null = null;
  // the record cut by the end of the data (cut 0: none)
  private cut = 0;
  private cutRecord = 0;
  private cutFields = 0;
  private cutFlags = 0;
  private cutLines = 0;
  private cutFieldStart = 0;
  private cutAt = 0;
  private cutQuotedLines = 0;

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

  /** Keeps where a record cut by the end of the data stopped; `pos` stays at its start. */
  private stop(
    record: number,
    fields: number,
    flags: number,
    lines: number,
    state: number,
    fieldStart: number,
    at: number,
    quotedLines: number,
  ): void {
    this.pos = record;
    this.cut = state;
    this.cutRecord = record;
    this.cutFields = fields;
    this.cutFlags = flags;
    this.cutLines = lines;
    this.cutFieldStart = fieldStart;
    this.cutAt = at;
    this.cutQuotedLines = quotedLines;
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
    const j = closingQuote(buf, dv, i + 1, end, true, this.found);
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
   * is: the last record may lack a newline, and an open quote is reported as unterminated. Without
   * it, a record cut by `end` is kept where it stopped and finished by the next call (with more of
   * the same bytes: the same buffer or a copy holding them at the same offsets).
   * `limit` stops after that many records (used to read just the header; a run of blank lines
   * counts as one). `fieldLimit` ends a record after that many fields (to read one column of a row
   * without the rest; `pos` and `line` then do not point past that record).
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
    const found = this.found;
    const blanks = sink.blankLines !== undefined;
    let i = this.pos;
    let emitted = 0;
    let starts = this.starts;
    let ends = this.ends;
    let quoted = this.quoted;
    let room = starts.length;
    // a record cut by the previous call goes on where it stopped (unless pos was moved since)
    let resume = this.cut !== 0 && this.cutRecord === i ? this.cut : 0;
    this.cut = 0;
    while (i < end && emitted < limit) {
      const recStart = i;
      let n = 0;
      let flags = 0;
      let extraLines = 0;
      let step = 0;
      let fs = i;
      let at = i;
      let quotedLines = 0;
      if (resume !== 0) {
        n = this.cutFields;
        flags = this.cutFlags;
        extraLines = this.cutLines;
        fs = this.cutFieldStart;
        at = this.cutAt;
        quotedLines = this.cutQuotedLines;
        step = resume === AT_FIELD ? 0 : resume;
        if (resume === AT_FIELD) i = at;
        resume = 0;
      } else if (blanks && (buf[i] === LF || buf[i] === CR)) {
        const j = blankRunEnd(buf, dv, i, end, found);
        if (found.lines > 0) {
          const line = this.line;
          this.line += found.lines;
          this.pos = j;
          emitted++;
          sink.blankLines!(i, j, line, found.lines);
          i = j;
          continue;
        }
      }
      for (;;) {
        let fe = i;
        let q = 0;
        if (step === 0) {
          fs = i;
          if (i >= end) {
            // after a delimiter that ends the data: one more field, empty when the data ends here
            if (!final) {
              this.stop(recStart, n, flags, extraLines, AT_FIELD, i, i, 0);
              return;
            }
          } else if (buf[i] === QUOTE) {
            step = IN_QUOTED;
            at = i + 1;
            quotedLines = 0;
          } else {
            step = IN_UNQUOTED;
            at = i;
          }
        }
        if (step === IN_UNQUOTED) {
          i = fieldEnd(d, buf, dv, at, end);
          fe = i;
          if (fe > fs && buf[fe - 1] === CR && (i < end ? buf[i] === LF : final)) fe--;
        } else if (step !== 0) {
          q = 1;
          if (step === IN_QUOTED) {
            const j = closingQuote(buf, dv, at, end, final, found);
            if (j === NEED_MORE) {
              this.stop(recStart, n, flags, extraLines, IN_QUOTED, fs, found.resumeAt, quotedLines + found.lines);
              return;
            }
            extraLines += quotedLines + found.lines;
            if (j === UNCLOSED) {
              flags |= UNTERMINATED_QUOTE;
              fe = end;
              i = end;
            } else {
              at = j + 1;
              step = AFTER_QUOTE;
            }
          }
          if (step === AFTER_QUOTE) {
            i = at;
            fe = i;
            if (i < end && buf[i] === CR) {
              // CR LF after the closing quote ends the record; a lone CR is stray text
              if (i + 1 < end) {
                if (buf[i + 1] === LF) i++;
              } else if (!final) {
                this.stop(recStart, n, flags, extraLines, AFTER_QUOTE, fs, at, 0);
                return;
              } else i++;
            }
            if (i < end && buf[i] !== d && buf[i] !== LF) {
              flags |= STRAY_QUOTE;
              step = IN_STRAY;
              at = i;
            }
          }
          if (step === IN_STRAY) {
            i = at;
            while (i < end && buf[i] !== d && buf[i] !== LF) i++;
            fe = i;
            if (fe > fs && buf[fe - 1] === CR && i < end && buf[i] === LF) fe--;
            q = 0;
          }
        }
        if (n >= room && room < this.keep) {
          this.grow();
          starts = this.starts;
          ends = this.ends;
          quoted = this.quoted;
          room = starts.length;
        }
        if (n < room) {
          starts[n] = fs;
          ends[n] = fe;
          quoted[n] = q;
        }
        n++;
        if (n === fieldLimit) break;
        if (i >= end) {
          if (final) break;
          // the field may go on in the next data
          this.stop(recStart, n - 1, flags, extraLines, step === 0 ? AT_FIELD : step, fs, i, quotedLines);
          return;
        }
        if (buf[i] === d) {
          i++;
          step = 0;
          continue;
        }
        // LF (a CR before it was already skipped)
        i++;
        break;
      }
      const line = this.line;
      this.line += 1 + extraLines;
      this.pos = i;
      emitted++;
      sink.record(this, recStart, line, n, flags);
    }
    this.pos = i;
  }
}
