/** The order a sort of rows must give, by a plain comparison: NULL last, ties in file order. */
import type { ExportTable } from '../../src/core/load/table';

/** Rows of `t` ordered by column `col`, each cell turned into a key by `parse` (the text itself by default). */
export function plainOrder(
  t: ExportTable,
  col: number,
  descending: boolean,
  parse: (s: string) => number | string = (s) => s,
): number[] {
  const rows = [...Array(t.rowCount).keys()];
  const key = rows.map((r) => {
    const c = t.cell(r, col);
    return c === null ? null : parse(c);
  });
  return rows.sort((a, b) => {
    const x = key[a];
    const y = key[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const d = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -d : d) || a - b;
  });
}
