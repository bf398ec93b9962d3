/**
 * npm run bench:charts (also the last part of npm run bench): the chart pane on the 1M-row bench
 * file, already open in the export editor, in a real code-server + Chromium:
 *   - a blank webview panel, for comparison: what a new panel costs VS Code by itself;
 *   - "RevenueCat: Show Chart…" to the chart on screen in the editor's pane (Active Subscriptions,
 *     daily, over the export's span: its first transaction to its date, three years at most), from
 *     the command's Enter to the frame after the one that drew it (target ≤ 300 ms): the first open
 *     (the pane's code sent to the page with the chart's days, which the export's warm-up measured
 *     once its worker had merged), then reopened (closed before each),
 *     then again with the pane open, on another measure first (it redraws);
 *   - switching the resolution (week, month, day) and the range (90 days, 3 years): the page's time
 *     from the change to the redrawn chart on screen (target ≤ 150 ms);
 *   - a click on a point (Active Subscriptions of a day) to the grid above the pane showing the
 *     first of its rows (target ≤ 500 ms): from Playwright's click to the rows seen (its polling included), and from the
 *     page's click to the grid's frame after it painted them.
 * Not a test: nothing fails on a slow figure.  node out/bench/charts.js [--rows N] [--repeat N]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';
import * as codeServer from '../scripts/codeServer';
import { ROOT } from '../test/e2e/chartPage';
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

/**
 * CPU seconds (user + system, all threads) of this run: this process and every live process under it
 * (code-server, its extension host and workers, Chromium), read from /proc (Linux; 0 elsewhere).
 */
function cpuSeconds(): number {
  let dirs: string[];
  try {
    dirs = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return 0;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const d of dirs) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      // fields after the command name (which may hold spaces): state ppid … utime(14) stime(15)
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      ticks.set(Number(d), Number(f[11]) + Number(f[12]));
    } catch {
      // gone meanwhile
    }
  }
  const mine = new Set([process.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent)
      if (!mine.has(pid) && mine.has(ppid)) {
        mine.add(pid);
        grew = true;
      }
  }
  let sum = 0;
  for (const pid of mine) sum += ticks.get(pid) ?? 0;
  return sum / 100;
}

/** "CPU 1.23 s" since `from` (a cpuSeconds() reading), over `n` runs when given. */
const cpuSince = (from: number, n = 1) => `CPU ${((cpuSeconds() - from) / n).toFixed(2)} s${n > 1 ? ' each' : ''}`;

declare const window: { rcChart: { position(i: number, s: number): { x: number; y: number } | null } };
interface Body {
  getAttribute(name: string): string | null;
}
declare class MutationObserver {
  constructor(f: () => void);
  observe(target: Body, options: { attributes: boolean; attributeFilter: string[] }): void;
  disconnect(): void;
}

/**
 * The value of the page's `<body data-…>` attribute `name` once `done(value)` holds: waited for in the
 * page (a MutationObserver), so the bench does not poll the webview, taking CPU from what it times.
 */
function bodyAttribute(f: FrameLocator, name: string, after: number, selector = 'body'): Promise<string> {
  return f.locator(selector).evaluate(
    (body: Body, [name, after]: [string, number]) =>
      new Promise<string>((resolve) => {
        // the value's first number (a draw's number, or epoch ms) past `after`
        const check = () => {
          const v = body.getAttribute(name);
          if (v === null || !(Number(v.split(' ')[0]) > after)) return false;
          observer.disconnect();
          resolve(v);
          return true;
        };
        const observer = new MutationObserver(check);
        if (!check()) observer.observe(body, { attributes: true, attributeFilter: [name] });
      }),
    [name, after] as [string, number],
  );
}

