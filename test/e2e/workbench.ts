/**
 * What every UI suite needs to drive a real VS Code workbench: opening it, the command palette and
 * quick open, the export editor's webview frame, and the test context handed to each suite.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Server } from '../../scripts/codeServer';

/** One UI test: a name and a body that throws on failure. */
export type UiTest = (name: string, fn: () => Promise<void>) => Promise<void>;

/** What a suite gets: the page with the workbench open on `workspace`, where to put screenshots, and `test`. */
export interface UiContext {
  page: Page;
  server: Server;
  workspace: string;
  /** The development extension folder, or undefined when the extension is installed from a .vsix. */
  extension: string | undefined;
  shots: string;
  /** Messages of any browser dialog (alert, confirm) seen so far; none should ever appear. */
  dialogs: string[];
  test: UiTest;
}

/** A group of UI tests: files it adds to the shared workspace, then its tests. */
export interface UiSuite {
  name: string;
  prepare?(workspace: string, samples: string): Promise<void>;
  run(ctx: UiContext): Promise<void>;
}

/** Chromium's command line for driving code-server headless, with nothing fetched from the network. */
export function browserArgs(extra: string[] = []): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...extra,
  ];
}

export async function openWorkbench(
  page: Page,
  server: Server,
  folder: string,
  extension: string | undefined,
): Promise<void> {
  await page.goto(server.url(folder, extension));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/**
 * Presses a key chord until the quick input shows (focus may sit in a webview, which forwards keys to
 * the workbench a little later) and returns its input box.
 */
export async function quickInput(page: Page, keys: string[]) {
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

/**
 * Accepts the quick pick once its focused (highlighted) row is the wanted one: the list filters
 * asynchronously, and Enter on a stale list would pick whatever was first before.
 */
async function pickFocused(page: Page, text: string): Promise<void> {
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Runs a command from the palette by its title. */
export async function paletteCommand(page: Page, title: string): Promise<void> {
  const input = await quickInput(page, ['F1']);
  await input.fill(`>${title}`);
  await pickFocused(page, title);
}

/** Opens a workspace file by name with Ctrl+P. */
export async function quickOpen(page: Page, name: string): Promise<void> {
  const input = await quickInput(page, ['Control+P']);
  await input.fill(name);
  await pickFocused(page, name);
}

/** The document inside the active export editor's webview. */
export function grid(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready:visible').last().frameLocator('#active-frame');
}

/** Waits for the first row of the active export editor's grid, and returns the grid. */
export async function firstRowShown(page: Page): Promise<FrameLocator> {
  const g = grid(page);
  await g
    .locator('body[data-state="ready"] .body .row .cell.rownum', { hasText: /^1$/ })
    .first()
    .waitFor({ timeout: 60_000 });
  return g;
}

/** Opens an export in the export editor and waits for its first row. */
export async function openExport(page: Page, name: string): Promise<FrameLocator> {
  await quickOpen(page, name);
  return firstRowShown(page);
}

/** Waits until every row on screen has its cells (no window of rows still on its way). */
export async function rowsSettled(g: FrameLocator, timeout = 30_000): Promise<void> {
  await g.locator('.body .row .cell.rownum').first().waitFor({ timeout });
  const deadline = Date.now() + timeout;
  while ((await g.locator('.body .cell.pending').count()) > 0) {
    if (Date.now() > deadline) throw new Error('the rows on screen did not arrive');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The header cell of a column in the export editor, by its name. */
export function headerCell(g: FrameLocator, name: string): Locator {
  return g.locator('.header .cell.head').filter({ has: g.locator('.name').getByText(name, { exact: true }) });
}

/** Clicks an item of the open VS Code context menu (webview menus are the workbench's). */
export async function menuItem(page: Page, label: string): Promise<void> {
  const item = page.getByRole('menuitem', { name: label, exact: true });
  await item.waitFor({ timeout: 10_000 });
  // the menu acts on a press and release of its own, and ignores one that comes right after it opened
  for (let attempt = 0; ; attempt++) {
    await item.hover();
    await page.waitForTimeout(150);
    await page.mouse.down();
    await page.mouse.up();
    try {
      await item.waitFor({ state: 'hidden', timeout: 2000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/** What rc-export (the built CLI) reports for a file: the independent answer UI tests compare against. */
export function cliJson<T>(args: string[]): T {
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, ...args, '--format', 'json'], { encoding: 'utf8' });
  if (!r.stdout) throw new Error(`rc-export ${args.join(' ')} printed nothing: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * Maximizes the panel, or gives it back its usual size, and checks that it did: "Toggle Maximized Panel"
 * flips whatever state the panel is in, and a toggle can be lost while the panel is still opening.
 */
export async function panelMaximized(page: Page, maximized: boolean): Promise<void> {
  const isMaximized = async () => {
    const panel = await page.locator('.part.panel').boundingBox();
    const window = page.viewportSize();
    return panel !== null && window !== null && panel.height > 0.6 * window.height;
  };
  for (let attempt = 0; (await isMaximized()) !== maximized; attempt++) {
    if (attempt === 3) throw new Error(`the panel did not become ${maximized ? 'maximized' : 'its usual size'}`);
    await paletteCommand(page, 'Toggle Maximized Panel');
    const deadline = Date.now() + 3000;
    while ((await isMaximized()) !== maximized && Date.now() < deadline) await page.waitForTimeout(100);
  }
}

/**
 * The window as a person would look at a chart or a grid: the bottom panel hidden and no notification
 * toasts over the editor (what earlier suites left open). Only what is showing is closed.
 */
export async function clearForShot(page: Page): Promise<void> {
  const panel = await page.locator('.part.panel').boundingBox();
  if (panel !== null && panel.height > 0) await paletteCommand(page, 'View: Hide Panel');
  if ((await page.locator('.notification-toast').locator('visible=true').count()) > 0)
    await paletteCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').locator('visible=true').first().waitFor({ state: 'hidden' });
}
