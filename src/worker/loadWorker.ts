/**
 * The worker thread that loads an export, so the thread that asked never blocks. Memory comes from
 * SharedArrayBuffers: the finished table is shared with the caller, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { loadExportFile } from '../node/loadFile';
import { LoadRequest, type WorkerMessage } from './protocol';

const port = parentPort;
if (!port) throw new Error('loadWorker must run in a worker thread');

const post = (m: WorkerMessage) => port.postMessage(m);

port.on('message', async (raw: unknown) => {
  const parsed = LoadRequest.safeParse(raw);
  if (!parsed.success) {
    post({ type: 'failed', error: { code: 'bad-option', message: `Bad load request: ${parsed.error.issues[0]?.message}` } });
    return;
  }
  const req = parsed.data;
  const outcome = await loadExportFile(req.file, {
    template: req.template,
    validate: req.validate,
    maxPerRule: req.maxPerRule,
    maxBytes: req.maxBytes,
    allocate: (n) => new SharedArrayBuffer(n),
    onProgress: (progress) => post({ type: 'progress', progress }),
  });
  post(outcome.ok ? { type: 'done', value: outcome.value } : { type: 'failed', error: outcome.error });
});
