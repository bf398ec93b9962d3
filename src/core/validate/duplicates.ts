/**
 * The duplicate-transaction rule: (store_transaction_id, renewal_number) identifies a transaction,
 * so a pair seen twice in one file is an error. An open-addressing table of row numbers keyed by a
 * hash of the id's bytes and the renewal number; ids are compared byte for byte on a hash match.
 */
import { bytesEqual, hashBytes } from '../cells';
import { shown, type ProblemCollector } from './problems';

export class DuplicateKeys {
  private keys = new Int32Array(1 << 16).fill(-1);
  // byte offsets fit 32 bits: files are capped below 4 GiB
  private start = new Uint32Array(1 << 15);
  private end = new Uint32Array(1 << 15);
  private renewal = new Float64Array(1 << 15);
  private hash = new Uint32Array(1 << 15);
  private count = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly collector: ProblemCollector) {}

  /** The id is b[s, e) (raw field bytes); row is 0-based. */
  check(b: Uint8Array, s: number, e: number, renewal: number, row: number, line: number): void {
    if (s === e) return;
    if (this.count * 2 >= this.keys.length) this.rehash();
    const hash = hashBytes(b, s, e, (renewal * 2654435761) >>> 0);
    const mask = this.keys.length - 1;
    let h = hash & mask;
    for (;;) {
      const k = this.keys[h];
      if (k < 0) break;
      if (this.hash[k] === hash && Object.is(this.renewal[k], renewal) && bytesEqual(b, this.start[k], this.end[k], b, s, e)) {
        if (this.collector.count('duplicate-transaction', 'store_transaction_id', row + 1, line)) {
          const text = this.decoder.decode(b.subarray(s, e));
          this.collector.keep({ rule: 'duplicate-transaction', row: row + 1, line, column: 'store_transaction_id', value: text, offset: s,
            message: `store_transaction_id ${shown(text)} with renewal_number ${renewal} already appeared in an earlier row; each pair identifies one transaction` });
        }
        return;
      }
      h = (h + 1) & mask;
    }
    if (this.count === this.start.length) this.grow();
    const k = this.count++;
    this.start[k] = s;
    this.end[k] = e;
    this.renewal[k] = renewal;
    this.hash[k] = hash;
    this.keys[h] = k;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const u32 = (a: Uint32Array) => {
      const x = new Uint32Array(n);
      x.set(a);
      return x;
    };
    this.start = u32(this.start);
    this.end = u32(this.end);
    this.hash = u32(this.hash);
    const renewal = new Float64Array(n);
    renewal.set(this.renewal);
    this.renewal = renewal;
  }

  private rehash(): void {
    const keys = new Int32Array(this.keys.length * 2).fill(-1);
    const mask = keys.length - 1;
    for (let k = 0; k < this.count; k++) {
      let h = this.hash[k] & mask;
      while (keys[h] >= 0) h = (h + 1) & mask;
      keys[h] = k;
    }
    this.keys = keys;
  }
}
