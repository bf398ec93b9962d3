/** Messages between a thread that asks for measures over export files and the measure worker. */
import * as z from '../core/zod';
import type { LoadError } from '../core/errors';
import type { DateSource, MeasureResult } from '../core/measures';
import type { TableData } from '../core/load/table';
import { VERSION_IDS, type VersionId } from '../core/catalog/templates';
import type { DeliveryProgress } from '../node/deliveries';

export const MeasureWorkerRequest = z.discriminatedUnion('type', [
  /** Load (and merge, when several) the files; answered by 'opened' or 'failed'. */
  z.object({
    type: z.literal('open'),
    /** Paths, or deliveries the folder walk found (a path and its parts). */
    files: z
      .array(
        z.union([
          z.string().check(z.minLength(1)),
          z.object({ path: z.string(), parts: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)) }),
        ]),
      )
      .check(z.minLength(1)),
    maxBytes: z.optional(z.number().check(z.positive())),
    /** Only these columns are needed (Parquet deliveries then decode no others); all when absent. */
    columns: z.optional(z.array(z.string())),
  }),
  z.object({
    type: z.literal('measure'),
    name: z.string(),
    request: z.object({
      date: z.optional(z.string()),
      from: z.optional(z.string()),
      to: z.optional(z.string()),
      key: z.optional(z.string()),
      value: z.optional(z.string()),
    }),
  }),
  /** Take a table another thread loaded (its buffers are shared, not copied) instead of opening files. */
  z.object({
    type: z.literal('adopt'),
    table: z.custom<TableData>((t) => typeof t === 'object' && t !== null),
    file: z.string(),
    version: z.enum(VERSION_IDS as [VersionId, ...VersionId[]]),
  }),
  /** Attribute keys seen in the rows (after merging). */
  z.object({ type: z.literal('keys') }),
  /** Values one attribute key takes. */
  z.object({ type: z.literal('values'), key: z.string() }),
]);
export type MeasureWorkerRequest = z.infer<typeof MeasureWorkerRequest>;

export interface OpenedInfo {
  readonly files: readonly { file: string; version: VersionId; rows: number }[];
  readonly rows: number;
  readonly superseded: number;
  /** The export's own date (the default "as of" date), as a day number, and where it came from. */
  readonly exportDate: { day: number; source: DateSource } | null;
  readonly loadMs: number;
  readonly mergeMs: number;
}

export type MeasureWorkerReply =
  | { type: 'progress'; progress: DeliveryProgress }
  | { type: 'opened'; info: OpenedInfo }
  | { type: 'failed'; file: string; error: LoadError }
  | { type: 'result'; result: MeasureResult }
  | { type: 'keys'; keys: { key: string; rows: number }[] }
  | { type: 'values'; values: { value: string; rows: number }[] }
  /** The request could not be answered (a MeasureError's message, or a bad request). */
  | { type: 'error'; message: string; kind: 'request' | 'data' };
