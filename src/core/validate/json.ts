/**
 * Attribute JSON and entitlement arrays. The zod schemas are the definition of a valid value; the
 * byte recognizers are a fast path that accepts only a strict subset of what the schemas accept
 * (canonical objects of {"value": string, "updated_at_ms": integer}), straight from the CSV bytes
 * where a JSON quote is written `""` inside a quoted field. Anything the fast path does not
 * recognize goes through JSON.parse and zod, which decide and word the message.
 */
import { z } from 'zod';
import { QUOTE } from '../cells';

export const AttributeEntry = z.object({
  value: z.string().nullable(),
  updated_at_ms: z.number().int(),
});
export const Attributes = z.record(z.string(), AttributeEntry);
export const EntitlementArray = z.array(z.string());

export type AttributeCheck = { ok: true } | { ok: false; rule: 'json-error' | 'attribute-shape'; detail: string };

/** A cursor over JSON text stored in CSV bytes; `dq` when a JSON quote is written as two bytes. */
class Cursor {
  i: number;
  constructor(readonly b: Uint8Array, start: number, readonly e: number, readonly dq: boolean) {
    this.i = start;
  }
  ws(): void {
    const b = this.b;
    while (this.i < this.e) {
      const c = b[this.i];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.i++;
    }
  }
  is(c: number): boolean {
    return this.i < this.e && this.b[this.i] === c;
  }
  eat(c: number): boolean {
    if (!this.is(c)) return false;
    this.i++;
    return true;
  }
  quote(): boolean {
    if (!this.is(QUOTE)) return false;
    if (this.dq) {
      if (this.i + 1 >= this.e || this.b[this.i + 1] !== QUOTE) return false;
      this.i += 2;
    } else this.i++;
    return true;
  }
  /** A JSON string; returns the length of its raw content or -1. Hot: locals only in the loop. */
  str(): number {
    if (!this.quote()) return -1;
    const b = this.b;
    const e = this.e;
    const dq = this.dq;
    const start = this.i;
    let i = start;
    while (i < e) {
      const c = b[i];
      if (c > 0x5c) {
        i++;
        continue;
      }
      if (c === QUOTE) {
        if (dq && (i + 1 >= e || b[i + 1] !== QUOTE)) return -1;
        this.i = i + (dq ? 2 : 1);
        return i - start;
      }
      if (c < 0x20) return -1;
      if (c === 0x5c) {
        i++;
        if (i >= e) return -1;
        if (b[i] === QUOTE) {
          if (dq && (i + 1 >= e || b[i + 1] !== QUOTE)) return -1;
          i += dq ? 2 : 1;
          continue;
        }
      }
      i++;
    }
    return -1;
  }
  /** The content of the last string read equals `word` (ASCII, no escapes). */
  matches(start: number, len: number, word: string): boolean {
    if (len !== word.length) return false;
    for (let k = 0; k < len; k++) if (this.b[start + k] !== word.charCodeAt(k)) return false;
    return true;
  }
  int(): boolean {
    const s = this.i;
    this.eat(0x2d);
    const d = this.i;
    while (this.i < this.e && this.b[this.i] >= 0x30 && this.b[this.i] <= 0x39) this.i++;
    return this.i > d && !(this.b[d] === 0x30 && this.i - d > 1) && this.i - s < 17;
  }
}

function entry(c: Cursor): boolean {
  c.ws();
  if (!c.eat(0x7b)) return false;
  let value = false;
  let updated = false;
  for (;;) {
    c.ws();
    const ks = c.i + (c.dq ? 2 : 1);
    const kl = c.str();
    if (kl < 0) return false;
    c.ws();
    if (!c.eat(0x3a)) return false;
    c.ws();
    if (!value && c.matches(ks, kl, 'value')) {
      if (c.str() < 0) return false;
      value = true;
    } else if (!updated && c.matches(ks, kl, 'updated_at_ms')) {
      if (!c.int()) return false;
      updated = true;
    } else return false;
    c.ws();
    if (c.eat(0x7d)) return value && updated;
    if (!c.eat(0x2c)) return false;
  }
}

/** Fast path: canonical attribute JSON in b[s, e) (the field's bytes, quotes included when quoted). */
export function recognizeAttributes(b: Uint8Array, s: number, e: number, quoted: boolean): boolean {
  const c = quoted ? new Cursor(b, s + 1, e - 1, true) : new Cursor(b, s, e, false);
  c.ws();
  if (!c.eat(0x7b)) return false;
  c.ws();
  if (!c.eat(0x7d)) {
    for (;;) {
      c.ws();
      if (c.str() < 0) return false;
      c.ws();
      if (!c.eat(0x3a)) return false;
      if (!entry(c)) return false;
      c.ws();
      if (c.eat(0x7d)) break;
      if (!c.eat(0x2c)) return false;
    }
  }
  c.ws();
  return c.i === c.e;
}

/** Fast path: a JSON array of plain strings in b[s, e). */
export function recognizeStringArray(b: Uint8Array, s: number, e: number, quoted: boolean): boolean {
  const c = quoted ? new Cursor(b, s + 1, e - 1, true) : new Cursor(b, s, e, false);
  c.ws();
  if (!c.eat(0x5b)) return false;
  c.ws();
  if (!c.eat(0x5d)) {
    for (;;) {
      c.ws();
      if (c.str() < 0) return false;
      c.ws();
      if (c.eat(0x5d)) break;
      if (!c.eat(0x2c)) return false;
    }
  }
  c.ws();
  return c.i === c.e;
}

function zodDetail(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : 'the value';
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
  return r.success ? { ok: true } : { ok: false, rule: 'attribute-shape', detail: zodDetail(r.error) };
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
