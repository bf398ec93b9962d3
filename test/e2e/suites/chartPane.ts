/**
 * The chart pane's frame in the export editor's page: the page loads without the chart's code (its
 * first paint does not carry it) and gets it on the first Show Chart; the pane is reached and resized
 * from the keyboard, dragged, keeps the height given to it when closed and opened again and when its
 * page is loaded again, is maximized and restored, closed with Escape or its Close button (the grid
 * gets its height back), and opened again from the grid's toolbar without loading its code twice.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { writeExport } from '../../gen/generator';
import { ROOT } from '../chartPage';
import { firstRowShown, openExport, paletteCommand, quickOpen, type UiSuite } from '../workbench';

const FILE = 'transactions_1736310000.csv.gz';
/** Another file, opened in the same editor group: the export's page is unloaded while it shows. */
const OTHER = 'chart-pane-notes.txt';
/** The height a maximized pane leaves the grid (src/webview/chartPane.ts MAXIMIZED_GRID), and the splitter's. */
const MAXIMIZED_GRID = 160;
const SPLIT = 5;
const READY = `${ROOT}[data-state="ready"]`;

declare const window: { rcChartPane?: unknown };
declare const document: {
  scripts: ArrayLike<{ textContent: string | null }>;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
  activeElement: { closest(s: string): unknown } | null;
};

const height = async (g: FrameLocator, selector: string) => (await g.locator(selector).boundingBox())?.height ?? 0;
/** The page's style elements that hold uPlot's rules (the chart's sheet). */
const chartSheets = (g: FrameLocator) =>
  g
    .locator('body')
    .evaluate(
      () =>
        [...Array.from(document.querySelectorAll('style'))].filter((s) => /u-legend/.test(s.textContent ?? '')).length,
    );

