/**
 * Several deliveries → one set of transactions. A transaction is (store_transaction_id,
 * renewal_number); of its versions the one with the latest updated_at wins, a tie (or no updated_at,
 * as before v4) goes to the later delivery (the timestamp in its file name), and within one delivery
 * to the later row. NULL updated_at counts as older than any timestamp. The result is, per
 * delivery, the rows that survive: references into the loaded tables, nothing is copied.
 */
import { QUOTE } from '../../load/cells';
import { KeyIndex } from '../../load/keyIndex';
import { exportTimeFromName } from '../../catalog/naming';
import { intColumn, timeColumn } from './columns';
import { required } from './rowFilter';
import type { Delivery, MeasureInput } from './types';

/** Deliveries in merge order: by the timestamp in the file name (none: first), then as given. */
export function deliveryOrder(deliveries: readonly Delivery[]): Delivery[] {
  const time = (d: Delivery) => exportTimeFromName(d.file) ?? -Infinity;
  return deliveries
    .map((d, i) => ({ d, i }))
    .sort((a, b) => time(a.d) - time(b.d) || a.i - b.i)
    .map((x) => x.d);
}

function grow<T extends Uint16Array | Uint32Array | Float64Array>(a: T, make: (n: number) => T): T {
  const x = make(a.length * 2);
  x.set(a);
  return x;
}

export function mergeDeliveries(given: readonly Delivery[]): MeasureInput {
  const deliveries = deliveryOrder(given);
  if (deliveries.length === 1) return { parts: [{ delivery: deliveries[0], rows: null }], superseded: 0 };
  const index = new KeyIndex();
  let part = new Uint16Array(1 << 16);
  let row = new Uint32Array(1 << 16);
  let updated = new Float64Array(1 << 16);
  let total = 0;
  deliveries.forEach((d, p) => {
    const t = d.table;
    const b = t.data.bytes;
    index.buffers[p] = b;
    const col = t.columnIndex('store_transaction_id');
    required(col < 0 ? null : col, 'store_transaction_id');
    const renewal = intColumn(t, 'renewal_number');
    const upd = timeColumn(t, 'updated_at');
    total += t.rowCount;
    for (let r = 0; r < t.rowCount; r++) {
      const range = t.cellRange(r, col);
      let s = range ? range[0] : 0;
      let e = range ? range[1] : 0;
      if (e - s >= 2 && b[s] === QUOTE) {
        s++;
        e--;
      }
      const k = index.find(p, s, e, renewal ? renewal[r] : NaN);
      const u = upd ? upd[r] : NaN;
      if (!index.added) {
        // the stored version stays only when strictly newer (a NULL is older than any time)
        const old = updated[k];
        if (old > u || (old === old && u !== u)) continue;
      } else if (k === row.length) {
        part = grow(part, (n) => new Uint16Array(n));
        row = grow(row, (n) => new Uint32Array(n));
        updated = grow(updated, (n) => new Float64Array(n));
      }
      part[k] = p;
      row[k] = r;
      updated[k] = u;
    }
  });
  const counts = new Uint32Array(deliveries.length);
  for (let k = 0; k < index.count; k++) counts[part[k]]++;
  const rows = deliveries.map((_, p) => new Uint32Array(counts[p]));
  counts.fill(0);
  for (let k = 0; k < index.count; k++) rows[part[k]][counts[part[k]]++] = row[k];
  for (const r of rows) r.sort();
  return { parts: deliveries.map((delivery, p) => ({ delivery, rows: rows[p] })), superseded: total - index.count };
}
