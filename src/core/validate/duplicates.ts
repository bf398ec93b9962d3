/**
 * The duplicate-transaction rule: (store_transaction_id, renewal_number) identifies a transaction,
 * so a pair seen twice in one file is an error (the index itself is shared with merging deliveries).
 */
import { KeyIndex } from '../load/keyIndex';
import { shown, type ProblemCollector } from './problems';

export class DuplicateKeys {
  private readonly index = new KeyIndex();
  private readonly decoder = new TextDecoder();
  /** With `copies`: the ids seen so far, one after the other (the index points into it). */
  private ids = new Uint8Array(0);
  private idsLength = 0;

  /**
   * @param copies the bytes checked are let go once read (a streamed load's window): the index keeps
   * a copy of each id, not its place in the text.
   */
  constructor(
    private readonly collector: ProblemCollector,
    private readonly copies = false,
  ) {}

  /** The id is b[s, e) (raw field bytes), b the text's segment number `segment`; row is 0-based. */
  check(b: Uint8Array, s: number, e: number, renewal: number, row: number, line: number, segment = 0): void {
    if (s === e) return;
    if (this.copies) {
      if (this.idsLength + e - s > this.ids.length) {
        const more = new Uint8Array(Math.max(1 << 16, 2 * this.ids.length, this.idsLength + e - s));
        more.set(this.ids.subarray(0, this.idsLength));
        this.ids = more;
      }
      const ids = this.ids;
      for (let i = s, at = this.idsLength; i < e; i++, at++) ids[at] = b[i];
      this.index.buffers[0] = this.ids;
      this.index.find(0, this.idsLength, this.idsLength + e - s, renewal);
      if (this.index.added) {
        this.idsLength += e - s;
        return;
      }
    } else {
      // the loader's buffer grows by copying: offsets stay, the newest buffer holds every earlier row
      // of its segment
      this.index.buffers[segment] = b;
      this.index.find(segment, s, e, renewal);
      if (this.index.added) return;
    }
    if (this.collector.count('duplicate-transaction', 'store_transaction_id', row + 1, line)) {
      const text = this.decoder.decode(b.subarray(s, e));
      this.collector.keep({
        rule: 'duplicate-transaction',
        row: row + 1,
        line,
        column: 'store_transaction_id',
        value: text,
        offset: s,
        message: `store_transaction_id ${shown(text)} with renewal_number ${renewal} already appeared in an earlier row; each pair identifies one transaction`,
      });
    }
  }
}
