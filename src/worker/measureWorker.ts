/**
 * The measure worker: loads export files (no validation: measures read only typed columns), merges
 * several deliveries, and answers measure and attribute requests over them, so neither the CLI's
 * nor the extension host's thread does that work. The loaded data lives here until the worker ends.
 */
import { parentPort } from 'node:worker_threads';
import { exportDate, MeasureError, runMeasure, type MeasureInput } from '../core/measures';
import { attributeKeys, attributeValues } from '../core/measures/engine/attributes';
import { mergeDeliveries } from '../core/measures/engine/merge';
import { ExportTable } from '../core/load/table';
import { loadDeliveries } from '../node/deliveries';
import { MeasureWorkerRequest, type MeasureWorkerReply } from '../protocol/measureWorker';

const port = parentPort;
if (!port) throw new Error('measureWorker must run in a worker thread');
const post = (m: MeasureWorkerReply) => port.postMessage(m);

let input: MeasureInput | null = null;

/** Keys or values over every part's rows, counts added up, most used first. */
function tally<T extends { rows: number }>(lists: T[][], name: (x: T) => string): T[] {
  const by = new Map<string, T>();
  for (const list of lists)
    for (const x of list) {
      const k = name(x);
      const had = by.get(k);
      by.set(k, had ? { ...had, rows: had.rows + x.rows } : x);
    }
  return [...by.values()].sort((a, b) => b.rows - a.rows || (name(a) < name(b) ? -1 : 1));
}

async function handle(raw: unknown): Promise<void> {
  const parsed = MeasureWorkerRequest.safeParse(raw);
  if (!parsed.success) {
    post({ type: 'error', message: `Bad measure request: ${parsed.error.issues[0]?.message}`, kind: 'request' });
    return;
  }
  const req = parsed.data;
  try {
    if (req.type === 'open') {
      const t0 = performance.now();
      const loaded = await loadDeliveries(req.files, {
        maxBytes: req.maxBytes,
        columns: req.columns,
        onProgress: (progress) => post({ type: 'progress', progress }),
      });
      if (!loaded.ok) {
        post({ type: 'failed', file: loaded.file, error: loaded.error });
        return;
      }
      const t1 = performance.now();
      input = mergeDeliveries(loaded.deliveries);
      const rows = input.parts.reduce((n, p) => n + (p.rows ? p.rows.length : p.delivery.table.rowCount), 0);
      post({
        type: 'opened',
        info: {
          files: input.parts.map((p) => ({
            file: p.delivery.file,
            version: p.delivery.version,
            rows: p.delivery.table.rowCount,
          })),
          rows,
          superseded: input.superseded,
          exportDate: exportDate(input),
          loadMs: t1 - t0,
          mergeMs: performance.now() - t1,
        },
      });
      return;
    }
    if (req.type === 'adopt') {
      input = mergeDeliveries([{ file: req.file, table: new ExportTable(req.table), version: req.version }]);
      post({
        type: 'opened',
        info: {
          files: [{ file: req.file, version: req.version, rows: req.table.rowCount }],
          rows: req.table.rowCount,
          superseded: 0,
          exportDate: exportDate(input),
          loadMs: 0,
          mergeMs: 0,
        },
      });
      return;
    }
    if (!input) throw new MeasureError('No files are open');
    if (req.type === 'measure') post({ type: 'result', result: runMeasure(req.name as never, input, req.request) });
    else if (req.type === 'keys')
      post({
        type: 'keys',
        keys: tally(
          input.parts.map((p) => attributeKeys(p.delivery.table, p.rows)),
          (x) => x.key,
        ),
      });
    else
      post({
        type: 'values',
        values: tally(
          input.parts.map((p) => attributeValues(p.delivery.table, req.key, Infinity, p.rows)),
          (x) => x.value,
        ).slice(0, 50),
      });
  } catch (e) {
    post({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      kind: e instanceof MeasureError ? e.kind : 'data',
    });
  }
}

port.on('message', (raw: unknown) => void handle(raw));
