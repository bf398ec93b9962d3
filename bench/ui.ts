/**
 * npm run bench:ui (also the last part of npm run bench): the export editor on the 1M-row bench file
 * in a real code-server + Chromium, as a user meets it. Prints plain lines:
 *   - first rows on screen after the editor opens, counted from when VS Code asked the extension for
 *     the document (the extension host's clock) to after the frame that showed them (the webview's),
 *     step by step: when the extension had the rows, resolved the editor and set the page, when VS Code
 *     had the page's frame ready, when the page's script started, had and rendered the rows, and its
 *     load event (when VS Code shows the frame). First --cold N opens, each in a fresh code-server and
 *     Chromium, beside a cold open of the simplest custom editor possible (bench/floor.ts: VS Code's
 *     floor), then --opens N in one window (cold, then again with the file still loaded: there
 *     Chromium's service worker for code-server's shared webview origin holds the frame ~1 s, and a
 *     trivial webview waits as long);
 *   - `rc-export validate` on the file, first: the CLI's load+validate, the yardstick for the editor's
 *     whole-file load in the same run;
 *   - 100-row windows served: the host's time from request to response, over jumps across the file,
 *     in file order and sorted; the round trip during the jumps, and with the page idle (no scroll, no
 *     render), beside a 10-row window (what the bytes cost) and a bare request;
 *   - sorts over every row, by columns of each kind: the view thread's time and the round trip;
 *   - memory: the extension host (process.memoryUsage there), the webview's JavaScript heap
 *     (performance.memory) and the RSS of Chromium's renderer processes.
 * Not a test: nothing fails on a slow figure.  node out/bench/ui.js [--rows N] [--cold N] [--opens N] [--opens-only: no windows, sorts, memory]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type FrameLocator, type Page } from 'playwright-core';
import * as codeServer from '../scripts/codeServer';
import { browserArgs, grid, headerCell, openWorkbench, quickOpen, rowsSettled } from '../test/e2e/workbench';
import { benchFile, cacheDir } from './file';
import { floorOpen } from './floor';
import { cpuByKind, cpuUsed, findBrowserPid, rendererRss } from './uiProcs';

/** Asks the extension for its open timings and the webview for `window.rcStats` (src/host/editor/benchMarks.ts). */
const BENCH_ENV = { RC_EXPORT_BENCH: '1' };

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rows = Number(opt('rows') ?? 1_000_000);
const opens = Math.max(1, Number(opt('opens') ?? 3));
/** Cold opens in fresh servers and browsers, each beside one of the trivial custom editor. */
const cold = Math.max(0, Number(opt('cold') ?? 3));
/** Only the opens: no windows, sorts or memory. */
const opensOnly = argv.includes('--opens-only');
/** A column of each kind, and the kind. */
const SORTS: Record<string, string> = {
  price_in_usd: 'float',
  start_time: 'timestamp',
  store: 'dictionary text',
  is_trial_period: 'boolean',
  rc_original_app_user_id: 'free text',
};

/** One window asked for with the page idle (src/webview/stats.ts, probe): the round trip and its legs, ms. */
interface Probe {
  roundTrip: number;
  host: number;
  up: number;
  down: number;
}

/** What the webview's stats module (src/webview/stats.ts) holds; read through the page. */
interface PageStats {
  frame: number;
  frameLoaded: number;
  started: number;
  firstRows: number;
  firstPaint: number;
  rendered: number;
  loaded: number;
  whole: number;
  windows: { host: number[]; roundTrip: number[]; up?: number[]; down?: number[] };
  views: { host: number[]; roundTrip: number[] };
  renders: number[];
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
    rendered: number;
    loaded: number;
    whole: number;
    windows: PageStats['windows'];
    views: PageStats['views'];
    renders: number[];
    memory(): PageStats['heap'];
    host(): Promise<Record<string, number>>;
    probe(start: number, count?: number): Promise<Probe>;
  };
};

