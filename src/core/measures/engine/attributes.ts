/**
 * custom_subscriber_attributes, read from the field's bytes. The usual cell is canonical attribute
 * JSON ({"key": {"value": "…", "updated_at_ms": n}, …}) without escapes; it is walked in place with
 * the validator's byte recognizers. Anything else (escapes, other shapes, invalid JSON) goes through
 * JSON.parse, which decides.
 */
import { bytesEqual, fieldText, QUOTE } from '../../load/cells';
import type { ExportTable } from '../../load/table';
import { entryEnd, quote, skipWs, stringEnd } from '../../validate/json';

const WALKED = 0;
const UNSURE = 2;

const utf8 = new TextEncoder();

/** The attribute column's field ranges: two offsets per row (start = end: NULL). */
export function attributeSpans(table: ExportTable): Uint32Array | null {
  const col = table.columnIndex('custom_subscriber_attributes');
  if (col < 0) return null;
  const v = table.data.vectors[col];
  if (v && v.kind === 'span') return v.data as Uint32Array;
  const out = new Uint32Array(table.rowCount * 2);
  for (let r = 0; r < table.rowCount; r++) {
    const range = table.cellRange(r, col);
    if (range) {
      out[2 * r] = range[0];
      out[2 * r + 1] = range[1];
    }
  }
  return out;
}

function hasEscape(b: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] === 0x5c) return true;
  return false;
}

type Visit = (ks: number, ke: number, i: number, end: number, dq: boolean) => number;

/**
 * Walks the top-level members of canonical attribute JSON in a raw field: visit gets each key's
 * bytes (as written: escapes are the visitor's business) and where its entry starts, and returns
 * where the entry ends (-1: not canonical, or an escape it cannot judge). WALKED, or UNSURE when
 * the field is anything else.
 */
function walk(b: Uint8Array, s: number, e: number, visit: Visit): number {
  const quoted = b[s] === QUOTE;
  const end = quoted ? e - 1 : e;
  const dq = quoted;
  const ql = dq ? 2 : 1;
  let i = skipWs(b, quoted ? s + 1 : s, end);
  if (i >= end || b[i] !== 0x7b) return UNSURE;
  i = skipWs(b, i + 1, end);
  if (i < end && b[i] === 0x7d) return skipWs(b, i + 1, end) === end ? WALKED : UNSURE;
  for (;;) {
    i = quote(b, i, end, dq);
    if (i < 0) return UNSURE;
    const ks = i;
    i = stringEnd(b, i, end, dq);
    if (i < 0) return UNSURE;
    const ke = i - ql;
    i = skipWs(b, i, end);
    if (i >= end || b[i] !== 0x3a) return UNSURE;
    i = visit(ks, ke, i + 1, end, dq);
    if (i < 0) return UNSURE;
    i = skipWs(b, i, end);
    if (i >= end) return UNSURE;
    if (b[i] === 0x7d) return skipWs(b, i + 1, end) === end ? WALKED : UNSURE;
    if (b[i] !== 0x2c) return UNSURE;
    i = skipWs(b, i + 1, end);
  }
}

function parseAttributes(b: Uint8Array, s: number, e: number): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(fieldText(b, s, e, b[s] === QUOTE));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The text json_extract_path_text gives for an attribute's value: strings as they are, numbers and booleans as text. */
function valueText(entry: unknown): string | null {
  if (entry === null || typeof entry !== 'object') return null;
  const v = (entry as Record<string, unknown>).value;
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
}

/** Where a key's value is in raw attribute fields (the field's bytes, quotes included). */
export class AttributeReader {
  static readonly ABSENT = 0;
  static readonly FOUND = 1;
  /** Not canonical attribute JSON: parsedValue() decides. */
  static readonly UNSURE = 2;
  /** The value string's bytes after locate() gave FOUND. */
  readonly span = new Int32Array(2);
  private readonly keyBytes: Uint8Array;
  private found = 0;
  private b: Uint8Array = new Uint8Array(0);
  private readonly visit: Visit = (ks, ke, i, end, dq) => {
    const b = this.b;
    // bytes equal to a key without escapes are that key; other bytes are another key unless an escape spells it
    const mine = !this.keyEscaped && bytesEqual(b, ks, ke, this.keyBytes, 0, this.keyBytes.length);
    if (!mine && hasEscape(b, ks, ke)) return -1;
    const next = entryEnd(b, i, end, dq, mine ? this.span : undefined);
    if (mine && next >= 0) {
      if (hasEscape(b, this.span[0], this.span[1])) return -1;
      this.found = AttributeReader.FOUND; // a repeated key: the last one counts, as in JSON.parse
    }
    return next;
  };

  private readonly keyEscaped: boolean;

