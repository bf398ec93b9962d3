/** The export editor's grid: opening, typed cells, scrolling, sorting, text-only cells, reload. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { generateExport, writeExport } from '../../gen/generator';
import { grid, headerCell, openExport, rowsSettled, type UiSuite } from '../workbench';

// the first rows ride in the page's data block: a cell that tries to close it must stay text too
const XSS = '</script><img src=x onerror=alert(1)>';

export const gridSuite: UiSuite = {
  name: 'export editor grid',
  async prepare(dir, samples) {
    fs.copyFileSync(
      path.join(samples, 'transactions_1735689600.csv.gz'),
      path.join(dir, 'transactions_1735689600.csv.gz'),
    );
    await writeExport(path.join(dir, 'transactions_1735700000.csv.gz'), { version: 'v5', rows: 200_000, seed: 3 });
    const g = generateExport({ version: 'v5', rows: 20, seed: 4 }).text.toString('utf8').split('\n');
    g[1] = `"${XSS}"${g[1].slice(g[1].indexOf(','))}`;
    fs.writeFileSync(path.join(dir, 'transactions_1735800000.csv.gz'), zlib.gzipSync(g.join('\n')));
    fs.writeFileSync(
      path.join(dir, 'transactions_1735900000.csv.gz'),
      zlib.gzipSync(generateExport({ version: 'v5', rows: 20, seed: 5 }).text),
    );
  },
  async run({ page, workspace, shots, dialogs, test }) {
    await test('opens a .csv.gz export as a typed grid with the header and first rows', async () => {
      const g = await openExport(page, 'transactions_1735689600.csv.gz');
      // header cells far out of sight are not drawn (content-visibility): each is looked at once scrolled to
      for (const name of ['rc_original_app_user_id', 'store', 'price_in_usd', 'effective_end_time']) {
        const cell = headerCell(g, name);
        await cell.scrollIntoViewIfNeeded();
        assert.equal(await cell.locator('.name').innerText(), name);
      }
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const infoText = await g.locator('.infobar').innerText();
      assert.match(infoText, /2,000 rows/);
      assert.match(infoText, /template v5 \(detected\)/);
      // only the columns in or near sight are in the page: each kind is looked for once scrolled to
      const shown = await g.locator('.body .row').first().locator('.cell').count();
      assert.ok(shown > 3 && shown < 44, `${shown} cells in a row of 44 columns and the row number`);
      const typed = async (column: string, cells: string, what: string) => {
        await headerCell(g, column).scrollIntoViewIfNeeded();
        await g
          .locator(cells)
          .first()
          .waitFor({ timeout: 5000 })
          .catch(() => assert.fail(what));
      };
      await typed('price_in_usd', '.body .cell.t-float', 'numbers are typed');
      await typed('is_trial_period', '.body .cell.t-boolean.yes, .body .cell.t-boolean.no', 'booleans are typed');
      await typed('refunded_at', '.body .cell.null', 'nulls are shown as null');
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      await g.locator('.body .row').first().locator('.cell[data-col="0"]').waitFor();
      await page.screenshot({ path: path.join(shots, 'grid-light.png') });
      // the bench's instrumentation is only there when the bench asks for it (RC_EXPORT_BENCH=1)
      const bench = await g.locator('body').evaluate((body) => ({
        rcStats: 'rcStats' in globalThis,
        flag: body.dataset.bench !== undefined,
        firstPaint: body.dataset.firstPaint !== undefined,
      }));
      assert.deepEqual(bench, { rcStats: false, flag: false, firstPaint: false });
    });

    await test('scrolls to the last row of a 200,000-row export', async () => {
      const g = await openExport(page, 'transactions_1735700000.csv.gz');
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, v.scrollHeight));
      await g.locator('.body .cell.rownum', { hasText: /^200000$/ }).waitFor({ timeout: 20_000 });
    });

    await test("far into the file and scrolled sideways, the cells in sight are the file's (windows bring the columns near the view)", async () => {
      const file = path.join(workspace, 'transactions_1735700000.csv.gz');
      const rows = parse(zlib.gunzipSync(fs.readFileSync(file)), { columns: true }) as Record<string, string>[];
      const header = Object.keys(rows[0]);
      const g = grid(page);
      /** The first row in sight: its number and its cells' columns, texts and looks, checked against the file. */
      const check = async (where: string) => {
        await rowsSettled(g);
        const seen = await g
          .locator('.body .row')
          .first()
          .evaluate((row) => {
            interface Cell {
              className: string;
              textContent: string | null;
              dataset: { col?: string };
            }
            const r = row as unknown as {
              querySelector(s: string): Cell | null;
              querySelectorAll(s: string): Iterable<Cell>;
            };
            return {
              num: r.querySelector('.rownum')?.textContent ?? '',
              cells: [...r.querySelectorAll('.cell[data-col]')].map((c) => ({
                col: Number(c.dataset.col),
                text: c.textContent ?? '',
                look: c.className,
              })),
            };
          });
        const r = rows[Number(seen.num) - 1];
        assert.ok(r, `${where}: row ${seen.num} is in the file`);
        let compared = 0;
        for (const c of seen.cells) {
          const want = r[header[c.col]];
          // (arrays and JSON show as chips; an empty field as null, or "" when quoted)
          if (/t-array|t-json/.test(c.look)) continue;
          if (want === '')
            assert.ok(['null', '""'].includes(c.text), `${where}: row ${seen.num}, ${header[c.col]}: ${c.text}`);
          else assert.equal(c.text, want, `${where}: row ${seen.num}, ${header[c.col]}`);
          compared++;
        }
        assert.ok(compared >= 3, `${where}: ${compared} cells compared`);
        return seen.cells.map((c) => c.col);
      };
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, Math.round(v.scrollHeight * 0.4)));
      const left = await check('far into the file');
      await g.locator('.viewport').evaluate((v) => v.scrollTo(v.scrollWidth, v.scrollTop));
      const right = await check('then scrolled to the right');
      assert.ok(right.includes(header.length - 1), 'the last column is in sight');
      assert.ok(Math.min(...right) > Math.max(...left), 'other columns than before are in sight');
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
    });

    await test('sorts by price_in_usd descending and shows the maximum first', async () => {
      const file = path.join(workspace, 'transactions_1735700000.csv.gz');
      const rows = parse(zlib.gunzipSync(fs.readFileSync(file)), { columns: true }) as Record<string, string>[];
      const max = rows.reduce((m, r) => (r.price_in_usd === '' ? m : Math.max(m, Number(r.price_in_usd))), -Infinity);
      const g = grid(page);
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const headCell = headerCell(g, 'price_in_usd');
      await headCell.click();
      await headCell.click();
      await headCell.and(g.locator('[aria-sort="descending"]')).waitFor();
      const col = await headCell.getAttribute('data-column');
      const first = g.locator('.body .row').first().locator(`.cell[data-col="${col}"]`);
      await first.and(g.locator(':not(.pending)')).waitFor();
      assert.equal(Number(await first.innerText()), max);
    });

    await test('a cell holding HTML shows as text', async () => {
      const g = await openExport(page, 'transactions_1735800000.csv.gz');
      await g.locator('.body .cell', { hasText: XSS }).first().waitFor();
      assert.equal(await g.locator('.body img').count(), 0);
      assert.deepEqual(dialogs, []);
    });

    await test('offers to reload when the file changes on disk, and shows the new contents', async () => {
      const g = await openExport(page, 'transactions_1735900000.csv.gz');
      await g.locator('.infobar', { hasText: '20 rows' }).waitFor();
      fs.writeFileSync(
        path.join(workspace, 'transactions_1735900000.csv.gz'),
        zlib.gzipSync(generateExport({ version: 'v5', rows: 30, seed: 6 }).text),
      );
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'changed on disk' });
      await toast.waitFor({ timeout: 30_000 });
      await toast.locator('.monaco-button', { hasText: 'Reload' }).click();
      await g.locator('.infobar', { hasText: '30 rows' }).waitFor({ timeout: 30_000 });
      await g.locator('.body .cell.rownum', { hasText: /^30$/ }).waitFor();
    });
  },
};
