/**
 * `npm start` as a new user runs it (after the build): the script prints a workbench address on
 * 127.0.0.1, that page shows the sample delivery in the export grid (another window of the same server,
 * on another folder, does not), and Ctrl+C (SIGINT) stops the code-server it started.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { UiResult } from './ui';
import { openExport } from './workbench';

const root = path.join(__dirname, '..', '..', '..');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function runStartTest(browser: Browser, shots: string): Promise<UiResult> {
  const name = 'npm start prints an address that shows the sample in the grid, and Ctrl+C stops the server';
  const env = {
    ...process.env,
    PATH: (process.env.PATH ?? '')
      .split(':')
      .filter((d) => !d.includes('code'))
      .join(':'),
  };
  const child = spawn(process.execPath, [path.join(root, 'out', 'scripts', 'start.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let serverPid = 0;
  try {
    const deadline = Date.now() + 120_000;
    let m: RegExpExecArray | null = null;
    while (!(m = /code-server pid (\d+)\):\s+(http:\/\/127\.0\.0\.1:\d+\/\S+)/.exec(out))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no address from npm start:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    serverPid = Number(m[1]);
    assert.match(out, /rc-export info/);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await page.goto(m[2]);
      await page.locator('.tab.active', { hasText: 'transactions_1735689600.csv.gz' }).waitFor({ timeout: 60_000 });
      const grid = page.frameLocator('iframe.webview.ready:visible').last().frameLocator('#active-frame');
      await grid.locator('body[data-state="ready"] .infobar', { hasText: '2,000 rows' }).waitFor({ timeout: 60_000 });
      await page.screenshot({ path: path.join(shots, 'npm-start.png') });
    } finally {
      await page.close();
    }
    // another window of that code-server, on another folder: the extension is active there (an export
    // opens in the grid), and the sample was not opened in it
    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const url = new URL(m[2]);
      url.searchParams.set('folder', path.join(root, 'samples', 'with-problems'));
      await other.goto(url.toString());
      await other.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      await openExport(other, 'transactions_1735776000.csv.gz');
      assert.equal(
        await other.locator('.tabs-container .tab', { hasText: 'transactions_1735689600.csv.gz' }).count(),
        0,
        'the sample opens only in the window npm start opened',
      );
    } finally {
      await other.close();
    }
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    assert.equal(code, 0, `npm start exits with 0 on Ctrl+C (got ${code})`);
    assert.equal(alive(serverPid), false, `code-server (pid ${serverPid}) is stopped`);
    process.stdout.write(`  ✔ ${name}\n`);
    return { passed: 1, failed: 0 };
  } catch (e) {
    process.stdout.write(`  ✘ ${name}\n    ${(e as Error).message.split('\n').join('\n    ')}\n`);
    return { passed: 0, failed: 1 };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (serverPid && alive(serverPid)) process.kill(-serverPid, 'SIGKILL');
  }
}
