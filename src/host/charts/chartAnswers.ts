/**
 * The charts of one source, worked out once: a point-in-time measure is measured by day over the
 * source's own span (the day before its first transaction, which stands for every earlier day, to the
 * export's date), and every range and resolution up to that date is picked from those days
 * (chartData.ts, pickPeriods) with no other pass over the rows; the page gets the days too and picks
 * for itself. Other measures' results are kept per request. The source answers one request at a time
 * (the measure worker does): requests wait their turn here.
 * Kept per source identity, so a chart panel opened again on the same open export starts warm.
 */
import { measureByName, type MeasureName, type MeasureRequest, type MeasureResult } from '../../core/measures';
import {
  ATTRIBUTE_LINES,
  attributeChart,
  chartData,
  dailySpan,
  pickPeriods,
  type ChartData,
  type RevenueKind,
} from '../../core/measures/chartData';
import { formatDay } from '../../core/measures/engine/dates';
import type { PointRef } from '../../core/measures/rowSets';
import type { ChartRequest } from '../../protocol/chart';
import type { MeasureSource } from '../measures/measureSource';

export type Got<T> = { ok: true; value: T } | { ok: false; message: string };

export interface ChartAnswer {
  readonly data: ChartData;
  readonly params: Record<string, string>;
  /** The measure by day over the span it was measured on (point-in-time measures), when asked for. */
  readonly daily?: ChartData;
}

/** The measure "Show Chart…" opens on when it is not told one. */
export const FIRST_MEASURE: MeasureName = 'active-subscriptions';

/**
 * Works out the first chart's days on a source made ready ahead (an export open in the editor, once
 * its measure worker has merged it): the first "Show Chart…" then draws them with no measure to wait
 * for. One pass over the rows on the worker's thread, for a chart that may never be asked for.
 */
export function warmCharts(source: MeasureSource): void {
  void chartAnswers(source).dailyOf(FIRST_MEASURE);
}

/** Results kept per source, besides the daily charts (the newest ones). */
const KEPT_RESULTS = 24;

const bySource = new WeakMap<object, ChartAnswers>();

export function chartAnswers(source: MeasureSource): ChartAnswers {
  let a = bySource.get(source.identity);
  if (!a) bySource.set(source.identity, (a = new ChartAnswers(source)));
  return a;
}

export class ChartAnswers {
  private readonly daily = new Map<MeasureName, Promise<Got<ChartData>>>();
  /** The daily charts worked out so far. */
  private readonly days = new Map<MeasureName, ChartData>();
  private readonly results = new Map<string, Promise<Got<MeasureResult>>>();
  private queue: Promise<unknown> = Promise.resolve();
  private keyList: Promise<Got<{ key: string; rows: number }[]>> | null = null;

  constructor(private readonly source: MeasureSource) {}

