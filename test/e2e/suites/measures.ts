/** The measure commands as a user runs them: palette, date input, the "RevenueCat" output channel. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { writeExport } from '../../gen/generator';
import { cliJson, openExport, paletteCommand, type UiSuite } from '../workbench';

const FILE = 'transactions_1736100000.csv.gz';

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
  },
};
