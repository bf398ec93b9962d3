/**
 * The link between the extension host and the grid's view thread (src/worker/viewWorker.ts), one per
 * loaded table. The table goes over once, as the worker's start data (shared memory, nothing copied);
 * then the host asks for views (filters, search, sort) and for the values of a column. A view's row
 * order comes back in shared memory too.
 */
import * as z from '../core/zod';
import type { ValueCount, ViewResult } from '../core/view/view';
import type { Contract } from './channel';
import { Summary, View } from './editor';
import { typedArray, type Assert, type Same } from './shapes';

const Result = z.union([
  z.object({
    ok: z.literal(true),
    total: z.int(),
    order: z.nullable(typedArray<Uint32Array>(Uint32Array)),
    ms: z.number(),
  }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

const Values = z.nullable(
  z.object({
    values: z.array(z.object({ value: z.nullable(z.string()), count: z.number() })),
    distinct: z.int(),
  }),
);
export type ValuesResult = z.infer<typeof Values>;

export const viewLink = {
  requests: {
    /** `rows`: the rows the spec's row set names (the host keeps them). */
    view: { ask: z.object({ spec: View, rows: z.optional(typedArray<Uint32Array>(Uint32Array)) }), reply: Result },
    /** A column's summary over the rows a view's filters and search keep; a newer ask cancels an older one. */
    summary: {
      ask: z.object({
        column: z.int().check(z.nonnegative()),
        spec: View,
        rows: z.optional(typedArray<Uint32Array>(Uint32Array)),
        /** Names this ask in its `summaryProgress` events (none without it). */
        token: z.optional(z.int()),
      }),
      reply: Summary,
    },
    /** Values of a column with a dictionary or booleans, with their counts; null when there are too many. */
    values: { ask: z.object({ column: z.int().check(z.nonnegative()) }), reply: Values },
  },
  toServer: z.never(),
  /** How far a summary has got: rows looked at of the rows in view. */
  toClient: z.object({ type: z.literal('summaryProgress'), token: z.int(), done: z.int(), total: z.int() }),
} satisfies Contract;
export type ViewLink = typeof viewLink;

/** The wire types are the core's. */
export type ViewWireMatchesCore = [
  Assert<Same<z.infer<typeof Result>, ViewResult>>,
  Assert<Same<ValuesResult, { values: ValueCount[]; distinct: number } | null>>,
];
