/**
 * The measure worker: loads export files (no validation: measures read only typed columns), merges
 * several deliveries, and answers measure and attribute requests over them, so neither the CLI's
 * nor the extension host's thread does that work. The loaded data lives here until the worker ends.
 */
import { parentPort } from 'node:worker_threads';
import { exportDate, MeasureError, measureByName, runMeasure, warmUpSteps, type MeasureInput } from '../core/measures';
import { firstStartDay, measureRows, rowsByFile } from '../core/measures/rowSets';
import { attributeKeys, attributeValues } from '../core/measures/engine/attributes';
import { mergeDeliveries } from '../core/measures/engine/merge';
import { ExportTable } from '../core/load/table';
import { loadMerged } from '../node/deliveries';
import { portEndpoint, Refusal, serve } from '../protocol/channel';
import { measureLink } from '../protocol/measureWorker';

const port = parentPort;
if (!port) throw new Error('measureWorker must run in a worker thread');

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

/** The files' merged rows; a MeasureError's kind becomes the failure's code. */
function opened(): MeasureInput {
  if (!input) throw new Refusal('data', 'No files are open');
  return input;
}

function answering<A, R>(f: (ask: A) => R): (ask: A) => R {
  return (ask) => {
    try {
      return f(ask);
    } catch (e) {
      throw e instanceof MeasureError ? new Refusal(e.kind, e.message) : e;
    }
  };
}

const link = serve(measureLink, portEndpoint(port), {
  open: async (req) => {
    const t0 = performance.now();
    // several deliveries merge as they load (the superseded rows of each are let go as the next loads)
    const loaded = await loadMerged(req.files, {
      maxBytes: req.maxBytes,
      columns: req.columns,
      onProgress: (progress) => link.send({ type: 'progress', progress }),
    });
    if (!loaded.ok) return { ok: false as const, file: loaded.file, error: loaded.error };
    const t1 = performance.now();
    input = loaded.input;
    const rows = input.parts.reduce((n, p) => n + (p.rows ? p.rows.length : p.delivery.table.rowCount), 0);
    return {
      ok: true as const,
      info: {
        files: [...input.parts, ...(input.currency?.parts ?? [])].map((p) => ({
          file: p.delivery.file,
          version: p.delivery.version,
          rows: p.delivery.origin?.fileRows ?? p.delivery.table.rowCount,
        })),
        rows,
        superseded: input.superseded,
        exportDate: exportDate(input),
        firstDay: firstStartDay(input),
        loadMs: t1 - t0,
        mergeMs: performance.now() - t1,
      },
    };
  },
  adopt: (req) => {
    const adopted = (input = mergeDeliveries([
      { file: req.file, table: new ExportTable(req.table), version: req.version },
    ]));
    // an open export's measures are asked later: have their loops compiled meanwhile, a step at a
    // time (a request waits for one step at most), until another table replaces this one
    const steps = warmUpSteps(adopted);
    const step = () => {
      if (input === adopted && !steps.next().done) setImmediate(step);
    };
    setImmediate(step);
    return {
      files: [{ file: req.file, version: req.version, rows: req.table.rowCount }],
      rows: req.table.rowCount,
      superseded: 0,
      exportDate: exportDate(input),
      firstDay: firstStartDay(input),
      loadMs: 0,
      mergeMs: 0,
    };
  },
  measure: answering((req) => runMeasure(req.name, opened(), req.request)),
  rows: answering((req) => {
    const m = measureByName(req.name);
    if (!m) throw new Refusal('request', `Unknown measure ${req.name}`);
    const t0 = performance.now();
    const set = measureRows(m, opened(), req.request, req.point);
    const files = rowsByFile(set, opened());
    return { label: set.label, count: set.count, counted: set.counted, files, ms: performance.now() - t0 };
  }),
  keys: answering(() =>
    tally(
      opened().parts.map((p) => attributeKeys(p.delivery.table, p.rows)),
      (x) => x.key,
    ),
  ),
  values: answering((req) =>
    tally(
      opened().parts.map((p) => attributeValues(p.delivery.table, req.key, Infinity, p.rows)),
      (x) => x.value,
    ).slice(0, 50),
  ),
});