  /** Runs `f` once the requests before it are answered. */
  inTurn<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * A point-in-time measure by day over the source's own span (dailySpan: from the day before its
   * first transaction, which stands for every earlier day, to its date); null for other measures.
   */
  dailyOf(measure: MeasureName): Promise<Got<ChartData>> | null {
    const m = measureByName(measure);
    const last = this.source.exportDate?.day;
    if (!m?.snapshot || m.takes === 'attribute' || last === undefined) return null;
    let p = this.daily.get(measure);
    if (!p) {
      const span = dailySpan(this.source.firstDay, last);
      const request = { from: formatDay(span.from), to: formatDay(span.to), resolution: 'day' };
      p = this.inTurn(() => this.source.measure(measure, request)).then((a) =>
        a.ok
          ? { ok: true as const, value: { ...chartData(a.value), ...(span.flatBefore ? { flatBefore: true } : {}) } }
          : { ok: false as const, message: a.message },
      );
      this.daily.set(measure, p);
      void p.then((g) => (g.ok ? this.days.set(measure, g.value) : this.daily.delete(measure)));
    }
    return p;
  }

  /** The measure by day, if it is worked out already. */
  dailyNow(measure: MeasureName): ChartData | undefined {
    return this.days.get(measure);
  }

  /** The chart of `measure` for `request`; with the daily chart it was picked from when `withDaily`. */
  async chart(
    measure: MeasureName,
    request: ChartRequest,
    kind: RevenueKind | undefined,
    withDaily = false,
  ): Promise<Got<ChartAnswer>> {
    const { from, to, resolution } = request;
    const days = from && to && resolution && request.date === undefined ? this.dailyOf(measure) : null;
    if (days && from && to && resolution) {
      const d = await days;
      const data = d.ok ? pickPeriods(d.value, from, to, resolution) : null;
      if (d.ok && data)
        return {
          ok: true,
          value: { data, params: { from, to, resolution }, ...(withDaily ? { daily: d.value } : {}) },
        };
    }
    if (measureByName(measure)?.takes === 'attribute') return this.attribute(measure, request);
    const a = await this.result(measure, request);
    return a.ok ? { ok: true, value: { data: chartData(a.value, kind), params: a.value.params } } : a;
  }

  /** A measure's result for a request, kept (the newest KEPT_RESULTS). */
  private result(measure: MeasureName, request: MeasureRequest): Promise<Got<MeasureResult>> {
    const key = JSON.stringify([measure, request]);
    let r = this.results.get(key);
    if (!r) {
      r = this.inTurn(() => this.source.measure(measure, request)).then((a) =>
        a.ok ? { ok: true as const, value: a.value } : { ok: false as const, message: a.message },
      );
      this.results.set(key, r);
      if (this.results.size > KEPT_RESULTS) this.results.delete(this.results.keys().next().value!);
      void r.then((g) => g.ok || this.results.delete(key));
    }
    return r;
  }

  /** The attribute keys of the source's rows, most used first (asked once). */
  keys(): Promise<Got<{ key: string; rows: number }[]>> {
    this.keyList ??= this.inTurn(() => this.source.keys()).then((a) => {
      if (!a.ok) this.keyList = null;
      return a.ok ? { ok: true as const, value: a.value } : { ok: false as const, message: a.message };
    });
    return this.keyList;
  }

  /**
   * What a drill-down asks the source for: the attribute chart's lines are the values of its key, so
   * a point's series names the value (a chart of one line names none: its one value).
   */
  async drillOf(measure: MeasureName, request: ChartRequest, point: PointRef): Promise<[MeasureRequest, PointRef]> {
    if (measureByName(measure)?.takes !== 'attribute' || !request.key) return [request, point];
    const key = request.key;
    let value = point.series;
    if (value === undefined) {
      const values = await this.inTurn(() => this.source.values(key));
      value = values.ok ? values.value[0]?.value : undefined;
    }
    return [{ ...request, ...(value !== undefined ? { value } : {}) }, { period: point.period }];
  }

  /** The attribute measure: a line per value of the key (the most used key when none is asked for). */
  private async attribute(measure: MeasureName, request: ChartRequest): Promise<Got<ChartAnswer>> {
    let key = request.key;
    if (!key) {
      const keys = await this.keys();
      if (!keys.ok) return keys;
      key = keys.value[0]?.key;
      if (key === undefined) return { ok: false, message: 'No transaction here has a custom subscriber attribute' };
    }
    const values = await this.inTurn(() => this.source.values(key));
    if (!values.ok) return values;
    const lines: { value: string; result: MeasureResult }[] = [];
    let params: Record<string, string> = {};
    for (const { value } of values.value.slice(0, ATTRIBUTE_LINES)) {
      const a = await this.result(measure, { ...request, key, value });
      if (!a.ok) return a;
      lines.push({ value, result: a.value });
      params = { ...a.value.params };
    }
    delete params.value;
    if (lines.length === 0) return { ok: false, message: `No transaction has a value for the attribute ${key}` };
    return { ok: true, value: { data: attributeChart(key, lines), params: { ...params, key } } };
  }
}
