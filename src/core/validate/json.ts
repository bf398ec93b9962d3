/**
 * Attribute JSON and entitlement arrays. The zod schemas are the definition of a valid value; the
 * byte recognizers are a fast path that accepts only a strict subset of what the schemas accept
 * (canonical objects of {"value": string, "updated_at_ms": integer}), straight from the CSV bytes
 * where a JSON quote is written `""` inside a quoted field. Anything the fast path does not
 * recognize goes through JSON.parse and zod, which decide and word the message.
 */
import * as z from '../zod';
import { QUOTE } from '../load/cells';

export const AttributeEntry = z.object({
  value: z.nullable(z.string()),
  updated_at_ms: z.number().check(z.int()),
});
export const Attributes = z.record(z.string(), AttributeEntry);
export const EntitlementArray = z.array(z.string());

export type AttributeCheck = { ok: true } | { ok: false; rule: 'json-error' | 'attribute-shape'; detail: string };

// The recognizers walk the bytes with plain functions of (bytes, index, end) that return the next
// index or -1: no objects, no closures, so the JIT keeps everything in registers.

export function skipWs(b: Uint8Array, i: number, e: number): number {
  while (i < e) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** Past a JSON quote at i (two bytes `""` inside a quoted CSV field), or -1. */
export function quote(b: Uint8Array, i: number, e: number, dq: boolean): number {
  if (i >= e || b[i] !== QUOTE) return -1;
  if (!dq) return i + 1;
  return i + 1 < e && b[i + 1] === QUOTE ? i + 2 : -1;
}

/** From just after an opening quote to just after the closing one, or -1. */
export function stringEnd(b: Uint8Array, i: number, e: number, dq: boolean): number {
  while (i < e) {
    const c = b[i];
    if (c > 0x5c) {
      i++;
      continue;
    }
    if (c === QUOTE) return quote(b, i, e, dq);
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      i++;
      if (i >= e) return -1;
      const x = b[i];
      if (x === QUOTE) {
        i = quote(b, i, e, dq);
        if (i < 0) return -1;
        continue;
      }
      if (x === 0x75) {
        // \uXXXX
        if (i + 4 >= e) return -1;
        for (let k = 1; k <= 4; k++) if (!isHex(b[i + k])) return -1;
        i += 4;
      } else if (!(x === 0x5c || x === 0x2f || x === 0x62 || x === 0x66 || x === 0x6e || x === 0x72 || x === 0x74))
        return -1;
    }
    i++;
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function integerEnd(b: Uint8Array, i: number, e: number): number {
  const s = i;
  if (i < e && b[i] === 0x2d) i++;
  const d = i;
  while (i < e && b[i] >= 0x30 && b[i] <= 0x39) i++;
  if (i === d || (b[d] === 0x30 && i - d > 1) || i - s > 16) return -1;
  return i;
}

const VALUE = [0x76, 0x61, 0x6c, 0x75, 0x65];
const UPDATED_AT_MS = [...'updated_at_ms'].map((c) => c.charCodeAt(0));

function keyIs(b: Uint8Array, s: number, len: number, word: readonly number[]): boolean {
  if (len !== word.length) return false;
  for (let k = 0; k < len; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

/**
 * One {"value": string, "updated_at_ms": integer} entry starting at i; the index after it, or -1.
 * With `span`, the value string's bytes (between its quotes) go to span[0], span[1].
 */
export function entryEnd(b: Uint8Array, i: number, e: number, dq: boolean, span?: Int32Array): number {
  const ql = dq ? 2 : 1;
  i = skipWs(b, i, e);
  if (i >= e || b[i] !== 0x7b) return -1;
  i++;
  let value = false;
  let updated = false;
  for (;;) {
    i = quote(b, skipWs(b, i, e), e, dq);
    if (i < 0) return -1;
    const ks = i;
    i = stringEnd(b, i, e, dq);
    if (i < 0) return -1;
    const klen = i - ks - ql;
    i = skipWs(b, i, e);
    if (i >= e || b[i] !== 0x3a) return -1;
    i = skipWs(b, i + 1, e);
    if (!value && keyIs(b, ks, klen, VALUE)) {
      i = quote(b, i, e, dq);
      if (i < 0) return -1;
      const vs = i;
      i = stringEnd(b, i, e, dq);
      if (span && i >= 0) {
        span[0] = vs;
        span[1] = i - ql;
      }
      value = true;
    } else if (!updated && keyIs(b, ks, klen, UPDATED_AT_MS)) {
      i = integerEnd(b, i, e);
      updated = true;
    } else return -1;
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    if (b[i] === 0x7d) return value && updated ? i + 1 : -1;
    if (b[i] !== 0x2c) return -1;
    i++;
  }
}

type Item = (b: Uint8Array, i: number, e: number, dq: boolean) => number;

/** `open item (, item)* close` or `open close` from i; the index after `close`, or -1. */
function listEnd(b: Uint8Array, i: number, e: number, dq: boolean, open: number, close: number, item: Item): number {
  if (i >= e || b[i] !== open) return -1;
  i = skipWs(b, i + 1, e);
  if (i < e && b[i] === close) return i + 1;
  for (;;) {
    i = item(b, i, e, dq);
    if (i < 0) return -1;
    i = skipWs(b, i, e);
    if (i >= e) return -1;
    if (b[i] === close) return i + 1;
    if (b[i] !== 0x2c) return -1;
    i = skipWs(b, i + 1, e);
  }
}

const stringItem: Item = (b, i, e, dq) => {
  i = quote(b, i, e, dq);
  return i < 0 ? -1 : stringEnd(b, i, e, dq);
};

const attributeItem: Item = (b, i, e, dq) => {
  i = stringItem(b, i, e, dq);
  if (i < 0) return -1;
  i = skipWs(b, i, e);
  if (i >= e || b[i] !== 0x3a) return -1;
  return entryEnd(b, i + 1, e, dq);
};

function recognize(
  b: Uint8Array,
  s: number,
  e: number,
  quoted: boolean,
  open: number,
  close: number,
  item: Item,
): boolean {
  const end = quoted ? e - 1 : e;
  const i = listEnd(b, skipWs(b, quoted ? s + 1 : s, end), end, quoted, open, close, item);
  return i >= 0 && skipWs(b, i, end) === end;
}

/** Fast path: canonical attribute JSON in b[s, e) (the field's bytes, quotes included when quoted). */
export function recognizeAttributes(b: Uint8Array, s: number, e: number, quoted: boolean): boolean {
  return recognize(b, s, e, quoted, 0x7b, 0x7d, attributeItem);
}

/** Fast path: a JSON array of plain strings in b[s, e). */
export function recognizeStringArray(b: Uint8Array, s: number, e: number, quoted: boolean): boolean {
  return recognize(b, s, e, quoted, 0x5b, 0x5d, stringItem);
}

function zodDetail(error: z.core.$ZodError, key?: string): string {
  const issue = error.issues[0];
  const path = key === undefined ? issue.path : [key, ...issue.path];
  const where = path.length ? path.join('.') : 'the value';
  return `${where}: ${issue.message}`;
}

/** The authoritative check of an attribute cell's text. */
export function checkAttributesText(text: string): AttributeCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { ok: false, rule: 'json-error', detail: (e as Error).message };
  }
  const r = Attributes.safeParse(parsed);
  if (!r.success) return { ok: false, rule: 'attribute-shape', detail: zodDetail(r.error) };
  // zod's record passes over a key named __proto__ (which JSON.parse makes an own key like any
  // other): every own key's entry is checked here alike, read as data, no prototype involved
  for (const [key, entry] of Object.entries(parsed as object)) {
    const e = AttributeEntry.safeParse(entry);
    if (!e.success) return { ok: false, rule: 'attribute-shape', detail: zodDetail(e.error, key) };
  }
  return { ok: true };
}

/** The authoritative check of a JSON entitlement array's text; null when valid. */
export function checkStringArrayText(text: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return (e as Error).message;
  }
  const r = EntitlementArray.safeParse(parsed);
  return r.success ? null : zodDetail(r.error);
}
