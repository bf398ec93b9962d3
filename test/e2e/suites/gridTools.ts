/**
 * The grid's tools in a real VS Code: column filters, the search box, row details, copy through
 * the clipboard, keyboard navigation (resizing and hiding columns: gridColumns.ts). Expected values
 * come from csv-parse's reading of the same file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { FrameLocator, Page } from 'playwright-core';
import { columnSpec } from '../../../src/core/catalog/templates';
import { writeExport } from '../../gen/generator';
import { grid, headerCell, menuItem, openExport, paletteCommand, rowsSettled, type UiSuite } from '../workbench';

// The browser globals the page callbacks use (the tests type-check without the DOM library).
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(s: string): Promise<void> } };

const FILE = 'transactions_1736000000.csv.gz';
const ROWS = 30_000;
const n = (x: number) => x.toLocaleString('en-US');
type Row = Record<string, string>;

/** The file as csv-parse reads it: header and records (empty fields as ''). */
function readFile(workspace: string): { header: string[]; rows: Row[] } {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(workspace, FILE)));
  const rows = parse(text, { columns: true }) as Row[];
  const header = (parse(text, { to_line: 1 }) as string[][])[0];
  return { header, rows };
}

const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** The file row numbers on screen, once their rows have arrived. */
async function rowNumbers(g: FrameLocator): Promise<number[]> {
  await rowsSettled(g);
  return (await g.locator('.body .row .cell.rownum').allInnerTexts()).map(Number);
}
const rowsInfo = (g: FrameLocator, text: string) =>
  g
    .locator('.infobar .rows')
    .filter({ hasText: new RegExp(`^${text}$`) })
    .waitFor({ timeout: 30_000 });

/** The focused cell: its row (1-based file row) and column name. */
async function focused(g: FrameLocator): Promise<{ row: number; column: string; index: number }> {
  const cell = g.locator('#focused-cell');
  await cell.waitFor();
  const col = Number(await cell.getAttribute('data-col'));
  const name = await g.locator(`.header .cell.head[data-column="${col}"] .name`).innerText();
  const row = cell.locator('xpath=..');
  return {
    row: Number(await row.locator('.cell.rownum').innerText()),
    column: name,
    index: Number(await row.getAttribute('data-index')),
  };
}

type Focus = Awaited<ReturnType<typeof focused>>;

/** Waits for the focused cell to be `want` (keys reach the webview and it repaints a little later). */
async function focusIs(g: FrameLocator, want: Partial<Focus>): Promise<Focus> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const got = await focused(g);
    const same = Object.entries(want).every(([k, v]) => got[k as keyof Focus] === v);
    if (same) return got;
    if (Date.now() > deadline) {
      assert.deepEqual({ ...got }, { ...got, ...want }, 'the focused cell');
      return got;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens the filter editor of a column, picks the condition and fills its boxes, and applies. */
async function columnFilter(
  g: FrameLocator,
  column: string,
  op: 'contains' | 'range' | 'null',
  values: string[],
): Promise<void> {
  const head = headerCell(g, column);
  await head.scrollIntoViewIfNeeded();
  await head.hover();
  await head.locator('.filter-button').click();
  const editor = g.locator('.filter-editor');
  await editor.locator('.fe-name', { hasText: new RegExp(`^${column}$`) }).waitFor();
  await editor.locator('select.fe-op').selectOption(op);
  const boxes = editor.locator('.fe-body input');
  assert.equal(await boxes.count(), values.length);
  for (let i = 0; i < values.length; i++) await boxes.nth(i).fill(values[i]);
  await editor.locator('.button.primary').click();
}

/** The cells of a Markdown table, unescaped (a backslash escapes the next character; <br> is a line break). */
function markdownRows(text: string): string[][] {
  return text.split('\n').map((line) => {
    assert.match(line, /^\| .* \|$/, line);
    const cells: string[] = [];
    let cur = '';
    const body = line.slice(2, -2);
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') cur += body[++i];
      else if (body.startsWith(' | ', i)) {
        cells.push(cur);
        cur = '';
        i += 2;
      } else cur += body[i];
    }
    cells.push(cur);
    return cells.map((c) => c.replace(/<br>/g, '\n'));
  });
}

