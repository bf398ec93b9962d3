/**
 * One column of a loaded table without scanning whole records: a quote-aware walk from a row's start
 * to its k-th field, and typed vectors built that way for columns the loader did not vectorize
 * (`vector: false` in the catalog), so sorting and filtering read every column typed.
 */
import { BOOL_NULL, CR, fieldText, LF, parseBoolean, parseFloatBytes, parseIntegerBytes, parseTimestamp, QUOTE } from './cells';
import { DICT_NULL, DictEncoder } from './dict';
import type { TableData, VectorData } from './table';
import { columnSpec, type ColumnType } from './templates';

/** Where a field lies: bytes [start, end), quotes included when quoted; start -1 when the row has no such field. */
export class FieldCursor {
  start = -1;
  end = -1;
  quoted = false;
  private readonly delimiter: number;

  constructor(private readonly data: TableData) {
    this.delimiter = data.delimiter.charCodeAt(0);
  }

  /** Moves to field `column` of data row `row`; false when the row is shorter. */
  seek(row: number, column: number): boolean {
    const b = this.data.bytes;
    const d = this.delimiter;
    const limit = row + 1 < this.data.rowCount ? this.data.rowStarts[row + 1] : b.length;
    let i = this.data.rowStarts[row];
    for (let k = 0; ; k++) {
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
      if (k === column) {
        let fe = i;
        if (fe > fs && b[fe - 1] === CR && (i >= limit || b[i] === LF)) fe--;
        this.start = fs;
        this.end = fe;
        this.quoted = q;
        return true;
      }
      if (i >= limit || b[i] !== d) {
        this.start = this.end = -1;
        return false;
      }
      i++;
    }
  }

  /** The field's text as ExportTable.cell gives it: null for an empty unquoted or a missing field. */
  text(row: number, column: number): string | null {
    if (!this.seek(row, column) || this.start === this.end) return null;
    return fieldText(this.data.bytes, this.start, this.end, this.quoted);
  }
}

/** The vector kind a column of this type would have: null for text without a dictionary, arrays and JSON. */
function lazyKind(type: ColumnType, dictionary: boolean): VectorData['kind'] | null {
  switch (type) {
    case 'timestamp': return 'time';
    case 'float': return 'float';
    case 'integer': return 'int';
    case 'boolean': return 'bool';
    case 'string': return dictionary ? 'dict' : null;
    default: return null;
  }
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
  const b = data.bytes;
  const cur = new FieldCursor(data);
  if (kind === 'dict') {
    const enc = new DictEncoder();
    const codes = new Uint16Array(n);
    for (let r = 0; r < n; r++) {
      if (!cur.seek(r, column) || cur.start === cur.end) {
        codes[r] = DICT_NULL;
        continue;
      }
      const code = enc.encode(b, cur.start, cur.end, cur.quoted);
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
    switch (kind) {
      case 'time': out[r] = parseTimestamp(b, s, e); break;
      case 'float': out[r] = parseFloatBytes(b, s, e); break;
      case 'int': out[r] = parseIntegerBytes(b, s, e); break;
      default: out[r] = parseBoolean(b, s, e);
    }
  }
  return { kind, data: out };
}
