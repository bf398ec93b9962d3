/**
 * The Problems panel, the template status bar item, the text view and F8 in the grid, in the real
 * workbench; expectations come from rc-export (a separate process over the same file).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { writeExport } from '../../gen/generator';
import { cliJson, firstRowShown, grid, openExport, paletteCommand, panelMaximized, type UiSuite } from '../workbench';

const FILE = 'transactions_1735776001.csv.gz';
const BIG = 'transactions_1735776002.csv.gz';

interface CliProblem {
  rule: string;
  row: number | null;
  line: number;
  column: string | null;
  value: string | null;
}

/** Opens a file from the explorer (quick open may offer a recent text view of the same name). */
async function openFromExplorer(page: Page, name: string) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  return firstRowShown(page);
}

/** Shows the Problems panel (maximized on request, so that a short list is all in view). */
async function showProblems(page: Page, maximize = false): Promise<void> {
  await paletteCommand(page, 'Focus on Problems View');
  await page.locator('.markers-panel').waitFor();
  await filterProblems(page, '');
  if (maximize) await panelMaximized(page, true);
}

async function hideProblems(page: Page): Promise<void> {
  await paletteCommand(page, 'View: Hide Panel');
}

function rows(page: Page) {
  return page.locator('.markers-panel .monaco-list-row');
}

/** Types into the Problems panel's filter (the list draws only the rows in view); '' clears it. */
async function filterProblems(page: Page, text: string): Promise<void> {
  const input = page.locator('input[placeholder^="Filter (e.g. text"]').locator('visible=true').first();
  await input.click();
  // real key strokes: the panel filters on keyboard input
  await page.keyboard.press('Control+A');
  // always change the value (a space, then erase it, when clearing): an input that is already empty but
  // whose last change arrived while the panel was hidden would otherwise keep its stale filter
  await page.keyboard.type(text || ' ');
  if (!text) await page.keyboard.press('Backspace');
  // the panel applies the filter after a short delay and then shows or drops its "Showing N of M" badge
  const badge = page.locator('.part.panel').getByText(/^Showing [\d,]+ of [\d,]+$/);
  await (text
    ? badge
        .first()
        .waitFor({ timeout: 10_000 })
        .catch(() => undefined)
    : badge.first().waitFor({ state: 'hidden', timeout: 10_000 }));
}

/** Picks a template version for the active export from the status bar item; returns when it was picked. */
async function chooseFromStatusBar(
  page: Page,
  current: string,
  query: string,
  row: string | RegExp,
  next: string,
): Promise<number> {
  await page.locator('.statusbar-item', { hasText: current }).click();
  const input = page.locator('.quick-input-widget .quick-input-box input').locator('visible=true');
  await input.waitFor();
  await input.fill(query);
  // Enter only once the filtered list has the wanted row highlighted
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: row }).first().waitFor();
  const t = Date.now();
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: next }).waitFor({ timeout: 60_000 });
  return t;
}

