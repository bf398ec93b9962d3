/**
 * The charts as a user meets them: "RevenueCat: Show Chart…" on an open export draws in the chart
 * pane under the export editor's grid, in the editor's own page; on a folder of deliveries, in a chart
 * panel. Every chart kind's table against `rc-export measure … --format json` for the same range and
 * resolution; the theme switch re-colours the chart; a click on a point (Active Subscriptions on a
 * day, New Actives of a day, a retention cell) shows exactly as many rows in the grid (the editor's
 * own, above the pane). Nothing on screen is cut or drawn over (the bar's buttons on one line, LTV
 * figures beside their bars, heatmap product names whole). Screenshots of every chart kind in the
 * pane, in a light and a dark theme, go to <shots>/charts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { writeExport } from '../../gen/generator';
import {
  chart,
  clickPoint,
  cliArgs,
  compare,
  frameWith,
  gridFrame,
  gridRows,
  layoutProblems,
  ROOT,
  seriesCells,
  setTheme,
  show,
  type Json,
} from '../chartPage';
import { clearForShot, cliJson, menuItem, openExport, paletteCommand, type UiSuite } from '../workbench';

const FILE = 'transactions_1736200000.csv.gz';
const READY = `${ROOT}[data-state="ready"]`;
const FOLDER = 'chart-deliveries';

const MEASURES = [
  'active-subscriptions',
  'active-trials',
  'mrr',
  'active-subscriptions-by-auto-renew',
  'active-trials-by-grace-period',
  'active-subscriptions-movement',
  'mrr-movement',
  'revenue',
  'weekly-revenue',
  'trial-conversion-rate',
  'subscription-retention',
  'realized-ltv-segments',
  'realized-ltv-per-paying-customer',
];

export const chartsSuite: UiSuite = {
  name: 'charts',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), { version: 'v5', rows: 6000, seed: 1616, exportTime: 1736200000 });
    const folder = path.join(dir, FOLDER);
    fs.mkdirSync(folder, { recursive: true });
    await writeExport(path.join(folder, 'transactions_1736000000.csv.gz'), {
      version: 'v5',
      rows: 2500,
      seed: 1617,
      exportTime: 1736000000,
    });
    await writeExport(path.join(folder, 'transactions_1736086400.csv.gz'), {
      version: 'v5',
      rows: 2500,
      seed: 1618,
      exportTime: 1736086400,
    });
  },
  async run({ page, workspace, shots, test }) {
    const dir = path.join(shots, 'charts');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(workspace, FILE);
    let c!: FrameLocator;

    await test('Show Chart on an open export: the pane under its grid, every chart kind with the CLI’s numbers (light theme shots)', async () => {
      await openExport(page, FILE);
      await clearForShot(page);
      const tabs = await page.locator('.tabs-container .tab').count();
      await paletteCommand(page, 'RevenueCat: Show Chart…');
      c = await chart(page);
      // in the editor's own page, under its grid: no panel of its own
      assert.equal(await c.locator('.chart-pane [data-chart-root] .controls').count(), 1, 'the chart is in the pane');
      assert.equal(await c.locator('#app .infobar').count(), 1, 'the grid is in the same page');
      assert.equal(await page.locator('.tabs-container .tab').count(), tabs, 'no new tab');
      const problems: string[] = [];
      for (const m of MEASURES) {
        await show(c, m);
        const expected = cliJson<{ value: unknown }>(['measure', m, ...(await cliArgs(c, m)), file]);
        const n = await compare(c, m, expected.value);
        assert.ok(n > 0, `${m}: numbers to compare`);
        // nothing a person would find cut, wrapped alone or drawn over (every kind looked at before saying so)
        problems.push(...(await layoutProblems(c)).map((p) => `${m}: ${p}`));
        await page.screenshot({ path: path.join(dir, `pane-${m}-light.png`) });
      }
      assert.deepEqual(problems, []);
    });

    await test('the Revenue kind switch, and a range and resolution change, redraw with the CLI’s numbers', async () => {
      await show(c, 'revenue');
      await c.locator('select.revenue-kind').selectOption('proceeds');
      await c.locator('select.preset').selectOption('90');
      await c.locator('select.resolution').selectOption('week');
      await c.locator(READY).waitFor();
      await page.waitForTimeout(300);
      await c.locator(READY).waitFor();
      const args = await cliArgs(c, 'revenue');
      assert.ok(args.includes('week'));
      await compare(c, 'revenue', cliJson<{ value: unknown }>(['measure', 'revenue', ...args, file]).value);
      assert.equal(await c.locator('.u-legend .u-series').nth(1).locator('.u-label').innerText(), 'Proceeds');
      await c.locator('select.preset').selectOption('all');
      await c.locator('select.resolution').selectOption('day');
    });

    await test('a point-in-time chart picks other ranges and resolutions from its days, with the CLI’s numbers', async () => {
      await show(c, 'mrr');
      for (const [preset, resolution] of [
        ['90', 'week'],
        ['all', 'month'],
        ['30', 'day'],
      ]) {
        await c.locator('select.preset').selectOption(preset);
        await c.locator('select.resolution').selectOption(resolution);
        await c.locator(READY).waitFor();
        await page.waitForTimeout(300);
        await c.locator(READY).waitFor();
        // drawn from the days the page holds, with no request to the host
        assert.match(await c.locator('.status').innerText(), /picked from the days/);
        const args = await cliArgs(c, 'mrr');
        assert.ok(args.includes(resolution));
        const n = await compare(c, 'mrr', cliJson<{ value: unknown }>(['measure', 'mrr', ...args, file]).value);
        assert.ok(n > 0);
      }
      await c.locator('select.preset').selectOption('all');
      await c.locator('select.resolution').selectOption('day');
    });

    await test('switching to a dark theme re-colours the chart (dark theme shots)', async () => {
      await show(c, 'active-subscriptions');
      const light = await c.locator(ROOT).getAttribute('data-series-color');
      await setTheme(page, 'Dark Modern', true);
      await c.locator(`${ROOT}[data-theme="dark"]`).waitFor({ timeout: 10_000 });
      const dark = await c.locator(ROOT).getAttribute('data-series-color');
      assert.ok(light && dark && light !== dark, `series colour ${light} → ${dark}`);
      await clearForShot(page);
      const problems: string[] = [];
      for (const m of [...MEASURES, 'active-subscriptions-with-attribute']) {
        await show(c, m);
        problems.push(...(await layoutProblems(c)).map((p) => `${m}: ${p}`));
        await page.screenshot({ path: path.join(dir, `pane-${m}-dark.png`) });
      }
      await setTheme(page, 'Light Modern', false);
      await c.locator(`${ROOT}[data-theme="light"]`).waitFor({ timeout: 10_000 });
      assert.deepEqual(problems, []);
    });

    await test('a click on Active Subscriptions of a day shows that many rows in the grid above the pane', async () => {
      await show(c, 'active-subscriptions');
      await c.locator('select.preset').selectOption('30');
      await c.locator(READY).waitFor();
      const values = await c
        .locator('#numbers td[data-series]')
        .evaluateAll((tds) => tds.map((td) => Number((td as unknown as { dataset: Json }).dataset.value)));
      const i = values.length - 5;
      const period = await c.locator('#numbers tbody tr').nth(i).locator('th').innerText();
      await clickPoint(c, i, 0);
      assert.equal(await gridRows(page, period), values[i]);
      // the same page: the grid above shows them, the chart stays
      assert.equal(await c.locator('#app .infobar .item.rowset', { hasText: period }).count(), 1);
      await c.locator('.status', { hasText: 'shown in the grid above' }).waitFor();
      await page.screenshot({ path: path.join(dir, 'pane-drill-active-subscriptions.png') });
    });

    await test('a click on a New Actives bar shows that day’s new subscriptions in the grid', async () => {
      c = await chart(page);
      await show(c, 'active-subscriptions-movement');
      await c.locator('select.preset').selectOption('30');
      await c.locator('select.resolution').selectOption('day');
      await c.locator(READY).waitFor();
      const added = await c
        .locator('#numbers td[data-series="new_actives"]')
        .evaluateAll((tds) => tds.map((td) => Number((td as unknown as { dataset: Json }).dataset.value)));
      let i = added.length - 1;
      while (i >= 0 && !(added[i] > 0)) i--;
      assert.ok(i >= 0, 'a day with new subscriptions');
      const period = await c.locator('#numbers tbody tr').nth(i).locator('th').innerText();
      await clickPoint(c, i, 0);
      assert.equal(await gridRows(page, period), added[i]);
      // what the rows are is there in full, on a line of its own (a narrow grid wraps it)
      const g = await gridFrame(page);
      const set = g.locator('.infobar .item.rowset');
      assert.equal(
        await set.innerText(),
        `chart rows: Active Subscriptions Movement: new subscriptions started ${period}`,
      );
      const box = await set.evaluate((e) => ({
        cut: e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight,
        height: e.getBoundingClientRect().height,
      }));
      assert.equal(box.cut, false, 'the description is not cut');
      await set.evaluate((e) => ((e as unknown as { style: { maxWidth: string } }).style.maxWidth = '160px'));
      const narrow = await set.evaluate((e) => ({
        cut: e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight,
        height: e.getBoundingClientRect().height,
      }));
      assert.equal(narrow.cut, false, 'narrower still, it wraps instead of being cut');
      assert.ok(narrow.height >= 1.8 * box.height, `wrapped: ${box.height} → ${narrow.height} px high`);
      await set.evaluate((e) => ((e as unknown as { style: { maxWidth: string } }).style.maxWidth = ''));
      await page.screenshot({ path: path.join(dir, 'pane-drill-movement.png') });
    });

    await test('a click on a retention cell shows that cohort’s subscriptions in the grid', async () => {
      c = await chart(page);
      await show(c, 'subscription-retention');
      const cell = c.locator('#numbers td.heat[data-period="1"]').first();
      const count = Number(await cell.getAttribute('data-count'));
      const cohort = await cell.locator('xpath=..').locator('th').innerText();
      await cell.locator('button').click();
      assert.equal(await gridRows(page, `cohort ${cohort}`), count);
      await page.screenshot({ path: path.join(dir, 'pane-drill-retention.png') });
    });

    await test('the custom attribute chart: a line per value of the most used key, each with the CLI’s numbers; a click opens its rows', async () => {
      c = await chart(page);
      await show(c, 'active-subscriptions-with-attribute');
      await c.locator('select.preset').selectOption('90');
      await c.locator('select.resolution').selectOption('week');
      await c.locator(READY).waitFor();
      await page.waitForTimeout(300);
      await c.locator(READY).waitFor();
      const key = await c.locator('select.attribute-key').inputValue();
      assert.ok(key, 'an attribute key is picked');
      const args = await cliArgs(c, 'active-subscriptions-with-attribute');
      const cells = await seriesCells(c);
      const values = [...new Set(cells.map((x) => x.series))];
      assert.ok(values.length > 1, `${key}: a line per value (${values.join(', ')})`);
      for (const value of values) {
        const cli = cliJson<{ value: Record<string, number> }>([
          'measure',
          'active-subscriptions-with-attribute',
          '--attribute',
          `${key}=${value}`,
          ...args,
          file,
        ]).value;
        const mine = cells.filter((x) => x.series === value);
        assert.deepEqual(
          mine.map((x) => x.period),
          Object.keys(cli),
          `${key}=${value}: the periods`,
        );
        for (const x of mine) assert.equal(Number(x.value), cli[x.period], `${key}=${value} ${x.period}`);
      }
      await page.screenshot({ path: path.join(dir, 'pane-active-subscriptions-with-attribute-light.png') });
      // a click on the first value's line, on a week with some: the grid shows that many rows
      const first = cells.filter((x) => x.series === values[0]).map((x) => Number(x.value));
      let i = first.length - 1;
      while (i >= 0 && !(first[i] > 0)) i--;
      assert.ok(i >= 0, 'a week with subscriptions');
      const period = await c.locator('#numbers tbody tr').nth(i).locator('th').innerText();
      await clickPoint(c, i, 0);
      assert.equal(await gridRows(page, period), first[i]);
    });

    await test('Show Chart again on the same export draws the new measure in the open pane', async () => {
      c = await chart(page);
      await show(c, 'mrr');
      const before = await c.locator(ROOT).getAttribute('data-drawn');
      await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
      await paletteCommand(page, 'RevenueCat: Show Chart…');
      await c
        .locator(`${READY}[data-measure="active-subscriptions"]:not([data-drawn="${before}"])`)
        .waitFor({ timeout: 30_000 });
      assert.equal(await c.locator('.chart-pane').count(), 1, 'one pane');
      assert.equal(await page.locator('.tabs-container .tab', { hasText: /^Chart/ }).count(), 0, 'no chart panel');
    });

    await test('Show Chart on a folder of deliveries merges them as the CLI does', async () => {
      const folder = path.join(workspace, FOLDER);
      await page
        .locator('.explorer-folders-view .monaco-list-row', { hasText: FOLDER })
        .first()
        .click({ button: 'right' });
      // a plain click can land while the menu still ignores presses (it then stays open): menuItem retries
      await menuItem(page, 'Show Chart…');
      const f = await frameWith(page, `${READY} .status:has-text("2 deliveries, merged")`);
      await show(f, 'active-subscriptions');
      await compare(
        f,
        'active-subscriptions',
        cliJson<{ value: unknown }>([
          'measure',
          'active-subscriptions',
          ...(await cliArgs(f, 'active-subscriptions')),
          folder,
        ]).value,
      );
      await page.screenshot({ path: path.join(dir, 'folder-active-subscriptions.png') });

      // a click on a day of the merged chart: each delivery opens on its share of the rows
      const values = await f
        .locator('#numbers td[data-series]')
        .evaluateAll((tds) => tds.map((td) => Number((td as unknown as { dataset: Json }).dataset.value)));
      const i = values.length - 2;
      assert.ok(values[i] > 0, 'subscriptions active that day');
      await clickPoint(f, i, 0);
      // the grids open beside the chart: its frame is found again
      const after = await frameWith(page, '.status:has-text("rows opened in")', 30_000);
      const grids = Number(/in (\d+) grids/.exec(await after.locator('.status').innerText())?.[1] ?? 1);
      assert.equal(grids, 2, 'both deliveries have some of the rows');
      let total = 0;
      // the delivery opened last is in front; the other is a tab behind it
      for (const name of fs.readdirSync(folder).sort().reverse()) {
        await page.locator('.tabs-container .tab', { hasText: name }).first().click();
        const g = await frameWith(page, `.infobar .item.rowset:has-text("${name}")`);
        assert.match(
          await g.locator('.infobar .item.rowset').innerText(),
          new RegExp(`of the ${values[i].toLocaleString('en-US')} rows, in 2 deliveries`),
        );
        const rows = await g.locator('.infobar .item.rows', { hasText: / of / }).innerText();
        total += Number(/^([\d,]+) of/.exec(rows)![1].replace(/,/g, ''));
      }
      assert.equal(total, values[i], 'the deliveries’ rows add up to the value');
      await page.screenshot({ path: path.join(dir, 'drill-folder.png') });
    });
  },
};
