/**
 * Deliveries on disk: the walk that finds them under the paths a user names, and loading them for
 * the measures (no validation: measures only read the typed columns).
 *
 * The walk follows the documented bucket layout (core/delivery.ts) and looks at each file's bytes:
 * a file is a data file when it is gzip, Parquet, or text whose first line is a header of column
 * names; the extension plays no part. A `transactions_…`/`virtual_currency_…` folder is one
 * delivery of parts; in a dated folder, each `transactions_<ts>` file is a delivery and the other
 * data files are the parts of one more; elsewhere each data file is a delivery. Links to files are
 * followed (a link to a folder already searched is not searched again, so loops end); what is left
 * out (not an export, not a regular file, a broken link) is listed with the reason. A folder that
 * cannot be read stops the walk with an `io` error.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import {
  dateOfPath,
  isDatedFolder,
  isDeliveryName,
  sniffFormat,
  timeOfPath,
  type DeliveryRef,
  type Skipped,
} from '../core/delivery';
import { detectFeed } from '../core/catalog/feed';
import type { Feed } from '../core/catalog/templates';
import type { LoadError } from '../core/errors';
import type { DeliveryFormat, LoadProgress } from '../core/load/load';
import { exportTimeFromName } from '../core/catalog/naming';
import { templateVersion } from '../core/catalog/templates';
import { KeyFold, mergeDeliveries, type Delivery, type MeasureInput } from '../core/measures';
import { ExportTable } from '../core/load/table';
import { loadParts } from './loadFile';

export type FoundDeliveries =
  { ok: true; deliveries: DeliveryRef[]; skipped: Skipped[] } | { ok: false; path: string; error: LoadError };

class WalkFailure extends Error {
  constructor(
    readonly path: string,
    readonly error: LoadError,
  ) {
    super(error.message);
  }
}

function ioError(p: string, e: unknown): WalkFailure {
  const code = (e as NodeJS.ErrnoException).code;
  const message =
    code === 'ENOENT'
      ? `${p} does not exist`
      : code === 'EACCES' || code === 'EPERM'
        ? `${p} cannot be read: permission denied`
        : `${p} cannot be read (${code ?? (e as Error).message})`;
  return new WalkFailure(p, { code: 'io', message });
}

/** What a non-regular file is, in words. */
export function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The first bytes of a file (opened read-only, and only once it is known to be a regular file). */
async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const b = new Uint8Array(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The names of a first line of column names (`[a-z_]` words, separated by commas or semicolons, at least three), or null. */
function headerNames(text: Uint8Array): string[] | null {
  let s = new TextDecoder('utf-8', { fatal: false }).decode(text);
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  const lf = s.indexOf('\n');
  if (lf < 0) return null;
  const line = s.slice(0, lf).replace(/\r$/, '');
  return /^[a-z_][a-z0-9_]*([,;][a-z_][a-z0-9_]*){2,}$/.test(line) ? line.split(/[,;]/) : null;
}

function gunzipHead(b: Uint8Array): Uint8Array {
  try {
    return zlib.gunzipSync(b, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0);
  }
}

/** The data file's format and feed (from its path, else its header), or why it is not one. */
async function sniffFile(file: string): Promise<{ format: DeliveryFormat; feed: Feed } | { reason: string }> {
  let head: Uint8Array;
  try {
    head = await readHead(file, 16 * 1024);
  } catch (e) {
    throw ioError(file, e);
  }
  if (head.length === 0) return { reason: 'empty file' };
  const format = sniffFormat(head);
  if (format === 'parquet') return { format, feed: detectFeed([], file) };
  const names = headerNames(format === 'csv.gz' ? gunzipHead(head) : head);
  return names
    ? { format, feed: detectFeed(names, file) }
    : { reason: 'not an export (no header line of column names)' };
}

interface Entry {
  readonly path: string;
  readonly name: string;
  readonly format: DeliveryFormat;
  readonly feed: Feed;
}

/** Finds the deliveries under each path: files as given, folders searched. */
export async function findDeliveries(paths: readonly string[]): Promise<FoundDeliveries> {
  const deliveries: DeliveryRef[] = [];
  const skipped: Skipped[] = [];
  const searched = new Set<string>();
  const add = (p: string, parts: Entry[]) => {
    if (parts.length === 0) return;
    deliveries.push({
      path: p,
      parts: parts.map((e) => e.path),
      feed: parts[0].feed,
      date: dateOfPath(p),
      time: timeOfPath(p),
      format: parts[0].format,
    });
  };

  const walk = async (dir: string, st: fs.Stats): Promise<void> => {
    const id = `${st.dev}:${st.ino}`;
    if (searched.has(id)) {
      skipped.push({ path: dir, reason: 'a link to a folder already searched' });
      return;
    }
    searched.add(id);
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch (e) {
      throw ioError(dir, e);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const files: Entry[] = [];
    const folders: Array<[string, fs.Stats]> = [];
    for (const name of names) {
      const p = path.join(dir, name);
      let entry: fs.Stats;
      try {
        entry = await fs.promises.stat(p); // follows links
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ELOOP') {
          skipped.push({ path: p, reason: 'a symbolic link to nothing (its target does not exist)' });
          continue;
        }
        throw ioError(p, e);
      }
      if (entry.isDirectory()) folders.push([p, entry]);
      else if (!entry.isFile()) skipped.push({ path: p, reason: `${kindOf(entry)}, not a file` });
      else {
        const s = await sniffFile(p);
        if ('reason' in s) skipped.push({ path: p, reason: s.reason });
        else files.push({ path: p, name, format: s.format, feed: s.feed });
      }
    }
    const base = path.basename(dir);
    if (isDeliveryName(base)) {
      // a delivery of parts: every data file in the folder, its subfolders included
      const before = deliveries.length;
      for (const [p, s] of folders) await walk(p, s);
      const nested = deliveries
        .splice(before)
        .flatMap((d) =>
          d.parts.map((part) => ({ path: part, name: path.basename(part), format: d.format, feed: d.feed })),
        );
      add(dir, [...files, ...nested]);
      return;
    }
    if (isDatedFolder(base)) {
      const loose: Entry[] = [];
      for (const f of files) {
        if (isDeliveryName(f.name)) add(f.path, [f]);
        else loose.push(f);
      }
      add(dir, loose);
    } else for (const f of files) add(f.path, [f]);
    for (const [p, s] of folders) await walk(p, s);
  };

  try {
    for (const p of paths) {
      let st: fs.Stats;
      try {
        st = await fs.promises.stat(p);
      } catch (e) {
        throw ioError(p, e);
      }
      if (st.isDirectory()) await walk(p, st);
      else if (!st.isFile())
        throw new WalkFailure(p, {
          code: 'io',
          message: `${p} is ${kindOf(st)}, not a file: only regular files and folders are read`,
        });
      else {
        // a file named explicitly is read whatever it holds: the loader words what is wrong with it
        let head: Uint8Array;
        try {
          head = await readHead(p, 16 * 1024);
        } catch (e) {
          throw ioError(p, e);
        }
        const format = sniffFormat(head);
        const names = format === 'parquet' ? null : headerNames(format === 'csv.gz' ? gunzipHead(head) : head);
        add(p, [{ path: p, name: path.basename(p), format, feed: detectFeed(names ?? [], p) }]);
      }
    }
  } catch (e) {
    if (e instanceof WalkFailure) return { ok: false, path: e.path, error: e.error };
    throw e;
  }
  const seen = new Set<string>();
  return {
    ok: true,
    deliveries: deliveries.filter((d) => !seen.has(d.path) && (seen.add(d.path), true)),
    skipped,
  };
}

/** The delivery paths under each path (files as given, folders searched), in a stable order. */
export async function listDeliveries(paths: readonly string[]): Promise<string[]> {
  const found = await findDeliveries(paths);
  return found.ok ? found.deliveries.map((d) => d.path) : [...paths];
}

export interface DeliveryProgress extends LoadProgress {
  /** 0-based index of the delivery loading, of `files`. */
  readonly file: number;
  readonly files: number;
}

export type DeliveriesOutcome = { ok: true; deliveries: Delivery[] } | { ok: false; file: string; error: LoadError };

/** What to load: a path (a file, or a folder holding one delivery), or a delivery the walk found. */
export type DeliveryInput = string | { readonly path: string; readonly parts: readonly string[] };

/** Loads each delivery in turn, in this thread; the first failure stops. */
export async function loadDeliveries(
  inputs: readonly DeliveryInput[],
  options: {
    maxBytes?: number;
    signal?: AbortSignal;
    onProgress?: (p: DeliveryProgress) => void;
    allocate?: (n: number) => ArrayBufferLike;
    /** Only these columns are needed (Parquet parts then decode no others). */
    columns?: readonly string[];
  } = {},
): Promise<DeliveriesOutcome> {
  const deliveries: Delivery[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const file = typeof input === 'string' ? input : input.path;
    const o = await loadParts(file, typeof input === 'string' ? null : input.parts, {
      validate: false,
      maxBytes: options.maxBytes,
      signal: options.signal,
      allocate: options.allocate,
      columns: options.columns,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, file: i, files: inputs.length })),
    });
    if (!o.ok) return { ok: false, file, error: o.error };
    deliveries.push({ file, table: new ExportTable(o.value.table), version: o.value.info.version.id });
  }
  return { ok: true, deliveries };
}

