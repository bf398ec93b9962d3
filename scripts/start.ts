/**
 * npm start: builds, checks the bundled sample deliveries with rc-export, then opens them in VS Code
 * with this extension loaded: the desktop `code` when it is on PATH, otherwise code-server on
 * 127.0.0.1 (installed once into a cache folder) in your browser. Ctrl+C stops what it started.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OPEN_REQUEST_ENV, writeOpenRequest } from '../src/node/openRequest';
import * as codeServer from './codeServer';
import { which } from './prereqs';

const root = path.join(__dirname, '..', '..');
const samples = path.join(root, 'samples');
const sample = path.join(samples, 'transactions_1735689600.csv.gz');
const broken = path.join(samples, 'with-problems', 'transactions_1735776000.csv.gz');
const cli = (args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), ...args], { stdio: 'inherit' }).status;

async function main(): Promise<void> {
  process.stdout.write('\n$ rc-export info samples/transactions_1735689600.csv.gz\n');
  cli(['info', sample]);
  process.stdout.write(
    '\n$ rc-export validate samples/transactions_1735689600.csv.gz samples/with-problems/transactions_1735776000.csv.gz --max-problems 10\n',
  );
  const code = cli(['validate', sample, broken, '--max-problems', '10']);
  process.stdout.write(`(exit code ${code}: 0 = no errors, 1 = errors found, 2 = a file could not be read)\n\n`);

  if (process.env.RC_START_NO_VSCODE === '1') return;
  // the window opened on samples/ shows the sample; other windows of the same VS Code do not
  const desktop = which('code');
  if (desktop) {
    const request = path.join(os.tmpdir(), `rc-export-open-${process.pid}.json`);
    writeOpenRequest(request, sample, samples);
    process.stdout.write(`Opening the sample in VS Code (${desktop}) with the extension loaded from this folder.\n`);
    spawn(desktop, ['--extensionDevelopmentPath', root, samples], {
      stdio: 'inherit',
      env: { ...process.env, [OPEN_REQUEST_ENV]: request },
    });
    return;
  }
  process.stdout.write('No desktop VS Code on PATH: starting code-server (VS Code in the browser) on 127.0.0.1.\n');
  await codeServer.install();
  const requests = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-export-start-'));
  const request = path.join(requests, 'open.json');
  writeOpenRequest(request, sample, samples);
  const server = await codeServer.start({
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    env: { [OPEN_REQUEST_ENV]: request },
  });
  const stop = async () => {
    process.stdout.write('\nStopping code-server…\n');
    await server.stop();
    fs.rmSync(requests, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.stdout.write(
    `\nOpen this address in your browser (code-server pid ${server.pid}):\n\n  ${server.url(samples, root)}\n\n`,
  );
  process.stdout.write(
    'transactions_1735689600.csv.gz opens in the RevenueCat export grid. with-problems/ holds a delivery\n',
  );
  process.stdout.write(
    'with known problems (see the Problems panel and the problems list in the editor). Ctrl+C here stops the server.\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
