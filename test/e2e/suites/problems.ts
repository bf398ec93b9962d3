/** The problems list inside the export editor and the Go to Next/Previous Problem commands. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliJson, openExport, paletteCommand, type UiSuite } from '../workbench';

interface CliProblem {
  rule: string;
  row: number | null;
  column: string | null;
}

export const problemsSuite: UiSuite = {
  name: 'problems in the export editor',
  async prepare(dir, samples) {
    fs.copyFileSync(
      path.join(samples, 'with-problems', 'transactions_1735776000.csv.gz'),
      path.join(dir, 'transactions_1735776000.csv.gz'),
    );
  },
  async run({ page, workspace, shots, test }) {
    await test('lists the problems and reveals them: Go to Next Problem, and a click in the list', async () => {
      const file = path.join(workspace, 'transactions_1735776000.csv.gz');
      const report = cliJson<{ problems: CliProblem[] }>(['validate', file, '--max-problems', '0']);
      const expected = report.problems.filter((p) => p.row !== null);
      const g = await openExport(page, 'transactions_1735776000.csv.gz');
      const toggle = g.locator('.problems-toggle');
      await toggle.filter({ hasText: /Problems \(\d+\)/ }).waitFor();
      await paletteCommand(page, 'RevenueCat: Go to Next Problem');
      const revealed = g.locator('.body .row.revealed');
      await revealed.waitFor({ timeout: 20_000 });
      assert.equal(await revealed.locator('.cell.rownum').innerText(), String(expected[0].row));
      assert.equal(await revealed.locator('.revealed-cell').count(), expected[0].column ? 1 : 0);
      const typeError = expected.find((p) => p.rule === 'type-error')!;
      await toggle.click();
      await g.locator('.problems .problem', { hasText: 'type-error' }).first().click();
      await g.locator('.body .row.revealed .cell.rownum', { hasText: new RegExp(`^${typeError.row}$`) }).waitFor();
      assert.match(await g.locator('.body .row.revealed .revealed-cell').innerText(), /2024-13-45/);
      await page.screenshot({ path: path.join(shots, 'problems.png') });
    });
  },
};
