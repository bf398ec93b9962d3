/**
 * The chart panel's page: progress while the source loads, then the controls, the chart (uPlot, or
 * the retention heatmap, or the LTV table) and the same numbers as a table under it. A click on a
 * point, a bar, a cell or a table value asks the host to open the grid on the rows behind it.
 *
 * Room src/webview/chart: the chart panel's page (browser code): controls, the uPlot chart, heatmap and tables, PNG.
 * May import: src/core/measures, src/protocol.
 */
import { chartCsv, pickPeriods, type ChartData } from '../../core/measures/chartData';
import type { PointRef } from '../../core/measures/rowSets';
import { connect, type Endpoint, type ServerEvent } from '../../protocol/channel';
import { chartLink, FIRST_CHART_ID, type ChartLink } from '../../protocol/chart';
import { ATTRIBUTE_MEASURE, Controls } from './controls';
import { Plot } from './plot';
import { plotPng, tablePng } from './png';
import { barTable, heatmap, seriesTable } from './tables';
import { onThemeChange, palette, themeKind } from './theme';

interface VsCodeApi {
  postMessage(m: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

const page: Endpoint = {
  post: (m) => api.postMessage(m),
  listen(handler) {
    const on = (e: MessageEvent<unknown>) => handler(e.data);
    window.addEventListener('message', on);
    return () => window.removeEventListener('message', on);
  },
};

const el = (tag: string, className: string) => {
  const e = document.createElement(tag);
  e.className = className;
  return e;
};

const app = document.getElementById('app')!;
const bar = el('div', 'bar-slot');
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
const progress = el('div', 'progress');
progress.append(el('div', 'fill'));
const plotBox = el('div', 'plot');
const legendBox = el('div', 'legend');
const tableBox = el('div', 'table-box');
app.append(progress, bar, status, plotBox, legendBox, tableBox);

let controls: Controls | null = null;
let data: ChartData | null = null;
let seq = 0;
let sourceLabel = '';
let subtitle = '';
const plot = new Plot(plotBox, legendBox, (point, label) => void drill(point, label));

/** When the page's script ran and the source arrived (epoch ms; the bench reads them). */
const epoch = () => (performance.timeOrigin + performance.now()).toFixed(0);
document.body.dataset.scriptAt = epoch();

const link = connect<ChartLink>(chartLink, page, (m) => receive(m));

function receive(m: ServerEvent<ChartLink>): void {
  if (m.type === 'progress') {
    document.body.dataset.state = 'loading';
    (progress.firstChild as HTMLElement).style.width = `${Math.round(m.fraction * 100)}%`;
    say(`Loading ${sourceLabel || 'the export'}… ${m.rows.toLocaleString('en-US')} rows so far`);
  } else if (m.type === 'failed') {
    document.body.dataset.state = 'failed';
    progress.hidden = true;
    say(m.message);
  } else {
    document.body.dataset.sourceAt = epoch();
    if (m.called) document.body.dataset.calledAt = m.called.toFixed(0);
    sourceLabel = m.label;
    progress.hidden = true;
    controls = new Controls(m.measures, { first: m.first, last: m.last }, m, {
      changed: () => void draw(),
      copy: () => data && void link.request('copy', { text: chartCsv(data) }),
      saveCsv: () =>
        data && void link.request('save', { format: 'csv', name: `${fileName()}.csv`, content: chartCsv(data) }),
      savePng: () => void savePng(),
    });
    bar.replaceChildren(controls.element);
    if (m.daily) daily.set(m.measure, m.daily);
    void draw();
  }
}

function say(text: string): void {
  status.textContent = text;
}

function fileName(): string {
  const s = controls!.state;
  return `${s.measure}_${s.from || 'all'}_${s.to}${s.measure === 'subscription-retention' ? '' : `_${s.resolution}`}`;
}

/** Point-in-time measures by day (as the host sent them): other ranges and resolutions are picked from them here. */
const daily = new Map<string, ChartData>();

/**
 * Shows the chart of the controls' state (a newer request wins): picked from the measure's days when
 * the page has them and they hold the range, else asked of the host.
 */
async function draw(): Promise<void> {
  if (!controls) return;
  const mine = ++seq;
  const t0 = performance.now();
  const s = controls.state;
  const request = controls.request();
  const days = daily.get(s.measure);
  const { from, to, resolution } = request;
  const picked = days && from && to && resolution ? pickPeriods(days, from, to, resolution) : null;
  let reply: { data: ChartData; params: Record<string, string>; ms: number };
  document.body.dataset.state = 'drawing';
  if (picked) reply = { data: picked, params: { from: from!, to: to!, resolution: resolution! }, ms: 0 };
  else {
    const r = await link.request('chart', {
      measure: s.measure,
      request,
      revenueKind: s.revenueKind,
      daily: !days,
    });
    if (mine !== seq) return;
    if (!r.ok || !r.value.ok) {
      document.body.dataset.state = 'failed';
      data = null;
      plot.clear();
      tableBox.replaceChildren();
      say(r.ok && !r.value.ok ? r.value.message : r.ok ? '' : r.error.message);
      return;
    }
    reply = r.value;
    if (r.value.daily) daily.set(s.measure, r.value.daily);
    if (s.measure === ATTRIBUTE_MEASURE) void attributeKeys(reply.params.key);
  }
  data = reply.data;
  // the panel's tab says what is drawn, picked here or measured by the host
  link.send({ type: 'drawn', title: data.title });
  const p = reply.params;
  const span = p.from && p.to ? `${p.from} … ${p.to}` : p.from ? `since ${p.from}` : p.date ? `as of ${p.date}` : '';
  subtitle = [sourceLabel, span, p.resolution ? `by ${p.resolution}` : ''].filter(Boolean).join(' · ');
  // the chart first; the table of its numbers (hundreds of rows by day) once the chart is on screen
  render(false);
  const ms = performance.now() - t0;
  // a result the host kept from before takes no time to measure: said so, not "measured in 0 ms"
  const how = picked
    ? `picked from the days in ${ms.toFixed(0)} ms`
    : reply.ms >= 1
      ? `measured in ${reply.ms.toFixed(0)} ms`
      : 'already measured';
  say(`${subtitle} · ${how} · click a value to see its rows in the grid`);
  document.body.dataset.chartKind = data.kind;
  document.body.dataset.measure = s.measure;
  document.body.dataset.drawMs = ms.toFixed(1);
  document.body.dataset.drawn = String(seq);
  // on screen: the frame after the one that drew it (epoch ms, for the bench)
  const drawn = seq;
  requestAnimationFrame(() =>
    setTimeout(() => {
      if (drawn !== seq) return;
      // "<draw number> <epoch ms> <ms since asked>"
      const now = performance.now();
      document.body.dataset.onScreen = `${drawn} ${performance.timeOrigin + now} ${(now - t0).toFixed(1)}`;
      numbers();
      document.body.dataset.state = 'ready';
    }),
  );
}

/** The attribute chart's key picker: the keys listed (once), the one drawn chosen. */
async function attributeKeys(drawn: string | undefined): Promise<void> {
  if (drawn) controls?.setKey(drawn);
  if (!controls || controls.hasKeys) return;
  const r = await link.request('keys', {});
  if (r.ok && r.value.ok) controls?.setKeys(r.value.keys);
  if (drawn) controls?.setKey(drawn);
}

/** Draws the chart, and the table of its numbers unless `withNumbers` is false (then numbers() follows). */
function render(withNumbers = true): void {
  const d = data;
  if (!d) return;
  const drawn = d.kind !== 'heatmap' && d.kind !== 'table';
  plotBox.hidden = !drawn;
  legendBox.hidden = !drawn;
  document.body.classList.toggle('tabular', !drawn);
  if (drawn) {
    const t0 = performance.now();
    plot.draw(d, palette());
    // where a redraw's time goes (the bench reads it)
    document.body.dataset.renderMs = `plot ${(performance.now() - t0).toFixed(1)}`;
    if (withNumbers) numbers();
  } else {
    plot.clear();
    tableBox.replaceChildren(d.kind === 'heatmap' ? heatmap(d, (pt, l) => void drill(pt, l)) : barTable(d));
    document.body.dataset.seriesColor = palette().series[0];
  }
  document.body.dataset.theme = themeKind();
}

/** The table under a drawn chart: one row per period. */
function numbers(): void {
  const d = data;
  if (!d || d.kind === 'heatmap' || d.kind === 'table') return;
  const t0 = performance.now();
  tableBox.replaceChildren(seriesTable(d, (pt, l) => void drill(pt, l)));
  document.body.dataset.renderMs += ` table ${(performance.now() - t0).toFixed(1)}`;
}

async function drill(point: PointRef, label: string): Promise<void> {
  if (!controls || !data) return;
  say(`Opening the rows behind ${label}…`);
  document.body.dataset.drillAt = (performance.timeOrigin + performance.now()).toFixed(0);
  const r = await link.request('drill', { measure: controls.state.measure, request: controls.request(), point });
  if (!r.ok) return say(r.error.message);
  const v = r.value;
  const where = v.files && v.files > 1 ? `${v.files} grids, one per delivery` : 'the grid';
  say(v.ok ? `${label}: ${v.count.toLocaleString('en-US')} rows opened in ${where}` : (v.message ?? 'No rows'));
  document.body.dataset.drilled = String(v.count);
  if (v.ms)
    document.body.dataset.drillMs = `rows ${v.ms.rows.toFixed(0)}${v.ms.found === undefined ? '' : ` (found in ${v.ms.found.toFixed(0)} in the worker)`} open ${v.ms.open.toFixed(0)}`;
  if (v.ms?.at) document.body.dataset.drillHostAt = v.ms.at.toFixed(0);
}

async function savePng(): Promise<void> {
  if (!data) return;
  const p = palette();
  const content =
    plot.canvas && !plotBox.hidden
      ? plotPng(plot.canvas, plot.shown, data.title, subtitle, p)
      : tablePng(tableBox.querySelector('table')!, data.title, subtitle, p);
  await link.request('save', { format: 'png', name: `${fileName()}.png`, content });
}

onThemeChange(() => render());
// where a value is drawn, for the UI tests to click it as a person would
(window as unknown as { rcChart: unknown }).rcChart = { position: (i: number, s: number) => plot.position(i, s) };
const carried = carriedMessage();
if (carried) receive(carried);
link.send({ type: 'ready' });

/** The host's first message when the page carries it (see FIRST_CHART_ID), checked as the later ones are. */
function carriedMessage(): ServerEvent<ChartLink> | null {
  const block = document.getElementById(FIRST_CHART_ID);
  if (!block?.textContent) return null;
  try {
    const parsed = chartLink.toClient.safeParse(JSON.parse(block.textContent));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  } finally {
    block.remove();
  }
}
