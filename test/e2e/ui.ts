/**
 * UI tests through the DOM of a real VS Code: runs every suite of suites/index.ts on one workbench
 * page, in a workspace folder the suites fill with their files. RC_UI_SUITES=name,name runs a subset.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Server } from '../../scripts/codeServer';
import { suites } from './suites';
import { openWorkbench, type UiContext } from './workbench';

export interface UiResult {
  passed: number;
  failed: number;
}

function selected() {
  const only = process.env.RC_UI_SUITES?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  return only?.length ? suites.filter((s) => only.some((o) => s.name.toLowerCase().includes(o))) : suites;
}

/** Files the UI tests open, in a workspace folder of their own. */
export async function makeWorkspace(dir: string, samples: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  for (const suite of selected()) await suite.prepare?.(dir, samples);
}

export async function runUiTests(
  browser: Browser,
  server: Server,
  workspace: string,
  extension: string | undefined,
  shots: string,
): Promise<UiResult> {
  const result: UiResult = { passed: 0, failed: 0 };
  if (selected().length === 0) return result;
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const test: UiContext['test'] = async (name, fn) => {
    try {
      await fn();
      result.passed++;
      process.stdout.write(`  ✔ ${name}\n`);
    } catch (e) {
      result.failed++;
      process.stdout.write(`  ✘ ${name}\n    ${(e as Error).message.split('\n').join('\n    ')}\n`);
      await page.screenshot({ path: path.join(shots, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      // a menu or quick input a failed test left open would take the next test's clicks
      for (let i = 0; i < 3; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  };
  try {
    await openWorkbench(page, server, workspace, extension);
    for (const suite of selected()) {
      process.stdout.write(` ${suite.name}\n`);
      await suite.run({ page, server, workspace, extension, shots, dialogs, test });
    }
  } finally {
    await page.close();
  }
  return result;
}