export const diagnosticsSuite: UiSuite = {
  name: 'diagnostics in the Problems panel',
  async prepare(dir, samples) {
    fs.copyFileSync(path.join(samples, 'with-problems', 'transactions_1735776000.csv.gz'), path.join(dir, FILE));
    await writeExport(path.join(dir, BIG), { version: 'v5', rows: 200_000, seed: 31 });
  },
  async run({ page, workspace, shots, test }) {
    const file = path.join(workspace, FILE);
    const report = cliJson<{ problems: CliProblem[] }>(['validate', file, '--max-problems', '0']);

    await test('an export with known violations shows them in the Problems panel with rule, line and column', async () => {
      await openExport(page, FILE);
      await showProblems(page, true);
      await rows(page).filter({ hasText: 'type-error' }).first().waitFor({ timeout: 30_000 });
      const texts = await rows(page).allInnerTexts();
      for (const p of report.problems) {
        // (the panel draws the brackets around the code and position itself)
        const hit = texts.find(
          (t) =>
            t.includes(p.rule) &&
            t.includes(`Ln ${p.line}, Col `) &&
            (p.column === null || p.row === null || t.includes(p.column)),
        );
        assert.ok(hit, `a row for ${p.rule} on line ${p.line}${p.column ? ` (${p.column})` : ''}`);
      }
      await page.screenshot({ path: path.join(shots, 'diagnostics-problems-panel.png') });
      await panelMaximized(page, false);
      await hideProblems(page);
    });

    await test('choosing v3 from the status bar for a v5 file changes the diagnostics and re-types the grid', async () => {
      // one problem per rule is enough to know which rules v3 finds
      const v3 = cliJson<{ problems: CliProblem[] }>(['validate', file, '--template', 'v3', '--max-problems', '1']);
      const newRules = [...new Set(v3.problems.map((p) => p.rule))].filter(
        (r) => !report.problems.some((p) => p.rule === r),
      );
      assert.ok(newRules.length > 0);
      const g = await openExport(page, FILE);
      await page.locator('.statusbar-item', { hasText: 'v5 · detected' }).click();
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'v5 · detected' }).waitFor();
      await page.keyboard.press('Escape');
      await chooseFromStatusBar(page, 'v5 · detected', 'v3', '32 columns', 'v3 · chosen');
      try {
        await g.locator('.infobar', { hasText: 'template v3 (chosen)' }).waitFor({ timeout: 30_000 });
        await showProblems(page);
        for (const rule of newRules) {
          await filterProblems(page, rule);
          await rows(page).filter({ hasText: rule }).first().waitFor({ timeout: 30_000 });
        }
        await filterProblems(page, '');
        await hideProblems(page);
      } finally {
        await chooseFromStatusBar(page, 'v3 · chosen', 'Detect', 'Detect from the header', 'v5 · detected');
      }
      await g.locator('.infobar', { hasText: 'template v5 (detected)' }).waitFor({ timeout: 30_000 });
    });

    await test('the text view is highlighted, and a click on a Problems entry puts the cursor on the cell', async () => {
      await openExport(page, FILE);
      await paletteCommand(page, 'RevenueCat: Open Export as Text');
      const editor = page.locator('.editor-instance .monaco-editor').locator('visible=true').first();
      await editor.locator('.view-line').first().waitFor({ timeout: 30_000 });
      // the grid closes, so the Problems panel lists the text view's diagnostics only
      await paletteCommand(page, 'View: Close Other Editors in Group');
      // the grammar tokenizes off the UI thread: on a busy machine the colours come a moment later
      let classes: string[] = [];
      for (let waited = 0; waited < 20_000; waited += 250) {
        classes = await editor
          .locator('.view-line span span')
          .evaluateAll((spans) => spans.map((s) => (s as unknown as { className: string }).className));
        if (new Set(classes).size >= 5) break;
        await page.waitForTimeout(250);
      }
      assert.ok(new Set(classes).size >= 5, `token colours in use: ${[...new Set(classes)].join(' ')}`);
      await page.screenshot({ path: path.join(shots, 'diagnostics-text-view.png') });
      const typeError = report.problems.find((p) => p.rule === 'type-error')!;
      const line = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')[typeError.line - 1];
      const column = line.indexOf(typeError.value!) + 1;
      await showProblems(page);
      await filterProblems(page, 'type-error');
      await rows(page).filter({ hasText: 'type-error' }).first().click();
      // the cell is selected, the cursor at its end
      const n = typeError.value!.length;
      await page
        .locator('.statusbar-item', { hasText: `Ln ${typeError.line}, Col ${column + n} (${n} selected)` })
        .waitFor({ timeout: 20_000 });
      await page.screenshot({ path: path.join(shots, 'diagnostics-text-view-cell.png') });
      await filterProblems(page, '');
      await hideProblems(page);
      await paletteCommand(page, 'View: Close All Editors');
    });

    await test('F8 in the grid goes to the next problem, reveals its row, and the status bar says which until the user moves on', async () => {
      const g = await openFromExplorer(page, FILE);
      await g.locator('.body .row .cell').nth(3).click();
      await page.keyboard.press('F8');
      const withRows = report.problems.filter((p) => p.row !== null);
      const first = withRows[0];
      await g
        .locator('.body .row.revealed .cell.rownum', { hasText: new RegExp(`^${first.row}$`) })
        .waitFor({ timeout: 20_000 });
      await page.keyboard.press('F8');
      const second = withRows[1];
      await g
        .locator('.body .row.revealed .cell.rownum', { hasText: new RegExp(`^${second.row}$`) })
        .waitFor({ timeout: 20_000 });
      assert.ok((await grid(page).locator('.body .row.revealed').count()) >= 1);
      // the status bar: which problem, its text whole
      const item = page.locator('.statusbar-item', { hasText: `Problem 2 of ${withRows.length}` });
      await item.waitFor({ timeout: 10_000 });
      assert.match(
        (await item.innerText()).replace(/\u00a0/g, ' '),
        new RegExp(`Problem 2 of ${withRows.length} · row ${second.row}`),
      );
      const label = item.locator('.statusbar-item-label');
      const cut = await label.evaluate((e) => e.scrollWidth > e.clientWidth + 1);
      assert.equal(cut, false, 'the status bar text is whole');
      // a click on another row: the status bar no longer claims that problem
      const other = g.locator('.body .row:not(.revealed)').nth(2).locator('.cell').nth(2);
      await other.click();
      await page
        .locator('.statusbar-item', { hasText: /Problem \d+ of/ })
        .waitFor({ state: 'hidden', timeout: 10_000 });
      await page.screenshot({ path: path.join(shots, 'diagnostics-f8-moved-on.png') });
    });

    await test('a million problems: a Problems filter typed while the file loads as v3 finds a summary, and the panel stays usable', async () => {
      const summary = 'more boolean-encoding in is_sandbox';
      // the summary row as the panel draws it: "199,835 more boolean-encoding in is_sandbox, first at row 166"
      const summaryRow = rows(page).filter({ hasText: new RegExp(`[\\d,]+ ${summary}, first at row [\\d,]+`) });
      const badge = page.locator('.part.panel').getByText(/^Showing [\d,]+ of [\d,]+$/);
      await openFromExplorer(page, BIG);
      try {
        await showProblems(page);
        // as a user would: choose v3, then type the filter at once, while the 200,000 rows load again
        const t0 = await chooseFromStatusBar(page, 'v5 · detected', 'v3', '32 columns', 'v3 · chosen');
        await filterProblems(page, summary);
        // on screen, not just in the page: the panel keeps rows in the DOM while it shows "No results found"
        await summaryRow
          .first()
          .waitFor({ state: 'visible', timeout: 120_000 })
          .catch(async (e: unknown) => {
            await page.screenshot({ path: path.join(shots, 'failed-million-problems-at-the-filter.png') });
            throw e;
          });
        const shown = Date.now() - t0;
        const counted = (await badge.first().innerText()).replace(/\u00a0/g, ' ');
        assert.match(counted, /^Showing [1-9]\d* of [\d,]+$/, `the filter found the summary: ${counted}`);
        assert.equal(await page.locator('.markers-panel').getByText('No results found').isVisible(), false);
        await page.screenshot({ path: path.join(shots, 'diagnostics-million-problems.png') });
        // the list is usable: another filter, typed now that the entries are in, finds the rule's first entries
        const t1 = Date.now();
        await filterProblems(page, 'boolean-encoding');
        await rows(page)
          .filter({ hasText: /is_sandbox: "(true|false)" is the v4\+ boolean encoding; v3 writes t\/f/ })
          .first()
          .waitFor({
            state: 'visible',
            timeout: 20_000,
          });
        const refiltered = Date.now() - t1;
        const many = (await badge.first().innerText()).replace(/\u00a0/g, ' ');
        const n = Number(/^Showing ([\d,]+)/.exec(many)?.[1].replace(/,/g, ''));
        assert.ok(n > 100, `the rule's first entries are listed one by one: ${many}`);
        process.stdout.write(
          `    (Problems panel: the v3 summary on screen ${shown} ms after choosing v3, the 200,000 rows read again included; another filter took ${refiltered} ms)\n`,
        );
      } finally {
        // leave the workbench as the next suites expect it: no filter, no panel, the detected template, no editors
        await showProblems(page).catch(() => undefined);
        await hideProblems(page).catch(() => undefined);
        if (await page.locator('.statusbar-item', { hasText: 'v3 · chosen' }).isVisible())
          await chooseFromStatusBar(page, 'v3 · chosen', 'Detect', 'Detect from the header', 'v5 · detected');
        await paletteCommand(page, 'View: Close All Editors');
      }
    });
  },
};
