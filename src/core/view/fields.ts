/**
 * One column of a loaded table without scanning whole records: a quote-aware walk from a row's start
 * to its k-th field, and typed vectors built that way for columns the loader did not vectorize
 * (`vector: false` in the catalog), so sorting and filtering read every column typed.
 */
import {
  BOOL_NULL,
  CR,
  fieldText,
  LF,
  parseBoolean,
  parseFloatBytes,
  parseIntegerBytes,
  parseTimestamp,
  QUOTE,
} from '../load/cells';
import { DICT_NULL, DictEncoder } from '../load/dict';
import { RecordScanner } from '../load/scan';
import { RowText, vectorKindOf, type TableData, type VectorData } from '../load/table';
import { columnSpec, type ColumnType } from '../catalog/templates';

/**
 * Where a field lies: bytes [start, end) of `bytes` (the row's segment of the text), quotes included
 * when quoted; start -1 when the row has no such field.
 */
export class FieldCursor {
  bytes: Uint8Array;
  start = -1;
  end = -1;
  quoted = false;
  private readonly delimiter: number;
  /** Per column: the last JSON column before it whose byte ranges the loader kept, or -1. */
  private readonly anchors: Int32Array;
  private readonly scanner: RecordScanner;
  private readonly rows: RowText;

  constructor(private readonly data: TableData) {
    this.rows = new RowText(data);
    this.bytes = this.rows.bytes;
    this.delimiter = data.delimiter.charCodeAt(0);
    this.scanner = new RecordScanner(this.delimiter);
    this.anchors = new Int32Array(data.header.length + 1);
    let last = -1;
    for (let k = 0; k < this.anchors.length; k++) {
      this.anchors[k] = last;
      if (data.vectors[k]?.kind === 'span') last = k;
    }
  }

  /** Moves to field `column` of data row `row`; false when the row is shorter. */
  seek(row: number, column: number): boolean {
    const b = (this.bytes = this.rows.at(row));
    const d = this.delimiter;
    const limit = this.rows.end(row);
    let i = this.data.rowStarts[row];
    let skip = column;
    // from the end of a JSON column before this one (the fields between are short), when there is one
    const a = column < this.anchors.length ? this.anchors[column] : -1;
    if (a >= 0) {
      const e = (this.data.vectors[a]!.data as Uint32Array)[2 * row + 1];
      // (0, 0): the row lacks that column; no delimiter after it: the row ends there
      if (e === 0 || e >= limit || b[e] !== d) {
        this.start = this.end = -1;
        return false;
      }
      i = e + 1;
      skip = column - a - 1;
    }
    if (skip > 0) i = this.scanner.fieldStart(b, i, skip);
    if (i < 0) {
      this.start = this.end = -1;
      return false;
    }
    const fs = i;
    let q = false;
    if (b[i] === QUOTE) {
      q = true;
      i++;
      for (;;) {
        while (i < limit && b[i] !== QUOTE) i++;
        if (i + 1 < limit && b[i + 1] === QUOTE) i += 2;
        else break;
      }
      i = Math.min(i + 1, limit);
      if (i < limit && b[i] !== d && b[i] !== LF && !(b[i] === CR && b[i + 1] === LF)) q = false; // text after the closing quote
    }
    while (i < limit && b[i] !== d && b[i] !== LF) i++;
    let fe = i;
    if (fe > fs && b[fe - 1] === CR && (i >= limit || b[i] === LF)) fe--;
    this.start = fs;
    this.end = fe;
    this.quoted = q;
    return true;
  }

  /** The field's text as ExportTable.cell gives it: null for an empty unquoted or a missing field. */
  text(row: number, column: number): string | null {
    if (!this.seek(row, column) || this.start === this.end) return null;
    return fieldText(this.bytes, this.start, this.end, this.quoted);
  }
}

/** The vector kind a column of this type would have: null for text without a dictionary, arrays and JSON. */
function lazyKind(type: ColumnType, dictionary: boolean): VectorData['kind'] | null {
  const kind = vectorKindOf(type, dictionary);
  return kind === 'span' ? null : kind;
}

/**
 * A typed vector for a column the loader left as text, or null when the column is free text (or has
 * more distinct values than a dictionary holds). Same encodings as the loader's vectors.
 */
export function buildVector(data: TableData, column: number): VectorData | null {
  const spec = columnSpec(data.header[column]);
  const kind = lazyKind(data.types[column], spec?.dictionary ?? false);
  if (!kind) return null;
  const n = data.rowCount;
  const cur = new FieldCursor(data);
  if (kind === 'dict') {
    const enc = new DictEncoder();
    const codes = new Uint16Array(n);
    for (let r = 0; r < n; r++) {
      if (!cur.seek(r, column) || cur.start === cur.end) {
        codes[r] = DICT_NULL;
        continue;
      }
      const code = enc.encode(cur.bytes, cur.start, cur.end, cur.quoted);
      if (code === -2) return null;
      codes[r] = code;
    }
    return { kind, data: codes, dict: enc.values };
  }
  const out = kind === 'bool' ? new Uint8Array(n) : new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = -1;
    let e = -1;
    if (cur.seek(r, column)) {
      s = cur.quoted ? cur.start + 1 : cur.start;
      e = cur.quoted ? cur.end - 1 : cur.end;
    }
    if (s >= e) {
      out[r] = kind === 'bool' ? BOOL_NULL : NaN;
      continue;
    }
    const b = cur.bytes;
    switch (kind) {
      case 'time':
        out[r] = parseTimestamp(b, s, e);
        break;
      case 'float':
        out[r] = parseFloatBytes(b, s, e);
        break;
      case 'int':
        out[r] = parseIntegerBytes(b, s, e);
        break;
      default:
        out[r] = parseBoolean(b, s, e);
    }
  }
  return { kind, data: out };
}
