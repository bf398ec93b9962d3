/**
 * Messages between the export editor's host side and its webview. Every message is checked with
 * zod where it arrives. Requests from the webview carry an `id`; the host's answer carries the same
 * id (see `request` in src/webview/host.ts).
 */
import { z } from 'zod';
import type { ColumnFilter } from '../core/filter';
import type { ViewSpec } from '../core/view';

export const ColumnInfo = z.object({
  name: z.string(),
  type: z.enum(['string', 'timestamp', 'boolean', 'float', 'integer', 'array', 'json']),
  doc: z.string(),
  known: z.boolean(),
  /** The column has a short list of values to pick from (a dictionary or booleans). */
  pickList: z.boolean(),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const Sort = z.object({ column: z.number().int().nonnegative(), descending: z.boolean() });
export type Sort = z.infer<typeof Sort>;

const column = z.number().int().nonnegative();
const Filter = z.discriminatedUnion('op', [
  z.object({ column, op: z.literal('equals'), values: z.array(z.string().max(10_000)).max(5000) }),
  z.object({ column, op: z.literal('contains'), text: z.string().min(1).max(1000) }),
  z.object({ column, op: z.literal('range'), min: z.string().max(100).nullable(), max: z.string().max(100).nullable() }),
  z.object({ column, op: z.literal('null') }),
  z.object({ column, op: z.literal('notNull') }),
]);
export const View = z.object({ filters: z.array(Filter).max(100), search: z.string().max(1000), sort: Sort.nullable() });
export type View = z.infer<typeof View>;
/** Compile-time checks: the wire shapes are the core's shapes. */
type Is<A extends B, B> = A;
export type WireMatchesCore = [Is<z.infer<typeof Filter>, ColumnFilter>, Is<View, ViewSpec>];

export const Layout = z.object({
  /** Column widths in pixels, by column name. */
  widths: z.record(z.string(), z.number().min(24).max(4000)),
  /** Names of hidden columns. */
  hidden: z.array(z.string()),
});
export type Layout = z.infer<typeof Layout>;

export const CopyFormat = z.enum(['csv', 'json', 'markdown']);
export type CopyFormat = z.infer<typeof CopyFormat>;

const id = z.number().int();

/** Webview → host. */
export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('getRows'), id, view: View, start: z.number().int().nonnegative(), count: z.number().int().positive().max(1000) }),
  z.object({ type: z.literal('setView'), id, view: View }),
  z.object({ type: z.literal('getValues'), id, column }),
  z.object({ type: z.literal('getRow'), id, row: z.number().int().nonnegative() }),
  /** Rows start..end (exclusive, positions in the view) and the columns to copy, in their order. */
  z.object({ type: z.literal('copy'), id, view: View, start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), columns: z.array(column).min(1), format: CopyFormat }),
  z.object({ type: z.literal('saveLayout'), layout: Layout }),
  z.object({ type: z.literal('chooseColumns') }),
  /** Timings and memory the webview measured, for the bench; answered with the host's memory. */
  z.object({ type: z.literal('stats'), id }),
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

/** Commands of the editor's context menus and keybindings, run by the webview. */
export const Command = z.enum(['copyCsv', 'copyJson', 'copyMarkdown', 'showDetails', 'filterToValue', 'hideColumn', 'showAllColumns', 'sortAscending', 'sortDescending', 'clearFilters', 'find', 'editFilter']);
export type Command = z.infer<typeof Command>;

/** Host → webview. */
export const ToWebview = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    /** Bumped by every (re)load of the file; the same generation again means loading finished. */
    generation: z.number().int(),
    file: z.string(),
    columns: z.array(ColumnInfo),
    rowCount: z.number().int().nonnegative(),
    /** Rows are still arriving: rowCount is what is there so far. */
    loading: z.boolean(),
    template: z.string(),
    templateSource: z.enum(['detected', 'chosen']),
    delimiter: z.string(),
    bytes: z.number(),
    compressedBytes: z.number(),
    problems: z.object({ error: z.number(), warning: z.number(), information: z.number() }).nullable(),
    layout: Layout,
  }),
  /** Loading goes on: `rows` so far, `fraction` of the file read. */
  z.object({ type: z.literal('progress'), rows: z.number().int(), fraction: z.number() }),
  z.object({
    type: z.literal('rows'),
    id,
    start: z.number().int(),
    /** 0-based row numbers in the file (they differ from start.. when sorted or filtered). */
    rowNumbers: z.array(z.number().int()),
    rows: z.array(z.array(Cell)),
    ms: z.number(),
  }),
  z.object({ type: z.literal('view'), id, ok: z.boolean(), total: z.number().int(), ms: z.number(), message: z.string().optional() }),
  z.object({ type: z.literal('values'), id, values: z.array(z.object({ value: Cell, count: z.number() })).nullable(), distinct: z.number().int() }),
  z.object({ type: z.literal('row'), id, row: z.number().int(), line: z.number().int(), cells: z.array(Cell), problems: z.array(Problem) }),
  z.object({ type: z.literal('copied'), id, rows: z.number().int(), message: z.string().optional() }),
  z.object({ type: z.literal('stats'), id, host: z.record(z.string(), z.number()) }),
  z.object({
    type: z.literal('problems'),
    /** Exact counts per rule and column. */
    groups: z.array(z.object({ rule: z.string(), severity: Severity, column: z.string().nullable(), count: z.number().int() })),
    /** The first problems in file order (row null: the header or a blank line). */
    items: z.array(Problem),
  }),
  z.object({ type: z.literal('reveal'), problem: Problem }),
  z.object({ type: z.literal('layout'), layout: Layout }),
  /** A context-menu or palette command; `context` is what the clicked element declared. */
  z.object({ type: z.literal('command'), command: Command, context: z.object({ row: z.number().int().optional(), column: z.number().int().optional() }) }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ToWebview = z.infer<typeof ToWebview>;
/** Host answers to requests: the messages with an id. */
export type Reply = Extract<ToWebview, { id: number }>;
