/**
 * Deterministic generator of RevenueCat scheduled data exports (test data). Same options => same bytes.
 * generateExport returns the uncompressed text; writeExport streams ~1 MB chunks through gzip.
 */
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zlib from 'node:zlib';
import type { RuleId } from '../../src/core/catalog/rules';
import type { VersionId } from '../../src/core/catalog/templates';
import { field, layout, needsQuoting } from './encode';
import {
  EXTRA_CELL_VALUE,
  type Injected,
  type Plan,
  type Scatter,
  editCells,
  planInjections,
  scatterAction,
  transformHeader,
} from './inject';
import { type Ctx, type Txn, TxnStream, plainTxn } from './model';
import { Rng, mixSeed } from './rng';

export type { Injected } from './inject';

export interface GenOptions {
  version: VersionId;
  rows: number;
  /** Default 1; same options => byte-identical output. */
  seed?: number;
  /** Default ','. */
  delimiter?: ',' | ';';
  crlf?: boolean;
  bom?: boolean;
  /** Default true. */
  finalNewline?: boolean;
  /** Unix seconds of the export; default 1735689600 (2025-01-01). Every start_time is before it, within 400 days. */
  exportTime?: number;
  /** physical = V2's 27 columns first, then each later version's additions appended. */
  columnOrder?: 'documented' | 'physical';
  /** Some custom attribute JSON holds newlines (between members, inside the quoted field). */
  multiline?: boolean;
  /** Violations to inject, each at its own deterministic row; rules not applicable to the version are skipped. */
  inject?: RuleId[];
  /** Also plant a cell problem on every n-th row (for files with very many problems). */
  scatter?: Scatter;
}

export const DEFAULT_EXPORT_TIME = 1735689600;
const CHUNK = 1 << 20;

export function exportFileName(exportTime: number): string {
  return `transactions_${exportTime}.csv.gz`;
}

interface State {
  manifest: Injected[];
}

/** The export's text in chunks of about 1 MB; fills state.manifest as it goes. */
function* textChunks(opts: GenOptions, state: State): Generator<string> {
  const seed = opts.seed ?? 1;
  const delim = opts.delimiter ?? ',';
  const eol = opts.crlf ? '\r\n' : '\n';
  const rows = Math.max(0, Math.floor(opts.rows));
  const finalNewline = opts.finalNewline ?? true;
  const ctx: Ctx = {
    exportTime: opts.exportTime ?? DEFAULT_EXPORT_TIME,
    multiline: opts.multiline ?? false,
    nextId: 1,
  };
  const plan: Plan = planInjections(opts.inject ?? [], opts.version, rows, seed);
  const cols = transformHeader(layout(opts.version, opts.columnOrder ?? 'documented'), plan.rules);
  const n = cols.length;
  const encs = cols.map((c) => c.enc);
  const force = cols.map((c) => c.force);
  const index = new Map<string, number>();
  cols.forEach((c, i) => {
    if (!index.has(c.name)) index.set(c.name, i);
  });
  const re = needsQuoting(delim);
  const stream = new TxnStream(ctx, new Rng(mixSeed(seed, 1)));
  const manifest: Injected[] = [...plan.header];
  state.manifest = manifest;
  const unterminated = plan.rules.has('unterminated-quote');

  let buf: string[] = [
    (opts.bom ? '\uFEFF' : '') + cols.map((c) => c.name).join(delim) + (rows > 0 || finalNewline ? eol : ''),
  ];
  let size = buf[0].length;
  let line = 2; // the line the next record starts on
  let source: Txn | null = null;
  const cells: (string | null)[] = new Array<string | null>(n);

  for (let r = 1; r <= rows; r++) {
    const action = plan.rows.get(r) ?? scatterAction(r, opts.scatter, opts.version);
    const t = action ? plainTxn(ctx, new Rng(mixSeed(seed, 1000 + r)), action.plain) : stream.next();
    for (let i = 0; i < n; i++) cells[i] = encs[i](t);
    const last = r === rows;
    const term = last && (!finalNewline || unterminated) ? '' : eol;
    let rec: string;
    if (!action) {
      rec = field(cells[0], force[0], re);
      for (let i = 1; i < n; i++) rec += delim + field(cells[i], force[i], re);
    } else {
      const rule = action.rule;
      if (rule === 'duplicate-source') source = t;
      let entry: Injected | null = null;
      if (rule !== 'duplicate-source') {
        const edit = editCells(rule, opts.version, t, cells, index, plan.rules, source);
        entry = { rule, row: r, line, column: edit.column, value: edit.value };
      }
      const fields = cells.map((c, i) => field(c, force[i], re));
      if (rule === 'extra-cell') {
        fields.push(EXTRA_CELL_VALUE);
        entry!.value = EXTRA_CELL_VALUE;
      } else if (rule === 'missing-cell') {
        fields.pop();
      } else if (rule === 'unterminated-quote') {
        const lastCell = cells[n - 1] ?? '';
        const lastField = fields[n - 1];
        fields[n - 1] = lastField.startsWith('"') ? lastField.slice(0, -1) : '"' + lastCell;
      } else if (rule === 'blank-row') {
        buf.push(eol);
        size += eol.length;
        entry = { rule, row: null, line, column: null, value: null };
        line++;
      }
      if (entry && rule !== 'blank-row') entry.line = line;
      if (entry) manifest.push(entry);
      rec = fields.join(delim);
    }
    if (ctx.multiline) {
      for (let k = rec.indexOf('\n'); k >= 0; k = rec.indexOf('\n', k + 1)) line++;
    }
    line++;
    buf.push(rec, term);
    size += rec.length + term.length;
    if (size >= CHUNK) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length) yield buf.join('');
  manifest.sort((a, b) => a.line - b.line || (a.row ?? 0) - (b.row ?? 0));
}

/** The whole export, uncompressed (for small tests). */
export function generateExport(opts: GenOptions): { text: Buffer; manifest: Injected[]; fileName: string } {
  const state: State = { manifest: [] };
  const parts: Buffer[] = [];
  for (const s of textChunks(opts, state)) parts.push(Buffer.from(s, 'utf8'));
  return {
    text: Buffer.concat(parts),
    manifest: state.manifest,
    fileName: exportFileName(opts.exportTime ?? DEFAULT_EXPORT_TIME),
  };
}

/** Streams the export into `path`, gzip-compressed unless `gzip` is false. `bytes` is the size written. */
export async function writeFile(
  path: string,
  opts: GenOptions,
  gzip: boolean,
): Promise<{ manifest: Injected[]; bytes: number; textBytes: number }> {
  const state: State = { manifest: [] };
  let textBytes = 0;
  function* buffers(): Generator<Buffer> {
    for (const s of textChunks(opts, state)) {
      const b = Buffer.from(s, 'utf8');
      textBytes += b.length;
      yield b;
    }
  }
  const out = fs.createWriteStream(path);
  if (gzip) await pipeline(Readable.from(buffers()), zlib.createGzip(), out);
  else await pipeline(Readable.from(buffers()), out);
  return { manifest: state.manifest, bytes: out.bytesWritten, textBytes };
}

/** Streams the export through gzip into `path`; never holds the whole text. `bytes` is the compressed size. */
export function writeExport(
  path: string,
  opts: GenOptions,
): Promise<{ manifest: Injected[]; bytes: number; textBytes: number }> {
  return writeFile(path, opts, true);
}
