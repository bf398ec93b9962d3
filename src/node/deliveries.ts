/**
 * Deliveries on disk: the export files a path names (a folder is searched, subfolders included,
 * for .csv.gz and .csv files, as a bucket sync lays them out: <base>/<date>/transactions_<unix>.csv.gz),
 * and loading them for the measures (no validation: measures only read the typed columns).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LoadError } from '../core/errors';
import type { LoadProgress } from '../core/load/load';
import type { Delivery } from '../core/measures';
import { ExportTable } from '../core/load/table';
import { loadExportFile } from './loadFile';

const EXPORT_FILE = /\.csv(\.gz)?$/i;

/** The export files under each path (files as given, folders searched), in a stable order, without repeats. */
export async function listDeliveries(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await fs.promises.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && EXPORT_FILE.test(e.name)) out.push(p);
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch {
      out.push(p); // the loader words the error
      continue;
    }
    if (st.isDirectory()) await walk(p);
    else out.push(p);
  }
  return [...new Set(out)];
}

export interface DeliveryProgress extends LoadProgress {
  /** 0-based index of the file loading, of `files`. */
  readonly file: number;
  readonly files: number;
}

export type DeliveriesOutcome = { ok: true; deliveries: Delivery[] } | { ok: false; file: string; error: LoadError };

/** Loads each file in turn, in this thread; the first failure stops. */
export async function loadDeliveries(
  files: readonly string[],
  options: {
    maxBytes?: number;
    signal?: AbortSignal;
    onProgress?: (p: DeliveryProgress) => void;
    allocate?: (n: number) => ArrayBufferLike;
  } = {},
): Promise<DeliveriesOutcome> {
  const deliveries: Delivery[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const o = await loadExportFile(file, {
      validate: false,
      maxBytes: options.maxBytes,
      signal: options.signal,
      allocate: options.allocate,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, file: i, files: files.length })),
    });
    if (!o.ok) return { ok: false, file, error: o.error };
    deliveries.push({ file, table: new ExportTable(o.value.table), version: o.value.info.version.id });
  }
  return { ok: true, deliveries };
}
