/**
 * Column summaries in a real VS Code: the pane opened from the palette shows a visible column's NULL
 * and distinct counts as DuckDB counts them in the same file, follows a filter, and a click on a top
 * value filters the grid to as many rows as that value's count; the summary row under the headers
 * (from the toolbar) shows each column's NULL share and distinct count, and a bar filters the grid.
 * DuckDB is the independent reader.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { FrameLocator } from 'playwright-core';
import type { DuckDBConnection } from '@duckdb/node-api';
import { writeExport } from '../../gen/generator';
import { headerCell, openExport, paletteCommand, rowsSettled, type UiSuite } from '../workbench';

const FILE = 'transactions_1737000000.csv.gz';
const ROWS = 20_000;
const n = (x: number) => x.toLocaleString('en-US');
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function duck(file: string): Promise<DuckDBConnection> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(
    `CREATE TABLE f AS SELECT * FROM read_csv(${lit(file)}, header=true, quote='"', escape='"', all_varchar=true, allow_quoted_nulls=false)`,
  );
  return con;
}

async function one(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS()[0];
}

/** Focuses a cell of `column` in the first row on screen, so the pane follows that column. */
async function focusColumn(g: FrameLocator, column: string): Promise<void> {
  const head = headerCell(g, column);
  await head.scrollIntoViewIfNeeded();
  const index = await head.getAttribute('data-column');
  await rowsSettled(g);
  await g.locator(`.body .row .cell[data-col="${index}"]`).first().click();
}

/** Waits for the pane to show `column`'s summary and returns its figures as shown. */
async function shown(g: FrameLocator, column: string): Promise<Record<string, string>> {
  const pane = g.locator('.summary');
  await pane.locator('.detail-sub', { hasText: new RegExp(`^${column}$`) }).waitFor({ timeout: 30_000 });
  await g.locator('.summary[data-state="ready"]').waitFor({ timeout: 30_000 });
  const out: Record<string, string> = {};
  for (const stat of ['rows', 'nulls', 'distinct'])
    out[stat] = await pane.locator(`dd[data-stat="${stat}"]`).innerText();
  return out;
}