const readStats = (g: FrameLocator): Promise<PageStats> =>
  g.locator('body').evaluate(async () => {
    const s = window.rcStats;
    return {
      rendered: s.rendered,
      loaded: s.loaded,
      whole: s.whole,
      frame: s.frame,
      frameLoaded: s.frameLoaded,
      started: s.started,
      firstRows: s.firstRows,
      firstPaint: s.firstPaint,
      windows: s.windows,
      views: s.views,
      renders: s.renders,
      heap: s.memory(),
      host: await s.host(),
    };
  });

const clearTimings = (g: FrameLocator) =>
  g.locator('body').evaluate(() => {
    window.rcStats.windows = { host: [], roundTrip: [] };
    window.rcStats.views = { host: [], roundTrip: [] };
    window.rcStats.renders = [];
  });

const ms = (x: number) => `${x.toFixed(1)} ms`;
const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const spread = (xs: number[]) =>
  `median ${ms(quantile(xs, 0.5))}, p95 ${ms(quantile(xs, 0.95))}, max ${ms(Math.max(...xs))} (${xs.length} windows)`;
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

/** The first paint of one open, from when VS Code asked the extension for the document, step by step. */
function describeOpen(s: PageStats, what: string): number {
  const t0 = s.host.openedAt;
  const at = (x: number) => ms(x - t0);
  line(`first rows painted ${at(s.firstPaint)} after the editor opened (${what}; target ≤ 250 ms)`);
  line(
    `  the extension: activated at ${at(s.host.activatedAt)}, asked for the document at 0, had its first rows at ${at(s.host.firstAt)}, resolved the editor at ${at(s.host.resolvedAt)}, set its page at ${at(s.host.pagedAt)}`,
  );
  line(
    s.host.headHere
      ? `  the first rows were read on the extension host in ${s.host.headSteps} steps, the longest ${ms(s.host.headLongest)} (target ≤ 16 ms)`
      : '  the first rows were read in the loading thread kept ready (warm)',
  );
  const ready = s.frameLoaded ? `, ready for our page at ${at(s.frameLoaded)}` : '';
  line(`  VS Code: began the page's frame at ${at(s.frame)}${ready}`);
  line(
    `  the page: script started at ${at(s.started)}, had the first rows at ${at(s.firstRows)}, rendered them at ${at(s.rendered)}, load event (VS Code shows the frame) at ${at(s.loaded)}, on screen at ${at(s.firstPaint)}`,
  );
  return s.firstPaint - t0;
}

/**
 * Cold opens, each in a fresh code-server and Chromium: the trivial custom editor (VS Code's floor),
 * then the export editor on the bench file; the medians side by side.
 */
async function coldOpens(n: number, workspace: string, name: string): Promise<void> {
  const floors: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = await floorOpen();
    floors.push(f.firstPaint - f.openedAt);
    line(
      `cold open ${i + 1} of ${n}, the trivial custom editor: on screen ${ms(f.firstPaint - f.openedAt)} after VS Code asked for its document (resolved at ${ms(f.resolvedAt - f.openedAt)}, VS Code began its page's frame at ${ms(f.frame - f.openedAt)})`,
    );
    const server = await codeServer.start({ env: BENCH_ENV });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: browserArgs(),
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await openWorkbench(page, server, workspace, path.join(__dirname, '..', '..'));
      await quickOpen(page, name);
      const g = grid(page);
      await g.locator('body[data-first-paint]').waitFor({ timeout: 60_000 });
      ours.push(describeOpen(await readStats(g), `cold open ${i + 1} of ${n}, the export editor`));
    } finally {
      await browser.close();
      await server.stop();
    }
  }
  const median = (xs: number[]) => quantile(xs, 0.5);
  line(
    `cold opens, median of ${n}: the export editor ${ms(median(ours))}, the trivial custom editor ${ms(median(floors))} (VS Code's floor; the export editor's own part ${ms(median(ours) - median(floors))})`,
  );
}

