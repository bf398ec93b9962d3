/**
 * The link between the export editor's host side (the server: src/host/editor/gridSession.ts) and
 * its webview (the client: src/webview/host.ts), over the channel of channel.ts: the webview's
 * requests and their replies, and the events each side sends unasked. zod/mini, through
 * src/core/zod.ts, keeps the webview bundle small (the classic API brings every locale along, ~20
 * times the size).
 *
 * Room src/protocol: the message channel (channel.ts) and the contract of every link, one file per link (webview, load, deep rules, view and measure threads), zod-checked where they arrive.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/view, src/core/measures, src/core/parquet, src/node.
 */
import * as z from '../core/zod';
import type { ColumnType } from '../core/catalog/templates';
import type { Severity as CoreSeverity } from '../core/catalog/rules';
import type { ColumnFilter } from '../core/view/viewFilter';
import type { ViewSpec } from '../core/view/view';
import type { ColumnSummary } from '../core/view/summary';
import type { Contract } from './channel';
import type { Assert, Same } from './shapes';

const count = () => z.int().check(z.nonnegative());

/** The core's column types and severities, spelled out for the schemas and checked against the core below. */
const COLUMN_TYPES = ['string', 'timestamp', 'boolean', 'float', 'integer', 'array', 'json'] as const;
const SEVERITIES = ['error', 'warning', 'information'] as const;

export const ColumnInfo = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  doc: z.string(),
  known: z.boolean(),
  /** The column has a short list of values to pick from (a dictionary or booleans). */
  pickList: z.boolean(),
});
export type ColumnInfo = z.infer<typeof ColumnInfo>;

export const Sort = z.object({ column: count(), descending: z.boolean() });
export type Sort = z.infer<typeof Sort>;

const column = count();
const Filter = z.discriminatedUnion('op', [
  z.object({
    column,
    op: z.literal('equals'),
    values: z.array(z.string().check(z.maxLength(10_000))).check(z.maxLength(5000)),
  }),
  z.object({ column, op: z.literal('contains'), text: z.string().check(z.minLength(1), z.maxLength(1000)) }),
  z.object({
    column,
    op: z.literal('range'),
    min: z.nullable(z.string().check(z.maxLength(100))),
    max: z.nullable(z.string().check(z.maxLength(100))),
  }),
  z.object({ column, op: z.literal('null') }),
  z.object({ column, op: z.literal('notNull') }),
]);
export const RowSetRef = z.object({
  id: z.string().check(z.maxLength(100)),
  label: z.string().check(z.maxLength(1000)),
  count: count(),
});
/** A column's summary over the rows in view (src/core/view/summary.ts). */
const Counted = z.object({ value: z.nullable(z.string()), count: z.number(), filter: Filter });
export const Summary = z.object({
  column: z.int(),
  rows: z.int(),
  nulls: z.number(),
  invalid: z.number(),
  distinct: z.int(),
  min: z.nullable(z.string()),
  max: z.nullable(z.string()),
  top: z.array(Counted),
  histogram: z.object({
    kind: z.enum(['values', 'bins']),
    bars: z.array(z.object({ label: z.string(), count: z.number(), filter: Filter })),
  }),
  ms: z.number(),
});
export type Summary = z.infer<typeof Summary>;
export const View = z.object({
  rowSet: z.optional(z.nullable(RowSetRef)),
  filters: z.array(Filter).check(z.maxLength(100)),
  search: z.string().check(z.maxLength(1000)),
  sort: z.nullable(Sort),
});
export type View = z.infer<typeof View>;
/** Compile-time checks: the wire shapes are the core's shapes (a view on the wire is a view to the core). */
type Is<A extends B, B> = A;
export type WireMatchesCore = [
  Is<z.infer<typeof Filter>, ColumnFilter>,
  Is<View, ViewSpec>,
  Assert<Same<Summary, ColumnSummary>>,
  Assert<Same<(typeof COLUMN_TYPES)[number], ColumnType>>,
  Assert<Same<(typeof SEVERITIES)[number], CoreSeverity>>,
];

export const Layout = z.object({
  /** Column widths in pixels, by column name. */
  widths: z.record(z.string(), z.number().check(z.gte(24), z.lte(4000))),
  /** Names of hidden columns. */
  hidden: z.array(z.string()),
  /** The column summaries panel is open. */
  summaries: z.optional(z.boolean()),
  /** The summary row under the headers is shown. */
  summaryRow: z.optional(z.boolean()),
});
export type Layout = z.infer<typeof Layout>;

export const CopyFormat = z.enum(['csv', 'json', 'markdown']);
export type CopyFormat = z.infer<typeof CopyFormat>;

