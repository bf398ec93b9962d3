/**
 * UI tests through the DOM of a real VS Code: the export editor's webview as a user sees it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { generateExport, writeExport } from '../gen/generator';
import type { Server } from '../../scripts/codeServer';

export interface UiResult {
  passed: number;
  failed: number;
}

const XSS = '<img src=x onerror=alert(1)>';

// The few browser globals the page callbacks use (this project type-checks without the DOM library).
declare const document: { querySelector(selector: string): { classList: { contains(c: string): boolean } } | null };
declare function getComputedStyle(e: unknown): { backgroundColor: string };

/** Files the UI tests open, in a workspace folder of their own. */
export async function makeWorkspace(dir: string, samples: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(samples, 'transactions_1735689600.csv.gz'), path.join(dir, 'transactions_1735689600.csv.gz'));
  await writeExport(path.join(dir, 'transactions_1735700000.csv.gz'), { version: 'v5', rows: 200_000, seed: 3 });
  const g = generateExport({ version: 'v5', rows: 20, seed: 4 }).text.toString('utf8').split('\n');
  g[1] = `"${XSS}"${g[1].slice(g[1].indexOf(','))}`;
  fs.writeFileSync(path.join(dir, 'transactions_1735800000.csv.gz'), zlib.gzipSync(g.join('\n')));
  fs.writeFileSync(path.join(dir, 'transactions_1735900000.csv.gz'), zlib.gzipSync(generateExport({ version: 'v5', rows: 20, seed: 5 }).text));
  fs.copyFileSync(path.join(samples, 'with-problems', 'transactions_1735776000.csv.gz'), path.join(dir, 'transactions_1735776000.csv.gz'));
}

/** What rc-export reports for a file: the problems the editor must list and reveal. */
function validatorProblems(file: string): { rule: string; row: number | null; column: string | null }[] {
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'validate', file, '--format', 'json', '--max-problems', '0'], { encoding: 'utf8' });
  return JSON.parse(r.stdout).problems;
}

async function openWorkbench(page: Page, server: Server, folder: string, extension: string): Promise<void> {
  await page.goto(server.url(folder, extension));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/**
 * Presses a key chord until the quick input shows (focus may sit in a webview, which forwards keys to
 * the workbench a little later) and returns its input box.
 */
async function quickInput(page: Page, keys: string[]) {
  const input = page.locator('.quick-input-widget .quick-input-box input').locator('visible=true');
  for (let attempt = 0; ; attempt++) {
    await page.locator('.part.sidebar .title-label').first().click();
    for (const k of keys) await page.keyboard.press(k);
    try {
      await input.waitFor({ timeout: 5000 });
      return input;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

async function paletteCommand(page: Page, title: string): Promise<void> {
  const input = await quickInput(page, ['F1']);
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function quickOpen(page: Page, name: string): Promise<void> {
  const input = await quickInput(page, ['Control+P']);
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
  await page.keyboard.press('Enter');
}

function grid(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

async function openExport(page: Page, name: string): Promise<FrameLocator> {
  await quickOpen(page, name);
  const g = grid(page);
  await g.locator('body[data-state="ready"] .body .row .cell.rownum', { hasText: /^1$/ }).first().waitFor({ timeout: 60_000 });
  return g;
}

export async function runUiTests(browser: Browser, server: Server, workspace: string, extension: string, shots: string): Promise<UiResult> {
  const result: UiResult = { passed: 0, failed: 0 };
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const test = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      result.passed++;
      process.stdout.write(`  ✔ ${name}\n`);
    } catch (e) {
      result.failed++;
      process.stdout.write(`  ✘ ${name}\n    ${(e as Error).message.split('\n').join('\n    ')}\n`);
      await page.screenshot({ path: path.join(shots, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
    }
  };
  try {
    await openWorkbench(page, server, workspace, extension);

    await test('opens a .csv.gz export as a typed grid with the header and first rows', async () => {
      const g = await openExport(page, 'transactions_1735689600.csv.gz');
      const head = await g.locator('.header').innerText();
      for (const name of ['rc_original_app_user_id', 'store', 'price_in_usd', 'effective_end_time']) assert.ok(head.includes(name), name);
      const infoText = await g.locator('.infobar').innerText();
      assert.match(infoText, /2,000 rows/);
      assert.match(infoText, /template v5 \(detected\)/);
      assert.ok((await g.locator('.body .cell.t-float').count()) > 0, 'numbers are typed');
      assert.ok((await g.locator('.body .cell.t-boolean.yes, .body .cell.t-boolean.no').count()) > 0, 'booleans are typed');
      assert.ok((await g.locator('.body .cell.null').count()) > 0, 'nulls are shown as null');
      await page.screenshot({ path: path.join(shots, 'grid-light.png') });
    });

    await test('scrolls to the last row of a 200,000-row export', async () => {
      const g = await openExport(page, 'transactions_1735700000.csv.gz');
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, v.scrollHeight));
      await g.locator('.body .cell.rownum', { hasText: /^200000$/ }).waitFor({ timeout: 20_000 });
    });

    await test('sorts by price_in_usd descending and shows the maximum first', async () => {
      const file = path.join(workspace, 'transactions_1735700000.csv.gz');
      const rows = parse(zlib.gunzipSync(fs.readFileSync(file)), { columns: true }) as Record<string, string>[];
      const max = rows.reduce((m, r) => (r.price_in_usd === '' ? m : Math.max(m, Number(r.price_in_usd))), -Infinity);
      const g = grid(page);
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const headCell = g.locator('.header .cell.head', { hasText: /^#\.#price_in_usd/ });
      await headCell.click();
      await headCell.click();
      await g.locator('.header .cell.head .sort', { hasText: '▼' }).waitFor();
      const col = await headCell.getAttribute('data-column');
      const first = g.locator('.body .row').first().locator('.cell').nth(Number(col) + 1);
      await first.filter({ hasNotText: '…' }).waitFor();
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
      fs.writeFileSync(path.join(workspace, 'transactions_1735900000.csv.gz'), zlib.gzipSync(generateExport({ version: 'v5', rows: 30, seed: 6 }).text));
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'changed on disk' });
      await toast.waitFor({ timeout: 30_000 });
      await toast.locator('.monaco-button', { hasText: 'Reload' }).click();
      await g.locator('.infobar', { hasText: '30 rows' }).waitFor({ timeout: 30_000 });
      await g.locator('.body .cell.rownum', { hasText: /^30$/ }).waitFor();
    });

    await test('lists the problems and reveals them: Go to Next Problem, and a click in the list', async () => {
      const file = path.join(workspace, 'transactions_1735776000.csv.gz');
      const expected = validatorProblems(file).filter((p) => p.row !== null);
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

    await test('follows the VS Code theme (light and dark screenshots)', async () => {
      const g = grid(page); // the export editor the previous test left active
      await g.locator('body[data-state="ready"]').waitFor();
      const light = await g.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      // Ctrl+K Ctrl+T: the colour theme picker
      const input = await quickInput(page, ['Control+K', 'Control+T']);
      await input.fill('Dark Modern');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Dark Modern' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('.monaco-workbench')?.classList.contains('vs-dark') === true, undefined, { timeout: 20_000 });
      await page.waitForTimeout(1000);
      const dark = await g.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
      assert.notEqual(dark, light);
      await page.screenshot({ path: path.join(shots, 'grid-dark.png') });
    });
  } finally {
    await page.close();
  }
  return result;
}
