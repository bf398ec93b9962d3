/**
 * Text that is not text: NUL bytes and bytes that are not UTF-8 (Latin-1 and other 8-bit encodings,
 * cut or damaged sequences) in the text columns. Counted per column and reported once per column,
 * with the count and the first place. Only records in parts of the file where such bytes occur at
 * all are looked at cell by cell (the loader says which parts; see Validator.suspect).
 */
import { columnSpec } from '../catalog/templates';
import { shownField } from '../load/cells';
import type { RecordScanner } from '../load/scan';
import type { ProblemCollector } from './problems';

const HIGHS = 0x80808080 | 0;
const ONES = 0x01010101;

/**
 * Whether every byte is plain ASCII text (0x01..0x7f): such bytes need no closer look. A loader
 * with a faster check that also passes valid UTF-8 brings its own (see BuilderOptions.cleanText).
 */
export function plainAscii(b: Uint8Array): boolean {
  const n = b.length;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const w = dv.getInt32(i, true);
    if ((w & HIGHS) !== 0 || ((w - ONES) & ~w & HIGHS) !== 0) return false;
  }
  for (; i < n; i++) if (b[i] === 0 || b[i] >= 0x80) return false;
  return true;
}

const NUL = 1;
const NOT_UTF8 = 2;

/** NUL and/or NOT_UTF8 for the bytes b[s, e); 0 for valid UTF-8 without NUL. */
export function textFault(b: Uint8Array, s: number, e: number): number {
  let fault = 0;
  let i = s;
  while (i < e) {
    const c = b[i];
    if (c < 0x80) {
      if (c === 0) fault |= NUL;
      i++;
      continue;
    }
    // the length of the sequence c starts, and the range its second byte must be in (RFC 3629)
    let n = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    }
    if (n === 0 || i + n >= e) {
      fault |= NOT_UTF8;
      i++;
      continue;
    }
    let ok = b[i + 1] >= lo && b[i + 1] <= hi;
    for (let k = 2; ok && k <= n; k++) ok = b[i + k] >= 0x80 && b[i + k] <= 0xbf;
    if (!ok) {
      fault |= NOT_UTF8;
      i++;
      continue;
    }
    i += n + 1;
  }
  return fault;
}

/** Whether a column holds text (a string, JSON or array column, or one the catalog does not know). */
function isTextColumn(name: string): boolean {
  const t = columnSpec(name)?.type;
  return t === undefined || t === 'string' || t === 'json' || t === 'array';
}

interface ColumnFaults {
  nul: number;
  invalid: number;
  row: number;
  line: number;
  offset: number;
  value: string;
}

export class TextBytes {
  private readonly cols: Int32Array;
  private readonly faults = new Map<number, ColumnFaults>();

  constructor(private readonly header: readonly string[]) {
    this.cols = Int32Array.from([...header.keys()].filter((k) => isTextColumn(header[k])));
  }

  /** Checks the text fields of one record (n fields, 0-based row); b starts at `base` in the whole text. */
  record(b: Uint8Array, sc: RecordScanner, n: number, row: number, line: number, base = 0): void {
    const cols = this.cols;
    for (let j = 0; j < cols.length; j++) {
      const k = cols[j];
      if (k >= n) break;
      const s = sc.starts[k];
      const e = sc.ends[k];
      if (s === e) continue;
      const fault = textFault(b, s, e);
      if (fault === 0) continue;
      let f = this.faults.get(k);
      if (!f) {
        f = {
          nul: 0,
          invalid: 0,
          row: row + 1,
          line,
          offset: base + s,
          value: shownField(b, s, e, sc.quoted[k] === 1),
        };
        this.faults.set(k, f);
      }
      if (fault & NUL) f.nul++;
      if (fault & NOT_UTF8) f.invalid++;
    }
  }

  /** One warning per column, with its counts and first place. */
  report(collector: ProblemCollector): void {
    for (const [k, f] of [...this.faults].sort((a, b) => a[0] - b[0])) {
      const name = this.header[k];
      const what: string[] = [];
      if (f.invalid)
        what.push(
          `${f.invalid.toLocaleString('en-US')} not UTF-8 (Latin-1 or another 8-bit encoding, or damaged text)`,
        );
      if (f.nul) what.push(`${f.nul.toLocaleString('en-US')} with NUL bytes`);
      collector.add({
        rule: 'encoding-error',
        row: f.row,
        line: f.line,
        column: name,
        value: f.value,
        offset: f.offset,
        message: `${name}: values that are not clean text: ${what.join(', ')}; the first is on row ${f.row}`,
      });
    }
  }
}
