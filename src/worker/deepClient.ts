/**
 * The deep rules' thread (deepWorker.ts) as a load's DeepChannel: started once the header is known,
 * by the loading thread (loadWorker.ts) or by rc-export validate's streamed load. The caller
 * terminates the workers it is given.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DeepChannel } from '../core/load/builder';
import type { DeepSetup } from '../core/validate/deep';
import { connect, portEndpoint } from '../protocol/channel';
import { deepLink } from '../protocol/deepWorker';

/** A second thread for the deep rules, started once the header is known. */
export function openDeepChannel(workers: Worker[], workerPath = path.join(__dirname, 'deepWorker.js')) {
  return (setup: DeepSetup): DeepChannel => {
    const worker = new Worker(workerPath);
    workers.push(worker);
    const spent: Float64Array[] = [];
    const spentBytes: Uint8Array[] = [];
    // batches sent and not yet handed back, and a load waiting for that number to come down
    let waiting = 0;
    let ended = false;
    let wake: { at: number; resolve: () => void } | null = null;
    const settle = () => {
      if (wake && (ended || waiting <= wake.at)) {
        wake.resolve();
        wake = null;
      }
    };
    const deep = connect(deepLink, portEndpoint(worker), (m) => {
      spent.push(m.data);
      if (m.bytes) spentBytes.push(m.bytes);
      waiting--;
      settle();
    });
    worker.once('error', (e) => {
      deep.close(e.message);
      // nothing more will come back: a waiting load goes on, and finish() says what went wrong
      ended = true;
      settle();
    });
    deep.send({ type: 'setup', setup: { ...setup, header: [...setup.header] } });
    return {
      send: (batch) => {
        waiting++;
        // a streamed batch's copy of its rows goes over whole (the table's shared bytes stay shared)
        const own = setup.streamed === true && !(batch.bytes.buffer instanceof SharedArrayBuffer);
        const moved = [batch.data.buffer as ArrayBuffer];
        if (own) moved.push(batch.bytes.buffer);
        deep.send({ type: 'batch', batch }, moved);
      },
      reuse: () => spent.pop(),
      reuseBytes: () => spentBytes.pop(),
      caughtUp: (at) =>
        ended || waiting <= at
          ? null
          : new Promise<void>((resolve) => {
              wake = { at, resolve };
            }),
      finish: async () => {
        const r = await deep.request('finish', {});
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      },
    };
  };
}
