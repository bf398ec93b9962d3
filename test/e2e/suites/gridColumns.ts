/**
 * The grid's columns and bars as a user sees them in a real VS Code: widths from header and content
 * (timestamps whole, boolean headers readable), a double-click on a header's edge fits the column,
 * dragging resizes and the context menu hides (both remembered), no column rests half under the sticky
 * row numbers, the info bar keeps its Problems button whole at a narrow width, and the problems list
 * uses the Problems panel's icons and colours. Screenshots of narrow and wide editors.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { FrameLocator, Page } from 'playwright-core';
import { writeExport } from '../../gen/generator';
import { grid, headerCell, menuItem, openExport, paletteCommand, rowsSettled, type UiSuite } from '../workbench';

// The browser globals the page callbacks use (the tests type-check without the DOM library).
declare function getComputedStyle(e: unknown): { color: string; getPropertyValue(name: string): string };
interface Box {
  scrollWidth: number;
  clientWidth: number;
  getBoundingClientRect(): { left: number; right: number; top: number; bottom: number };
}

const FILE = 'transactions_1736300000.csv.gz';

/** The cells of a column on screen whose text does not fit (scrollWidth past clientWidth). */
async function cutCells(g: FrameLocator, column: number): Promise<{ shown: number; cut: string[] }> {
  await rowsSettled(g);
  return g.locator('.body').evaluate((body, c) => {
    const cells = [
      ...(body as unknown as { querySelectorAll(s: string): Iterable<Box & { textContent: string }> }).querySelectorAll(
        `.row .cell[data-col="${c}"]`,
      ),
    ];
    return {
      shown: cells.length,
      cut: cells.filter((x) => x.scrollWidth > x.clientWidth + 1).map((x) => x.textContent),
    };
  }, column);
}

/** Whether a header's name shows whole. */
async function nameWhole(g: FrameLocator, name: string): Promise<boolean> {
  return headerCell(g, name)
    .locator('.name')
    .evaluate((e) => (e as unknown as Box).scrollWidth <= (e as unknown as Box).clientWidth + 1);
}

async function columnOf(g: FrameLocator, name: string): Promise<number> {
  return Number(await headerCell(g, name).getAttribute('data-column'));
}

