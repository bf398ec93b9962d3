/** Messages between a thread that asks for an export and the worker that loads it. */
import * as z from '../core/zod';
import type { LoadError } from '../core/errors';
import type { FirstRows, Loaded, LoadProgress } from '../core/load/load';
import type { DeepBatch, DeepReport, DeepSetup } from '../core/validate/deep';

export const LoadRequest = z.object({
  type: z.literal('load'),
  file: z.string().check(z.minLength(1)),
  /** The files of a delivery of parts, read as one table (`file` then names the delivery). */
  parts: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  template: z.optional(z.string()),
  validate: z.optional(z.boolean()),
  maxPerRule: z.optional(z.number().check(z.positive())),
  maxBytes: z.optional(z.number().check(z.positive())),
  /** Someone waits for the first rows, then for the UI: after the first rows the load (and its
   *  validation thread from the start) run at a lower priority. */
  background: z.optional(z.boolean()),
});
export type LoadRequest = z.infer<typeof LoadRequest>;

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'first'; first: FirstRows }
  | { type: 'done'; value: Loaded }
  | { type: 'failed'; error: LoadError };

/** Loading thread → deep-rules thread. */
export type DeepMessage =
  { type: 'setup'; setup: DeepSetup } | { type: 'batch'; batch: DeepBatch } | { type: 'finish' };

/** Deep-rules thread → loading thread: the findings, or a batch's array handed back for reuse. */
export type DeepReply = { type: 'report'; report: DeepReport } | { type: 'spent'; data: Float64Array };
