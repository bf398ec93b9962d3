/**
 * The real-VS-Code suite: installs code-server (cached), starts it on 127.0.0.1, opens the samples
 * folder in headless Debian Chromium with this folder as an unpacked extension and out/test/ext as
 * its test entry (the workbench URL's payload: what @vscode/test-electron passes on the command
 * line), waits for the extension host's exit code, keeps a screenshot, and stops the server by PID.
 * Adds the extension-host mocha counts to RC_TEST_COUNTS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import { chromium } from 'playwright-core';
import * as codeServer from '../../scripts/codeServer';
import { BROWSER_PREREQUISITE, requirePrerequisites } from '../../scripts/prereqs';
import { runStartTest } from './start';
import { makeWorkspace, runUiTests } from './ui';
import { browserArgs } from './workbench';

const root = path.join(__dirname, '..', '..', '..');

function addCounts(passed: number, failed: number): void {
  const file = process.env.RC_TEST_COUNTS;
  if (!file) {
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
    return;
  }
  const prev = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { passed: 0, failed: 0, skipped: 0 };
  fs.writeFileSync(file, JSON.stringify({ ...prev, passed: prev.passed + passed, failed: prev.failed + failed }));
}

/** An extension with nothing in it, next to the server's data folder. */
function standIn(dataDir: string): string {
  const dir = path.join(dataDir, '..', 'stand-in-extension');
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    name: 'rc-export-test-stand-in',
    publisher: 'rc-export-tools',
    version: '0.0.0',
    engines: { vscode: '^1.100.0' },
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest));
  return dir;
}

async function main(): Promise<number> {
  const t0 = Date.now();
  process.stdout.write(`code-server ${codeServer.VERSION} in ${codeServer.HOME}\n`);
  // everything missing is named at once, before anything is installed
  if (!codeServer.installed()) codeServer.checkInstallPrerequisites(process.env.CHROMIUM ? [] : [BROWSER_PREREQUISITE]);
  else if (!process.env.CHROMIUM) requirePrerequisites([BROWSER_PREREQUISITE], 'The tests in a real VS Code');
  await codeServer.install();
  // RC_E2E_VSIX=file.vsix: the same suites against the packaged extension installed into code-server
  // instead of this folder loaded as a development extension.
  const vsix = process.env.RC_E2E_VSIX ? path.resolve(process.env.RC_E2E_VSIX) : undefined;
  const results = path.join(root, 'test-results', vsix ? 'vsix' : '');
  fs.rmSync(results, { recursive: true, force: true });
  fs.mkdirSync(results, { recursive: true });
  // the 6 GB load (bigLoad.test.ts) runs once, against the development extension: the packaged one
  // loads through the same code, and the test takes minutes
  const server = await codeServer.start({ vsix, env: vsix ? { RC_E2E_NO_BIG: '1' } : {} });
  if (vsix) {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    const installed = path.join(server.extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    if (!fs.existsSync(path.join(installed, 'package.json'))) {
      await server.stop();
      throw new Error(`the .vsix did not install: no ${installed}`);
    }
  }
  const extension = vsix ? undefined : root;
  // VS Code runs extensionTestsPath only in an extension-development window: with the .vsix, an empty
  // stand-in extension opens that window while the installed extension is the one under test.
  const developmentPath = extension ?? standIn(server.dataDir);
  process.stdout.write(
    `code-server pid ${server.pid} on ${server.origin}${vsix ? `, extension installed from ${path.basename(vsix)}` : ''}\n`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: browserArgs(),
  });
  let counts = { passed: 0, failed: 0 };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let finish: (code: number) => void = () => {};
    const exited = new Promise<number>((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = util.format(...(args ?? []));
      const m = /^RC_EXT_COUNTS (.*)$/.exec(line);
      if (m) counts = JSON.parse(m[1]);
      else if (line.startsWith('RC_METRIC ')) process.stdout.write(`  ${line.slice(10)}\n`);
      else if (
        /^\s*(✔|✓|\d+\)|[0-9]+ (passing|failing)|AssertionError|Error|at |extension host|[A-Za-z].* suite)/.test(
          line,
        ) ||
        process.env.VERBOSE
      )
        process.stdout.write(`  ${line}\n`);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    const url = server.url(
      path.join(root, 'samples'),
      developmentPath,
      path.join(root, 'out', 'test', 'ext', 'index.js'),
    );
    await page.goto(url);
    // (one of them makes and loads a 6 GB export: test/ext/bigLoad.test.ts)
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), 1_200_000));
    const code = await Promise.race([exited, timeout]);
    await page.screenshot({ path: path.join(results, 'vscode-extension-tests.png') });
    process.stdout.write(
      `extension-host tests exited with ${code === -1 ? 'a timeout' : code} after ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    if (code !== 0 && counts.failed === 0) counts.failed = 1;
    if (counts.passed + counts.failed === 0) counts.failed = 1;
    await page.close();

    process.stdout.write('UI tests in the workbench:\n');
    const workspace = path.join(server.dataDir, '..', 'workspace');
    await makeWorkspace(workspace, path.join(root, 'samples'));
    const ui = await runUiTests(browser, server, workspace, extension, results);
    counts.passed += ui.passed;
    counts.failed += ui.failed;
    if (!vsix && !process.env.RC_UI_SUITES) {
      process.stdout.write('npm start:\n');
      const start = await runStartTest(browser, results);
      counts.passed += start.passed;
      counts.failed += start.failed;
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  addCounts(counts.passed, counts.failed);
  return counts.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    addCounts(0, 1);
    process.exit(1);
  },
);
