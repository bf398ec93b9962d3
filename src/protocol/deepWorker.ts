/**
 * The link between the loading thread and its second validation thread (src/worker/deepWorker.ts),
 * which runs the deep rules on batches of field ranges over the shared bytes. Each batch's array is
 * handed over (transferred) and handed back (`spent`) to be filled again; so is a streamed batch's
 * copy of its rows' bytes.
 */
import * as z from '../core/zod';
import type { DeepBatch, DeepReport, DeepSetup } from '../core/validate/deep';
import { isTemplateId, type TemplateId } from '../core/catalog/templates';
import type { Contract } from './channel';
import { shaped, typedArray, type Assert, type Same } from './shapes';

const Setup = z.object({
  header: z.array(z.string()),
  /** A Transactions template version, or 'iac' for an In-App Currency delivery. */
  version: z.custom<TemplateId>((v) => typeof v === 'string' && isTemplateId(v)),
  maxPerRule: z.number(),
  streamed: z.optional(z.boolean()),
});
const Batch = z.object({
  bytes: typedArray<Uint8Array>(Uint8Array),
  data: typedArray<Float64Array>(Float64Array),
  rows: z.int(),
  segment: z.optional(z.int().check(z.nonnegative())),
  base: z.optional(z.number().check(z.nonnegative())),
});

export const deepLink = {
  requests: {
    /** Every batch sent has run: the findings. */
    finish: { ask: z.object({}), reply: shaped<DeepReport>('problems', 'tallies') },
  },
  toServer: z.discriminatedUnion('type', [
    z.object({ type: z.literal('setup'), setup: Setup }),
    z.object({ type: z.literal('batch'), batch: Batch }),
  ]),
  /** A batch's array handed back for reuse, with a streamed batch's copy of its rows' bytes. */
  toClient: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('spent'),
      data: typedArray<Float64Array>(Float64Array),
      bytes: z.optional(typedArray<Uint8Array>(Uint8Array)),
    }),
  ]),
} satisfies Contract;
export type DeepLink = typeof deepLink;

/** The wire types are the core's (a setup's header is a readonly array there, hence one way). */
export type DeepWireMatchesCore = [
  Assert<z.infer<typeof Setup> extends DeepSetup ? true : false>,
  Assert<Same<z.infer<typeof Batch>, DeepBatch>>,
];
