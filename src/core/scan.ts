/**
 * A quote-aware RFC 4180 record scanner over bytes. It finds record and field boundaries in one
 * pass, resumes where a chunk ended (a record cut by a chunk boundary is rescanned once more data
 * arrives), counts physical lines (quoted newlines included) and never allocates per record.
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

export class RecordScanner {
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  quoted = new Uint8Array(64);
  /** Where the next record starts. */
  pos: number;
  /** Physical line of the next record. */
  line: number;

  constructor(readonly delimiter: number, pos = 0, line = 1) {
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

  /**
   * Scans the complete records in buf[pos, end). With `final`, the bytes up to `end` are all there
   * is: the last record may lack a newline, and an open quote is reported as unterminated.
   * `limit` stops after that many records (used to read just the header).
   */
  scan(buf: Uint8Array, end: number, final: boolean, sink: RecordSink, limit = Infinity): void {
    const d = this.delimiter;
    let i = this.pos;
    let emitted = 0;
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
          let j = i + 1;
          let closed = false;
          for (;;) {
            while (j < end && buf[j] !== QUOTE) {
              if (buf[j] === LF) extraLines++;
              j++;
            }
            if (j >= end) break;
            if (j + 1 < end) {
              if (buf[j + 1] === QUOTE) {
                j += 2;
                continue;
              }
            } else if (!final) {
              break; // a quote at the end of the data: `""` or closing? wait for more
            }
            closed = true;
            break;
          }
          if (!closed) {
            if (!final || j < end) {
              this.pos = recStart;
              return; // incomplete record: rescan it when more data arrives
            }
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
          while (i < end) {
            const c = buf[i];
            if (c === d || c === LF) break;
            i++;
          }
          fe = i;
          if (fe > fs && buf[fe - 1] === CR && (i < end ? buf[i] === LF : final)) fe--;
        }
        if (n === this.starts.length) this.grow();
        this.starts[n] = fs;
        this.ends[n] = fe;
        this.quoted[n] = q;
        n++;
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
            if (n === this.starts.length) this.grow();
            this.starts[n] = i;
            this.ends[n] = i;
            this.quoted[n] = 0;
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
