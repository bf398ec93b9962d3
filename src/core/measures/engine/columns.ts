/**
 * Typed columns for the measures, read from the vectors the loader built. Should a column have no
 * vector (a dictionary that outgrew 16-bit codes, or a catalog change), one is built from the cells
 * once per table with the loader's own parsers, so a measure never depends on how a column was kept.
 * Like the loader, they read what a SQL load reads (lenient.ts), and keep the rows no SQL load would
 * read (unreadableRows), which the measures leave out and count.
 */
import {
  BOOL_INVALID,
  BOOL_NULL,
  fieldText,
  parseBoolean,
  parseFloatBytes,
  parseIntegerBytes,
  parseTimestamp,
  QUOTE,
} from '../../load/cells';
import { parseEnrollments } from '../../catalog/experiments';
import { DICT_NULL } from '../../load/dict';
import { plainField, textCodes } from '../../load/keyIndex';
import { parseBooleanLenient, parseFloatLenient, parseIntegerLenient, parseTimestampLenient } from '../../load/lenient';
import type { ExportTable, VectorData } from '../../load/table';
import { required } from './rowFilter';
import type { MeasureInput, Part } from './types';

export interface DictColumn {
  readonly codes: Uint16Array | Uint32Array;
  readonly dict: readonly string[];
  readonly nullCode: number;
}

/** A dictionary column: its codes, and the one code that stands for `text` (-1 if never seen). */
export function codeOf(c: DictColumn, text: string): number {
  return c.dict.indexOf(text);
}

const built = new WeakMap<object, Map<string, unknown>>();

