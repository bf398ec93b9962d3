/** Rows of cells as text to paste elsewhere: CSV (RFC 4180), JSON (typed values) or a Markdown table. */
import { typedValue } from '../catalog/cellValues';
import type { ColumnType } from '../catalog/templates';

export type RowsFormat = 'csv' | 'json' | 'markdown';

export interface RowsText {
  readonly names: readonly string[];
  readonly types: readonly ColumnType[];
  readonly rows: readonly (readonly (string | null)[])[];
}

function csvField(v: string | null): string {
  if (v === null) return '';
  return v === '' || /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function markdownCell(v: string | null): string {
  if (v === null) return '';
  return v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** One cell alone is copied as its text, without a header (what a spreadsheet does). */
export function rowsText({ names, types, rows }: RowsText, format: RowsFormat): string {
  if (format === 'csv') {
    if (rows.length === 1 && names.length === 1) return rows[0][0] ?? '';
    return [names.map(csvField), ...rows.map((r) => r.map(csvField))].map((l) => l.join(',')).join('\n');
  }
  if (format === 'json') {
    const objects = rows.map((r) => Object.fromEntries(names.map((n, k) => [n, typedValue(r[k], types[k])])));
    return JSON.stringify(objects.length === 1 ? objects[0] : objects, null, 2);
  }
  const lines = [
    names.map(markdownCell),
    names.map((_, k) => (types[k] === 'float' || types[k] === 'integer' ? '---:' : '---')),
    ...rows.map((r) => r.map(markdownCell)),
  ];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}
