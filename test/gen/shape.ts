/**
 * Reshapes generated deliveries the way RevenueCat's 2026 deliveries and sample files differ from the
 * documented form: a column selection (any subset of the columns, in any order), and values written
 * the way SQL loads read but the documentation does not (unpadded hours, ISO `T…Z`, `+00:00`,
 * fractions, `TRUE`/`True`), and cells no SQL load reads. Works on the text the generators write.
 */
import { parse } from 'csv-parse/sync';
import { field, needsQuoting } from './encode';
import { Rng } from './rng';

interface Table {
  header: string[];
  rows: (string | null)[][];
}

function read(text: string | Buffer, d: ',' | ';'): Table {
  const records = parse(text, { delimiter: d, bom: true }) as string[][];
  return { header: records[0], rows: records.slice(1).map((r) => r.map((c) => (c === '' ? null : c))) };
}

function write(t: Table, d: ',' | ';'): string {
  const re = needsQuoting(d);
  return [t.header.join(d), ...t.rows.map((r) => r.map((c) => field(c, false, re)).join(d))].join('\n') + '\n';
}

/** Keeps only `columns` (in that order), as a delivery with a column selection has them. */
export function selectColumns(text: string | Buffer, columns: readonly string[], d: ',' | ';' = ','): string {
  const t = read(text, d);
  const idx = columns.map((c) => {
    const i = t.header.indexOf(c);
    if (i < 0) throw new Error(`selectColumns: no column ${c}`);
    return i;
  });
  return write({ header: [...columns], rows: t.rows.map((r) => idx.map((i) => r[i])) }, d);
}

/** A random subset of `header` that always keeps `keep`, shuffled (RevenueCat's order is not documented). */
export function randomSelection(
  header: readonly string[],
  keep: readonly string[],
  seed: number,
  share = 0.5,
): string[] {
  const rng = new Rng(seed);
  const chosen = header.filter((h) => keep.includes(h) || rng.chance(share));
  for (let i = chosen.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [chosen[i], chosen[j]] = [chosen[j], chosen[i]];
  }
  return chosen;
}

/** `YYYY-MM-DD HH:MM:SS[.f]` → another form a SQL load reads as the same time. */
export function sqlReadableTimestamp(ts: string, rng: Rng): string {
  const [date, time] = ts.split(' ');
  const unpadded = time.replace(/^0(\d)/, '$1');
  switch (rng.int(6)) {
    case 0:
      return `${date} ${unpadded}`;
    case 1:
      return `${date}T${time}Z`;
    case 2:
      return `${date} ${time}+00:00`;
    case 3:
      return `${date}T${unpadded}`;
    case 4:
      return time.includes('.') ? `${date} ${time}` : `${date} ${time}.000000`;
    default:
      return `${date} ${unpadded}Z`;
  }
}

const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * Rewrites a share of the timestamp cells (and booleans: `TRUE`, `True`, `FALSE`, `False`) in forms
 * SQL loads read but the documentation does not; returns the text and how many cells changed.
 */
export function sqlReadableForms(
  text: string | Buffer,
  d: ',' | ';',
  seed: number,
  share = 0.3,
): { text: string; timestamps: number; booleans: number } {
  const t = read(text, d);
  const rng = new Rng(seed);
  let timestamps = 0;
  let booleans = 0;
  for (const r of t.rows) {
    for (let i = 0; i < r.length; i++) {
      const c = r[i];
      if (c === null || !rng.chance(share)) continue;
      if (TS.test(c)) {
        r[i] = sqlReadableTimestamp(c, rng);
        timestamps++;
      } else if (c === 'true' || c === 'false') {
        r[i] = rng.chance(0.5) ? c.toUpperCase() : c[0].toUpperCase() + c.slice(1);
        booleans++;
      }
    }
  }
  return { text: write(t, d), timestamps, booleans };
}

/** Puts `value` into `column` on the given 0-based rows (a cell no SQL load reads, for instance). */
export function setCells(
  text: string | Buffer,
  d: ',' | ';',
  column: string,
  rows: readonly number[],
  value: string,
): string {
  const t = read(text, d);
  const i = t.header.indexOf(column);
  if (i < 0) throw new Error(`setCells: no column ${column}`);
  for (const r of rows) t.rows[r][i] = value;
  return write(t, d);
}
