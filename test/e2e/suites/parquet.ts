/**
 * Parquet deliveries in the editor: a delivery folder of Parquet parts opened from the Explorer with
 * "Open Delivery in Grid" shows all its parts' rows as one table, and a part inside a
 * `transactions_…` folder opens in the grid by itself. What is on screen is checked against the CSV
 * the parts were written from and against rc-export's answer for the same folder.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateExport } from '../../gen/generator';
import { duckConnection, writeParquetDelivery } from '../../support/parquet';
import { cliJson, firstRowShown, menuItem, openExport, rowsSettled, type UiSuite } from '../workbench';

const FOLDER = 'transactions_1735650000';
const ROWS = 1200;

export const parquetSuite: UiSuite = {
  name: 'Parquet deliveries',
  async prepare(dir) {
    const g = generateExport({ version: 'v5', rows: ROWS, seed: 61 });
    const csv = path.join(dir, '..', `parquet-source-${process.pid}.csv`);
    fs.writeFileSync(csv, g.text);
    const { con, close } = await duckConnection();
    try {
      await writeParquetDelivery(con, { csv, dir: path.join(dir, FOLDER), parts: 3, typed: true });
    } finally {
      close();
      fs.rmSync(csv, { force: true });
    }
  },
  async run({ page, workspace, test }) {
    const folder = path.join(workspace, FOLDER);
    const info = cliJson<{ rows: number; format: string; parts: string[] }>(['info', folder]);
    assert.equal(info.format, 'parquet');
    assert.equal(info.parts.length, 3);
    const first = generateExport({ version: 'v5', rows: ROWS, seed: 61 }).text.toString('utf8').split('\n')[1];
    const firstUser = first.slice(0, first.indexOf(','));

    await test('opens a Parquet delivery folder from the Explorer as one grid of all its parts', async () => {
      const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: FOLDER }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.click({ button: 'right' });
      await menuItem(page, 'Open Delivery in Grid');
      const g = await firstRowShown(page);
      await rowsSettled(g);
      const bar = await g.locator('.infobar').innerText();
      assert.match(bar, new RegExp(`${info.rows.toLocaleString('en-US')} rows`));
      assert.equal(info.rows, ROWS);
      assert.equal(
        (await g.locator('.body .row').first().locator('.cell[data-col="0"]').innerText()).trim(),
        firstUser,
      );
      // the last part's last row is there too
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, v.scrollHeight));
      await g.locator('.body .cell.rownum', { hasText: new RegExp(`^${ROWS}$`) }).waitFor({ timeout: 20_000 });
    });

    await test('a part inside a transactions_… folder opens in the grid by its file pattern', async () => {
      const g = await openExport(page, 'part-00000.parquet');
      const bar = await g.locator('.infobar').innerText();
      assert.match(bar, new RegExp(`${(ROWS / 3).toLocaleString('en-US')} rows`));
      assert.equal(
        (await g.locator('.body .row').first().locator('.cell[data-col="0"]').innerText()).trim(),
        firstUser,
      );
    });
  },
};