export const chartPaneSuite: UiSuite = {
  name: 'chart pane',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), { version: 'v5', rows: 3000, seed: 1619, exportTime: 1736310000 });
    fs.writeFileSync(path.join(dir, OTHER), 'Another editor in the same group.\n');
  },
  async run({ page, shots, test }) {
    let g!: FrameLocator;

    await test('the editor page comes without the chart’s code; Show Chart brings it and opens the pane under the grid', async () => {
      await paletteCommand(page, 'View: Close All Editors');
      g = await openExport(page, FILE);
      const before = await g.locator('body').evaluate(() => ({
        script: typeof window.rcChartPane,
        uplot: Array.from(document.scripts).some((s) => /u-legend/.test(s.textContent ?? '')),
      }));
      assert.deepEqual(before, { script: 'undefined', uplot: false }, 'no chart code in the first paint');
      assert.equal(await g.locator('.chart-pane').count(), 0);
      await paletteCommand(page, 'RevenueCat: Show Chart…');
      await g.locator(READY).waitFor({ timeout: 60_000 });
      assert.equal(await g.locator('body').evaluate(() => typeof window.rcChartPane), 'object');
      assert.equal(await chartSheets(g), 1);
      // the keyboard goes to the pane
      assert.ok(await g.locator('body').evaluate(() => !!document.activeElement?.closest('.chart-pane')));
      // the grid above, the pane below, sharing the page's height
      const body = await height(g, 'body');
      const grid = await height(g, '#app');
      const pane = await height(g, '.chart-pane');
      assert.ok(grid > 80 && pane > 150, `grid ${grid} px, pane ${pane} px`);
      assert.ok(Math.abs(grid + pane + 5 - body) <= 6, `grid ${grid} + pane ${pane} fill the page (${body})`);
      fs.mkdirSync(path.join(shots, 'charts'), { recursive: true });
      await page.screenshot({ path: path.join(shots, 'charts', 'pane-open.png') });
    });

    await test('the splitter: arrow keys and a drag change the pane’s height', async () => {
      const split = g.locator('.pane-split');
      const h0 = await height(g, '.chart-pane');
      await split.focus();
      for (let i = 0; i < 3; i++) await split.press('ArrowUp');
      const h1 = await height(g, '.chart-pane');
      assert.ok(Math.abs(h1 - h0 - 72) <= 2, `three steps up: ${h0} → ${h1}`);
      await split.press('ArrowDown');
      const h2 = await height(g, '.chart-pane');
      assert.ok(Math.abs(h1 - h2 - 24) <= 2, `a step down: ${h1} → ${h2}`);
      const box = (await split.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 100, { steps: 5 });
      await page.mouse.up();
      const h3 = await height(g, '.chart-pane');
      assert.ok(Math.abs(h2 - h3 - 100) <= 4, `dragged 100 px down: ${h2} → ${h3}`);
      await g.locator(READY).waitFor();
    });

    await test('the pane keeps the height the user gave it: closed and opened again, and after its tab was hidden (its page loaded again)', async () => {
      const kept = await height(g, '.chart-pane');
      const body = await height(g, 'body');
      assert.ok(Math.abs(kept - body / 2) > 40, `a height of the user's own (${kept} px), not half the page (${body})`);
      await g.locator('.chart-pane button[aria-label="Close the chart (Escape)"]').click();
      await g.locator('.chart-pane').waitFor({ state: 'detached' });
      await g.locator('.toolbar button[aria-label="Show Chart…"]').click();
      await g.locator(READY).waitFor({ timeout: 30_000 });
      const reopened = await height(g, '.chart-pane');
      assert.ok(Math.abs(reopened - kept) <= 2, `opened again: ${kept} → ${reopened} px`);
      // another editor in the group: the export's page goes; back on its tab, the page loads again with the pane
      await quickOpen(page, OTHER);
      await page.locator('.tabs-container .tab.active', { hasText: OTHER }).waitFor();
      await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
      g = await firstRowShown(page);
      await g.locator(READY).waitFor({ timeout: 30_000 });
      const back = await height(g, '.chart-pane');
      assert.ok(Math.abs(back - kept) <= 2, `the page loaded again: ${kept} → ${back} px`);
      await page.screenshot({ path: path.join(shots, 'charts', 'pane-height-kept.png') });
    });

    await test('the pane’s maximize button gives the chart the page (the grid keeps a strip), and gives the grid its room back', async () => {
      const before = await height(g, '.chart-pane');
      const grow = g.locator('.chart-pane button.pane-grow');
      assert.equal(await grow.getAttribute('aria-pressed'), 'false');
      await grow.click();
      const body = await height(g, 'body');
      const max = await height(g, '.chart-pane');
      const grid = await height(g, '#app');
      assert.ok(Math.abs(max - (body - MAXIMIZED_GRID)) <= 2, `the chart ${max} px of the page's ${body}`);
      assert.ok(grid >= MAXIMIZED_GRID - SPLIT - 2 && grid <= MAXIMIZED_GRID + 2, `the grid keeps a strip: ${grid} px`);
      // the strip shows rows, not only the headers: a click on a value still shows what it filtered to
      const app = (await g.locator('#app').boundingBox())!;
      let rowsInView = 0;
      for (const row of await g.locator('.body .row').all()) {
        const b = await row.boundingBox();
        if (b && b.height > 0 && b.y >= app.y && b.y + b.height <= app.y + app.height) rowsInView++;
      }
      assert.ok(rowsInView >= 3, `the grid beside a maximized chart shows ${rowsInView} whole rows`);
      assert.equal(await grow.getAttribute('aria-pressed'), 'true');
      assert.match((await grow.getAttribute('aria-label')) ?? '', /grid its room back/);
      // the chart redraws to its new height, and stays on screen
      await g.locator(READY).waitFor();
      const plot = await g.locator('.chart-pane .plot').boundingBox();
      assert.ok(plot && plot.height > before / 2, `the plot grew: ${plot?.height} px`);
      await page.screenshot({ path: path.join(shots, 'charts', 'pane-maximized.png') });
      await grow.click();
      const restored = await height(g, '.chart-pane');
      assert.ok(Math.abs(restored - before) <= 2, `back: ${before} → ${restored} px`);
      // a double click on the splitter does the same
      await g.locator('.pane-split').dblclick();
      assert.ok(Math.abs((await height(g, '.chart-pane')) - max) <= 2, 'the splitter’s double click maximizes');
      await g.locator('.pane-split').dblclick();
      assert.ok(Math.abs((await height(g, '.chart-pane')) - before) <= 2, 'and a second one restores');
    });

    await test('Escape closes the pane and the grid gets the page back; the toolbar opens it again, its code loaded once', async () => {
      await g.locator('.chart-pane').focus();
      await page.keyboard.press('Escape');
      await g.locator('.chart-pane').waitFor({ state: 'detached' });
      assert.equal(await g.locator('.pane-split').count(), 0);
      assert.ok(Math.abs((await height(g, '#app')) - (await height(g, 'body'))) <= 1, 'the grid fills the page');
      await g.locator('.toolbar button[aria-label="Show Chart…"]').click();
      await g.locator(READY).waitFor({ timeout: 30_000 });
      assert.equal(await chartSheets(g), 1, 'the chart’s code and sheet went in once');
      await g.locator('.chart-pane button[aria-label="Close the chart (Escape)"]').click();
      await g.locator('.chart-pane').waitFor({ state: 'detached' });
    });
  },
};
