/**
 * The link between the chart panel's host side (the server: src/host/charts/chartPanel.ts) and its
 * page (the client: src/webview/chart/main.ts): the page asks for a measure's chart over the panel's
 * source, for the rows behind one value (which the host opens in the export grid), and for a file to
 * be saved or text copied; the host tells it what the source is and how its load goes.
 */
import * as z from '../core/zod';
import { CHART_MEASURES, REVENUE_KINDS, type ChartData } from '../core/measures/chartData';
import type { MeasureName } from '../core/measures';
import type { PointRef } from '../core/measures/rowSets';
import type { Contract } from './channel';
import type { Assert, Same } from './shapes';

const day = () => z.string().check(z.maxLength(10));

export const ChartRequest = z.object({
  date: z.optional(day()),
  from: z.optional(day()),
  to: z.optional(day()),
  resolution: z.optional(z.enum(['day', 'week', 'month'])),
  /** A custom attribute's key (the attribute measure: a line per value of it). */
  key: z.optional(z.string().check(z.maxLength(500))),
});
export type ChartRequest = z.infer<typeof ChartRequest>;

const values = z.array(z.nullable(z.number()));
const Series = z.object({
  key: z.string(),
  label: z.string(),
  values,
  style: z.enum(['line', 'bar']),
  below: z.optional(z.boolean()),
  right: z.optional(z.boolean()),
});
const Data = z.object({
  kind: z.enum(['lines', 'movement', 'bars', 'conversion', 'heatmap', 'table']),
  title: z.string(),
  unit: z.enum(['count', 'usd', 'ratio']),
  x: z.array(z.string()),
  series: z.array(Series),
  heat: z.optional(
    z.object({
      periods: z.array(z.number()),
      rows: z.array(
        z.object({
          cohort: z.string(),
          product: z.string(),
          duration: z.string(),
          cells: z.array(z.object({ period: z.number(), count: z.number(), share: z.nullable(z.number()) })),
        }),
      ),
    }),
  ),
  table: z.optional(
    z.object({
      columns: z.array(z.string()),
      rows: z.array(z.array(z.nullable(z.union([z.string(), z.number(), z.boolean()])))),
    }),
  ),
  flatBefore: z.optional(z.boolean()),
});

const Point = z.object({
  period: day(),
  series: z.optional(z.string()),
  product: z.optional(z.string()),
  duration: z.optional(z.string()),
  periodNumber: z.optional(z.number()),
});

// the chart's measures only (the registry itself stays out of the page's bundle)
const Measure = z.enum(CHART_MEASURES as [MeasureName, ...MeasureName[]]);

/** How a measure's range is asked for: a series (range and resolution), cohorts, a first day. */
export const RangeKind = z.enum(['series', 'retention', 'since', 'cohorts']);
export type RangeKind = z.infer<typeof RangeKind>;

/** The id of the data block that carries the host's first message in the page, when the source is there at once. */
export const FIRST_CHART_ID = 'rc-chart-first';

export const chartLink = {
  requests: {
    /** A measure over the panel's source, as a chart (or why it cannot be drawn). */
    chart: {
      ask: z.object({
        measure: Measure,
        request: ChartRequest,
        revenueKind: z.optional(z.enum(REVENUE_KINDS)),
        /** Send the measure by day too (point-in-time measures): the page then picks other ranges itself. */
        daily: z.optional(z.boolean()),
      }),
      reply: z.union([
        z.object({
          ok: z.literal(true),
          data: Data,
          params: z.record(z.string(), z.string()),
          ms: z.number(),
          daily: z.optional(Data),
        }),
        z.object({ ok: z.literal(false), message: z.string() }),
      ]),
    },
    /** Opens the grid on the rows behind one value (a grid per delivery that has some): how many there are, or why not. */
    drill: {
      ask: z.object({ measure: Measure, request: ChartRequest, point: Point }),
      reply: z.object({
        ok: z.boolean(),
        count: z.int(),
        /** Deliveries the rows are in (each opened in a grid of its own). */
        files: z.optional(z.int()),
        message: z.optional(z.string()),
        /** Host time: finding the rows, and handing them to the grid; `at`: when the host got the ask (epoch ms). */
        ms: z.optional(
          z.object({ rows: z.number(), found: z.optional(z.number()), open: z.number(), at: z.optional(z.number()) }),
        ),
      }),
    },
    /** Saves text (CSV) or a PNG (a data: URL) where the user picks, through VS Code's save dialog. */
    save: {
      ask: z.object({
        format: z.enum(['csv', 'png']),
        name: z.string().check(z.maxLength(200)),
        content: z.string().check(z.maxLength(50_000_000)),
      }),
      reply: z.object({ saved: z.boolean() }),
    },
    /** The custom attribute keys in the source's rows, most used first (for the attribute chart). */
    keys: {
      ask: z.object({}),
      reply: z.union([
        z.object({ ok: z.literal(true), keys: z.array(z.object({ key: z.string(), rows: z.int() })) }),
        z.object({ ok: z.literal(false), message: z.string() }),
      ]),
    },
    copy: { ask: z.object({ text: z.string().check(z.maxLength(50_000_000)) }), reply: z.object({}) },
  },
  toServer: z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    /** A chart is drawn (picked from the days on the page, or measured): the panel's tab is titled after it. */
    z.object({ type: z.literal('drawn'), title: z.string() }),
  ]),
  toClient: z.discriminatedUnion('type', [
    /** What the panel charts, its date span (first start … the export's date), and what to show first. */
    z.object({
      type: z.literal('source'),
      label: z.string(),
      files: z.int(),
      first: z.nullable(day()),
      last: z.nullable(day()),
      measure: Measure,
      request: ChartRequest,
      measures: z.array(z.object({ name: Measure, title: z.string(), range: RangeKind })),
      /** The first measure by day (point-in-time measures), when the host has it: the first chart is picked from it. */
      daily: z.optional(Data),
      /** When the command that showed it was called (epoch ms; the bench reads it). */
      called: z.optional(z.number()),
    }),
    z.object({ type: z.literal('progress'), fraction: z.number(), rows: z.int() }),
    z.object({ type: z.literal('failed'), message: z.string() }),
  ]),
} satisfies Contract;
export type ChartLink = typeof chartLink;

/** The wire types are the core's. */
type Is<A extends B, B> = A;
export type ChartWireMatchesCore = [
  Is<z.infer<typeof Data>, ChartData>,
  Is<ChartData, z.infer<typeof Data>>,
  Assert<Same<z.infer<typeof Point>, PointRef>>,
];
