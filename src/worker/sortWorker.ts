/**
 * Sorts a loaded table by one column off the extension host's thread. The table arrives over
 * SharedArrayBuffers (nothing is copied); the row order goes back as a transferred buffer.
 */
import { parentPort } from 'node:worker_threads';
import { sortRows } from '../core/sort';
import { ExportTable, type TableData } from '../core/table';

const port = parentPort;
if (!port) throw new Error('sortWorker must run in a worker thread');

port.on('message', (m: { table: TableData; column: number; descending: boolean }) => {
  const order = sortRows(new ExportTable(m.table), m.column, m.descending);
  port.postMessage(order, [order.buffer as ArrayBuffer]);
});
