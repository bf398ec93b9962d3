/**
 * A Parquet delivery's row groups decoded on a thread of their own (parquetWorker.ts): the events it
 * sends, in order, as the loading thread reads them; each batch goes back to be filled again once
 * the loading thread asks for the next event (its rows are in the table by then).
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { LOAD_ERROR_CODES, LoadFailure, type LoadErrorCode } from '../core/errors';
import { batchBuffers, valueBuffers, type GroupEvent, type GroupSetup, type RowBatch } from '../core/parquet';
import type { ParquetGroupsElsewhere, ParquetPartFile } from '../node/parts';
import { connect, portEndpoint, type Failure } from '../protocol/channel';
import { parquetLink } from '../protocol/parquetWorker';

function failure(error: Failure): LoadFailure {
  const code = (LOAD_ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as LoadErrorCode) : 'io';
  return new LoadFailure(code, error.message);
}

async function* decodeInWorker(
  workerPath: string,
  background: boolean,
  parts: readonly ParquetPartFile[],
  setup: GroupSetup,
): AsyncGenerator<GroupEvent> {
  const worker = new Worker(workerPath);
  const queue: GroupEvent[] = [];
  let head = 0;
  let end: { error: Failure | null } | null = null;
  let wake: (() => void) | null = null;
  const ring = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const link = connect(parquetLink, portEndpoint(worker), (m) => {
    queue.push(m.type === 'values' ? m.group : m.batch);
    ring();
  });
  worker.on('error', (e) => link.close(`The Parquet decoder stopped: ${e.message}`));
  worker.on('exit', (code) => link.close(`The Parquet decoder exited early (code ${code})`));
  void link
    .request('decode', {
      parts: [...parts],
      setup: { ...setup, columns: [...setup.columns], booleans: [...setup.booleans], dictText: [...setup.dictText] },
      background,
    })
    .then((r) => {
      end = { error: r.ok ? null : r.error };
      ring();
    });
  let lent: RowBatch | null = null;
  let values: ArrayBuffer[] = [];
  try {
    for (;;) {
      if (lent) {
        const b = lent;
        lent = null;
        link.send({ type: 'spent', batch: b }, batchBuffers(b));
      }
      if (values.length) {
        link.send({ type: 'reuse', buffers: values }, values);
        values = [];
      }
      if (head < queue.length) {
        const ev = queue[head++];
        if (head > 1024) {
          queue.splice(0, head);
          head = 0;
        }
        if (ev.type === 'rows') lent = ev;
        else values = valueBuffers(ev);
        yield ev;
        continue;
      }
      // every event before the reply has arrived once the reply has
      const done = end as { error: Failure | null } | null;
      if (done) {
        if (done.error) throw failure(done.error);
        return;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    link.close();
    void worker.terminate();
  }
}

/**
 * Row groups decoded on a second thread, when the machine has a second core (null: one core, the
 * loading thread decodes them itself). `workerPath`: the bundled parquetWorker.js.
 */
export function parquetGroupsInWorker(workerPath: string, background: boolean): ParquetGroupsElsewhere | null {
  if (os.availableParallelism() < 2) return null;
  return (parts, setup) => decodeInWorker(workerPath, background, parts, setup);
}
