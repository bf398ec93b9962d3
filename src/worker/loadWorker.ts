/**
 * The worker thread that loads an export, so the thread that asked never blocks. Memory comes from
 * SharedArrayBuffers: the finished table is shared with the caller, not copied.
 *
 * Room src/worker: the threads (load, Parquet row groups, deep rules, view, measures) and their clients.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/view, src/core/measures, src/core/measures/engine, src/core/parquet, src/node, src/protocol.
 */
import * as path from 'node:path';
import { parentPort, type Worker } from 'node:worker_threads';
import { loadExportFile, loadParts } from '../node/loadFile';
import { readHeadNow } from '../node/head';
import { parquetGroupsInWorker } from './parquetClient';
import { portEndpoint, serve } from '../protocol/channel';
import { openDeepChannel } from './deepClient';
import { loadLink, type Head, type HeadRequest, type LoadRequest } from '../protocol/loadWorker';
import { ExportTable } from '../core/load/table';
import type { LoadOutcome } from '../core/load/load';

const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');

async function load(req: LoadRequest): Promise<LoadOutcome> {
  const workers: Worker[] = [];
  const options: Parameters<typeof loadExportFile>[1] = {
    deep: openDeepChannel(workers),
    template: req.template,
    validate: req.validate,
    maxPerRule: req.maxPerRule,
    maxBytes: req.maxBytes,
    segmentBytes: req.segmentBytes,
    allocate: (n) => new SharedArrayBuffer(n),
    parquetGroups: parquetGroupsInWorker(path.join(__dirname, 'parquetWorker.js')) ?? undefined,
    onProgress: (progress) => link.send({ type: 'progress', progress }),
    onFirstRows: (first) => link.send({ type: 'first', first }),
  };
  const outcome = req.parts ? await loadParts(req.file, req.parts, options) : await loadExportFile(req.file, options);
  await Promise.all(workers.map((w) => w.terminate()));
  return outcome;
}

/** A file's first rows, over shared memory (see src/node/head.ts). */
function head({ file, template, rows, texts = 0 }: HeadRequest): Head | null {
  const first = readHeadNow(file, template, rows, (n) => new SharedArrayBuffer(n));
  if (!first) return null;
  const t = new ExportTable(first.table);
  return { first, texts: Array.from({ length: Math.min(texts, t.rowCount) }, (_, r) => t.row(r)) };
}

const link = serve(loadLink, portEndpoint(port), { load, head });
