/**
 * The worker thread that loads an export, so the thread that asked never blocks. Memory comes from
 * SharedArrayBuffers: the finished table is shared with the caller, not copied.
 *
 * Room src/worker: the threads (load, deep rules, view, measures) and their clients.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/view, src/core/measures, src/core/measures/engine, src/node, src/protocol.
 */
import * as path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';
import type { DeepChannel } from '../core/load/builder';
import type { DeepReport, DeepSetup } from '../core/validate/deep';
import { loadExportFile, loadParts } from '../node/loadFile';
import { lowerThreadPriority } from './priority';
import { LoadRequest, type DeepMessage, type DeepReply, type WorkerMessage } from '../protocol/loadWorker';

const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');

const post = (m: WorkerMessage) => port.postMessage(m);

/** A second thread for the deep rules, started once the header is known. */
function openDeepChannel(workers: Worker[], background: boolean) {
  return (setup: DeepSetup): DeepChannel => {
    const worker = new Worker(path.join(__dirname, 'deepWorker.js'), { workerData: { background } });
    workers.push(worker);
    const send = (m: DeepMessage, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
    send({ type: 'setup', setup });
    const spent: Float64Array[] = [];
    let reported: ((r: DeepReport) => void) | null = null;
    worker.on('message', (m: DeepReply) => {
      if (m.type === 'spent') spent.push(m.data);
      else reported?.(m.report);
    });
    return {
      send: (batch) => send({ type: 'batch', batch }, [batch.data.buffer as ArrayBuffer]),
      reuse: () => spent.pop(),
      finish: () =>
        new Promise((resolve, reject) => {
          reported = resolve;
          worker.once('error', reject);
          send({ type: 'finish' });
        }),
    };
  };
}

async function handle(raw: unknown): Promise<void> {
  const parsed = LoadRequest.safeParse(raw);
  if (!parsed.success) {
    post({
      type: 'failed',
      error: { code: 'bad-option', message: `Bad load request: ${parsed.error.issues[0]?.message}` },
    });
    return;
  }
  const req = parsed.data;
  const workers: Worker[] = [];
  const options: Parameters<typeof loadExportFile>[1] = {
    deep: openDeepChannel(workers, req.background === true),
    template: req.template,
    validate: req.validate,
    maxPerRule: req.maxPerRule,
    maxBytes: req.maxBytes,
    allocate: (n) => new SharedArrayBuffer(n),
    onProgress: (progress) => post({ type: 'progress', progress }),
    onFirstRows: (first) => {
      post({ type: 'first', first });
      if (req.background) lowerThreadPriority();
    },
  };
  const outcome = req.parts ? await loadParts(req.file, req.parts, options) : await loadExportFile(req.file, options);
  await Promise.all(workers.map((w) => w.terminate()));
  post(outcome.ok ? { type: 'done', value: outcome.value } : { type: 'failed', error: outcome.error });
}

port.on('message', (raw: unknown) => void handle(raw));