export const summariesSuite: UiSuite = {
  name: 'column summaries',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), { version: 'v5', rows: ROWS, seed: 16 });
  },
  async run({ page, workspace, shots, test }) {
    const con = await duck(path.join(workspace, FILE));
    try {
      await test('the pane shows NULL and distinct counts as DuckDB counts them, and a top value filters to its count', async () => {
        const g = await openExport(page, FILE);
        await paletteCommand(page, 'RevenueCat: Show Column Summaries');
        await g.locator('.summary').waitFor({ state: 'visible', timeout: 30_000 });
        for (const column of ['product_identifier', 'store']) {
          await focusColumn(g, column);
          const ref = await one(
            con,
            `SELECT count(*) FILTER (WHERE ${column} IS NULL) AS nulls, count(DISTINCT ${column}) AS d FROM f`,
          );
          const s = await shown(g, column);
          assert.equal(s.rows, n(ROWS));
          assert.match(s.nulls, new RegExp(`^${n(Number(ref.nulls))}( |$)`), `${column}: nulls`);
          assert.equal(s.distinct, n(Number(ref.d)), `${column}: distinct`);
        }
        // with the pane open, the bar under the grid still says the row count whole (less important parts go first)
        const rows = g.locator('.infobar .item.rows');
        await rows.waitFor({ state: 'visible' });
        assert.equal(await rows.innerText(), `${n(ROWS)} rows`);
        const cut = await rows.evaluate((el) => el.scrollWidth > el.clientWidth);
        assert.equal(cut, false, 'the info bar cuts its row count');
        await page.screenshot({ path: path.join(shots, 'summaries.png') });
        // the most frequent store: its button, its count as DuckDB has it, then the grid filtered to it
        const top = await one(
          con,
          `SELECT store, count(*) AS c FROM f WHERE store IS NOT NULL GROUP BY store ORDER BY c DESC LIMIT 1`,
        );
        const pick = g.locator('.summary-top .summary-pick').first();
        assert.equal(await pick.locator('.summary-top-value').innerText(), String(top.store));
        assert.match(await pick.locator('.summary-top-count').innerText(), new RegExp(`^${n(Number(top.c))} `));
        await pick.click();
        await g
          .locator('.infobar .rows')
          .filter({ hasText: new RegExp(`^${n(Number(top.c))} of ${n(ROWS)} rows$`) })
          .waitFor({ timeout: 30_000 });
        await g.locator('.toolbar .filter-chip', { hasText: 'store' }).waitFor();
        // the pane follows the filter: every row in view now has that store
        const s = await shown(g, 'store');
        assert.equal(s.rows, n(Number(top.c)));
        assert.equal(s.distinct, '1');
        await page.screenshot({ path: path.join(shots, 'summaries-filtered.png') });
        await g.locator('.toolbar .clear-filters').click();
      });

      await test('the summary row under the headers shows NULL shares and distinct counts as DuckDB counts them, and a bar filters the grid', async () => {
        const g = await openExport(page, FILE);
        await g.locator('.toolbar button[aria-label="Summary Row"]').click();
        await g.locator('.summary-row').waitFor({ state: 'visible', timeout: 30_000 });
        await g.locator('.summary-row[data-state="ready"]').waitFor({ timeout: 60_000 });
        /** The summary row's cell of a column, scrolled into sight. */
        const cellOf = async (column: string) => {
          const head = headerCell(g, column);
          await head.scrollIntoViewIfNeeded();
          const cell = g.locator(`.summary-row-cell[data-column="${await head.getAttribute('data-column')}"]`);
          assert.ok(await cell.isVisible(), `${column}: its summary cell is on screen`);
          return cell;
        };
        const said = (nulls: number, rows: number, distinct: number) => {
          const pct = (100 * nulls) / rows;
          return `${nulls === 0 ? 'no nulls' : `${pct < 0.1 ? '<0.1' : pct.toFixed(1)}% null`} · ${n(distinct)} distinct`;
        };
        for (const column of ['rc_original_app_user_id', 'store', 'custom_subscriber_attributes']) {
          const cell = await cellOf(column);
          const ref = await one(
            con,
            `SELECT count(*) FILTER (WHERE ${column} IS NULL) AS nulls, count(DISTINCT ${column}) AS d FROM f`,
          );
          assert.equal(
            await cell.locator('.summary-row-text').innerText(),
            said(Number(ref.nulls), ROWS, Number(ref.d)),
            column,
          );
          assert.ok((await cell.locator('.summary-row-bar').count()) > 0, `${column}: bars`);
        }
        await page.screenshot({ path: path.join(shots, 'summary-row.png') });
        // the least frequent store: its bar filters the grid to its rows, and the row follows the filter
        const few = await one(
          con,
          `SELECT store, count(*) AS c FROM f WHERE store IS NOT NULL GROUP BY store ORDER BY c, store LIMIT 1`,
        );
        const store = await cellOf('store');
        await store
          .locator(`.summary-row-bar[aria-label="Filter store to ${String(few.store)}: ${n(Number(few.c))} rows"]`)
          .click();
        await g
          .locator('.infobar .rows')
          .filter({ hasText: new RegExp(`^${n(Number(few.c))} of ${n(ROWS)} rows$`) })
          .waitFor({ timeout: 30_000 });
        await store.locator('.summary-row-text', { hasText: said(0, Number(few.c), 1) }).waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(shots, 'summary-row-filtered.png') });
        await g.locator('.toolbar .clear-filters').click();
        await g.locator('.toolbar button[aria-label="Summary Row"]').click();
        await g.locator('.summary-row').waitFor({ state: 'hidden', timeout: 10_000 });
      });
    } finally {
      con.closeSync();
    }
  },
};