async function frameWith(page: Page, selector: string): Promise<FrameLocator> {
  for (let t = 0; t < 600; t++) {
    const n = await page.locator('iframe.webview.ready:visible').count();
    for (let i = 0; i < n; i++) {
      const f = page.frameLocator('iframe.webview.ready:visible').nth(i).frameLocator('#active-frame');
      if ((await f.locator(selector).count()) > 0) return f;
    }
    // seldom: the page's own marks time it, and polling the webviews takes CPU from them
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview shows ${selector}`);
}

/** The chart's latest draw: its number, when it was on screen (epoch ms), and the page's own time for it. */
async function onScreen(
  c: FrameLocator,
  after: number,
  selector = ROOT,
): Promise<{ n: number; at: number; ms: number }> {
  const [n, at, took] = (await bodyAttribute(c, 'data-on-screen', after, selector)).split(' ').map(Number);
  return { n, at, ms: took };
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
  line(`\nChart bench: the chart pane on ${rows.toLocaleString('en-US')} rows, open in the export editor`);
  const uptime = () =>
    `load average ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`;
  line(`  ${uptime()}; CPU: user + system seconds of this run's processes (code-server, Chromium, this one)`);
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
    // an export opened a while ago: its background work (the deep rules on the second thread, …) done
    // before anything is timed, or it takes a core from what is
    const settled = Date.now();
    for (let quiet = 0; quiet < 2 && Date.now() - settled < 120_000;) {
      const k = cpuSeconds();
      await page.waitForTimeout(1000);
      quiet = cpuSeconds() - k < 0.25 ? quiet + 1 : 0;
    }
    line(
      `  the export open, its background work done ${((Date.now() - settled) / 1000).toFixed(1)} s after its rows were in`,
    );
    const opens: number[] = [];
    const blanks: number[] = [];
    // the run's CPU seconds when the step began (the waits for its end, polling, are in what follows it)
    let k0 = 0;
    const command = async (title: string) => {
      const input = await quickInput(page, ['F1']);
      await input.fill(`>RevenueCat: ${title}`);
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: title }).first().waitFor();
      k0 = cpuSeconds();
      const t0 = Date.now();
      await page.keyboard.press('Enter');
      return t0;
    };
    // what VS Code itself takes for a new webview panel with an empty page: the cost the pane avoids
    for (let i = 0; i < repeat; i++) {
      const b0 = await command('Open a Blank Panel (bench)');
      const blank = await frameWith(page, 'body.blank');
      const b = await onScreen(blank, 0, 'body');
      blanks.push(b.at - b0);
      line(`  blank panel ${i + 1}: on screen ${ms(b.at - b0)} after the command (${cpuSince(k0)})`);
      const tab = page.locator('.tabs-container .tab', { hasText: /^Blank/ });
      await tab.first().click();
      await page.keyboard.press('Control+W');
      await tab.first().waitFor({ state: 'detached' });
      await page.locator('.tabs-container .tab', { hasText: name }).first().click();
      await g.locator('body[data-state="ready"]').waitFor();
      await page.waitForTimeout(500);
    }
    line(`a blank webview panel on screen after the command: median ${ms(median(blanks))} of ${repeat}`);
    // the pane: the chart in the export editor's own page, under its grid; closed before the next open
    // (the first open loads the pane's code into the page and measures the chart; later ones find both)
    const c = g;
    for (let i = 0; i < repeat + 1; i++) {
      if (i > 0) {
        await c.locator('.chart-pane').focus();
        await page.keyboard.press('Escape');
        await c.locator('.chart-pane').waitFor({ state: 'detached' });
        await page.waitForTimeout(500);
      }
      const t0 = await command('Show Chart…');
      const s = await onScreen(c, 0);
      const cpu = cpuSince(k0);
      if (i > 0) opens.push(s.at - t0);
      const days = await c.locator('#numbers tbody tr').count();
      const mark = async (name: string) => Number(await c.locator(ROOT).getAttribute(`data-${name}`)) - t0;
      line(
        `  ${i === 0 ? 'first open (the pane’s code sent with the days the warm-up measured)' : `open ${i}`}: chart on screen ${ms(s.at - t0)} after the command (${days} days; host: command at ${ms(await mark('called-at'))}; pane script ran at ${ms(await mark('script-at'))}, source at ${ms(await mark('source-at'))}, the page's part ${ms(s.ms)}: ${await c.locator(ROOT).getAttribute('data-render-ms')}; ${cpu})`,
      );
    }
    line(
      `chart on screen after the command, in the editor's pane: median ${ms(median(opens))} of ${repeat} reopened (target ≤ 300 ms); a blank panel: median ${ms(median(blanks))}`,
    );
    // the command again with the pane open (from the grid, on another measure first): the pane redraws
    const agains: number[] = [];
    for (let i = 0; i < repeat; i++) {
      await c.locator('select.measure').selectOption('mrr');
      await c.locator(`${ROOT}[data-state="ready"][data-measure="mrr"]`).waitFor();
      const before = Number((await c.locator(ROOT).getAttribute('data-drawn')) ?? 0);
      await c.locator('.body .row .cell').first().click();
      const t0 = await command('Show Chart…');
      const s = await onScreen(c, before);
      const cpu = cpuSince(k0);
      agains.push(s.at - t0);
      line(
        `  again ${i + 1}: chart on screen ${ms(s.at - t0)} after the command, in the open pane (host: command at ${ms(Number(await c.locator(ROOT).getAttribute('data-called-at')) - t0)}; the page's part ${ms(s.ms)}; ${cpu})`,
      );
    }
    line(
      `chart on screen after the command, the pane open: median ${ms(median(agains))} of ${repeat} (target ≤ 300 ms)`,
    );
    const switches: number[] = [];
    const change = async (what: string, act: () => Promise<void>) => {
      const before = Number((await c.locator(ROOT).getAttribute('data-drawn')) ?? 0);
      k0 = cpuSeconds();
      await act();
      const s = await onScreen(c, before);
      const cpu = cpuSince(k0);
      switches.push(s.ms);
      line(
        `  ${what}: redrawn on screen ${ms(s.ms)} after the change (${await c.locator(ROOT).getAttribute('data-render-ms')}; ${cpu})`,
      );
    };
    for (let i = 0; i < repeat; i++) {
      await change('resolution week', () =>
        c
          .locator('select.resolution')
          .selectOption('week')
          .then(() => {}),
      );
      await change('resolution month', () =>
        c
          .locator('select.resolution')
          .selectOption('month')
          .then(() => {}),
      );
      await change('resolution day', () =>
        c
          .locator('select.resolution')
          .selectOption('day')
          .then(() => {}),
      );
      await change('range 90 days', () =>
        c
          .locator('select.preset')
          .selectOption('90')
          .then(() => {}),
      );
      await change('range 3 years', () =>
        c
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
    // the export's grid, above the pane in the same page: it shows each drill-down's rows
    const gridFrame = g;
    for (let i = 0; i < repeat; i++) {
      const idx = (await c.locator('#numbers tbody tr').count()) - 10 - 30 * i;
      const at = await c.locator(ROOT).evaluate((_b, i) => window.rcChart.position(i, 0), idx);
      if (!at) throw new Error('no point to click');
      const before = Number((await gridFrame.locator('body').getAttribute('data-row-set-shown-at')) ?? 0);
      k0 = cpuSeconds();
      const t0 = Date.now();
      // waited for in the grid's page, from before the click: nothing polls while the rows are found
      const shown = bodyAttribute(gridFrame, 'data-row-set-shown-at', before);
      await c.locator('.u-over').click({ position: { x: at.x, y: at.y } });
      const shownAt = Number(await shown);
      const cpu = cpuSince(k0);
      drills.push(shownAt - t0);
      // from the click as the page got it (Playwright's own steps before it left out) to the rows on screen
      const asked = Number(await c.locator(ROOT).getAttribute('data-drill-at'));
      inPage.push(shownAt - asked);
      // the page's reply to this click (its host times), not the one before
      await bodyAttribute(c, 'data-drill-host-at', asked - 50, ROOT);
      await rowsSettled(gridFrame);
      const rowsText = await gridFrame.locator('.infobar .item.rows').innerText();
      const mark = async (selector: string, name: string) =>
        ms(Number(await c.locator(selector).getAttribute(`data-${name}`)) - t0);
      const hops = `page asked at ${ms(asked - t0)}, host got it at ${await mark(ROOT, 'drill-host-at')}: ${await c.locator(ROOT).getAttribute('data-drill-ms')}, grid got the rows at ${await mark('body', 'row-set-at')}`;
      line(
        `  drill-down ${i + 1}: grid showing its first rows ${ms(shownAt - t0)} after the click, ${ms(shownAt - asked)} after the page got it (${rowsText}; ${hops}; ${cpu})`,
      );
    }
    line(
      `drill-down to the grid's first rows on screen: median ${ms(median(drills))} after Playwright's click (its own steps before the page gets it included), ${ms(median(inPage))} after the page's click (target ≤ 500 ms)`,
    );
    line(`  ${uptime()}`);
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
