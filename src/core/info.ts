/** What a file is, at a glance: `rc-export info` and "RevenueCat: Show Export Info" print it. */
import { formatTimestamp } from './load/cells';
import type { Loaded } from './load/load';
import { exportTimeFromName } from './catalog/naming';
import type { Feed } from './catalog/templates';

export interface FileInfo {
  file: string;
  /** The feed the delivery belongs to. */
  feed: Feed;
  template: string;
  templateSource: 'detected' | 'option';
  detectionNote: string;
  delimiter: string;
  bom: boolean;
  gzip: boolean;
  /** What the delivery's files hold, by their bytes. */
  format: 'csv' | 'csv.gz' | 'parquet';
  /** The files the delivery was read from. */
  parts: string[];
  rows: number;
  columns: string[];
  compressedBytes: number;
  bytes: number;
  exportTime: string | null;
  startTime: { min: string; max: string } | null;
  updatedAt: { min: string; max: string } | null;
}

function range(loaded: Loaded, name: string): { min: string; max: string } | null {
  const i = loaded.table.header.indexOf(name);
  const v = i >= 0 ? loaded.table.vectors[i] : null;
  if (!v || v.kind !== 'time') return null;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v.data as Float64Array) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return min <= max ? { min: formatTimestamp(min), max: formatTimestamp(max) } : null;
}

export function fileInfo(file: string, loaded: Loaded): FileInfo {
  const t = exportTimeFromName(file);
  return {
    file,
    feed: loaded.info.report.feed,
    template: loaded.info.version.id,
    templateSource: loaded.info.templateSource,
    detectionNote: loaded.info.report.note,
    delimiter: loaded.info.delimiter,
    bom: loaded.info.bom,
    gzip: loaded.gzip,
    format: loaded.format ?? (loaded.gzip ? 'csv.gz' : 'csv'),
    parts: loaded.parts ? [...loaded.parts] : [file],
    rows: loaded.table.rowCount,
    columns: [...loaded.table.header],
    compressedBytes: loaded.compressedBytes,
    bytes: loaded.table.textLength,
    exportTime: t === null ? null : formatTimestamp(t * 1000),
    startTime: range(loaded, 'start_time'),
    updatedAt: range(loaded, 'updated_at'),
  };
}

export function formatInfo(i: FileInfo): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const lines = [
    i.file,
    `  feed        ${i.feed === 'in-app-currency' ? 'In-App Currency' : 'Transactions'}`,
    `  template    ${i.template} (${i.templateSource})${i.detectionNote ? ` — ${i.detectionNote}` : ''}`,
    `  format      ${i.format}${i.parts.length > 1 ? `, ${i.parts.length} parts` : ''}`,
    `  delimiter   ${JSON.stringify(i.delimiter)}${i.bom ? ', UTF-8 BOM' : ''}`,
    `  rows        ${n(i.rows)}`,
    `  columns     ${i.columns.length}: ${i.columns.join(', ')}`,
    `  size        ${n(i.bytes)} bytes${i.format === 'csv' ? '' : ` of text (${n(i.compressedBytes)} ${i.format === 'parquet' ? 'of Parquet' : 'gzip-compressed'}, ${(i.bytes / Math.max(1, i.compressedBytes)).toFixed(1)}×)`}`,
  ];
  if (i.exportTime) lines.push(`  exported    ${i.exportTime} UTC (from the file name)`);
  if (i.startTime) lines.push(`  start_time  ${i.startTime.min} … ${i.startTime.max}`);
  if (i.updatedAt) lines.push(`  updated_at  ${i.updatedAt.min} … ${i.updatedAt.max}`);
  return lines.join('\n');
}
