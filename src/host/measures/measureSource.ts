/**
 * Where a measure command gets its transactions: an export already open in the editor (the shared
 * cache's loaded table, measured on this thread: a measure over typed vectors takes milliseconds),
 * or files and folders loaded and merged by the measure worker (with a cancellable progress
 * notification), so the extension host never parses or merges a file itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  exportDate,
  MeasureError,
  measureByName,
  runMeasure,
  type DateSource,
  type Delivery,
  type MeasureInput,
  type MeasureName,
  type MeasureRequest,
  type MeasureResult,
} from '../../core/measures';
import type { Timings } from '../../core/measures/engine/resultFormat';
import { mergeDeliveries } from '../../core/measures/engine/merge';
import { ExportTable, type TableData } from '../../core/load/table';
import { findDeliveries } from '../../node/deliveries';
import { firstStartDay, measureRows, rowsByFile, type PointRef } from '../../core/measures/rowSets';
import { MeasureSession, type Answer, type OpenOutcome, type RowsReply } from '../../worker/measureClient';
import type { ExportCache, ExportHandle } from '../cache/exportCache';
import type { TemplateChoices } from '../templates/templateChoice';

export type Counted<K extends string> = ({ [k in K]: string } & { rows: number })[];

export interface MeasureSource {
  readonly files: readonly string[];
  readonly exportDate: { day: number; source: DateSource } | null;
  /** The first day a transaction starts on (day number). */
  readonly firstDay: number | null;
  readonly timings: Timings;
  /** The same object for every source over the same loaded rows (what is worked out from them can be kept by it). */
  readonly identity: object;
  /** The rows behind one value of the measure run with `req` (a chart's drill-down), per file. */
  rows(name: MeasureName, req: MeasureRequest, point: PointRef): Promise<Answer<RowsReply>>;
  keys(): Promise<Answer<Counted<'key'>>>;
  values(key: string): Promise<Answer<Counted<'value'>>>;
  measure(name: MeasureName, req: MeasureRequest): Promise<Answer<MeasureResult>>;
  /** Lets the data go (releases the cache handle, or ends the worker). */
  close(): void;
}

export type SourceOutcome = { ok: true; source: MeasureSource } | { ok: false; message: string; cancelled?: boolean };

function answer<T>(f: () => T): Answer<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof MeasureError) return { ok: false, message: e.message, kind: e.kind };
    throw e;
  }
}

/**
 * An export the cache holds: measured here, over its typed columns. Listing attribute keys and
 * values reads every row's JSON, so that goes to a measure worker sharing the table's memory.
 */
class OpenExport implements MeasureSource {
  readonly files: string[];
  readonly exportDate;
  readonly firstDay;
  readonly timings = {};
  readonly identity: object;
  private helper: Promise<OpenOutcome> | null = null;

  constructor(
    private readonly input: MeasureInput,
    private readonly handle: ExportHandle,
    private readonly workerPath: string,
    dates: { exportDate: { day: number; source: DateSource } | null; firstDay: number | null },
  ) {
    this.files = input.parts.map((p) => p.delivery.file);
    this.identity = input;
    this.exportDate = dates.exportDate;
    this.firstDay = dates.firstDay;
  }

  async rows(name: MeasureName, req: MeasureRequest, point: PointRef): Promise<Answer<RowsReply>> {
    return answer(() => {
      const m = measureByName(name);
      if (!m) throw new MeasureError(`Unknown measure ${name}`, 'request');
      const set = measureRows(m, this.input, req, point);
      return { label: set.label, count: set.count, counted: set.counted, files: rowsByFile(set, this.input) };
    });
  }

  private async worker(): Promise<MeasureSession | string> {
    const d = this.input.parts[0].delivery;
    this.helper ??= MeasureSession.adopt(d.table.data, d.file, d.version, { workerPath: this.workerPath });
    const o = await this.helper;
    return o.ok ? o.session : o.error.message;
  }

  async keys(): Promise<Answer<Counted<'key'>>> {
    const w = await this.worker();
    return typeof w === 'string' ? { ok: false, message: w, kind: 'data' } : w.keys();
  }

  async values(key: string): Promise<Answer<Counted<'value'>>> {
    const w = await this.worker();
    return typeof w === 'string' ? { ok: false, message: w, kind: 'data' } : w.values(key);
  }

  async measure(name: MeasureName, req: MeasureRequest) {
    return answer(() => runMeasure(name, this.input, req));
  }

  close(): void {
    void this.helper?.then((o) => o.ok && o.session.close());
    this.handle.release();
  }
}

/** Files loaded and merged in the measure worker. */
class WorkerExports implements MeasureSource {
  constructor(
    private readonly session: MeasureSession,
    readonly files: readonly string[],
    readonly exportDate: { day: number; source: DateSource } | null,
    readonly firstDay: number | null,
    readonly timings: Timings,
  ) {}

  get identity(): object {
    return this.session;
  }

  rows(name: MeasureName, req: MeasureRequest, point: PointRef) {
    return this.session.rows(name, req, point);
  }