/** Rows the webview asks for at a time; the first window of the file comes with `init`. */
export const WINDOW = 100;

/**
 * The id of the page's data block holding the host's first message (an `init`) when the host had
 * rows to show as it set the page: checked like any message, and painted before the page's load
 * event, which is when VS Code shows the page and hands it the messages posted so far.
 */
export const FIRST_MESSAGE_ID = 'rc-first';

const Cell = z.nullable(z.string());
/**
 * Rows of a view from `start`: their 0-based row numbers in the file (they differ when sorted or
 * filtered) and their cells, packed as one JSON text (packRows): one string crosses the message path
 * (extension host → workbench → the webview's frames, cloned at each step) instead of thousands,
 * and the page parses it natively (unpackRows) instead of checking every cell against a schema.
 * With `columns`, each row holds the cells of those columns only, in that order (the page asks for
 * the columns in and near its view: a tenth to a quarter of the bytes of whole rows).
 */
const RowsWindow = z.object({
  rowNumbers: z.array(z.int()),
  rows: z.string(),
  columns: z.optional(z.array(z.int().check(z.nonnegative()))),
});
export type RowsWindow = z.infer<typeof RowsWindow>;

/** A window's cells, one array per row: a cell is text, or null (NULL, or a field the row lacks). */
export type Cells = (string | null)[];

/** Rows as a window carries them; `columns`: the columns each row's cells are (all, in order, when absent). */
export function packRows(rowNumbers: number[], rows: readonly Cells[], columns?: readonly number[]): RowsWindow {
  return columns
    ? { rowNumbers, rows: JSON.stringify(rows), columns: [...columns] }
    : { rowNumbers, rows: JSON.stringify(rows) };
}

/**
 * A window's rows unpacked and checked (an array of rows, each an array of texts and nulls, one per
 * row number, and one cell per column when the window names its columns); null when they are not.
 * A window of some columns unpacks to rows indexed by column, with holes where the others would be.
 */
export function unpackRows(w: RowsWindow): { rowNumbers: number[]; rows: Cells[]; columns?: number[] } | null {
  let rows: unknown;
  try {
    rows = JSON.parse(w.rows);
  } catch {
    return null;
  }
  if (!Array.isArray(rows) || rows.length !== w.rowNumbers.length) return null;
  for (const r of rows) {
    if (!Array.isArray(r) || (w.columns && r.length !== w.columns.length)) return null;
    for (const c of r) if (c !== null && typeof c !== 'string') return null;
  }
  const columns = w.columns;
  if (!columns) return { rowNumbers: w.rowNumbers, rows: rows as Cells[] };
  const placed = (rows as Cells[]).map((r) => {
    const out: Cells = [];
    for (let j = 0; j < columns.length; j++) out[columns[j]] = r[j];
    return out;
  });
  return { rowNumbers: w.rowNumbers, rows: placed, columns: [...columns] };
}
const Severity = z.enum(SEVERITIES);
export const Problem = z.object({
  rule: z.string(),
  severity: Severity,
  row: z.nullable(z.int()),
  line: z.int(),
  column: z.nullable(z.string()),
  message: z.string(),
});
export type Problem = z.infer<typeof Problem>;

/** Commands of the editor's context menus and keybindings, run by the webview. */
export const Command = z.enum([
  'copyCsv',
  'copyJson',
  'copyMarkdown',
  'showDetails',
  'filterToValue',
  'hideColumn',
  'showAllColumns',
  'sortAscending',
  'sortDescending',
  'clearFilters',
  'find',
  'editFilter',
  'showSummaries',
]);
export type Command = z.infer<typeof Command>;

/** Webview → host, unasked. */
export const ToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The first rows are on screen (once per page). */
  z.object({ type: z.literal('shown') }),
  z.object({ type: z.literal('saveLayout'), layout: Layout }),
  z.object({ type: z.literal('chooseColumns') }),
  /** The toolbar's Show Chart button. */
  z.object({ type: z.literal('showChart') }),
  /** The user moved on from the problem the host revealed (Go to Next Problem): the row now in focus (1-based, in the file). */
  z.object({ type: z.literal('moved'), row: z.nullable(z.int()) }),
  /** The user closed the chart pane. */
  z.object({ type: z.literal('chartClosed') }),
]);
export type ToHost = z.infer<typeof ToHost>;

