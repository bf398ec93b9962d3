/**
 * Messages between the export editor's host side and its webview. Every message is checked with
 * zod where it arrives; `request` pairs a webview request with the host's response by id.
 */
import { z } from 'zod';

export const ColumnInfo = z.object({
  name: z.string(),
  type: z.enum(['string', 'timestamp', 'boolean', 'float', 'integer', 'array', 'json']),
  doc: z.string(),
  known: z.boolean(),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const Sort = z.object({ column: z.number().int().nonnegative(), descending: z.boolean() });
export type Sort = z.infer<typeof Sort>;

/** Webview → host. */
export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('getRows'),
    id: z.number().int(),
    start: z.number().int().nonnegative(),
    count: z.number().int().positive().max(1000),
    sort: Sort.nullable(),
  }),
]);
export type ToHost = z.infer<typeof ToHost>;

const Cell = z.string().nullable();
const Severity = z.enum(['error', 'warning', 'information']);
export const Problem = z.object({
  rule: z.string(),
  severity: Severity,
  row: z.number().int().nullable(),
  line: z.number().int(),
  column: z.string().nullable(),
  message: z.string(),
});
export type Problem = z.infer<typeof Problem>;

/** Host → webview. */
export const ToWebview = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    file: z.string(),
    columns: z.array(ColumnInfo),
    rowCount: z.number().int().nonnegative(),
    template: z.string(),
    templateSource: z.enum(['detected', 'chosen']),
    delimiter: z.string(),
    bytes: z.number(),
    compressedBytes: z.number(),
    problems: z.object({ error: z.number(), warning: z.number(), information: z.number() }),
  }),
  z.object({
    type: z.literal('rows'),
    id: z.number().int(),
    start: z.number().int(),
    /** 0-based row numbers in the file (they differ from start.. when sorted). */
    rowNumbers: z.array(z.number().int()),
    rows: z.array(z.array(Cell)),
    ms: z.number(),
  }),
  z.object({
    type: z.literal('problems'),
    /** Exact counts per rule and column. */
    groups: z.array(z.object({ rule: z.string(), severity: Severity, column: z.string().nullable(), count: z.number().int() })),
    /** The first problems in file order (row null: the header or a blank line). */
    items: z.array(Problem),
  }),
  z.object({ type: z.literal('reveal'), problem: Problem }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ToWebview = z.infer<typeof ToWebview>;
