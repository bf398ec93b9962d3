/**
 * A Parquet delivery's row groups decoded on a thread of their own (parquetWorker.ts): the events it
 * sends, in order, as the loading thread reads them; each batch goes back to be filled again once
 * the loading thread asks for the next event (its rows are in the table by then). When the table's
 * text is shared memory the decoding thread writes the rows' text there itself, asking for room
 * when it runs out; while the loading thread waits for rows, it makes the pages ahead of them (the
 * first write to each page of fresh memory costs a fault, which this spreads over both threads).
 *
 * Whether a second thread pays is decided as the load starts, from what the machine's cores did
 * while this thread read the parts' footers (cpuWatch.ts): when other programs keep a core busy,
 * this thread decodes the row groups itself.
 */
import { Worker } from 'node:worker_threads';
import { LOAD_ERROR_CODES, LoadFailure, type LoadErrorCode } from '../core/errors';
import {
  batchBuffers,
  GroupDecoder,
  onePool,
  valueBuffers,
  type GroupEvent,
  type GroupSetup,
  type RowBatch,
  type TextRoom,
} from '../core/parquet';
import { type FileSource, openParquetParts } from '../node/fileSource';
import type { ParquetGroupsElsewhere, ParquetPartFile } from '../node/parts';
import { cpuWatch } from './cpuWatch';
import { connect, portEndpoint, type Failure } from '../protocol/channel';
import { parquetLink } from '../protocol/parquetWorker';

function failure(error: Failure): LoadFailure {
  const code = (LOAD_ERROR_CODES as readonly string[]).includes(error.code) ? (error.code as LoadErrorCode) : 'io';
  return new LoadFailure(code, error.message);
}

/**
 * Pages made ahead of the rows received: from a megabyte past them to 512 MB (the decoding thread
 * may be a hundred megabytes ahead of the rows received: the batches lent; a page it made itself
 * costs nothing to touch again).
 */
const PAGE = 4096;
const AHEAD_FROM = 1 << 20;
const AHEAD_TO = 512 << 20;
/** Pages made at a time before the loading thread looks for rows again. */
const TOUCH = 1 << 20;

/** The table's text, and its pages the loading thread makes ahead of the decoding thread's writes. */
class Pages {
  private words: Int32Array | null = null;
  private touched = 0;
  /** Where the rows received so far end. */
  received = 0;

  use(text: Uint8Array, length: number): void {
    this.words = new Int32Array(text.buffer, text.byteOffset, text.byteLength >> 2);
    this.touched = length;
  }

  /** Makes the next pages ahead, if any; false when there is nothing to do. */
  touch(): boolean {
    const words = this.words;
    if (!words) return false;
    const from = Math.max(this.touched, this.received + AHEAD_FROM);
    const to = Math.min(words.length << 2, this.received + AHEAD_TO, from + TOUCH);
    if (from >= to) return false;
    // adding 0 changes no byte, and as one atomic step it cannot undo a write of the other thread
    for (let p = from; p < to; p += PAGE) Atomics.add(words, p >> 2, 0);
    this.touched = to;
    return true;
  }
}

async function* decodeInWorker(
  worker: Worker,
  parts: readonly ParquetPartFile[],
  setup: GroupSetup,
  room: TextRoom,
): AsyncGenerator<GroupEvent> {
  const queue: (GroupEvent | { type: 'room'; bytes: number })[] = [];
  const pages = new Pages();
  let head = 0;
  let end: { error: Failure | null } | null = null;
  let wake: (() => void) | null = null;
  const ring = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const link = connect(parquetLink, portEndpoint(worker), (m) => {
    if (m.type === 'rows' && m.batch.at >= 0) pages.received = m.batch.at + m.batch.size;
    queue.push(m.type === 'values' ? m.group : m.type === 'rows' ? m.batch : m);
    ring();
  });
  worker.on('error', (e) => link.close(`The Parquet decoder stopped: ${e.message}`));
  worker.on('exit', (code) => link.close(`The Parquet decoder exited early (code ${code})`));
  void link
    .request('decode', {
      parts: [...parts],
      setup: { ...setup, columns: [...setup.columns], booleans: [...setup.booleans], dictText: [...setup.dictText] },
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
        if (ev.type === 'room') {
          // every row before has been added: the table makes room, the decoding thread writes there
          const { text, length } = room.reserve(ev.bytes);
          pages.use(text, length);
          link.send({ type: 'text', text, length });
          continue;
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
      if (pages.touch()) await new Promise<void>((resolve) => setImmediate(resolve));
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    link.close();
    void worker.terminate();
  }
}

/**
 * The row groups decoded on this thread, as the second thread would send them: the rows' text is
 * written straight into the table, whose room each row group asks for once its values are in.
 */
async function* decodeHere(
  parts: readonly ParquetPartFile[],
  setup: GroupSetup,
  room: TextRoom,
): AsyncGenerator<GroupEvent> {
  const sources: FileSource[] = [];
  try {
    const files = await openParquetParts(parts, sources);
    const decoder = new GroupDecoder(
      files,
      parts.map((p) => p.name),
      setup,
      false,
    );
    yield* decoder.events(onePool(setup.columns.length, room));
  } finally {
    for (const s of sources) await s.close();
  }
}

export { secondCoreFree } from './cpuWatch';

/**
 * Row groups decoded on a second thread (null: the loading thread decodes them itself). `free`: whether
 * a second core is free, or a question answered as the row groups start; by default the cores are
 * watched from now until then (cpuWatch.ts), and when no second core is free the loading thread
 * decodes the row groups after all. `workerPath`: the bundled parquetWorker.js.
 */
export function parquetGroupsInWorker(
  workerPath: string,
  free?: boolean | (() => Promise<boolean>),
): ParquetGroupsElsewhere | null {
  if (free === false) return null;
  if (free === true) return (parts, setup, room) => decodeInWorker(new Worker(workerPath), parts, setup, room);
  const watch = cpuWatch();
  const ask = free ?? (watch ? () => watch.secondCoreFree() : null);
  if (!ask) return null;
  return async function* (parts, setup, room) {
    if (await ask()) yield* decodeInWorker(new Worker(workerPath), parts, setup, room);
    else yield* decodeHere(parts, setup, room);
  };
}
