/**
 * The grid's view thread: filters, searches and sorts a loaded table off the extension host's
 * thread. The table arrives once over SharedArrayBuffers (nothing is copied); row orders go back in
 * SharedArrayBuffers too, so the host reads them where they are.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableData } from '../core/load/table';
import { ViewEngine } from '../core/view/view';
import type { ViewReply, ViewRequest } from './viewClient';

const port = parentPort;
if (!port) throw new Error('viewWorker must run in a worker thread');

const engine = new ViewEngine(workerData as TableData, (n) => new SharedArrayBuffer(n));

port.on('message', (m: ViewRequest) => {
  const reply: ViewReply =
    m.type === 'view'
      ? { id: m.id, type: 'view', result: engine.view(m.spec) }
      : { id: m.id, type: 'values', result: engine.values(m.column) };
  port.postMessage(reply);
});