  constructor(readonly key: string) {
    this.keyBytes = utf8.encode(key);
    // a key that JSON must escape never equals its written bytes: JSON.parse looks it up
    // eslint-disable-next-line no-control-regex -- the control characters JSON escapes are the point
    this.keyEscaped = /["\\\u0000-\u001f]/.test(key);
  }

  /** ABSENT, FOUND (the value string's bytes in span) or UNSURE for the raw field b[s, e). */
  locate(b: Uint8Array, s: number, e: number): number {
    if (s >= e) return AttributeReader.ABSENT;
    this.found = AttributeReader.ABSENT;
    this.b = b;
    return walk(b, s, e, this.visit) === UNSURE ? AttributeReader.UNSURE : this.found;
  }

  /** The value's text by JSON.parse (null: no such key, no text value, or not JSON). */
  parsedValue(b: Uint8Array, s: number, e: number): string | null {
    const obj = parseAttributes(b, s, e);
    return obj !== null && Object.prototype.hasOwnProperty.call(obj, this.key) ? valueText(obj[this.key]) : null;
  }

  /** The value's text, null when there is none. */
  value(b: Uint8Array, s: number, e: number): string | null {
    const r = this.locate(b, s, e);
    if (r === AttributeReader.FOUND) return dec.decode(b.subarray(this.span[0], this.span[1]));
    return r === AttributeReader.UNSURE ? this.parsedValue(b, s, e) : null;
  }
}

const dec = new TextDecoder();

/**
 * False only when b[s, e) holds neither `needle` (starting in it) nor an escape (which could spell
 * it). Read four bytes at a time through `dv` (over b): only a word holding the needle's first
 * byte or a backslash is looked at byte by byte.
 */
function mayContain(b: Uint8Array, dv: DataView, s: number, e: number, needle: Uint8Array): boolean {
  const first = needle[0];
  const firsts = Math.imul(first, 0x01010101);
  let i = s;
  for (; i + 4 <= e; i += 4) {
    const w = dv.getInt32(i, true);
    const x = w ^ firsts;
    const y = w ^ 0x5c5c5c5c;
    // a zero byte in x or y: (v - 0x01…) & ~v & 0x80… is not 0 exactly when v has one
    if (((((x - 0x01010101) | 0) & ~x) | (((y - 0x01010101) | 0) & ~y)) & 0x80808080) {
      if (bytesMayContain(b, i, i + 4, needle, first)) return true;
    }
  }
  return bytesMayContain(b, i, e, needle, first);
}

function bytesMayContain(b: Uint8Array, s: number, e: number, needle: Uint8Array, first: number): boolean {
  const n = needle.length;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c === 0x5c) return true;
    if (c === first) {
      let k = 1;
      while (k < n && b[i + k] === needle[k]) k++;
      if (k === n) return true;
    }
  }
  return false;
}

/** `custom_subscriber_attributes[key].value = value` on raw fields. */
export class AttributeMatcher {
  private readonly reader: AttributeReader;
  private readonly value: Uint8Array;

  /** The value is written as its own bytes in JSON (no escapes needed), and is not empty. */
  private readonly plain: boolean;

  constructor(
    key: string,
    private readonly valueText: string,
  ) {
    this.reader = new AttributeReader(key);
    this.value = utf8.encode(valueText);
    // eslint-disable-next-line no-control-regex -- the control characters JSON escapes are the point
    this.plain = this.value.length > 0 && !/["\\\u0000-\u001f]/.test(valueText);
  }

  private dv: DataView | null = null;
  private dvOf: Uint8Array | null = null;

  /** A DataView over b's bytes (b[i] at offset i), the one of the last call when b is the same. */
  private view(b: Uint8Array): DataView {
    if (this.dvOf !== b) {
      this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.dvOf = b;
    }
    return this.dv!;
  }

  /** b[s, e) is the raw field; an empty range is NULL, which matches nothing. */
  matches(b: Uint8Array, s: number, e: number): boolean {
    if (this.plain && !mayContain(b, this.view(b), s, e, this.value)) return false;
    const r = this.reader.locate(b, s, e);
    if (r === AttributeReader.FOUND)
      return bytesEqual(b, this.reader.span[0], this.reader.span[1], this.value, 0, this.value.length);
    return r === AttributeReader.UNSURE && this.reader.parsedValue(b, s, e) === this.valueText;
  }
}

/** The attribute keys seen in a table's rows (or the given rows), with how many rows carry each, most used first. */
export function attributeKeys(table: ExportTable, rows?: Uint32Array | null): { key: string; rows: number }[] {
  const spans = attributeSpans(table);
  if (!spans) return [];
  const counts = new Map<string, number>();
  const dec = new TextDecoder();
  const seen = new Set<string>();
  const n = rows ? rows.length : table.rowCount;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k] : k;
    const s = spans[2 * r];
    const e = spans[2 * r + 1];
    if (s >= e) continue;
    const b = table.rowBytes(r);
    seen.clear();
    const res = walk(b, s, e, (ks, ke, i, end, dq) => {
      if (hasEscape(b, ks, ke)) return -1;
      seen.add(dec.decode(b.subarray(ks, ke)));
      return entryEnd(b, i, end, dq);
    });
    if (res === UNSURE) {
      seen.clear();
      for (const key of Object.keys(parseAttributes(b, s, e) ?? {})) seen.add(key);
    }
    for (const key of seen) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, c]) => ({ key, rows: c })).sort((x, y) => y.rows - x.rows || (x.key < y.key ? -1 : 1));
}

/** Values of one key seen in a table's rows (or the given rows), most used first (at most `limit`). */
export function attributeValues(
  table: ExportTable,
  key: string,
  limit = 50,
  rows?: Uint32Array | null,
): { value: string; rows: number }[] {
  const spans = attributeSpans(table);
  if (!spans) return [];
  const reader = new AttributeReader(key);
  const counts = new Map<string, number>();
  const n = rows ? rows.length : table.rowCount;
  for (let k = 0; k < n; k++) {
    const r = rows ? rows[k] : k;
    const v = reader.value(table.rowBytes(r), spans[2 * r], spans[2 * r + 1]);
    if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts]
    .map(([value, c]) => ({ value, rows: c }))
    .sort((x, y) => y.rows - x.rows || (x.value < y.value ? -1 : 1))
    .slice(0, limit);
}
