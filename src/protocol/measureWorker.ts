/**
 * The link between a thread that asks for measures over export files (the extension host, the CLI)
 * and the measure worker (src/worker/measureWorker.ts): open files (or adopt a table loaded
 * elsewhere), then ask for measures and attribute keys and values. A measure the request or the data
 * cannot answer fails with code 'request' or 'data' (a MeasureError's kind) and its message.
 */
import * as z from '../core/zod';
import { MEASURE_NAMES, type DateSource, type MeasureResult } from '../core/measures';
import type { TableData } from '../core/load/table';
import { isTemplateId, type TemplateId } from '../core/catalog/templates';
import type { DeliveryProgress } from '../node/deliveries';
import type { Contract } from './channel';
import { LoadErrorSchema } from './loadWorker';
import { shaped, typedArray, type Assert, type Same } from './shapes';

/** A Transactions template version, or 'iac' for an In-App Currency delivery. */
const Version = z.custom<TemplateId>((v) => typeof v === 'string' && isTemplateId(v));

const OpenedInfo = z.object({
  files: z.array(z.object({ file: z.string(), version: Version, rows: z.int() })),
  rows: z.int(),
  superseded: z.int(),
  /** The export's own date (the default "as of" date), as a day number, and where it came from. */
  exportDate: z.nullable(z.object({ day: z.number(), source: z.custom<DateSource>((s) => typeof s === 'string') })),
  /** The first day a transaction starts on (day number), null without rows. */
  firstDay: z.nullable(z.number()),
  loadMs: z.number(),
  mergeMs: z.number(),
});
export type OpenedInfo = z.infer<typeof OpenedInfo>;

const MeasureAsk = z.object({
  date: z.optional(z.string()),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  key: z.optional(z.string()),
  value: z.optional(z.string()),
  resolution: z.optional(z.string()),
});

export const measureLink = {
  requests: {
    /** Load (and merge, when several) the files: what was opened, or the file that failed and why. */
    open: {
      ask: z.object({
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
      reply: z.union([
        z.object({ ok: z.literal(true), info: OpenedInfo }),
        z.object({ ok: z.literal(false), file: z.string(), error: LoadErrorSchema }),
      ]),
    },
    /** Take a table another thread loaded (its buffers are shared, not copied) instead of opening files. */
    adopt: {
      ask: z.object({
        table: shaped<TableData>(
          'segments',
          'segmentRows',
          'segmentStarts',
          'rowStarts',
          'rowCount',
          'header',
          'types',
          'vectors',
        ),
        file: z.string(),
        version: Version,
      }),
      reply: OpenedInfo,
    },
    measure: {
      ask: z.object({
        name: z.enum(MEASURE_NAMES),
        request: MeasureAsk,
      }),
      reply: shaped<MeasureResult>(
        'measure',
        'title',
        'query',
        'params',
        'value',
        'files',
        'rows',
        'unreadable',
        'notes',
        'ms',
      ),
    },
    /** The rows behind one value of a measure's chart (rowSets.ts), per file that has some. */
    rows: {
      ask: z.object({
        name: z.enum(MEASURE_NAMES),
        request: MeasureAsk,
        point: z.object({
          period: z.string(),
          series: z.optional(z.string()),
          product: z.optional(z.string()),
          duration: z.optional(z.string()),
          periodNumber: z.optional(z.number()),
        }),
      }),
      reply: z.object({
        label: z.string(),
        count: z.int(),
        counted: z.int(),
        files: z.array(z.object({ file: z.string(), rows: typedArray<Uint32Array>(Uint32Array) })),
        /** The worker's own time finding them (the rest of a drill-down's wait is the hops). */
        ms: z.optional(z.number()),
      }),
    },
    /** Attribute keys seen in the rows (after merging), most used first. */
    keys: { ask: z.object({}), reply: z.array(z.object({ key: z.string(), rows: z.int() })) },
    /** The values one attribute key takes, most used first (50 at most). */
    values: { ask: z.object({ key: z.string() }), reply: z.array(z.object({ value: z.string(), rows: z.int() })) },
  },
  toServer: z.never(),
  toClient: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('progress'),
      progress: z.object({
        compressedRead: z.number(),
        compressedTotal: z.number(),
        bytes: z.number(),
        rows: z.number(),
        file: z.int(),
        files: z.int(),
      }),
    }),
  ]),
} satisfies Contract;
export type MeasureLink = typeof measureLink;

/** The wire types are the core's. */
export type MeasureWireMatchesCore = [
  Assert<Same<Extract<z.infer<typeof measureLink.toClient>, { type: 'progress' }>['progress'], DeliveryProgress>>,
];
