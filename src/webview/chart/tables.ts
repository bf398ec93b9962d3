/**
 * The chart's numbers as HTML tables (every cell set as text): the table under a chart, one row per
 * period; the retention heatmap (cohorts × periods, percentages, counts on hover); the LTV tables
 * with a bar beside each number in its cell. A value that has rows behind it is a button: it opens them.
 */
import { words, type ChartData } from '../../core/measures/chartData';
import type { PointRef } from '../../core/measures/rowSets';
import { formatValue } from './theme';

export type OnPoint = (point: PointRef, label: string) => void;

/** Rows shown at most (the CSV has them all). */
const MAX_ROWS = 5000;
/** The heatmap's product column: at least, at most this many characters wide. */
const PRODUCT_CHARS = [10, 30] as const;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function valueCell(text: string, title: string, open: (() => void) | null): HTMLTableCellElement {
  const td = el('td', undefined, 'num');
  if (open) {
    const b = el('button', text, 'drill');
    b.title = title;
    b.addEventListener('click', open);
    td.append(b);
  } else td.textContent = text;
  return td;
}

/** One row per period: the period and each series' value. */
export function seriesTable(d: ChartData, onPoint: OnPoint): HTMLTableElement {
  const table = el('table', undefined, 'numbers');
  table.id = 'numbers';
  const cap = el('caption', `${d.title}: the numbers`);
  const head = el('tr');
  head.append(el('th', 'Period'), ...d.series.map((s) => el('th', s.label)));
  const body = el('tbody');
  const n = Math.min(d.x.length, MAX_ROWS);
  for (let i = 0; i < n; i++) {
    const tr = el('tr');
    const period = d.x[i];
    const th = el('th', period);
    th.scope = 'row';
    tr.append(th);
    for (const s of d.series) {
      const v = s.values[i];
      const unit = s.right ? 'ratio' : d.unit;
      const series = d.series.length === 1 || d.kind === 'bars' ? undefined : s.key === 'cvr' ? 'trials_ending' : s.key;
      const point: PointRef = { period, ...(series !== undefined ? { series } : {}) };
      const open = v === null || v === 0 ? null : () => onPoint(point, `${s.label}, ${period}`);
      const td = valueCell(formatValue(v, unit), `Show the rows behind ${s.label} for ${period}`, open);
      td.dataset.value = v === null ? '' : String(v);
      td.dataset.series = s.key;
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(cap, el('thead'), body);
  table.tHead!.append(head);
  if (d.x.length > n) table.append(el('tfoot', `… ${d.x.length - n} more rows in the CSV`));
  return table;
}

/** Subscription Retention: one row per cohort, a cell per period, shaded by its share of period 0. */
export function heatmap(d: ChartData, onPoint: OnPoint): HTMLTableElement {
  const heat = d.heat!;
  const table = el('table', undefined, 'heatmap');
  table.id = 'numbers';
  table.append(el('caption', `${d.title}: each cohort's size, then the share still subscribed (hover for counts)`));
  // the product column as wide as its longest name (within bounds: a longer one wraps), so no name is cut
  const longest = Math.max(0, ...heat.rows.slice(0, MAX_ROWS).map((r) => r.product.length));
  table.style.setProperty(
    '--product-width',
    `${Math.min(PRODUCT_CHARS[1], Math.max(PRODUCT_CHARS[0], longest + 1))}ch`,
  );
  const head = el('tr');
  head.append(el('th', 'Cohort'), el('th', 'Product'), el('th', 'Duration'));
  for (const p of heat.periods) head.append(el('th', p === 0 ? 'Cohort size' : p > 0 ? `+${p}` : String(p)));
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const row of heat.rows.slice(0, MAX_ROWS)) {
    const tr = el('tr');
    const product = el('td', row.product, 'text product');
    product.title = row.product;
    tr.append(el('th', row.cohort), product, el('td', row.duration, 'text'));
    const byPeriod = new Map(row.cells.map((c) => [c.period, c]));
    for (const p of heat.periods) {
      const c = byPeriod.get(p);
      if (!c) {
        tr.append(el('td', '', 'heat empty'));
        continue;
      }
      const share = c.share === null ? null : Math.min(c.share, 1);
      // the first period shows the cohort's size, the later ones its share still subscribed
      const text =
        p === 0 || c.share === null
          ? c.count.toLocaleString('en-US')
          : `${(c.share * 100).toFixed(c.share >= 0.995 ? 0 : 1)}%`;
      const point: PointRef = { period: row.cohort, product: row.product, duration: row.duration, periodNumber: p };
      const td = valueCell(
        text,
        `${c.count.toLocaleString('en-US')} subscriptions (${row.cohort}, ${row.product}, period ${p}) — click for the rows`,
        () => onPoint(point, `cohort ${row.cohort}, ${row.product}, period ${p}`),
      );
      td.classList.add('heat');
      td.dataset.count = String(c.count);
      td.dataset.period = String(p);
      if (share !== null && p !== 0) {
        // the theme's own colour, stronger for a larger share; re-coloured with the theme by CSS
        td.style.setProperty('--share', `${Math.round(share * 85)}%`);
        if (share > 0.55) td.classList.add('strong');
      }
      tr.append(td);
    }
    body.append(tr);
  }
  table.append(thead, body);
  return table;
}

/** A table-shaped result (LTV): its rows, and a bar beside each number (after it), to scale within its column. */
export function barTable(d: ChartData): HTMLTableElement {
  const t = d.table!;
  const table = el('table', undefined, 'numbers bars');
  table.id = 'numbers';
  // the bars' width follows the room each column has (media/chart.css)
  table.style.setProperty('--columns', String(t.columns.length));
  table.append(el('caption', d.title));
  const head = el('tr');
  head.append(...t.columns.map((c) => el('th', words(c))));
  const thead = el('thead');
  thead.append(head);
  const max = t.columns.map((_, i) => Math.max(0, ...t.rows.map((r) => (typeof r[i] === 'number' ? r[i] : 0))));
  const body = el('tbody');
  for (const r of t.rows.slice(0, MAX_ROWS)) {
    const tr = el('tr');
    r.forEach((v, i) => {
      if (typeof v !== 'number') {
        tr.append(el('td', v === null ? '–' : String(v), 'text'));
        return;
      }
      const money = /ltv/.test(t.columns[i]);
      const td = el('td', undefined, 'num bar-cell');
      // the figure, then its bar in a track of its own beside it: the bar never runs under the digits
      const wrap = el('span', undefined, 'bar-wrap');
      const track = el('span', undefined, 'bar-track');
      const bar = el('span', undefined, 'bar');
      bar.style.width = `${max[i] > 0 ? Math.max(0, (v / max[i]) * 100) : 0}%`;
      track.append(bar);
      const label = el('span', formatValue(v, money ? 'usd' : 'count'), 'bar-label');
      td.dataset.value = String(v);
      wrap.append(label, track);
      td.append(wrap);
      tr.append(td);
    });
    body.append(tr);
  }
  table.append(thead, body);
  return table;
}
