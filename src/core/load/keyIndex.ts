/**
 * Transactions by identity: (store_transaction_id, renewal_number). An open-addressing table of
 * entries keyed by a hash of the id's bytes and the renewal number; ids are compared byte for byte
 * on a hash match, straight from the export bytes, so no string is made per row. An entry may come
 * from any of several buffers (deliveries): it keeps which one, and where the id's bytes are.
 */
import { bytesEqual, hashBytes } from './cells';

export class KeyIndex {
  /** The byte buffers entries point into, by number; a caller may replace one that grew. */
  readonly buffers: Uint8Array[] = [];
  private slots = new Int32Array(1 << 16).fill(-1);
  // byte offsets fit 32 bits: files are capped below 4 GiB
  private start = new Uint32Array(1 << 15);
  private end = new Uint32Array(1 << 15);
  private buffer = new Uint16Array(1 << 15);
  private renewal = new Float64Array(1 << 15);
  private hash = new Uint32Array(1 << 15);
  /** Number of distinct keys; entries are 0 … count-1 in order of first sight. */
  count = 0;
  /** Whether the last find() added its key. */
  added = false;

  /** The entry of the id b[s, e) of buffers[buf] with this renewal number (NaN: NULL), added when new. */
  find(buf: number, s: number, e: number, renewal: number): number {
    if (this.count * 2 >= this.slots.length) this.rehash();
    const b = this.buffers[buf];
    const hash = hashBytes(b, s, e, (renewal * 2654435761) >>> 0);
    const mask = this.slots.length - 1;
    let h = hash & mask;
    for (;;) {
      const k = this.slots[h];
      if (k < 0) break;
      if (
        this.hash[k] === hash &&
        Object.is(this.renewal[k], renewal) &&
        bytesEqual(this.buffers[this.buffer[k]], this.start[k], this.end[k], b, s, e)
      ) {
        this.added = false;
        return k;
      }
      h = (h + 1) & mask;
    }
    if (this.count === this.start.length) this.grow();
    const k = this.count++;
    this.start[k] = s;
    this.end[k] = e;
    this.buffer[k] = buf;
    this.renewal[k] = renewal;
    this.hash[k] = hash;
    this.slots[h] = k;
    this.added = true;
    return k;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const more = <T extends Uint32Array | Uint16Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const x = make(n);
      x.set(a);
      return x;
    };
    this.start = more(this.start, (m) => new Uint32Array(m));
    this.end = more(this.end, (m) => new Uint32Array(m));
    this.hash = more(this.hash, (m) => new Uint32Array(m));
    this.buffer = more(this.buffer, (m) => new Uint16Array(m));
    this.renewal = more(this.renewal, (m) => new Float64Array(m));
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.count; k++) {
      let h = this.hash[k] & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = k;
    }
    this.slots = slots;
  }
}
