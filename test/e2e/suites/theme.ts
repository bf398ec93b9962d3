/** The editor follows the VS Code colour theme. Runs last: it leaves the workbench dark. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { grid, openExport, quickInput, type UiSuite } from '../workbench';

// The few browser globals the page callbacks use (this project type-checks without the DOM library).
declare const document: { querySelector(selector: string): { classList: { contains(c: string): boolean } } | null };
declare function getComputedStyle(e: unknown): { backgroundColor: string };

export const themeSuite: UiSuite = {
  name: 'colour theme',
  async prepare(dir, samples) {
    fs.copyFileSync(
      path.join(samples, 'transactions_1735689600.csv.gz'),
      path.join(dir, 'transactions_1735689600.csv.gz'),
    );
  },
  async run({ page, shots, test }) {
    await test('follows the VS Code theme (light and dark screenshots)', async () => {
      await openExport(page, 'transactions_1735689600.csv.gz');
      const g = grid(page);
      const light = await g.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      // Ctrl+K Ctrl+T: the colour theme picker
      const input = await quickInput(page, ['Control+K', 'Control+T']);
      await input.fill('Dark Modern');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForFunction(
        () => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') === true,
        undefined,
        { timeout: 20_000 },
      );
      await page.waitForTimeout(1000);
      const dark = await g.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.notEqual(dark, light);
      await page.screenshot({ path: path.join(shots, 'grid-dark.png') });
      // a narrow editor in the dark theme, with the problems list open
      await g.locator('.infobar .problems-toggle').click();
      await page.setViewportSize({ width: 760, height: 800 });
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(shots, 'grid-narrow-760-dark.png') });
      await page.setViewportSize({ width: 1400, height: 900 });
      await g.locator('.infobar .problems-toggle').click();
    });
  },
};
