/**
 * The link between a thread that asks for an export (the extension host, the CLI) and the worker
 * that loads it (src/worker/loadWorker.ts): one `load` request, answered with the loaded table (its
 * memory shared, not copied) or the reason it could not be loaded; progress and the first rows come
 * as events meanwhile. Before its load, a thread kept ready answers `head` requests: a file's first
 * rows, read on the spot for an editor's first paint.
 */
import * as z from '../core/zod';
import type { LoadError, LoadErrorCode } from '../core/errors';
import type { HeaderInfo } from '../core/load/builder';
import type { FirstRows, Loaded, LoadOutcome, LoadProgress } from '../core/load/load';
import type { TableData } from '../core/load/table';
import type { ValidationReport } from '../core/validate/problems';
import type { Contract } from './channel';
import { shaped, type Assert, type Same } from './shapes';

export const LoadRequest = z.object({
  file: z.string().check(z.minLength(1)),
  /** The files of a delivery of parts, read as one table (`file` then names the delivery). */
  parts: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  template: z.optional(z.string()),
  validate: z.optional(z.boolean()),
  maxPerRule: z.optional(z.number().check(z.positive())),
  maxBytes: z.optional(z.number().check(z.positive())),
  /** The most text a segment of the table holds (tests: several segments from a small file). */
  segmentBytes: z.optional(z.int().check(z.positive())),
});
export type LoadRequest = z.infer<typeof LoadRequest>;

const Table = shaped<TableData>(
  'segments',
  'segmentRows',
  'segmentStarts',
  'rowStarts',
  'rowCount',
  'header',
  'types',
  'vectors',
);
const Info = shaped<HeaderInfo>('header', 'delimiter', 'report');

export const LoadErrorSchema = z.object({
  code: z.custom<LoadErrorCode>((c) => typeof c === 'string'),
  message: z.string(),
  detail: z.optional(z.string()),
});

const Loaded = z.object({
  table: Table,
  info: Info,
  validation: z.nullable(shaped<ValidationReport>('problems', 'tallies')),
  gzip: z.boolean(),
  compressedBytes: z.number(),
  ms: z.number(),
  format: z.optional(z.enum(['csv', 'csv.gz', 'parquet'])),
  parts: z.optional(z.array(z.string())),
});

const Outcome = z.union([
  z.object({ ok: z.literal(true), value: Loaded }),
  z.object({ ok: z.literal(false), error: LoadErrorSchema }),
]);

const Progress = z.object({
  compressedRead: z.number(),
  compressedTotal: z.number(),
  bytes: z.number(),
  rows: z.number(),
});

/** The first rows of a file read on the spot (src/node/head.ts), asked of a thread kept ready for loads. */
export const HeadRequest = z.object({
  file: z.string().check(z.minLength(1)),
  template: z.string(),
  rows: z.optional(z.int().check(z.positive())),
  /** How many of them to give as text too (what a page shows first: its host then runs no cold table code). */
  texts: z.optional(z.int().check(z.nonnegative(), z.lte(1000))),
});
const First = z.object({ table: Table, info: Info });
const Head = z.object({ first: First, texts: z.array(z.array(z.nullable(z.string()))) });
export type Head = z.infer<typeof Head>;
export type HeadRequest = z.infer<typeof HeadRequest>;

export const loadLink = {
  requests: {
    load: { ask: LoadRequest, reply: Outcome },
    head: { ask: HeadRequest, reply: z.nullable(Head) },
  },
  toServer: z.never(),
  toClient: z.discriminatedUnion('type', [
    z.object({ type: z.literal('progress'), progress: Progress }),
    /** The first rows, shared with the worker that goes on loading the rest. */
    z.object({ type: z.literal('first'), first: First }),
  ]),
} satisfies Contract;
export type LoadLink = typeof loadLink;

/** The wire types are the core's. */
export type LoadWireMatchesCore = [
  Assert<Same<z.infer<typeof LoadErrorSchema>, LoadError>>,
  Assert<Same<z.infer<typeof Loaded>, Loaded>>,
  Assert<Same<z.infer<typeof Outcome>, LoadOutcome>>,
  Assert<Same<z.infer<typeof Progress>, LoadProgress>>,
  Assert<Same<{ table: TableData; info: HeaderInfo }, FirstRows>>,
];
