/**
 * The link between the loading thread and the thread that decodes a Parquet delivery's row groups
 * (src/worker/parquetWorker.ts): one request starts the decoding and is answered once every row
 * group has been sent; meanwhile each row group's typed values, then its rows in batches, arrive as
 * events, in order. A batch's arrays are handed over (transferred) and handed back (`spent`) once
 * its rows are in the table, to be filled again.
 */
import * as z from '../core/zod';
import type { GroupSetup, GroupValues, RowBatch } from '../core/parquet';
import type { ParquetPartFile } from '../node/parts';
import type { Contract } from './channel';
import { shaped, typedArray, type Assert } from './shapes';

const Part = z.object({ path: z.string(), name: z.string(), size: z.number() });
const Setup = z.object({
  columns: z.array(z.string()),
  booleans: z.tuple([z.string(), z.string()]),
  reader: z.optional(z.enum(['own', 'hyparquet'])),
  dictText: z.array(z.number()),
  inPlace: z.boolean(),
});
const Batch = shaped<RowBatch>('rows', 'size', 'text', 'ends', 'quoted', 'lines');

export const parquetLink = {
  requests: {
    /** Decodes every row group of the parts; the reply comes after the last event. */
    decode: { ask: z.object({ parts: z.array(Part), setup: Setup }), reply: z.object({}) },
  },
  toServer: z.discriminatedUnion('type', [
    z.object({ type: z.literal('spent'), batch: Batch }),
    /** A row group's values' buffers handed back, once they are in the vectors. */
    z.object({ type: z.literal('reuse'), buffers: z.array(z.custom<ArrayBuffer>((v) => v instanceof ArrayBuffer)) }),
    /** The table's text (shared memory) with room for the row group asked about, and its length so far. */
    z.object({ type: z.literal('text'), text: typedArray<Uint8Array>(Uint8Array), length: z.number() }),
  ]),
  toClient: z.discriminatedUnion('type', [
    z.object({ type: z.literal('values'), group: shaped<GroupValues>('rows', 'bytes', 'values') }),
    z.object({ type: z.literal('rows'), batch: Batch }),
    /** Rows written in place: the table's text has no room for the next row group's `bytes` bytes. */
    z.object({ type: z.literal('room'), bytes: z.number() }),
  ]),
} satisfies Contract;
export type ParquetLink = typeof parquetLink;

/** The wire types are the core's (read-only arrays there, hence one way). */
export type ParquetWireMatchesCore = [
  Assert<z.infer<typeof Setup> extends GroupSetup ? true : false>,
  Assert<z.infer<typeof Part> extends ParquetPartFile ? true : false>,
];
