/**
 * The grid's view thread: filters, searches and sorts a loaded table off the extension host's
 * thread. The table arrives once over SharedArrayBuffers (nothing is copied); row orders go back in
 * SharedArrayBuffers too, so the host reads them where they are.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableData } from '../core/load/table';
import { ViewEngine } from '../core/view/view';
import { summarize } from '../core/view/summary';
import { FilterError } from '../core/view/viewFilter';
import { portEndpoint, Refusal, serve } from '../protocol/channel';
import { viewLink } from '../protocol/viewWorker';

const port = parentPort;
if (!port) throw new Error('viewWorker must run in a worker thread');

const engine = new ViewEngine(workerData as TableData, (n) => new SharedArrayBuffer(n));

const server = serve(viewLink, portEndpoint(port), {
  view: ({ spec, rows }) => engine.view(spec, rows ?? null),
  values: ({ column }) => engine.values(column),
  // slices of rows with a turn of the event loop between them: a cancel from the host gets in and stops it
  summary: async ({ column, spec, rows, token }, { signal }) => {
    try {
      const pause = () => new Promise<void>((r) => setImmediate(r));
      const progress =
        token === undefined
          ? undefined
          : (done: number, total: number) => server.send({ type: 'summaryProgress', token, done, total });
      return await summarize(engine, column, spec, { signal, pause, progress, rowSet: rows ?? null });
    } catch (e) {
      if (e instanceof FilterError) throw new Refusal('filter', e.message);
      throw e;
    }
  },
});
