/** The measure commands as a user runs them: palette, date input, the "RevenueCat" output channel. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { writeExport } from '../../gen/generator';
import type { Page } from 'playwright-core';
import { cliJson, openExport, paletteCommand, panelMaximized, type UiSuite } from '../workbench';

const FILE = 'transactions_1736100000.csv.gz';

/** The output channel's lines as on screen, top to bottom (Monaco places its lines by their style's top). */
async function outputLines(page: Page): Promise<string[]> {
  const lines = await page.locator('.part.panel .monaco-editor .view-lines .view-line').evaluateAll((els) =>
    els.map((e) => ({
      top: parseFloat((e as unknown as { style: { top: string } }).style.top),
      text: e.textContent ?? '',
    })),
  );
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text.replace(/\u00a0/g, ' '));
}

/** The table under the last result headed `title`: its header cells and rows (cells split on 2+ spaces). */
async function outputTable(
  page: Page,
  title: string,
  firstColumn: string,
): Promise<{ header: string[]; rows: string[][] }> {
  const output = page.locator('.part.panel .monaco-editor .view-lines');
  await output
    .locator('.view-line', { hasText: `${title} — ` })
    .last()
    .waitFor({ timeout: 60_000 });
  await output
    .locator('.view-line', { hasText: /^\s*time\s/ })
    .last()
    .waitFor({ timeout: 30_000 });
  const lines = await outputLines(page);
  const start = lines.map((l) => l.includes(`${title} — `)).lastIndexOf(true);
  const head = lines.findIndex((l, i) => i > start && l.trim().startsWith(firstColumn));
  assert.ok(head > start, `a table header starting with ${firstColumn} under "${title}": ${JSON.stringify(lines)}`);
  const end = lines.findIndex((l, i) => i > head && /^\s*files\s/.test(l));
  const cells = (l: string) => l.trim().split(/\s{2,}/);
  return { header: cells(lines[head]), rows: lines.slice(head + 1, end).map(cells) };
}

/** Accepts the range the prompt proposes after checking it, or types another. */
async function rangeInput(page: Page, proposed: string, typed?: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input').locator('visible=true');
  await input.waitFor();
  assert.equal(await input.inputValue(), proposed, 'the proposed range: the 90 days up to the export');
  if (typed !== undefined) await input.fill(typed);
  await input.press('Enter');
}

export const measuresSuite: UiSuite = {
  name: 'measure commands',
  async prepare(dir) {
    await writeExport(path.join(dir, FILE), { version: 'v5', rows: 5000, seed: 31, exportTime: 1736100000 });
  },
  async run({ page, workspace, shots, test }) {
    await test('"RevenueCat: Active Subscriptions" on an open export writes the number to the RevenueCat output channel', async () => {
      const expected = cliJson<{ value: number; params: { date: string } }>([
        'measure',
        'active-subscriptions',
        path.join(workspace, FILE),
      ]);
      await openExport(page, FILE);
      await paletteCommand(page, 'RevenueCat: Active Subscriptions');
      const input = page.locator('.quick-input-widget .quick-input-box input').locator('visible=true');
      await input.waitFor();
      assert.equal(await input.inputValue(), expected.params.date, "the export's own date is the default");
      await input.press('Enter');
      const output = page.locator('.part.panel .monaco-editor .view-lines');
      const heading = output.locator('.view-line', { hasText: 'Active Subscriptions — ' }).last();
      await heading.waitFor({ timeout: 30_000 });
      const value = output.locator('.view-line', { hasText: /^\s*value\s/ }).last();
      const text = (await value.innerText()).replace(/\u00a0/g, ' ');
      const m = /value\s+([\d,]+)/.exec(text);
      assert.ok(m, `a value line in the output: ${JSON.stringify(text)}`);
      assert.equal(Number(m[1].replace(/,/g, '')), expected.value);
      // results only: what the extension does (diagnostics published, …) goes to the "RevenueCat Log" channel
      const shown = (await output.locator('.view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
      assert.deepEqual(
        shown.filter((l) => /^diagnostics for /.test(l)),
        [],
        'no log lines among the results',
      );
      await page.screenshot({ path: path.join(shots, 'measure-output.png') });
    });

    const file = () => path.join(workspace, FILE);
    const A = '2025-01-05';
    const proposed = `2024-10-08 … ${A}`;

    await test('"RevenueCat: Subscription Retention" proposes the last 90 days and shows the retention table', async () => {
      const [from, to] = ['2024-11-18', '2024-11-21'];
      const expected = cliJson<{ value: Record<string, string | number>[] }>([
        'measure',
        'subscription-retention',
        '--from',
        from,
        '--to',
        to,
        file(),
      ]);
      assert.ok(expected.value.length > 2, `retention rows to show: ${expected.value.length}`);
      await openExport(page, FILE);
      await paletteCommand(page, 'RevenueCat: Subscription Retention');
      await rangeInput(page, proposed, `${from} … ${to}`);
      await panelMaximized(page, true);
      // the retention table is wider than the panel beside the side bar: read it as a person would, side bar
      // closed (Ctrl+B: the palette helper needs the side bar to take the focus)
      await page.keyboard.press('Control+B');
      const t = await outputTable(page, 'Subscription Retention', 'first_start_date').finally(() =>
        page.keyboard.press('Control+B'),
      );
      assert.deepEqual(t.header, [
        'first_start_date',
        'product_duration',
        'product_identifier',
        'period_number',
        'period_name',
        'subscriptions',
      ]);
      assert.deepEqual(
        t.rows,
        expected.value.map((r) => [
          String(r.first_start_date),
          String(r.product_duration),
          String(r.product_identifier),
          String(r.period_number),
          String(r.period_name),
          String(r.subscriptions),
        ]),
      );
      await page.screenshot({ path: path.join(shots, 'measure-retention.png') });
      await panelMaximized(page, false);
    });

    await test('"RevenueCat: Active Subscriptions Movement" by day shows one row per day of the range', async () => {
      const [from, to] = ['2024-12-26', A];
      type Day = {
        new_actives: number;
        renewals: number;
        expirations: number;
        churned_actives: number;
        movement: number;
      };
      const expected = cliJson<{ value: Record<string, Day> }>([
        'measure',
        'active-subscriptions-movement',
        '--from',
        from,
        '--to',
        to,
        file(),
      ]);
      await openExport(page, FILE);
      await paletteCommand(page, 'RevenueCat: Active Subscriptions Movement');
      await rangeInput(page, proposed, `${from} … ${to}`);
      // the resolution: Day is proposed first
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Day' }).first().waitFor();
      await page.keyboard.press('Enter');
      await panelMaximized(page, true);
      const t = await outputTable(page, 'Active Subscriptions Movement', 'period_start');
      assert.deepEqual(t.header, [
        'period_start',
        'new_actives',
        'renewals',
        'expirations',
        'churned_actives',
        'movement',
      ]);
      const n = (s: string) => Number(s.replace(/,/g, ''));
      assert.deepEqual(
        t.rows.map((r) => [r[0], ...r.slice(1).map(n)]),
        Object.entries(expected.value).map(([d, v]) => [
          d,
          v.new_actives,
          v.renewals,
          v.expirations,
          v.churned_actives,
          v.movement,
        ]),
      );
      assert.equal(t.rows.length, 11, 'every day of the range');
      await page.screenshot({ path: path.join(shots, 'measure-movement.png') });
      await panelMaximized(page, false);
    });
  },
};