async function dragEdge(page: Page, g: FrameLocator, name: string, dx: number): Promise<void> {
  const head = headerCell(g, name);
  await head.scrollIntoViewIfNeeded();
  const grip = (await head.locator('.resize').boundingBox())!;
  const y = grip.y + grip.height / 2;
  await page.mouse.move(grip.x + grip.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(grip.x + grip.width / 2 + dx / 2, y, { steps: 4 });
  await page.mouse.move(grip.x + grip.width / 2 + dx, y, { steps: 4 });
  await page.mouse.up();
}

export const gridColumnsSuite: UiSuite = {
  name: 'grid columns and bars',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), {
      version: 'v5',
      rows: 3000,
      seed: 23,
      inject: ['type-error', 'enum-value', 'country-format', 'currency-format'],
    });
  },
  async run({ page, workspace, shots, test }) {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(workspace, FILE))).toString('utf8');
    const header = text.slice(0, text.indexOf('\n')).split(',');

    await test('columns are sized from header and content: every timestamp whole, boolean headers readable', async () => {
      const g = await openExport(page, FILE);
      const heads = g.locator('.header .cell.head');
      const types = await heads.evaluateAll((hs) =>
        hs.map((h) => {
          const e = h as unknown as { querySelector(s: string): { className: string; textContent: string } };
          return { type: e.querySelector('.type-badge').className, name: e.querySelector('.name').textContent };
        }),
      );
      const booleans = types.filter((t) => t.type.includes('t-boolean')).map((t) => t.name);
      const timestamps = types.filter((t) => t.type.includes('t-timestamp')).map((t) => t.name);
      assert.ok(booleans.length >= 4 && timestamps.length >= 4, JSON.stringify(types));
      for (const name of [...booleans, ...timestamps])
        assert.ok(await nameWhole(g, name), `the header ${name} shows whole`);
      for (const name of timestamps) {
        await headerCell(g, name).scrollIntoViewIfNeeded();
        const { shown, cut } = await cutCells(g, await columnOf(g, name));
        assert.ok(shown > 10, `${name}: ${shown} cells on screen`);
        assert.deepEqual(cut, [], `${name}: no timestamp cut`);
      }
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shots, 'grid-wide-light.png') });
    });

    await test('a double-click on a header edge fits the column to its content', async () => {
      const g = grid(page);
      const name = 'product_identifier';
      const c = await columnOf(g, name);
      await dragEdge(page, g, name, -150);
      const narrow = await cutCells(g, c);
      assert.ok(narrow.cut.length > 0, 'made narrow, its cells are cut');
      const head = headerCell(g, name);
      await head.locator('.resize').dblclick();
      await page.waitForTimeout(300);
      const fitted = await cutCells(g, c);
      assert.ok(fitted.shown > 10);
      assert.deepEqual(fitted.cut, [], 'fitted: no cell cut');
      assert.ok(await nameWhole(g, name));
    });

    await test('horizontal scrolling rests on a column edge: no column half under the # column', async () => {
      const g = grid(page);
      const viewport = g.locator('.viewport');
      // to the middle of the fifth column, as a wheel or a drag of the scroll bar leaves it
      await viewport.evaluate((v, h) => {
        const x = v as unknown as {
          scrollLeft: number;
          querySelectorAll(s: string): ArrayLike<{ offsetLeft: number; offsetWidth: number }>;
        };
        const fifth = x.querySelectorAll('.header .cell.head')[4];
        x.scrollLeft = fifth.offsetLeft - 64 + Math.round(fifth.offsetWidth / 2) + h;
      }, 0);
      await page.waitForTimeout(800);
      await rowsSettled(g);
      const straddling = await viewport.evaluate((v) => {
        const x = v as unknown as {
          querySelector(s: string): Box;
          querySelectorAll(s: string): Iterable<Box & { textContent: string }>;
        };
        const edge = x.querySelector('.header .corner').getBoundingClientRect().right;
        return [...x.querySelectorAll('.header .cell.head')]
          .filter((h) => {
            const r = h.getBoundingClientRect();
            return r.left < edge - 1 && r.right > edge + 1;
          })
          .map((h) => h.textContent);
      });
      assert.deepEqual(straddling, [], 'no header cell lies partly under the # column');
      assert.ok((await viewport.evaluate((v) => (v as unknown as { scrollLeft: number }).scrollLeft)) > 0);
      await page.screenshot({ path: path.join(shots, 'grid-scrolled-right.png') });
      await viewport.evaluate((v) => v.scrollTo(0, 0));
    });

    await test('a narrow editor: the info bar keeps "Problems (N)" whole and the rows in sight', async () => {
      const g = grid(page);
      await g.locator('.toolbar input.search').fill('user_1');
      await page.keyboard.press('Enter');
      await g.locator('.infobar .rows', { hasText: / of [\d,]+ rows/ }).waitFor({ timeout: 30_000 });
      try {
        for (const width of [1000, 760]) {
          await page.setViewportSize({ width, height: 800 });
          await page.waitForTimeout(600);
          const bar = g.locator('.infobar');
          const button = bar.locator('.problems-toggle');
          assert.match(await button.innerText(), /^Problems \([\d,]+\)$/);
          const fits = await bar.evaluate((b) => {
            const e = b as unknown as Box & { querySelector(s: string): Box };
            const outer = e.getBoundingClientRect();
            const btn = e.querySelector('.problems-toggle');
            const r = btn.getBoundingClientRect();
            return {
              inside: r.left >= outer.left - 0.5 && r.right <= outer.right + 0.5,
              whole: btn.scrollWidth <= btn.clientWidth + 1,
              overflow: e.scrollWidth > e.clientWidth + 1,
            };
          });
          assert.deepEqual(fits, { inside: true, whole: true, overflow: false }, `at ${width} px`);
          assert.ok(await bar.locator('.rows').isVisible(), 'the rows count stays');
          await page.screenshot({ path: path.join(shots, `grid-narrow-${width}-light.png`) });
        }
      } finally {
        await page.setViewportSize({ width: 1400, height: 900 });
        await g.locator('.toolbar .clear-filters').click();
      }
    });

    await test("the problems list: the Problems panel's codicons and colours, errors first, messages in the text colour", async () => {
      const g = grid(page);
      await g.locator('.infobar .problems-toggle').click();
      const groups = g.locator('.problems .group');
      await groups.first().waitFor();
      const order = await groups.evaluateAll((ls) => ls.map((l) => (l as unknown as { className: string }).className));
      const rank = (c: string) => (c.includes('error') ? 0 : c.includes('warning') ? 1 : 2);
      assert.ok(order.length > 1, order.join());
      assert.deepEqual(order.map(rank), [...order.map(rank)].sort(), `by severity: ${order.join()}`);
      assert.ok(order[0].includes('error'));
      const entry = g.locator('.problems .problem.error').first();
      await entry.waitFor();
      assert.equal(await entry.locator('svg.codicon-error').count(), 1);
      const iconColour = await entry.locator('svg.codicon-error').evaluate((e) => getComputedStyle(e).color);
      const textColour = await entry.locator('.text').evaluate((e) => getComputedStyle(e).color);
      const bodyColour = await g.locator('body').evaluate((e) => getComputedStyle(e).color);
      assert.equal(textColour, bodyColour, 'the message is not coloured');
      assert.notEqual(iconColour, bodyColour);
      await page.screenshot({ path: path.join(shots, 'grid-problems-list-light.png') });
      // the colour VS Code's own Problems panel gives its error icon: the theme's problemsErrorIcon.foreground
      const themeColour = await page.locator('.monaco-workbench').evaluate((w) => {
        const hex = getComputedStyle(w).getPropertyValue('--vscode-problemsErrorIcon-foreground').trim();
        const [r, gr, b] = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));
        return `rgb(${r}, ${gr}, ${b})`;
      });
      assert.equal(iconColour, themeColour, 'the theme colour of the Problems panel error icon');
      await g.locator('.infobar .problems-toggle').click();
    });

    await test('a column is resized by dragging its header edge, hidden from its context menu, and both are remembered', async () => {
      let g = grid(page);
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const store = headerCell(g, 'store');
      await store.scrollIntoViewIfNeeded();
      const before = (await store.boundingBox())!;
      await dragEdge(page, g, 'store', 80);
      const after = (await store.boundingBox())!;
      assert.ok(Math.abs(after.width - before.width - 80) <= 1, `${before.width} → ${after.width}`);
      const col = await store.getAttribute('data-column');
      const cell = (await g.locator(`.body .row .cell[data-col="${col}"]`).first().boundingBox())!;
      assert.ok(Math.abs(cell.width - after.width) <= 1, 'the cells follow the header');

      await headerCell(g, 'country').click({ button: 'right' });
      await menuItem(page, 'Hide Column');
      await headerCell(g, 'country').waitFor({ state: 'detached' });
      assert.equal(await g.locator('.header .cell.head').count(), header.length - 1);

      // closed and opened again: the same layout
      const tab = page.locator('.tabs-container .tab.active', { hasText: FILE });
      await tab.hover();
      await tab.locator('.action-label.codicon-close').click();
      await tab.waitFor({ state: 'detached' });
      g = await openExport(page, FILE);
      assert.equal(await headerCell(g, 'country').count(), 0);
      const again = (await headerCell(g, 'store').boundingBox())!;
      assert.ok(Math.abs(again.width - after.width) <= 1, 'width remembered');

      // the columns picker shows it again
      await g.locator('.toolbar .icon-button[aria-label^="Show or Hide Columns"]').click();
      const input = page.locator('.quick-input-widget .quick-input-box input').locator('visible=true');
      await input.waitFor();
      await input.fill('country');
      const box = page
        .locator('.quick-input-widget .monaco-list-row')
        .getByRole('checkbox', { name: 'country', exact: true });
      await box.and(page.locator('[aria-checked="false"]')).click();
      await box.and(page.locator('[aria-checked="true"]')).waitFor();
      // Enter on a focused row of a multi-select list toggles it again: accept with OK
      await page.locator('.quick-input-widget').getByRole('button', { name: 'OK', exact: true }).click();
      await input.waitFor({ state: 'hidden' });
      await headerCell(g, 'country').waitFor();
      await paletteCommand(page, 'View: Close All Editors');
    });
  },
};
