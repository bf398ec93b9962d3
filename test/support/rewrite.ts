/**
 * Edits generated exports row by row for the measure tests: parse (csv-parse), change named cells,
 * write back with the generator's CSV quoting. An empty cell is NULL (the generator never writes a
 * quoted empty field).
 */
import { parse } from 'csv-parse/sync';
import { field, needsQuoting } from '../gen/encode';

export interface Csv {
  readonly header: string[];
  readonly rows: (string | null)[][];
}

export function readCsv(text: Buffer | string, delimiter: ',' | ';'): Csv {
  const records = parse(text, { delimiter, bom: true }) as string[][];
  return { header: records[0], rows: records.slice(1).map((r) => r.map((c) => (c === '' ? null : c))) };
}

export function writeCsv(csv: Csv, delimiter: ',' | ';'): string {
  const re = needsQuoting(delimiter);
  const line = (r: readonly (string | null)[]) => r.map((c) => field(c, false, re)).join(delimiter);
  return [csv.header.join(delimiter), ...csv.rows.map(line)].join('\n') + '\n';
}

/** Cell access by column name. */
export function columnsOf(csv: Csv): (row: (string | null)[], name: string, value?: string | null) => string | null {
  const index = new Map(csv.header.map((h, i) => [h, i]));
  return (row, name, value) => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`no column ${name}`);
    if (value !== undefined) row[i] = value;
    return row[i];
  };
}

/** `YYYY-MM-DD HH:MM:SS[.f]` ↔ unix seconds (UTC). */
export function toSec(ts: string): number {
  return Date.parse(ts.replace(' ', 'T') + 'Z') / 1000;
}

export function fromSec(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