  keys() {
    return this.session.keys();
  }
  values(key: string) {
    return this.session.values(key);
  }
  measure(name: MeasureName, req: MeasureRequest) {
    return this.session.measure(name, req);
  }
  close(): void {
    this.session.close();
  }
}

/**
 * An open export's merged rows and its dates, worked out once per loaded table: merging reads every
 * row's key (most of a second on a million rows), and every chart or measure of the same export
 * would otherwise pay it again. Kept as long as the table itself is.
 */
const mergedTables = new WeakMap<
  TableData,
  { input: MeasureInput; exportDate: { day: number; source: DateSource } | null; firstDay: number | null }
>();

function merged(file: string, table: TableData, version: Delivery['version']) {
  let m = mergedTables.get(table);
  if (!m) {
    const input = mergeDeliveries([{ file, table: new ExportTable(table), version }]);
    mergedTables.set(table, (m = { input, exportDate: exportDate(input), firstDay: firstStartDay(input) }));
  }
  return m;
}

const workerPath = (ctx: SourceContext) => path.join(ctx.extensionPath, 'dist', 'measureWorker.js');

export interface SourceContext {
  readonly cache: ExportCache;
  readonly templates: TemplateChoices;
  readonly extensionPath: string;
}

/**
 * The transactions behind `targets`: one file the editor has open comes from the cache; anything
 * else (a file not open, several files, folders) is loaded by the measure worker.
 */
export async function openSource(
  targets: readonly vscode.Uri[],
  ctx: SourceContext,
  /** Told how loading goes instead of a progress notification (the chart panel shows its own). */
  onProgress?: (fraction: number, rows: number) => void,
  signal?: AbortSignal,
  /** What a long piece of work on this thread (the first merge of an open export) waits for: a page to be set first. */
  heavyAfter?: Promise<void>,
): Promise<SourceOutcome> {
  if (targets.length === 1 && ctx.cache.holders(targets[0]) > 0) {
    const uri = targets[0];
    const handle = ctx.cache.acquire(uri, ctx.templates.choice(uri));
    const watch = handle.watch;
    const following = onProgress && watch ? watch.onDidChange(() => onProgress(watch.fraction, watch.rows)) : null;
    const outcome = await handle.outcome;
    following?.dispose();
    if (!outcome.ok) {
      handle.release();
      return { ok: false, message: outcome.error.message, cancelled: outcome.error.code === 'cancelled' };
    }
    // merging takes this thread a while the first time: what the caller set going (a panel, its page) goes out first
    if (!mergedTables.has(outcome.value.table)) await (heavyAfter ?? new Promise((resolve) => setImmediate(resolve)));
    const m = merged(uri.fsPath, outcome.value.table, outcome.value.info.version.id);
    return { ok: true, source: new OpenExport(m.input, handle, workerPath(ctx), m) };
  }
  // the folder walk: deliveries by the documented layout and by content (CSV, gzip, Parquet parts)
  const found = await findDeliveries(targets.map((u) => u.fsPath));
  if (!found.ok) return { ok: false, message: found.error.message };
  const files = found.deliveries.map((d) => ({ path: d.path, parts: d.parts }));
  if (files.length === 0) {
    const names = targets.map((u) => path.basename(u.fsPath)).join(', ');
    const skipped = found.skipped.length
      ? ` (${found.skipped.length} skipped; ${path.basename(found.skipped[0].path)}: ${found.skipped[0].reason})`
      : '';
    return { ok: false, message: `No exports in ${names}${skipped}` };
  }
  const title =
    files.length === 1 ? `Loading ${path.basename(files[0].path)}` : `Loading and merging ${files.length} deliveries`;
  if (onProgress) {
    const opened = await MeasureSession.open(files, {
      workerPath: workerPath(ctx),
      signal,
      onProgress: (p) =>
        onProgress((p.file + (p.compressedTotal ? p.compressedRead / p.compressedTotal : 0)) / p.files, p.rows),
    });
    return workerSource(opened);
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      let last = 0;
      const opened = await MeasureSession.open(files, {
        workerPath: workerPath(ctx),
        signal: abort.signal,
        onProgress: (p) => {
          const within = p.compressedTotal ? p.compressedRead / p.compressedTotal : 0;
          const pct = (100 * (p.file + within)) / p.files;
          const which = p.files > 1 ? `file ${p.file + 1} of ${p.files}, ` : '';
          progress.report({ increment: pct - last, message: `${which}${p.rows.toLocaleString('en-US')} rows` });
          last = pct;
        },
      });
      return workerSource(opened);
    },
  );
}

function workerSource(opened: OpenOutcome): SourceOutcome {
  if (!opened.ok) {
    const where = opened.file ? `${path.basename(opened.file)}: ` : '';
    return { ok: false, message: `${where}${opened.error.message}`, cancelled: opened.error.code === 'cancelled' };
  }
  const { info } = opened;
  return {
    ok: true,
    source: new WorkerExports(
      opened.session,
      info.files.map((f) => f.file),
      info.exportDate,
      info.firstDay,
      {
        loadMs: info.loadMs,
        mergeMs: info.mergeMs,
      },
    ),
  };
}
