/**
 * The thread that decodes a Parquet delivery's row groups for the loading thread (its client is
 * parquetClient.ts): it opens the parts again, reads and decodes their column chunks and assembles
 * the rows as CSV text, while the loading thread puts the rows it already has into the table.
 */
import { parentPort } from 'node:worker_threads';
import { LoadFailure } from '../core/errors';
import {
  batchBuffers,
  GroupDecoder,
  newBatch,
  valueBuffers,
  type BatchPool,
  type Place,
  type RowBatch,
} from '../core/parquet';
import { type FileSource, openParquetParts } from '../node/fileSource';
import { portEndpoint, Refusal, serve } from '../protocol/channel';
import { parquetLink } from '../protocol/parquetWorker';

const port = parentPort;
if (!port) throw new Error('parquetWorker must run in a worker thread');

/**
 * Rows a batch holds, and batches lent to the loading thread at most: about a row group of rows, so
 * neither thread waits long, in small batches (each page of fresh memory costs a fault to make).
 */
const ROWS = 1024;
const LENT = 128;

/** Batches made up to LENT, then those handed back; values' memory; the table's text for rows written in place. */
class Pool implements BatchPool {
  private made = 0;
  private readonly free: RowBatch[] = [];
  private waiting: ((b: RowBatch) => void) | null = null;
  readonly place?: (bytes: number) => Place | Promise<Place>;
  /** The table's text (shared memory), and where the next row group's text goes in it. */
  private text: Uint8Array | null = null;
  private end = 0;
  private roomWaiting: ((text: Uint8Array, length: number) => void) | null = null;

  /** `ask`: tells the loading thread the table's text has no room for `bytes` more bytes. */
  constructor(
    private readonly columns: number,
    inPlace: boolean,
    ask: (bytes: number) => void,
  ) {
    if (!inPlace) return;
    this.place = (bytes) => {
      if (this.text && this.end + bytes <= this.text.length) {
        const at = this.end;
        this.end += bytes;
        return { text: this.text, at };
      }
      ask(bytes);
      return new Promise<Place>((resolve) => {
        this.roomWaiting = (text, length) => {
          this.text = text;
          this.end = length + bytes;
          resolve({ text, at: length });
        };
      });
    };
  }

  /** The loading thread's answer to `ask`: the table's text, with room, and its length so far. */
  room(text: Uint8Array, length: number): void {
    const w = this.roomWaiting;
    this.roomWaiting = null;
    w?.(text, length);
  }

  take(): RowBatch | Promise<RowBatch> {
    const b = this.free.pop();
    if (b) return b;
    if (this.made < LENT) {
      this.made++;
      return newBatch(this.columns, ROWS);
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }
  private readonly spare: ArrayBuffer[] = [];
  memory(bytes: number): ArrayBuffer {
    // row groups are much of a size: a buffer handed back fits the next column's values, or is let go
    for (let i = this.spare.length - 1; i >= 0; i--)
      if (this.spare[i].byteLength >= bytes) return this.spare.splice(i, 1)[0];
    if (this.spare.length > 256) this.spare.length = 0;
    return new ArrayBuffer(Math.ceil(bytes * 1.125));
  }
  reuse(buffers: readonly ArrayBuffer[]): void {
    this.spare.push(...buffers);
  }
  give(b: RowBatch): void {
    const w = this.waiting;
    this.waiting = null;
    if (w) w(b);
    else this.free.push(b);
  }
}

let pool: Pool | null = null;

const link = serve(
  parquetLink,
  portEndpoint(port),
  {
    async decode({ parts, setup }) {
      const sources: FileSource[] = [];
      try {
        const files = await openParquetParts(parts, sources);
        pool = new Pool(setup.columns.length, setup.inPlace, (bytes) => link.send({ type: 'room', bytes }));
        const decoder = new GroupDecoder(
          files,
          parts.map((p) => p.name),
          setup,
          true,
        );
        for await (const ev of decoder.events(pool)) {
          if (ev.type === 'values') {
            link.send({ type: 'values', group: ev }, valueBuffers(ev));
          } else link.send({ type: 'rows', batch: ev }, batchBuffers(ev));
        }
        return {};
      } catch (e) {
        if (e instanceof LoadFailure) throw new Refusal(e.code, e.message);
        throw e;
      } finally {
        for (const s of sources) await s.close();
      }
    },
  },
  (m) => {
    if (m.type === 'spent') pool?.give(m.batch);
    else if (m.type === 'reuse') pool?.reuse(m.buffers);
    else pool?.room(m.text, m.length);
  },
);
