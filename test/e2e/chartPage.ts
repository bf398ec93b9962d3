/**
 * The chart panel's page and the grid beside it, as the charts suite (suites/charts.ts) reads them:
 * the webview that shows a selector, a measure picked and drawn, the CLI's arguments for what it
 * shows, its table against the CLI's JSON, a click on a drawn point, the grid's row count.
 */
import assert from 'node:assert/strict';
import type { FrameLocator, Page } from 'playwright-core';
import { quickInput } from './workbench';

declare const document: { querySelector(s: string): { classList: { contains(c: string): boolean } } | null };
declare const window: { rcChart: { position(i: number, s: number): { x: number; y: number } | null } };

/** The document of the webview whose page holds `selector` (the chart panel or the grid). */
export async function frameWith(page: Page, selector: string, timeout = 60_000): Promise<FrameLocator> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const n = await page.locator('iframe.webview.ready:visible').count();
    for (let i = 0; i < n; i++) {
      const f = page.frameLocator('iframe.webview.ready:visible').nth(i).frameLocator('#active-frame');
      if ((await f.locator(selector).count()) > 0) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview shows ${selector}`);
    await page.waitForTimeout(200);
  }
}

/**
 * The chart's root element, which carries its marks (data-state, data-measure, data-drawn, …): the
 * panel page's #app, or the chart pane in the export editor's page (whose body is the grid's).
 */
export const ROOT = '[data-chart-root]';

export const chart = (page: Page) => frameWith(page, '.controls');
export const gridFrame = (page: Page) => frameWith(page, '.infobar');

/** Picks a measure and waits for its chart. */
export async function show(c: FrameLocator, measure: string): Promise<void> {
  const before = await c.locator(ROOT).getAttribute('data-drawn');
  if ((await c.locator(ROOT).getAttribute('data-measure')) !== measure)
    await c.locator('select.measure').selectOption(measure);
  await c
    .locator(`${ROOT}[data-state="ready"][data-measure="${measure}"]${before ? `:not([data-drawn="${before}"])` : ''}`)
    .or(c.locator(`${ROOT}[data-state="ready"][data-measure="${measure}"]`))
    .first()
    .waitFor({ timeout: 60_000 });
}

/** The CLI's arguments for what the chart shows now (its range and resolution). */
export async function cliArgs(c: FrameLocator, measure: string): Promise<string[]> {
  const from = await c.locator('input[aria-label="First day"]').inputValue();
  const to = await c.locator('input[aria-label="Last day"]').inputValue();
  const res = await c.locator('select.resolution').inputValue();
  if (measure === 'realized-ltv-segments') return ['--from', from];
  if (measure === 'realized-ltv-per-paying-customer') return [];
  if (measure === 'subscription-retention') return ['--from', from, '--to', to];
  return ['--from', from, '--to', to, '--resolution', res];
}

export type Json = Record<string, unknown>;

/** The chart's table against the CLI's JSON value. */
export async function compare(c: FrameLocator, measure: string, value: unknown): Promise<number> {
  if (measure === 'subscription-retention') {
    const cells = await c.locator('#numbers td.heat[data-count]').evaluateAll((tds) =>
      tds.map((td) => {
        const tr = td.parentElement!;
        return `${tr.children[0].textContent}|${tr.children[1].textContent}|${tr.children[2].textContent}|${(td as unknown as { dataset: Json }).dataset.period as string}|${(td as unknown as { dataset: Json }).dataset.count as string}`;
      }),
    );
    const rows = (value as Json[]).map(
      (r) =>
        `${String(r.first_start_date)}|${String(r.product_identifier)}|${String(r.product_duration)}|${String(r.period_number)}|${String(r.subscriptions)}`,
    );
    assert.deepEqual(cells.sort(), rows.sort());
    return cells.length;
  }
  if (measure.startsWith('realized-ltv')) {
    const shown = await c
      .locator('#numbers td[data-value]')
      .evaluateAll((tds) => tds.map((td) => Number((td as unknown as { dataset: Json }).dataset.value)));
    const numbers = (value as Json[]).flatMap((r) => Object.values(r).filter((v) => typeof v === 'number'));
    assert.deepEqual(shown, numbers);
    return shown.length;
  }
  const cells = await seriesCells(c);
  const v = value as Json;
  assert.deepEqual([...new Set(cells.map((x) => x.period))], Object.keys(v), 'the periods');
  for (const x of cells) {
    const row = v[x.period];
    const want = x.series === 'value' || x.series === 'revenue' ? row : (row as Json)[x.series];
    assert.equal(x.value === '' ? null : Number(x.value), want ?? null, `${measure} ${x.period} ${x.series}`);
  }
  return cells.length;
}

export async function setTheme(page: Page, name: string, dark: boolean): Promise<void> {
  const input = await quickInput(page, ['Control+K', 'Control+T']);
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (d) => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') === d,
    dark,
    { timeout: 20_000 },
  );
  await page.waitForTimeout(800);
}

/** The grid's "N of M rows" once it shows a chart's rows. */
export async function gridRows(page: Page, period: string): Promise<number> {
  const g = await gridFrame(page);
  const rows = g.locator('.infobar .item.rows', { hasText: / of / });
  await g.locator('.infobar .item.rowset', { hasText: period }).waitFor({ timeout: 30_000 });
  const text = await rows.innerText();
  return Number(/^([\d,]+) of/.exec(text)![1].replace(/,/g, ''));
}

/** Clicks where series `s` draws period `i`, as a person would. */
export async function clickPoint(c: FrameLocator, i: number, s: number): Promise<void> {
  const at = await c.locator(ROOT).evaluate((_b, [i, s]) => window.rcChart.position(i, s), [i, s] as const);
  assert.ok(at, 'the point is drawn');
  await c.locator('.u-over').click({ position: { x: at.x, y: at.y } });
}

/** The cells of a chart's table of numbers: each with its period (the row's first cell), series and value. */
export function seriesCells(c: FrameLocator): Promise<{ period: string; series: string; value: string }[]> {
  return c.locator('#numbers td[data-series]').evaluateAll((tds) =>
    tds.map((td) => {
      const d = (td as unknown as { dataset: Json }).dataset;
      return {
        period: td.parentElement!.children[0].textContent!,
        series: d.series as string,
        value: d.value as string,
      };
    }),
  );
}

interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}
interface El {
  getBoundingClientRect(): Rect;
  querySelector(s: string): El | null;
  querySelectorAll(s: string): ArrayLike<El>;
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly textContent: string | null;
  readonly nextElementSibling: El | null;
}

/**
 * What a person would find wrong in the chart as laid out on screen (an empty list when nothing): the
 * bar's buttons not on one line, or out of the pane; an LTV figure with its bar over it; a heatmap
 * product name cut, or under its neighbour. Only what is on screen is looked at.
 */
export function layoutProblems(c: FrameLocator): Promise<string[]> {
  return c.locator(ROOT).evaluate((root: El) => {
    const out: string[] = [];
    const overlap = (a: Rect, b: Rect) =>
      a.width > 0 &&
      b.width > 0 &&
      a.left < b.right - 0.5 &&
      b.left < a.right - 0.5 &&
      a.top < b.bottom - 0.5 &&
      b.top < a.bottom - 0.5;
    const box = root.getBoundingClientRect();
    const shown = (r: Rect) => r.top >= box.top && r.bottom <= box.bottom && r.width > 0;
    const buttons = Array.from(root.querySelectorAll('.controls .text-button')).map((b) => b.getBoundingClientRect());
    if (buttons.length && buttons.some((b) => Math.abs(b.top - buttons[0].top) > 1))
      out.push(`the buttons on ${new Set(buttons.map((b) => Math.round(b.top))).size} lines`);
    if (buttons.some((b) => b.right > box.right + 0.5)) out.push('a button past the pane’s right edge');
    // the measure picker as wide as the chosen measure's name needs, not as its longest option
    const picker = root.querySelector('.controls select.measure') as unknown as {
      getBoundingClientRect(): Rect;
      selectedOptions: ArrayLike<{ textContent: string | null }>;
    } | null;
    if (picker) {
      // the page's globals, typed here (this file is compiled without the DOM's types)
      const page = globalThis as unknown as {
        document: {
          createElement(t: 'canvas'): {
            getContext(k: '2d'): { font: string; measureText(t: string): { width: number } };
          };
        };
        getComputedStyle(e: unknown): { fontWeight: string; fontSize: string; fontFamily: string };
      };
      const ctx = page.document.createElement('canvas').getContext('2d');
      const cs = page.getComputedStyle(picker);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const need = ctx.measureText(picker.selectedOptions[0]?.textContent ?? '').width;
      const width = picker.getBoundingClientRect().width;
      if (width > need + 60)
        out.push(`the measure picker is ${Math.round(width)}px for a name of ${Math.round(need)}px`);
      if (width < need + 20)
        out.push(`the measure picker (${Math.round(width)}px) cuts its name (${Math.round(need)}px)`);
    }
    // an LTV table in a pane too narrow for it: its bars go first, then it scrolls sideways
    const tableBox = root.querySelector('.table-box');
    if (tableBox && tableBox.scrollWidth > tableBox.clientWidth + 1) {
      const wide = Array.from(root.querySelectorAll('table.bars .bar-track')).filter(
        (t) => t.getBoundingClientRect().width > 0.5,
      );
      if (wide.length) out.push(`${wide.length} bars take room while the table scrolls sideways`);
    }
    for (const td of Array.from(root.querySelectorAll('td.bar-cell'))) {
      const label = td.querySelector('.bar-label')!.getBoundingClientRect();
      if (!shown(label)) continue;
      const bar = (td.querySelector('.bar-track') ?? td.querySelector('.bar'))!.getBoundingClientRect();
      if (overlap(label, bar)) out.push(`the bar runs under "${td.querySelector('.bar-label')!.textContent}"`);
    }
    for (const td of Array.from(root.querySelectorAll('td.product'))) {
      const r = td.getBoundingClientRect();
      if (!shown(r)) continue;
      if (td.scrollWidth > td.clientWidth + 1) out.push(`the product name "${td.textContent}" is cut`);
      const next = td.nextElementSibling;
      if (next && overlap(r, next.getBoundingClientRect()))
        out.push(`"${td.textContent}" under the duration beside it`);
    }
    return out;
  });
}
