/**
 * The UI bench's yardstick: VS Code's own part of opening a custom editor, measured with the least
 * custom editor there is (bench/floor/extension.ts: no file read, one line of text) in a fresh
 * code-server and Chromium, exactly as the export editor's cold open is measured.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import * as codeServer from '../scripts/codeServer';
import { browserArgs, grid, openWorkbench, quickOpen } from '../test/e2e/workbench';
import { cacheDir } from './file';

/** Epoch ms on the extension host's clock (opened, resolved) and the page's (frame begun, line on screen). */
export interface FloorOpen {
  openedAt: number;
  resolvedAt: number;
  frame: number;
  firstPaint: number;
}

/** The trivial extension's folder, written afresh from its build in out/bench/floor. */
function floorExtension(): string {
  const dir = path.join(cacheDir, 'floor-extension');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, 'floor', 'extension.js'), path.join(dir, 'extension.js'));
  const manifest = {
    name: 'rc-bench-floor',
    publisher: 'rc-bench',
    version: '0.0.0',
    engines: { vscode: '^1.100.0' },
    main: './extension.js',
    activationEvents: [],
    contributes: {
      customEditors: [
        {
          viewType: 'rcBench.floor',
          displayName: 'Bench floor',
          selector: [{ filenamePattern: '*.floor' }],
          priority: 'default',
        },
      ],
    },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

/** One cold open of the trivial custom editor: its own code-server, browser and workspace. */
export async function floorOpen(): Promise<FloorOpen> {
  const extension = floorExtension();
  const workspace = path.join(cacheDir, 'floor-workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(workspace, 'first.floor'), 'one line\n');
  const server = await codeServer.start();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: browserArgs(),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, workspace, extension);
    await quickOpen(page, 'first.floor');
    const body = grid(page).locator('body[data-first-paint]');
    await body.waitFor({ timeout: 60_000 });
    const n = async (name: string) => Number(await body.getAttribute(`data-${name}`));
    return {
      openedAt: await n('opened-at'),
      resolvedAt: await n('resolved-at'),
      frame: await n('frame'),
      firstPaint: await n('first-paint'),
    };
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
