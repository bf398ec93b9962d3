/**
 * A small memory of field values a rule already found valid, so a value repeated on many rows (a
 * customer's attribute JSON is written again on each of their transactions) is checked once. Values
 * are remembered by position in the bytes and compared byte for byte, so a hit is never a guess.
 *
 * Positions stay valid while the rule runs over one table: the loader's buffer only grows (the
 * bytes before `length` keep their offsets when it is copied into a larger one). A streamed load
 * keeps a window of the text that moves on: positions are kept in the whole text (`base`, where the
 * window starts), and a value whose bytes the window has let go is no longer found.
 */

import { hashWords, wordsEqual } from '../load/cells';

const SLOTS = 4096;

export class SeenValues {
  private readonly hashes = new Int32Array(SLOTS);
  private readonly starts = new Float64Array(SLOTS);
  /** 2 × length + quoted + 1 of the remembered field (quoting is part of the value); 0: empty slot. */
  private readonly keys = new Float64Array(SLOTS);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Uint8Array | null = null;
  /** Hash of the field last looked up (add() files it under that hash). */
  private hash = 0;
  /** Where the buffer of the field last looked up starts in the whole text. */
  private base = 0;

  private dataView(b: Uint8Array): DataView {
    if (this.viewOf !== b) {
      this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
      this.viewOf = b;
    }
    return this.view;
  }

  /** Whether field b[s, e) (quotes included when quoted) was added before. Remembers it for add(). */
  has(b: Uint8Array, s: number, e: number, quoted: boolean, base = 0): boolean {
    const dv = this.dataView(b);
    const n = e - s;
    const h = hashWords(b, dv, s, e);
    this.hash = h;
    this.base = base;
    const slot = h & (SLOTS - 1);
    if (this.hashes[slot] !== h || this.keys[slot] !== n * 2 + (quoted ? 2 : 1)) return false;
    // same hash and length: compare the bytes, if the buffer still holds them
    const at = this.starts[slot] - base;
    return at >= 0 && wordsEqual(b, dv, at, s, n);
  }

  /** Remembers the field last passed to has(). */
  add(s: number, e: number, quoted: boolean): void {
    const slot = this.hash & (SLOTS - 1);
    this.hashes[slot] = this.hash;
    this.starts[slot] = s + this.base;
    this.keys[slot] = (e - s) * 2 + (quoted ? 2 : 1);
  }
}