/** Host → webview, unasked. */
export const ToWebview = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    /** Bumped by every (re)load of the file; the same generation again means loading finished. */
    generation: z.int(),
    file: z.string(),
    columns: z.array(ColumnInfo),
    rowCount: count(),
    /** Rows are still arriving: rowCount is what is there so far. */
    loading: z.boolean(),
    template: z.string(),
    templateSource: z.enum(['detected', 'chosen']),
    delimiter: z.string(),
    bytes: z.number(),
    compressedBytes: z.number(),
    problems: z.nullable(z.object({ error: z.number(), warning: z.number(), information: z.number() })),
    layout: Layout,
    /** The first window of rows in file order, so the first paint needs no further round trip. */
    first: RowsWindow,
  }),
  /** Loading goes on: `rows` so far, `fraction` of the file read. */
  z.object({ type: z.literal('progress'), rows: z.int(), fraction: z.number() }),
  z.object({
    type: z.literal('problems'),
    /** Exact counts per rule and column. */
    groups: z.array(z.object({ rule: z.string(), severity: Severity, column: z.nullable(z.string()), count: z.int() })),
    /** The first problems in file order (row null: the header or a blank line). */
    items: z.array(Problem),
  }),
  z.object({ type: z.literal('reveal'), problem: Problem }),
  z.object({ type: z.literal('layout'), layout: Layout }),
  /** A context-menu or palette command; `context` is what the clicked element declared. */
  z.object({
    type: z.literal('command'),
    command: Command,
    context: z.object({ row: z.optional(z.int()), column: z.optional(z.int()) }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  /**
   * Show only these rows (a chart's drill-down): the view becomes this row set, other filters cleared;
   * `first`: its first window of rows, so the grid shows them with no request.
   */
  z.object({ type: z.literal('rowSet'), set: RowSetRef, first: z.optional(RowsWindow) }),
  /**
   * Open the chart pane under the grid. `script` and `style`: the pane's code (src/webview/chart/pane.ts)
   * and style sheet, run once per page under its nonce (the page's first paint goes without them);
   * `first`: the chart link's first message when the host has it (checked by the pane against that link).
   * The chart link's own messages ride on this page's, wrapped as `{ pane: … }` (see PANE_KEY).
   */
  z.object({ type: z.literal('chartPane'), script: z.string(), style: z.string(), first: z.optional(z.unknown()) }),
  /** A column summary asked for goes on: rows looked at of the rows in view. */
  z.object({ type: z.literal('summaryProgress'), column, done: count(), total: count() }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

/**
 * The key that wraps the chart pane's link messages on the editor page's channel (both ways): the
 * editor link's own envelopes have none, so neither link sees the other's messages.
 */
export const PANE_KEY = 'pane';

/** The webview's requests (the host answers each; a request it turns down gets a failure). */
export const editorLink = {
  requests: {
    /** Rows start..start+count of a view (of some columns, or all); the reply may hold fewer (the view's end). */
    getRows: {
      ask: z.object({
        view: View,
        start: count(),
        count: z.int().check(z.positive(), z.lte(10 * WINDOW)),
        /** Only these columns (the reply's `columns`); all of them when absent. */
        columns: z.optional(z.array(column).check(z.minLength(1), z.maxLength(10_000))),
      }),
      reply: z.object({
        start: z.int(),
        ...RowsWindow.shape,
        ms: z.number(),
        /** Epoch ms when the host got the ask (for the UI bench only: where a round trip's time goes). */
        at: z.optional(z.number()),
      }),
    },
    /** Computes a view (filters, search, sort): how many rows it has, or why it cannot be shown. */
    setView: {
      ask: z.object({ view: View }),
      reply: z.object({ ok: z.boolean(), total: z.int(), ms: z.number(), message: z.optional(z.string()) }),
    },
    /** Values to pick from for a column, with their counts; null when there are too many. */
    getValues: {
      ask: z.object({ column }),
      reply: z.object({
        values: z.nullable(z.array(z.object({ value: Cell, count: z.number() }))),
        distinct: z.int(),
      }),
    },
    /** A column's summary over the rows of a view (its filters and search). */
    getSummary: { ask: z.object({ view: View, column }), reply: Summary },
    /** One row in full, with its problems. */
    getRow: {
      ask: z.object({ row: count() }),
      reply: z.object({ row: z.int(), line: z.int(), cells: z.array(Cell), problems: z.array(Problem) }),
    },
    /** Rows start..end (exclusive, positions in the view) and the columns to copy, in their order. */
    copy: {
      ask: z.object({
        view: View,
        start: count(),
        end: count(),
        columns: z.array(column).check(z.minLength(1)),
        format: CopyFormat,
      }),
      reply: z.object({ rows: z.int(), message: z.optional(z.string()) }),
    },
    /** The host's memory and timings, for the bench and the tests. */
    stats: { ask: z.object({}), reply: z.object({ host: z.record(z.string(), z.number()) }) },
  },
  toServer: ToHost,
  toClient: ToWebview,
} satisfies Contract;
export type EditorLink = typeof editorLink;