/** CPU seconds of this process's children that have ended (Linux; -1 elsewhere). */
function childCpu(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return -1;
  }
}

/**
 * `rc-export validate` on the file (the CLI's load+validate, at the normal priority), wall time: the
 * yardstick for the editor's whole-file load, measured in the same run.
 */
function cliValidate(file: string): number {
  const cli = path.join(__dirname, '..', '..', 'dist', 'cli.js');
  const cpu = childCpu();
  const t = performance.now();
  const r = spawnSync(process.execPath, [cli, 'validate', file, '--format', 'json', '--max-problems', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (r.status === 2) throw new Error(`rc-export validate failed: ${r.stderr.toString()}`);
  const wall = performance.now() - t;
  if (cpu >= 0) line(`  (its CPU, all threads: ${(childCpu() - cpu).toFixed(1)} s)`);
  return wall;
}

/**
 * Windows asked for with the page idle (nothing scrolled or rendered), each after a pause, and a bare
 * request (the host's figures, a few hundred bytes back) timed alike: the message path's own time.
 */
async function idleProbes(
  g: FrameLocator,
  total: number,
): Promise<{ probes: Probe[]; small: Probe[]; pings: number[] }> {
  return g.locator('body').evaluate(async (_body, total) => {
    const pause = () => new Promise((r) => setTimeout(r, 40));
    const probes: Probe[] = [];
    const small: Probe[] = [];
    const pings: number[] = [];
    for (let i = 0; i < 20; i++) {
      await pause();
      probes.push(await window.rcStats.probe(Math.floor(((i * 0.618034) % 1) * (total - 100))));
      await pause();
      small.push(await window.rcStats.probe(Math.floor(((i * 0.618034) % 1) * (total - 100)), 10));
      await pause();
      const t = performance.now();
      await window.rcStats.host();
      pings.push(performance.now() - t);
    }
    return { probes, small, pings };
  }, total);
}

async function main(): Promise<void> {
  const source = await benchFile(rows);
  const workspace = path.join(cacheDir, 'ui-workspace');
  const name = `transactions_1735689600.csv.gz`;
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.linkSync(source, path.join(workspace, name));
  await codeServer.install();
  line(
    `\nUI bench: the export editor in code-server ${codeServer.VERSION} + Chromium, ${rows.toLocaleString('en-US')} rows (${(fs.statSync(source).size / 1e6).toFixed(1)} MB gzip)`,
  );
  const cliMs = cliValidate(source);
  line(`rc-export validate on the file (the CLI's load+validate, normal priority): ${(cliMs / 1000).toFixed(1)} s`);
  if (cold > 0) await coldOpens(cold, workspace, name);
  const server = await codeServer.start({ env: BENCH_ENV });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: browserArgs(['--enable-precise-memory-info']),
  });
  const browserPid = findBrowserPid();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, workspace, path.join(__dirname, '..', '..'));
    let g: FrameLocator | null = null;
    for (let i = 0; i < opens; i++) {
      if (g) await closeEditor(page, name);
      const cpu = cpuByKind();
      // (not openExport: it waits for the whole file, which takes minutes on a busy machine)
      await quickOpen(page, name);
      g = grid(page);
      await g.locator('body[data-first-paint]').waitFor({ timeout: 60_000 });
      const s = await readStats(g);
      describeOpen(s, `open ${i + 1}${i === 0 ? ', cold' : ', the file still in the cache'}`);
      await g
        .locator('.infobar .rows')
        .filter({ hasText: new RegExp(`^${rows.toLocaleString('en-US')} rows$`) })
        .waitFor({ timeout: 300_000 });
      const after = await readStats(g);
      const host = after.host;
      // the page's own mark (the frame after it showed the whole file), else when the bench saw it
      const loadedMs = (after.whole > 0 ? after.whole : Date.now()) - s.host.openedAt;
      line(
        `  whole file loaded and checked by ${(loadedMs / 1000).toFixed(1)} s (${(loadedMs / cliMs).toFixed(2)}× the CLI's ${(cliMs / 1000).toFixed(1)} s; target ≤ 2×); extension host rss then ${mb(host.rss)}`,
      );
      // (an open of a file still loaded gets the earlier load's outcome: no steps of its own)
      if (host.settledAt && host.settledAt - host.begunAt >= host.loadMs * 0.9) {
        const at = (x: number) => `${((x - s.host.openedAt) / 1000).toFixed(2)} s`;
        line(
          `    its steps: the load let begin at ${at(host.begunAt)}, loaded and checked in its thread in ${(host.loadMs / 1000).toFixed(2)} s, the document had it at ${at(host.settledAt)}, the page showed it by ${(loadedMs / 1000).toFixed(1)} s`,
        );
      }
      line(`    CPU used from the open until then: ${cpuUsed(cpu, cpuByKind())}`);
    }
    g = g!;
    if (opensOnly) return;
    await clearTimings(g);
    await jumps(g, 40);
    let s = await readStats(g);
    line(
      `100-row windows, file order, host request→response: ${spread(s.windows.host)}; round trip ${ms(quantile(s.windows.roundTrip, 0.5))} median (target ≤ 30 ms)`,
    );
    if (s.windows.up?.length && s.windows.down?.length)
      line(
        `  the round trip, medians: page → host ${ms(quantile(s.windows.up, 0.5))}, host → page (the reply checked) ${ms(quantile(s.windows.down, 0.5))}`,
      );
    if (s.renders.length)
      line(
        `  the grid's renders meanwhile (script only; the frame's style, layout and paint come after it): median ${ms(quantile(s.renders, 0.5))}, p95 ${ms(quantile(s.renders, 0.95))} (${s.renders.length} renders)`,
      );
    const idle = await idleProbes(g, rows);
    const med = (f: (p: Probe) => number) => ms(quantile(idle.probes.map(f), 0.5));
    line(
      `  the same windows asked with the page idle (no scroll, no render), medians of 20: round trip ${med((p) => p.roundTrip)} (page → host ${med((p) => p.up)}, host ${med((p) => p.host)}, host → page ${med((p) => p.down)}); a bare request (a few hundred bytes back) ${ms(quantile(idle.pings, 0.5))}`,
    );
    line(
      `  10-row windows asked alike (a tenth of the bytes): round trip ${ms(
        quantile(
          idle.small.map((p) => p.roundTrip),
          0.5,
        ),
      )} median (host → page ${ms(
        quantile(
          idle.small.map((p) => p.down),
          0.5,
        ),
      )})`,
    );
    for (const [column, kind] of Object.entries(SORTS)) {
      await g.locator('.viewport').evaluate((v) => v.scrollTo(0, 0));
      const head = headerCell(g, column);
      await head.scrollIntoViewIfNeeded();
      await clearTimings(g);
      await head.click();
      await head.and(g.locator('[aria-sort="ascending"]')).waitFor({ timeout: 120_000 });
      await rowsSettled(g);
      s = await readStats(g);
      line(
        `sort ${rows.toLocaleString('en-US')} rows by ${column} (${kind}): ${ms(s.views.host[0])} in the view thread, ${ms(s.views.roundTrip[0])} round trip (target ≤ 1 s)`,
      );
    }
    await clearTimings(g);
    await jumps(g, 40);
    s = await readStats(g);
    line(`100-row windows, sorted by the last of them, host request→response: ${spread(s.windows.host)}`);
    const h = s.host;
    line(
      `memory, extension host: rss ${mb(h.rss)}, JS heap ${mb(h.heapUsed)}, external ${mb(h.external)} (array buffers ${mb(h.arrayBuffers)})`,
    );
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

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
