/**
 * The grid's view thread: filters, searches and sorts a loaded table off the extension host's
 * thread. The table arrives once over SharedArrayBuffers (nothing is copied); row orders go back in
 * SharedArrayBuffers too, so the host reads them where they are.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableData } from '../core/load/table';
import { ViewEngine } from '../core/view/view';
import { portEndpoint, serve } from '../protocol/channel';
import { viewLink } from '../protocol/viewWorker';

const port = parentPort;
if (!port) throw new Error('viewWorker must run in a worker thread');

const engine = new ViewEngine(workerData as TableData, (n) => new SharedArrayBuffer(n));

serve(viewLink, portEndpoint(port), {
  view: ({ spec, rows }) => engine.view(spec, rows ?? null),
  values: ({ column }) => engine.values(column),
});