async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

export const gridToolsSuite: UiSuite = {
  name: 'grid tools',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), { version: 'v5', rows: ROWS, seed: 12 });
  },
  async run({ page, server, workspace, shots, test }) {
    const { header, rows } = readFile(workspace);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });

    await test('filters store = stripe: only stripe rows, as many as csv-parse counts', async () => {
      const stripe = rows.flatMap((r, i) => (r.store === 'stripe' ? [i + 1] : []));
      const g = await openExport(page, FILE);
      const head = headerCell(g, 'store');
      await head.hover();
      await head.locator('.filter-button').click();
      const value = g.locator('.filter-editor .fe-value', { hasText: 'stripe' });
      await value.waitFor();
      assert.equal(await value.locator('.fe-count').innerText(), n(stripe.length), 'the count next to the value');
      await page.screenshot({ path: path.join(shots, 'filter.png') });
      await value.locator('input').check();
      await g.locator('.filter-editor .button.primary').click();
      await rowsInfo(g, `${n(stripe.length)} of ${n(ROWS)} rows`);
      const col = await head.getAttribute('data-column');
      await rowsSettled(g);
      const stores = await g.locator(`.body .row .cell[data-col="${col}"]`).allInnerTexts();
      assert.ok(stores.length > 10 && stores.every((s) => s === 'stripe'), stores.join());
      assert.deepEqual((await rowNumbers(g)).slice(0, 10), stripe.slice(0, 10));
      assert.match(await g.locator('.toolbar .filter-chip').innerText(), /store = stripe/);
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, v.scrollHeight));
      await g.locator('.body .cell.rownum', { hasText: new RegExp(`^${stripe[stripe.length - 1]}$`) }).waitFor();
      await page.screenshot({ path: path.join(shots, 'filtered.png') });
      await g.locator('.toolbar .clear-filters').click();
      await rowsInfo(g, `${n(ROWS)} rows`);
    });

    await test('the filter editor narrows by contains, range and is null; the filters add up and come off one by one', async () => {
      const g = grid(page);
      const has = (v: string, text: string) => fold(v).includes(fold(text));
      // a piece of one product id, typed in upper case
      const text = rows[100].product_identifier.slice(-7).toUpperCase();
      const contains = (r: Row) => has(r.product_identifier, text);
      const prices = rows
        .filter(contains)
        .map((r) => r.price_in_usd)
        .filter((p) => p !== '')
        .sort((a, b) => Number(a) - Number(b));
      const [lo, hi] = [prices[Math.floor(prices.length / 4)], prices[Math.floor((3 * prices.length) / 4)]];
      const inRange = (r: Row) =>
        r.price_in_usd !== '' && Number(r.price_in_usd) >= Number(lo) && Number(r.price_in_usd) <= Number(hi);
      const isNull = (r: Row) => r.unsubscribe_detected_at === '';
      const expect = async (keep: (r: Row) => boolean, chips: number) => {
        const want = rows.flatMap((r, i) => (keep(r) ? [i + 1] : []));
        assert.ok(want.length > 0 && want.length < ROWS, `${want.length} rows: the case tells nothing`);
        await rowsInfo(g, `${n(want.length)} of ${n(ROWS)} rows`);
        assert.deepEqual((await rowNumbers(g)).slice(0, 10), want.slice(0, 10));
        assert.equal(await g.locator('.toolbar .filter-chip').count(), chips);
      };

      await columnFilter(g, 'product_identifier', 'contains', [text]);
      await expect(contains, 1);
      await columnFilter(g, 'price_in_usd', 'range', [lo, hi]);
      await expect((r) => contains(r) && inRange(r), 2);
      assert.match(
        await g.locator('.toolbar .filter-chip', { hasText: 'price_in_usd' }).innerText(),
        new RegExp(`price_in_usd ${lo} – ${hi}`),
      );
      await columnFilter(g, 'unsubscribe_detected_at', 'null', []);
      await expect((r) => contains(r) && inRange(r) && isNull(r), 3);
      const col = await headerCell(g, 'unsubscribe_detected_at').getAttribute('data-column');
      assert.ok((await g.locator(`.body .row .cell[data-col="${col}"]`).allInnerTexts()).every((t) => t === 'null'));
      // a bound that is not a number: the editor says so and keeps the rows
      await columnFilter(g, 'price_in_usd', 'range', ['cheap', '']);
      await g.locator('.filter-editor .fe-error', { hasText: /./ }).waitFor();
      await page.screenshot({ path: path.join(shots, 'filters.png') });
      await page.keyboard.press('Escape');
      await g.locator('.filter-editor').waitFor({ state: 'hidden' });
      await g.locator('.toolbar .filter-chip', { hasText: 'price_in_usd' }).locator('.chip-remove').click();
      await expect((r) => contains(r) && isNull(r), 2);
      await g.locator('.toolbar .clear-filters').click();
      await rowsInfo(g, `${n(ROWS)} rows`);
    });

    await test('Ctrl+F searches every cell, ignoring case, and finds the rows csv-parse finds', async () => {
      const target = rows[12_345].rc_original_app_user_id;
      const typed = target === fold(target) ? target.toUpperCase() : fold(target);
      const want = rows.flatMap((r, i) => (Object.values(r).some((v) => fold(v).includes(fold(typed))) ? [i + 1] : []));
      assert.ok(want.includes(12_346));
      const g = grid(page);
      await g.locator('.body .row').first().locator('.cell').nth(2).click();
      await page.keyboard.press('Control+f');
      await g.locator('.toolbar input.search:focus').waitFor();
      await page.keyboard.type(typed);
      await page.keyboard.press('Enter');
      await rowsInfo(g, `${n(want.length)} of ${n(ROWS)} rows`);
      assert.deepEqual((await rowNumbers(g)).slice(0, want.length), want.slice(0, 30));
      await page.keyboard.press('Escape');
      await rowsInfo(g, `${n(ROWS)} rows`);
    });

    await test('row details show every value of the row, typed, with the column docs', async () => {
      const g = grid(page);
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const line = g.locator('.body .row').nth(4);
      await line.locator('.cell.rownum', { hasText: /^5$/ }).waitFor();
      await line.locator('.cell').nth(3).dblclick();
      await g.locator('.detail .detail-title', { hasText: /^Row 5/ }).waitFor();
      const row = rows[4];
      const item = (name: string) =>
        g.locator('.detail .detail-item').filter({ has: g.locator('.detail-name').getByText(name, { exact: true }) });
      assert.equal(await g.locator('.detail .detail-item').count(), header.length);
      for (const name of ['store_transaction_id', 'store', 'price_in_usd', 'start_time', 'is_sandbox', 'country']) {
        const v = row[name];
        const shown = await item(name).locator('.detail-value').innerText();
        assert.equal(shown, v === '' ? 'null' : v, name);
      }
      const attrs = row.custom_subscriber_attributes;
      if (attrs)
        assert.equal(
          await item('custom_subscriber_attributes').locator('.detail-json').innerText(),
          JSON.stringify(JSON.parse(attrs), null, 2),
        );
      const ents = row.entitlement_identifiers;
      if (ents)
        assert.deepEqual(await item('entitlement_identifiers').locator('.chip').allInnerTexts(), JSON.parse(ents));
      assert.equal(await item('store').locator('.detail-doc').innerText(), columnSpec('store')!.doc);
      await page.screenshot({ path: path.join(shots, 'detail.png') });
      // it follows the focused row
      await page.keyboard.press('ArrowDown');
      await g.locator('.detail .detail-title', { hasText: /^Row 6/ }).waitFor();
      assert.equal(
        await item('store_transaction_id').locator('.detail-value').innerText(),
        rows[5].store_transaction_id || 'null',
      );
      await page.keyboard.press('Escape');
      await g.locator('.detail').waitFor({ state: 'hidden' });
    });

    await test('copies to the clipboard: a row as typed JSON (context menu), rows as CSV (Ctrl+C), a block of cells as Markdown (palette)', async () => {
      const g = grid(page);
      const line = g.locator('.body .row').nth(7);
      await line.locator('.cell.rownum', { hasText: /^8$/ }).waitFor();
      await navigatorClear(page);
      await line.locator('.cell.rownum').click();
      await line.locator('.cell.rownum').click({ button: 'right' });
      await menuItem(page, 'Copy as JSON');
      await g.locator('body[data-copied="json:1"]').waitFor();
      const copied = JSON.parse(await readClipboard(page)) as Record<string, unknown>;
      const row = rows[7];
      assert.deepEqual(Object.keys(copied), header);
      for (const name of header) {
        const v = row[name];
        const type = columnSpec(name)?.type;
        const want =
          v === ''
            ? null
            : type === 'float' || type === 'integer'
              ? Number(v)
              : type === 'boolean'
                ? v === 'true'
                : type === 'array' || type === 'json'
                  ? JSON.parse(v)
                  : v;
        assert.deepEqual(copied[name], want, name);
      }
      // two rows with Shift+click, then Ctrl+C: CSV that csv-parse reads back
      await g
        .locator('.body .row')
        .nth(8)
        .locator('.cell.rownum')
        .click({ modifiers: ['Shift'] });
      await page.keyboard.press('Control+c');
      await g.locator('body[data-copied="csv:2"]').waitFor();
      const csv = parse(await readClipboard(page), { columns: true }) as Row[];
      assert.deepEqual(csv, [rows[7], rows[8]]);
      // a block of cells (three rows, two columns) from the palette: a Markdown table
      const store = header.indexOf('store');
      const names = [header[store], header[store + 1]];
      // the grid renders the columns in sight: bring store there first, as a user would
      await headerCell(g, 'store').scrollIntoViewIfNeeded();
      await g.locator('.body .row').nth(9).locator(`.cell[data-col="${store}"]`).click();
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowRight');
      await g
        .locator('.body .row')
        .nth(11)
        .locator(`.cell[data-col="${store + 1}"]`)
        .and(g.locator('#focused-cell'))
        .waitFor();
      await paletteCommand(page, 'RevenueCat: Copy as Markdown');
      await g.locator('body[data-copied="markdown:3"]').waitFor();
      const table = markdownRows(await readClipboard(page));
      assert.deepEqual(table[0], names);
      const numeric = (name: string) => ['float', 'integer'].includes(columnSpec(name)?.type ?? '');
      assert.deepEqual(
        table[1],
        names.map((name) => (numeric(name) ? '---:' : '---')),
      );
      assert.deepEqual(
        table.slice(2),
        [9, 10, 11].map((i) => names.map((name) => rows[i][name])),
      );
    });

    await test('the keyboard moves the focused cell (arrows, Tab, Home/End, Ctrl+Home/End, Page Down)', async () => {
      const g = grid(page);
      assert.equal(await g.locator('.viewport').getAttribute('role'), 'grid');
      assert.equal(await g.locator('.viewport').getAttribute('aria-rowcount'), String(ROWS + 1));
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      await g.locator('.body .row').first().locator('.cell[data-col="2"]').click();
      await focusIs(g, { row: 1, column: header[2], index: 0 });
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      await focusIs(g, { row: 4, column: header[3], index: 3 });
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowLeft');
      await focusIs(g, { row: 3, column: header[2], index: 2 });
      await page.keyboard.press('Tab');
      await focusIs(g, { row: 3, column: header[3] });
      await page.keyboard.press('End');
      await focusIs(g, { row: 3, column: header[header.length - 1] });
      await page.keyboard.press('Home');
      await focusIs(g, { row: 3, column: header[0] });
      await page.keyboard.press('Control+End');
      await focusIs(g, { row: ROWS, column: header[header.length - 1], index: ROWS - 1 });
      await page.keyboard.press('Control+Home');
      await focusIs(g, { row: 1, column: header[0], index: 0 });
      await page.keyboard.press('PageDown');
      await g.locator('#focused-cell').locator('xpath=..').and(g.locator(':not([data-index="0"])')).waitFor();
      const paged = await focused(g);
      assert.ok(
        paged.row > 10 && paged.index === paged.row - 1 && paged.column === header[0],
        `page down went to row ${paged.row}`,
      );
      assert.equal(await g.locator('.viewport').getAttribute('aria-activedescendant'), 'focused-cell');
      assert.equal(await g.locator('#focused-cell').getAttribute('role'), 'gridcell');
    });
  },
};

async function navigatorClear(page: Page): Promise<void> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
}
