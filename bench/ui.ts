/**
 * npm run bench:ui (also the last part of npm run bench): the export editor on the 1M-row bench file
 * in a real code-server + Chromium, as a user meets it. Prints plain lines:
 *   - first rows painted after the editor opens: the extension host's clock when it resolved the
 *     editor, against the webview's clock after the frame that showed the first rows (cold, then
 *     opened again), with when the webview's script started and when the first rows reached it, and
 *     on the next line how much of it was VS Code's: when it began the frame our page goes into and
 *     when that frame was ready for it (reopening, Chromium's service worker for code-server's shared
 *     webview origin holds the frame ~1 s: a trivial webview waits as long);
 *   - 100-row windows served: the host's time from request to response, over jumps across the file,
 *     in file order and sorted;
 *   - sorts over every row, by columns of each kind: the view thread's time and the round trip;
 *   - memory: the extension host (process.memoryUsage there), the webview's JavaScript heap
 *     (performance.memory) and the RSS of Chromium's renderer processes.
 * Not a test: nothing fails on a slow figure.  node out/bench/ui.js [--rows N] [--opens N] [--opens-only: no windows, sorts, memory]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';
import * as codeServer from '../scripts/codeServer';
import { browserArgs, headerCell, openExport, openWorkbench, rowsSettled } from '../test/e2e/workbench';
import { benchFile, cacheDir } from './file';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const opens = Math.max(1, Number(opt('opens') ?? 3));
/** Only the opens: no windows, sorts or memory. */
const opensOnly = argv.includes('--opens-only');
/** A column of each kind, and the kind. */
const SORTS: Record<string, string> = { price_in_usd: 'float', start_time: 'timestamp', store: 'dictionary text', is_trial_period: 'boolean', rc_original_app_user_id: 'free text' };

/** What the webview's stats module (src/webview/stats.ts) holds; read through the page. */
interface PageStats {
  frame: number;
  frameLoaded: number;
  started: number;
  firstRows: number;
  firstPaint: number;
  windows: { host: number[]; roundTrip: number[] };
  views: { host: number[]; roundTrip: number[] };
  heap: { used: number; total: number } | null;
  host: Record<string, number>;
}

declare const window: {
  rcStats: {
    frame: number;
    frameLoaded: number;
    started: number;
    firstRows: number;
    firstPaint: number;
    windows: PageStats['windows'];
    views: PageStats['views'];
    memory(): PageStats['heap'];
    host(): Promise<Record<string, number>>;
  };
};

const readStats = (g: FrameLocator): Promise<PageStats> =>
  g.locator('body').evaluate(async () => {
    const s = window.rcStats;
    return { frame: s.frame, frameLoaded: s.frameLoaded, started: s.started, firstRows: s.firstRows, firstPaint: s.firstPaint, windows: s.windows, views: s.views, heap: s.memory(), host: await s.host() };
  });

const clearTimings = (g: FrameLocator) =>
  g.locator('body').evaluate(() => {
    window.rcStats.windows = { host: [], roundTrip: [] };
    window.rcStats.views = { host: [], roundTrip: [] };
  });

const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const spread = (xs: number[]) => `median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))}, max ${ms(Math.max(...xs))} (${xs.length} windows)`;
const line = (s: string) => process.stdout.write(`${s}\n`);

/** Jumps to `n` places spread over the file and waits for each to fill in. */
async function jumps(g: FrameLocator, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const f = ((i * 0.618034) % 1) * 0.98;
    await g.locator('.viewport').evaluate((v, f) => v.scrollTo(0, f * (v.scrollHeight - v.clientHeight)), f);
    await rowsSettled(g);
  }
}

async function closeEditor(page: Page, name: string): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: name });
  await tab.hover();
  await tab.locator('.action-label.codicon-close').click();
  await tab.waitFor({ state: 'detached' });
}

/** RSS of Chromium's renderer processes (the workbench's and the webviews'), from /proc. */
function rendererRss(browserPid: number | undefined): number[] {
  if (!browserPid || !fs.existsSync('/proc')) return [];
  const children = (pid: number): number[] => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const all: number[] = [];
  const walk = (pid: number) => {
    for (const c of children(pid)) {
      all.push(c);
      walk(c);
    }
  };
  walk(browserPid);
  return all.flatMap((pid) => {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) return [];
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return rss ? [Number(rss[1]) * 1024] : [];
    } catch {
      return [];
    }
  });
}

