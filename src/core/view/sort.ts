/**
 * Row orders for the grid: a permutation of row numbers sorted by one column, typed (timestamps and
 * numbers as numbers, booleans false < true, dictionary text by its text, other text and JSON as
 * their strings compare: see textSort.ts), NULL last either way, ties in file order.
 */
import { BOOL_NULL } from '../load/cells';
import { DICT_NULL } from '../load/dict';
import { sortByKey } from './numSort';
import type { ExportTable } from '../load/table';
import { sortTextColumn } from './textSort';

export function sortRows(table: ExportTable, column: number, descending: boolean): Uint32Array {
  const n = table.rowCount;
  const v = table.data.vectors[column];
  let key: Float64Array;
  if (v && v.kind === 'dict') {
    // rank the distinct values once, then sort numbers
    const rank = new Float64Array(v.dict!.length);
    [...v.dict!.keys()]
      .sort((a, b) => (v.dict![a] < v.dict![b] ? -1 : v.dict![a] > v.dict![b] ? 1 : 0))
      .forEach((code, r) => (rank[code] = r));
    key = new Float64Array(n);
    for (let i = 0; i < n; i++) key[i] = v.data[i] === DICT_NULL ? NaN : rank[v.data[i]];
  } else if (v && v.kind === 'bool') {
    key = new Float64Array(n);
    for (let i = 0; i < n; i++) key[i] = v.data[i] >= BOOL_NULL ? NaN : v.data[i];
  } else if (v && v.kind !== 'span') {
    key = v.data as Float64Array;
  } else {
    return sortTextColumn(table, column, descending);
  }
  return sortByKey(key, n, descending);
}
