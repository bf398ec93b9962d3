/**
 * Where a measure command gets its transactions: an export already open in the editor (the shared
 * cache's loaded table, adopted by a measure worker), or files and folders loaded and merged by the
 * measure worker (with a cancellable progress notification), so the extension host never parses,
 * merges or measures a file itself.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DateSource, MeasureName, MeasureRequest, MeasureResult } from '../../core/measures';
import type { Timings } from '../../core/measures/engine/resultFormat';
import { findDeliveries } from '../../node/deliveries';
import type { PointRef } from '../../core/measures/rowSets';
import {
  MeasureSession,
  type Answer,
  type OpenedInfo,
  type OpenOutcome,
  type RowsReply,
} from '../../worker/measureClient';
import type { ExportCache, ExportHandle } from '../cache/exportCache';
import { loadMaxBytes } from '../cache/loadLimit';
import { adoptTable, type AdoptedLease } from './adoptedTables';
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

/**
 * An export the cache holds: measured in a measure worker that adopted its loaded table (shared
 * memory: nothing is copied) and merged it there (adoptedTables.ts), so this thread never does.
 */
class OpenExport implements MeasureSource {
  readonly files: string[];
  readonly exportDate;
  readonly firstDay;
  readonly timings = {};
  readonly identity: object;

  constructor(
    private readonly lease: AdoptedLease,
    /** The cache's handle on the table (null: held by whoever made this source, and let go by it). */
    private readonly handle: ExportHandle | null,
    info: OpenedInfo,
  ) {
    this.files = info.files.map((f) => f.file);
    this.identity = lease.identity;
    this.exportDate = info.exportDate;
    this.firstDay = info.firstDay;
  }

  rows(name: MeasureName, req: MeasureRequest, point: PointRef): Promise<Answer<RowsReply>> {
    return this.lease.inTurn((s) => s.rows(name, req, point));
  }

  keys(): Promise<Answer<Counted<'key'>>> {
    return this.lease.inTurn((s) => s.keys());
  }

  values(key: string): Promise<Answer<Counted<'value'>>> {
    return this.lease.inTurn((s) => s.values(key));
  }

  measure(name: MeasureName, req: MeasureRequest): Promise<Answer<MeasureResult>> {
    return this.lease.inTurn((s) => s.measure(name, req));
  }

  close(): void {
    if (!this.handle) return;
    this.lease.release();
    this.handle.release();
  }
}

/**
 * The measure source over an export's adopted table that the warm-up of an open export holds
 * (warmMeasures.ts): measured in the same worker as every other source over that table, with the same
 * identity; closing it lets nothing go (the warm-up lets its lease and handle go with the editor).
 */
export function warmSource(lease: AdoptedLease, info: OpenedInfo): MeasureSource {
  return new OpenExport(lease, null, info);
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

/** The bundled measure worker. */
export const workerPath = (ctx: SourceContext) => path.join(ctx.extensionPath, 'dist', 'measureWorker.js');

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
  /** Only these columns are read (one measure's): a load by the worker keeps no others. */
  columns?: readonly string[],
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
    // the worker adopts the table and merges it (once per table: later sources share it)
    const lease = adoptTable(outcome.value.table, uri.fsPath, outcome.value.info.version.id, workerPath(ctx));
    const adopted = await (onProgress
      ? lease.outcome
      : vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: `Preparing ${path.basename(uri.fsPath)} for measures` },
          () => lease.outcome,
        ));
    if (!adopted.ok) {
      lease.release();
      handle.release();
      return { ok: false, message: adopted.error.message, cancelled: adopted.error.code === 'cancelled' };
    }
    return { ok: true, source: new OpenExport(lease, handle, adopted.info) };
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
      maxBytes: loadMaxBytes(),
      columns,
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
        maxBytes: loadMaxBytes(),
        columns,
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