export type MergedOutcome = { ok: true; input: MeasureInput } | { ok: false; file: string; error: LoadError };

/**
 * Loads the deliveries one after the other in merge order (by the time in the file name, then as
 * given) and merges the Transactions ones as they come (KeyFold): a delivery's superseded rows are
 * let go while the next ones load, so memory holds about one delivery and the survivors, not every
 * version. The result is the one loadDeliveries + mergeDeliveries give.
 */
export async function loadMerged(
  inputs: readonly DeliveryInput[],
  options: Parameters<typeof loadDeliveries>[1] = {},
): Promise<MergedOutcome> {
  const pathOf = (input: DeliveryInput) => (typeof input === 'string' ? input : input.path);
  const time = (input: DeliveryInput) => exportTimeFromName(pathOf(input)) ?? -Infinity;
  const ordered = inputs
    .map((input, i) => ({ input, i }))
    .sort((a, b) => time(a.input) - time(b.input) || a.i - b.i)
    .map((x) => x.input);
  const fold = new KeyFold(options.columns);
  const others: Delivery[] = [];
  let folded = 0;
  for (let i = 0; i < ordered.length; i++) {
    const one = await loadDeliveries([ordered[i]], {
      ...options,
      onProgress: options.onProgress && ((p) => options.onProgress!({ ...p, file: i, files: ordered.length })),
    });
    if (!one.ok) return one;
    const d = one.deliveries[0];
    const keyed = d.table.columnIndex('store_transaction_id') >= 0;
    if (keyed && templateVersion(d.version).feed === 'transactions') {
      fold.add(d);
      folded++;
    } else others.push(d);
  }
  if (folded === 0) return { ok: true, input: mergeDeliveries(others) };
  const { parts, superseded } = fold.result();
  return { ok: true, input: mergeDeliveries([...parts.map((p) => p.delivery), ...others], { parts, superseded }) };
}