function cached<T>(table: ExportTable, key: string, make: () => T): T {
  let m = built.get(table.data);
  if (!m) built.set(table.data, (m = new Map<string, unknown>()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}

/**
 * Calls f with each row's raw field range (quotes included) in `b`, the row's segment of the text;
 * a missing field is an empty range. A row with no quote up to the field's end is read by skipping
 * delimiters (plainField).
 */
function eachField(
  table: ExportTable,
  col: number,
  f: (row: number, s: number, e: number, quoted: boolean, b: Uint8Array) => void,
): void {
  const delim = table.data.delimiter.charCodeAt(0);
  const at = new Uint32Array(2);
  for (let r = 0; r < table.rowCount; r++) {
    const b = table.rowBytes(r);
    if (plainField(table, b, r, col, delim, at)) {
      f(r, at[0], at[1], false, b);
      continue;
    }
    const range = table.cellRange(r, col);
    if (!range) f(r, 0, 0, false, b);
    else f(r, range[0], range[1], range[1] > range[0] && b[range[0]] === QUOTE, b);
  }
}

/** eachField with the text inside the quotes of a quoted field. */
function eachInner(
  table: ExportTable,
  col: number,
  f: (row: number, s: number, e: number, b: Uint8Array) => void,
): void {
  eachField(table, col, (r, s, e, q, b) => (q ? f(r, s + 1, e - 1, b) : f(r, s, e, b)));
}

type Parse = typeof parseTimestamp;

const LENIENT: Record<'time' | 'float' | 'int', Parse> = {
  time: parseTimestampLenient,
  float: parseFloatLenient,
  int: parseIntegerLenient,
};

function numbers(table: ExportTable, name: string, kind: 'time' | 'float' | 'int', parse: Parse): Float64Array | null {
  const col = table.columnIndex(name);
  if (col < 0) return null;
  const v = table.data.vectors[col];
  if (v && v.kind === kind) return v.data as Float64Array;
  return cached(table, `${kind}:${name}`, () => {
    const out = new Float64Array(table.rowCount);
    const bad: number[] = [];
    eachInner(table, col, (r, s, e, b) => {
      if (s >= e) out[r] = NaN;
      else {
        let x = parse(b, s, e);
        if (x !== x) x = LENIENT[kind](b, s, e);
        if (x !== x) bad.push(r);
        out[r] = x;
      }
    });
    cached(table, `unreadable:${name}`, () => bad);
    return out;
  });
}

/** Timestamps in ms since the epoch, NaN for null; null when the export has no such column. */
export function timeColumn(table: ExportTable, name: string): Float64Array | null {
  return numbers(table, name, 'time', parseTimestamp);
}

/** Numbers, NaN for null; null when the export has no such column. */
export function floatColumn(table: ExportTable, name: string): Float64Array | null {
  return numbers(table, name, 'float', parseFloatBytes);
}

/** Whole numbers, NaN for null; null when the export has no such column. */
export function intColumn(table: ExportTable, name: string): Float64Array | null {
  return numbers(table, name, 'int', parseIntegerBytes);
}

/** BOOL_* codes (null and unreadable ≥ BOOL_NULL); null when the export has no such column. */
export function boolColumn(table: ExportTable, name: string): Uint8Array | null {
  const col = table.columnIndex(name);
  if (col < 0) return null;
  const v = table.data.vectors[col];
  if (v && v.kind === 'bool') return v.data as Uint8Array;
  return cached(table, `bool:${name}`, () => {
    const out = new Uint8Array(table.rowCount);
    const bad: number[] = [];
    eachInner(table, col, (r, s, e, b) => {
      let x = s >= e ? BOOL_NULL : parseBoolean(b, s, e);
      if (x === BOOL_INVALID) x = parseBooleanLenient(b, s, e);
      if (x === BOOL_INVALID) bad.push(r);
      out[r] = x;
    });
    cached(table, `unreadable:${name}`, () => bad);
    return out;
  });
}

/** Text as dictionary codes; null when the export has no such column. */
export function dictColumn(table: ExportTable, name: string): DictColumn | null {
  const col = table.columnIndex(name);
  if (col < 0) return name === 'experiment_id' || name === 'experiment_variant' ? experimentColumn(table, name) : null;
  const v: VectorData | null = table.data.vectors[col];
  if (v && v.kind === 'dict') return { codes: v.data as Uint16Array, dict: v.dict!, nullCode: DICT_NULL };
  return cached(table, `dict:${name}`, () => {
    const codes = new Uint32Array(table.rowCount);
    const dict: string[] = [];
    const index = new Map<string, number>();
    const nullCode = 0xffffffff;
    eachField(table, col, (r, s, e, q, b) => {
      if (s === e) {
        codes[r] = nullCode;
        return;
      }
      const text = fieldText(b, s, e, q);
      let code = index.get(text);
      if (code === undefined) {
        code = dict.length;
        dict.push(text);
        index.set(text, code);
      }
      codes[r] = code;
    });
    return { codes, dict, nullCode };
  });
}

/**
 * The rows (0-based, ascending) whose cell in a typed column holds a value no SQL load would read;
 * empty for text columns and columns the export lacks.
 */
export function unreadableRows(table: ExportTable, name: string): readonly number[] {
  const col = table.columnIndex(name);
  if (col < 0) return [];
  const v = table.data.vectors[col];
  if (v && v.kind !== 'dict' && v.kind !== 'span') return table.data.unreadable?.[name] ?? [];
  const type = table.data.types[col];
  if (type === 'timestamp') timeColumn(table, name);
  else if (type === 'float') floatColumn(table, name);
  else if (type === 'integer') intColumn(table, name);
  else if (type === 'boolean') boolColumn(table, name);
  else return [];
  return cached<number[]>(table, `unreadable:${name}`, () => []);
}

const ENROLLED = 'enrolled_experiments_by_layer';

/**
 * v7 replaced experiment_id and experiment_variant with enrolled_experiments_by_layer: read from it,
 * they are the first enrolment of the row (layers in their JSON order), so what reads the v4–v6
 * columns reads v7 the same way. NULL where the row has no enrolment or its JSON is not the
 * documented shape (the validator reports that). null when the export has neither.
 */
function experimentColumn(table: ExportTable, name: 'experiment_id' | 'experiment_variant'): DictColumn | null {
  const col = table.columnIndex(ENROLLED);
  if (col < 0) return null;
  return cached(table, `dict:${name}`, () => {
    const codes = new Uint32Array(table.rowCount);
    const dict: string[] = [];
    const index = new Map<string, number>();
    const nullCode = 0xffffffff;
    const seen = new Map<string, string | null>();
    for (let r = 0; r < table.rowCount; r++) {
      const text = table.cell(r, col);
      let value: string | null = null;
      if (text !== null) {
        if (seen.has(text)) value = seen.get(text)!;
        else {
          const parsed = parseEnrollments(text);
          const first = parsed.ok ? parsed.enrollments[0] : undefined;
          value = first ? (name === 'experiment_id' ? first.experiment_id : first.variant) : null;
          seen.set(text, value);
        }
      }
      if (value === null) {
        codes[r] = nullCode;
        continue;
      }
      let code = index.get(value);
      if (code === undefined) {
        code = dict.length;
        dict.push(value);
        index.set(value, code);
      }
      codes[r] = code;
    }
    return { codes, dict, nullCode };
  });
}

/**
 * Text columns as whole-number keys shared by every part of an input, for GROUP BY and JOIN on
 * text (customer, subscription, product). A dictionary column gives its codes, a key column those
 * the loader gave it (TableData.textKeys); any other is interned from its bytes once per table
 * (textCodes: no string per row). Over several parts, each
 * part's distinct texts are mapped once to common keys. Built once per input and column, then
 * kept: a measure's run reads key[row] from a typed array.
 */
export interface Keys {
  /** Per part: row → key, -1 for NULL (which SQL never joins on); null where the part has no such column. */
  readonly of: readonly (Int32Array | null)[];
  /** Number of keys: 0 … count-1. */
  readonly count: number;
  /** A key's text. */
  name(key: number): string;
}

/** One table's column as local codes (-1 NULL) and their texts. */
function localKeys(
  table: ExportTable,
  column: string,
): { codes: Int32Array; count: number; name: (k: number) => string } | null {
  const col = table.columnIndex(column);
  if (col < 0) return null;
  const v = table.data.vectors[col];
  if (v && v.kind === 'dict') {
    return cached(table, `keys:${column}`, () => {
      const dict = v.dict!;
      const src = v.data as Uint16Array;
      const codes = new Int32Array(src.length);
      for (let r = 0; r < src.length; r++) codes[r] = src[r] === DICT_NULL ? -1 : src[r];
      return { codes, count: dict.length, name: (k: number) => dict[k] };
    });
  }
  const given = table.data.textKeys?.[col];
  if (given) {
    // coded while loading (the catalog's key columns)
    const { codes, count, first } = given;
    return cached(table, `keys:${column}`, () => ({ codes, count, name: (k: number) => table.cell(first[k], col)! }));
  }
  return cached(table, `keys:${column}`, () => {
    const t = textCodes(table, col);
    // TEXT_NULL read as a signed 32-bit integer is -1
    const codes = new Int32Array(t.codes.buffer, t.codes.byteOffset, t.codes.length);
    return { codes, count: t.count, name: (k: number) => table.cell(t.first[k], col)! };
  });
}

const sharedKeys = new WeakMap<readonly Part[], Map<string, Keys>>();

/** `optional`: a part without the column has null keys (else the measure fails, naming it). */
export function keys(input: MeasureInput, column: string, optional = false): Keys {
  let m = sharedKeys.get(input.parts);
  if (!m) sharedKeys.set(input.parts, (m = new Map<string, Keys>()));
  const id = `${column}${optional ? '?' : ''}`;
  let k = m.get(id);
  if (!k) m.set(id, (k = buildKeys(input.parts, column, optional)));
  return k;
}

function buildKeys(parts: readonly Part[], column: string, optional: boolean): Keys {
  const local = parts.map((part) => {
    const l = localKeys(part.delivery.table, column);
    return optional ? l : required(l, column, part);
  });
  const present = local.filter((l) => l !== null);
  if (present.length <= 1) {
    const only = present[0];
    return { of: local.map((l) => l && l.codes), count: only ? only.count : 0, name: only ? only.name : String };
  }
  const names: string[] = [];
  const ids = new Map<string, number>();
  const of = local.map((l) => {
    if (!l) return null;
    const remap = new Int32Array(l.count);
    for (let c = 0; c < l.count; c++) {
      const text = l.name(c);
      let id = ids.get(text);
      if (id === undefined) {
        id = names.length;
        names.push(text);
        ids.set(text, id);
      }
      remap[c] = id;
    }
    const codes = new Int32Array(l.codes.length);
    for (let r = 0; r < codes.length; r++) codes[r] = l.codes[r] < 0 ? -1 : remap[l.codes[r]];
    return codes;
  });
  return { of, count: names.length, name: (k) => names[k] };
}