async function main(): Promise<void> {
  const source = await benchFile(rows);
  const workspace = path.join(cacheDir, 'ui-workspace');
  const name = `transactions_1735689600.csv.gz`;
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.linkSync(source, path.join(workspace, name));
  codeServer.install();
  const server = await codeServer.start();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: browserArgs(['--enable-precise-memory-info']) });
  const browserPid = findBrowserPid();
  line(`\nUI bench: the export editor in code-server ${codeServer.VERSION} + Chromium, ${rows.toLocaleString('en-US')} rows (${(fs.statSync(source).size / 1e6).toFixed(1)} MB gzip)`);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, workspace, path.join(__dirname, '..', '..'));
    let g: FrameLocator | null = null;
    for (let i = 0; i < opens; i++) {
      if (g) await closeEditor(page, name);
      g = await openExport(page, name);
      await g.locator('body[data-first-paint]').waitFor();
      const s = await readStats(g);
      line(`first rows painted ${ms(s.firstPaint - s.host.resolvedAt)} after the host resolved the editor (open ${i + 1}${i === 0 ? ', cold' : ''}; the webview's script started at ${ms(s.started - s.host.resolvedAt)}, the first rows arrived at ${ms(s.firstRows - s.host.resolvedAt)}; target ≤ 250 ms)`);
      const ready = s.frameLoaded ? `, ready for our page at ${ms(s.frameLoaded - s.host.resolvedAt)}` : '';
      line(`  VS Code's part: it began the webview's page frame at ${ms(s.frame - s.host.resolvedAt)}${ready}`);
      await g.locator('.infobar .rows').filter({ hasText: new RegExp(`^${rows.toLocaleString('en-US')} rows$`) }).waitFor({ timeout: 300_000 });
      const host = (await readStats(g)).host;
      line(`  whole file loaded and checked by ${((Date.now() - s.host.resolvedAt) / 1000).toFixed(1)} s; extension host rss then ${mb(host.rss)}`);
    }
    g = g!;
    if (opensOnly) return;
    await clearTimings(g);
    await jumps(g, 40);
    let s = await readStats(g);
    line(`100-row windows, file order, host request→response: ${spread(s.windows.host)}; round trip ${ms(quantile(s.windows.roundTrip, 0.5))} median (target ≤ 16 ms)`);
    for (const [column, kind] of Object.entries(SORTS)) {
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const head = headerCell(g, column);
      await head.scrollIntoViewIfNeeded();
      await clearTimings(g);
      await head.click();
      await head.and(g.locator('[aria-sort="ascending"]')).waitFor({ timeout: 120_000 });
      await rowsSettled(g);
      s = await readStats(g);
      line(`sort ${rows.toLocaleString('en-US')} rows by ${column} (${kind}): ${ms(s.views.host[0])} in the view thread, ${ms(s.views.roundTrip[0])} round trip (target ≤ 1 s)`);
    }
    await clearTimings(g);
    await jumps(g, 40);
    s = await readStats(g);
    line(`100-row windows, sorted by the last of them, host request→response: ${spread(s.windows.host)}`);
    const h = s.host;
    line(`memory, extension host: rss ${mb(h.rss)}, JS heap ${mb(h.heapUsed)}, external ${mb(h.external)} (array buffers ${mb(h.arrayBuffers)})`);
    line(`memory, webview: JS heap ${s.heap ? `${mb(s.heap.used)} used of ${mb(s.heap.total)}` : 'not reported'}`);
    const rss = rendererRss(browserPid);
    if (rss.length) line(`memory, Chromium renderers (workbench and webviews): ${rss.map(mb).join(', ')}`);
    await page.close();
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

/** The PID of the Chromium that playwright just started (the newest chromium process of this user). */
function findBrowserPid(): number | undefined {
  let best: { pid: number; start: number } | undefined;
  for (const d of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue; // started by this process
      if (!fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('chrom')) continue;
      const start = Number(fields[19]);
      if (!best || start > best.start) best = { pid: Number(d), start };
    } catch {
      /* gone */
    }
  }
  return best?.pid;
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
