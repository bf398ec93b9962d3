/**
 * Dictionary encoding of low-cardinality text columns straight from bytes: a field is hashed and
 * compared byte for byte, so no string is created per cell, only one per distinct value.
 */
import { bytesEqual, fieldText, hashBytes } from './cells';

/** Codes are 16-bit; DICT_NULL marks an empty field. */
export const DICT_NULL = 0xffff;
/** Columns with more distinct spellings than this stay undecoded text. */
export const MAX_DICT = 0xfffe;
/** A value longer than this is no code of a low-cardinality column: its column stays undecoded text. */
export const MAX_DICT_VALUE = 1024;

export class DictEncoder {
  readonly values: string[] = [];
  private slots = new Int32Array(1024).fill(-1);
  private raw: Uint8Array[] = [];
  private readonly byText = new Map<string, number>();
  private rawCodes: number[] = [];

  /** Code of the field b[s, e) (quotes included when quoted); -2 once the column has too many values, or one too long. */
  encode(b: Uint8Array, s: number, e: number, quoted: boolean): number {
    if (e - s > MAX_DICT_VALUE) return -2;
    const mask = this.slots.length - 1;
    let h = hashBytes(b, s, e) & mask;
    for (;;) {
      const k = this.slots[h];
      if (k < 0) break;
      const r = this.raw[k];
      if (bytesEqual(r, 0, r.length, b, s, e)) return this.rawCodes[k];
      h = (h + 1) & mask;
    }
    if (this.raw.length >= MAX_DICT) return -2;
    const text = fieldText(b, s, e, quoted);
    let code = this.byText.get(text);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(text);
      this.byText.set(text, code);
    }
    const k = this.raw.length;
    this.raw.push(b.slice(s, e));
    this.rawCodes.push(code);
    this.slots[h] = k;
    if (this.raw.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    this.raw.forEach((r, k) => {
      let h = hashBytes(r, 0, r.length) & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = k;
    });
    this.slots = slots;
  }
}
