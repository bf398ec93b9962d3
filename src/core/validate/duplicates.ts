/**
 * The duplicate-transaction rule: (store_transaction_id, renewal_number) identifies a transaction,
 * so a pair seen twice in one file is an error (the index itself is shared with merging deliveries).
 */
import { KeyIndex } from '../load/keyIndex';
import { shown, type ProblemCollector } from './problems';

export class DuplicateKeys {
  private readonly index = new KeyIndex();
  private readonly decoder = new TextDecoder();

  constructor(private readonly collector: ProblemCollector) {}

  /** The id is b[s, e) (raw field bytes); row is 0-based. */
  check(b: Uint8Array, s: number, e: number, renewal: number, row: number, line: number): void {
    if (s === e) return;
    // the loader's buffer grows by copying: offsets stay, the newest buffer holds every earlier row
    this.index.buffers[0] = b;
    this.index.find(0, s, e, renewal);
    if (this.index.added) return;
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
