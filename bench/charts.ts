/**
 * npm run bench:charts (also the last part of npm run bench): the chart panel on the 1M-row bench
 * file, already open in the export editor, in a real code-server + Chromium:
 *   - "RevenueCat: Show Chart…" to the chart on screen (Active Subscriptions, daily, over the export's
 *     span: its first transaction to its date, three years at most), from the command's Enter to the
 *     frame after the one that drew it (target ≤ 300 ms), in a new panel (each closed before the next),
 *     then again from the grid with the panel open (it is reused);
 *   - switching the resolution (week, month, day) and the range (90 days, 3 years): the page's time
 *     from the change to the redrawn chart on screen (target ≤ 150 ms);
 *   - a click on a point (Active Subscriptions of a day) to the grid showing the first of its rows
 *     (target ≤ 500 ms): from Playwright's click to the rows seen (its polling included), and from the
 *     page's click to the grid's frame after it painted them.
 * Not a test: nothing fails on a slow figure.  node out/bench/charts.js [--rows N] [--repeat N]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';
import * as codeServer from '../scripts/codeServer';
import { browserArgs, grid, openWorkbench, quickInput, quickOpen, rowsSettled } from '../test/e2e/workbench';
import { benchFile, cacheDir } from './file';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const repeat = Math.max(1, Number(opt('repeat') ?? 3));
const line = (s: string) => process.stdout.write(`${s}\n`);
const ms = (x: number) => `${x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

declare const window: { rcChart: { position(i: number, s: number): { x: number; y: number } | null } };

async function frameWith(page: Page, selector: string): Promise<FrameLocator> {
  for (let t = 0; t < 600; t++) {
    const n = await page.locator('iframe.webview.ready:visible').count();
    for (let i = 0; i < n; i++) {
      const f = page.frameLocator('iframe.webview.ready:visible').nth(i).frameLocator('#active-frame');
      if ((await f.locator(selector).count()) > 0) return f;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no webview shows ${selector}`);
}

/** The chart's latest draw: its number, when it was on screen (epoch ms), and the page's own time for it. */
async function onScreen(c: FrameLocator, after: number): Promise<{ n: number; at: number; ms: number }> {
  for (;;) {
    const v = await c.locator('body').getAttribute('data-on-screen');
    if (v) {
      const [n, at, took] = v.split(' ').map(Number);
      if (n > after) return { n, at, ms: took };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function main(): Promise<void> {
  const source = await benchFile(rows);
  // a workspace of this run's own (.bench-cache is shared between checkouts)
  const workspace = path.join(cacheDir, `chart-workspace-${process.pid}`);
  const name = 'transactions_1735689600.csv.gz';
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.linkSync(source, path.join(workspace, name));
  await codeServer.install();
  line(`\nChart bench: the chart panel on ${rows.toLocaleString('en-US')} rows, open in the export editor`);
  // RC_EXPORT_BENCH=1: the extension offers a blank webview panel, VS Code's own cost of a panel
  const server = await codeServer.start({ env: { RC_EXPORT_BENCH: '1' } });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: browserArgs(),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, workspace, path.join(__dirname, '..', '..'));
    // on a busy machine the 1M-row file takes a while: its first rows, then the whole of it
    await quickOpen(page, name);
    const g = grid(page);
    await g.locator('body[data-state="ready"] .body .row').first().waitFor({ timeout: 300_000 });
    await g
      .locator('.infobar .rows')
      .filter({ hasText: new RegExp(`^${rows.toLocaleString('en-US')} rows$`) })
      .waitFor({ timeout: 300_000 });
    const opens: number[] = [];
    const blanks: number[] = [];
    const closeTab = async (title: RegExp) => {
      const tab = page.locator('.tabs-container .tab', { hasText: title });
      await tab.first().click();
      await page.keyboard.press('Control+W');
      await tab.first().waitFor({ state: 'detached' });
      await page.locator('.tabs-container .tab', { hasText: name }).first().click();
      await page.waitForTimeout(500);
    };
    const command = async (title: string) => {
      const input = await quickInput(page, ['F1']);
      await input.fill(`>RevenueCat: ${title}`);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).first().waitFor();
      const t0 = Date.now();
      await page.keyboard.press('Enter');
      return t0;
    };
    let c: FrameLocator | null = null;
    for (let i = 0; i < repeat; i++) {
      if (c) await closeTab(/^Chart/);
      // the same from a webview panel with an empty page: what VS Code itself takes for a new panel
      const b0 = await command('Open a Blank Panel (bench)');
      const blank = await frameWith(page, 'body.blank');
      const b = await onScreen(blank, 0);
      blanks.push(b.at - b0);
      const bMark = async (name: string) => Number(await blank.locator('body').getAttribute(`data-${name}`)) - b0;
      line(
        `  blank panel ${i + 1}: on screen ${ms(b.at - b0)} after the command (host: command at ${ms(await bMark('called-at'))}, page set at ${ms(await bMark('paged-at'))}; page script ran at ${ms(await bMark('script-at'))})`,
      );
      await closeTab(/^Blank/);
      const t0 = await command('Show Chart…');
      c = await frameWith(page, '.controls');
      const s = await onScreen(c, 0);
      opens.push(s.at - t0);
      const days = await c.locator('#numbers tbody tr').count();
      const mark = async (name: string) => Number(await c!.locator('body').getAttribute(`data-${name}`)) - t0;
      line(
        `  open ${i + 1}: chart on screen ${ms(s.at - t0)} after the command (${days} days; host: command at ${ms(await mark('called-at'))}, page set at ${ms(await mark('paged-at'))}; page script ran at ${ms(await mark('script-at'))}, source at ${ms(await mark('source-at'))}, the page's part ${ms(s.ms)}: ${await c.locator('body').getAttribute('data-render-ms')})`,
      );
    }
    line(
      `chart on screen after the command, in a new panel: median ${ms(median(opens))} of ${repeat} (target ≤ 300 ms); a blank panel: median ${ms(median(blanks))}`,
    );
    c = c!;
    // the command again with the panel open (from the grid, on another measure first): the panel is reused
    const agains: number[] = [];
    for (let i = 0; i < repeat; i++) {
      await c.locator('select.measure').selectOption('mrr');
      await c.locator('body[data-state="ready"][data-measure="mrr"]').waitFor();
      const before = Number((await c.locator('body').getAttribute('data-drawn')) ?? 0);
      await page.locator('.tabs-container .tab', { hasText: name }).first().click();
      await g.locator('body[data-state="ready"]').waitFor();
      const input = await quickInput(page, ['F1']);
      await input.fill('>RevenueCat: Show Chart…');
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Show Chart' }).first().waitFor();
      const t0 = Date.now();
      await page.keyboard.press('Enter');
      const s = await onScreen(c, before);
      agains.push(s.at - t0);
      line(
        `  again ${i + 1}: chart on screen ${ms(s.at - t0)} after the command, in the open panel (host: command at ${ms(Number(await c.locator('body').getAttribute('data-called-at')) - t0)}; the page's part ${ms(s.ms)})`,
      );
    }
    line(
      `chart on screen after the command, the panel open: median ${ms(median(agains))} of ${repeat} (target ≤ 300 ms)`,
    );
    const switches: number[] = [];
    const change = async (what: string, act: () => Promise<void>) => {
      const before = Number((await c!.locator('body').getAttribute('data-drawn')) ?? 0);
      await act();
      const s = await onScreen(c!, before);
      switches.push(s.ms);
      line(
        `  ${what}: redrawn on screen ${ms(s.ms)} after the change (${await c!.locator('body').getAttribute('data-render-ms')})`,
      );
    };
    for (let i = 0; i < repeat; i++) {
      await change('resolution week', () =>
        c!
          .locator('select.resolution')
          .selectOption('week')
          .then(() => {}),
      );
      await change('resolution month', () =>
        c!
          .locator('select.resolution')
          .selectOption('month')
          .then(() => {}),
      );
      await change('resolution day', () =>
        c!
          .locator('select.resolution')
          .selectOption('day')
          .then(() => {}),
      );
      await change('range 90 days', () =>
        c!
          .locator('select.preset')
          .selectOption('90')
          .then(() => {}),
      );
      await change('range 3 years', () =>
        c!
          .locator('select.preset')
          .selectOption('1095')
          .then(() => {}),
      );
    }
    line(
      `switching resolution or range: median ${ms(median(switches))}, max ${ms(Math.max(...switches))} (target ≤ 150 ms)`,
    );
    const drills: number[] = [];
    const inPage: number[] = [];
    let last = '\u0000';
    for (let i = 0; i < repeat; i++) {
      const idx = (await c.locator('#numbers tbody tr').count()) - 10 - 30 * i;
      const at = await c.locator('body').evaluate((_b, i) => window.rcChart.position(i, 0), idx);
      if (!at) throw new Error('no point to click');
      const t0 = Date.now();
      await c.locator('.u-over').click({ position: { x: at.x, y: at.y } });
      const grid = await frameWith(page, '.infobar .item.rowset');
      // a later drill-down: until the grid shows the new row set
      await grid.locator('.infobar .item.rowset', { hasNotText: last }).waitFor();
      await rowsSettled(grid);
      const settledAt = Date.now();
      last = (await grid.locator('.infobar .item.rowset').innerText()) || last;
      drills.push(Date.now() - t0);
      // from the click as the page got it (Playwright's own steps before it left out) to the rows seen on screen
      const asked = Number(await c.locator('body').getAttribute('data-drill-at'));
      const shownAt = Number(await grid.locator('body').getAttribute('data-row-set-shown-at'));
      inPage.push(shownAt > asked ? shownAt - asked : settledAt - asked);
      const shown = await grid.locator('.infobar .item.rows').innerText();
      // the page's reply to this click (its host times), not the one before
      for (let t = 0; t < 500; t++) {
        if (Number(await c.locator('body').getAttribute('data-drill-host-at')) >= asked - 50) break;
        await page.waitForTimeout(10);
      }
      const hops = `page asked at ${ms(Number(await c.locator('body').getAttribute('data-drill-at')) - t0)}, host got it at ${ms(Number(await c.locator('body').getAttribute('data-drill-host-at')) - t0)}: ${await c.locator('body').getAttribute('data-drill-ms')}, grid got the rows at ${ms(Number(await grid.locator('body').getAttribute('data-row-set-at')) - t0)}, on screen at ${ms(Number(await grid.locator('body').getAttribute('data-row-set-shown-at')) - t0)}`;
      line(
        `  drill-down ${i + 1}: grid showing its first rows ${ms(Date.now() - t0)} after the click (${shown}; ${hops})`,
      );
      c = await frameWith(page, '.controls');
    }
    line(
      `drill-down to the grid's first rows: median ${ms(median(drills))} after Playwright's click (its polling included), ${ms(median(inPage))} from the page's click to the grid's frame with the rows (target ≤ 500 ms)`,
    );
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
