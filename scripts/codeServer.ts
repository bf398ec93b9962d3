/**
 * A real VS Code for the e2e tests and `npm start`: code-server 4.100.3 (VS Code 1.100.3) installed from the npm
 * registry into a cache folder outside the project, native modules built here (nothing prebuilt
 * is downloaded), started on 127.0.0.1 in its own process group and stopped by its PID.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { withLock } from './installLock';
import { missing, missingMessage, nodeHeadersDir, SERVER_PREREQUISITES, which, type Prerequisite } from './prereqs';

export const VERSION = '4.100.3';
export const HOME = process.env.RC_CODE_SERVER_HOME ?? path.join(os.tmpdir(), `rc-export-code-server-${VERSION}`);
const SERVER = path.join(HOME, 'server');
const PKG = path.join(SERVER, 'node_modules', 'code-server');
const VSCODE = path.join(PKG, 'lib', 'vscode');
const ENTRY = path.join(PKG, 'out', 'node', 'entry.js');
const MARKER = path.join(SERVER, '.installed');

/** The install's steps, with what a fresh two-core machine took for each (shown as they run). */
const STEPS = 5;

/**
 * Runs one install step with a line before it ("step 2/6: …, usually about 30 s") and, while it runs, a
 * line every 10 s with the time so far; then its duration.
 */
function sh(step: number, what: string, usual: number, cmd: string, args: string[], cwd: string): Promise<void> {
  const t = Date.now();
  const secs = () => ((Date.now() - t) / 1000).toFixed(0);
  process.stdout.write(`  [code-server] step ${step}/${STEPS}: ${what} (usually about ${usual} s)…\n`);
  const headers = nodeHeadersDir();
  const child = spawn(cmd, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
    // npx inside node-pty's install must not ask; node-gyp may use both cores and builds against the
    // headers of the Node that runs it (npm_config_nodedir), so it downloads none
    env: {
      ...process.env,
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'error',
      ...(headers ? { npm_config_nodedir: headers } : {}),
      JOBS: 'max',
    },
  });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-8000)));
  const ticker = setInterval(() => process.stdout.write(`  [code-server]   … ${secs()} s\n`), 10_000);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => {
      clearInterval(ticker);
      reject(e);
    });
    child.once('exit', (code) => {
      clearInterval(ticker);
      if (code === 0) {
        process.stdout.write(`  [code-server]   done in ${secs()} s\n`);
        resolve();
      } else reject(new Error(`${[cmd, ...args].join(' ')} failed (exit ${code}) in ${cwd}:\n${err}`));
    });
  });
}

/** The programs and headers the install needs, checked before it starts: one message for all that is missing. */
export function checkInstallPrerequisites(extra: readonly Prerequisite[] = []): void {
  const message = missingMessage(missing([...SERVER_PREREQUISITES, ...extra]), `Installing code-server ${VERSION}`);
  const headers = nodeHeadersDir()
    ? null
    : `Node's headers (include/node/node.h) are not beside this Node (${process.execPath}); node-gyp would ` +
      "download them. Use a Node that ships them (the nodejs.org tarball, NodeSource's nodejs package, or " +
      "Debian's nodejs with libnode-dev).";
  if (message || headers) throw new Error([message, headers].filter(Boolean).join('\n\n'));
}

/** Whether code-server is installed already (a marker file is written last). */
export function installed(): boolean {
  return fs.existsSync(MARKER) && fs.existsSync(ENTRY);
}

/**
 * Installs code-server once (about a minute on two cores, most of it the npm download and the native
 * rebuild), after checking every prerequisite; later calls return at once.
 */
export async function install(extra: readonly Prerequisite[] = []): Promise<void> {
  if (installed()) return;
  checkInstallPrerequisites(extra);
  // one install at a time: a second `npm start`, test or bench run waits for the first, then finds it done
  await withLock(`${HOME}.lock`, () => (installed() ? Promise.resolve() : installNow()), {
    onWait: (pid) =>
      process.stdout.write(`Waiting for the code-server install that process ${pid ?? '(starting)'} is running …\n`),
  });
}

async function installNow(): Promise<void> {
  const t = Date.now();
  process.stdout.write(
    `Installing code-server ${VERSION} into ${HOME} once (about a minute: packages from the npm registry, then its native modules built here).\n`,
  );
  fs.mkdirSync(SERVER, { recursive: true });
  fs.writeFileSync(path.join(SERVER, 'package.json'), '{"name":"rc-export-e2e-host","private":true}\n');
  const npm = 'npm';
  // --ignore-scripts: code-server's postinstall would fetch ripgrep from the network
  await sh(
    1,
    `code-server ${VERSION} from the npm registry`,
    22,
    npm,
    ['install', '--ignore-scripts', `code-server@${VERSION}`],
    SERVER,
  );
  await sh(2, "VS Code's own packages", 4, npm, ['install', '--omit=dev', '--ignore-scripts'], VSCODE);
  const rgDir = path.join(VSCODE, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgDir, { recursive: true });
  fs.rmSync(path.join(rgDir, 'rg'), { force: true });
  fs.symlinkSync(which('rg')!, path.join(rgDir, 'rg'));
  // only the native modules the server and extension host load
  await sh(
    3,
    'building the native modules (spdlog, watchdog, node-pty, watcher)',
    28,
    npm,
    ['rebuild', '@vscode/spdlog', 'native-watchdog', 'node-pty', '@parcel/watcher', '@vscode/ripgrep'],
    VSCODE,
  );
  await sh(4, 'building argon2', 7, npm, ['rebuild', 'argon2'], SERVER);
  const link = (target: string, at: string) => {
    fs.rmSync(at, { force: true });
    fs.symlinkSync(target, at);
  };
  link('node_modules', path.join(VSCODE, 'node_modules.asar'));
  link('code-linux.sh', path.join(VSCODE, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(VSCODE, 'bin', 'helpers', 'browser.sh'));
  await sh(5, "the built-in extensions' packages", 2, npm, ['install', '--omit=dev'], path.join(VSCODE, 'extensions'));
  fs.writeFileSync(MARKER, new Date().toISOString());
  process.stdout.write(`  [code-server] installed in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
}

export interface Server {
  readonly pid: number;
  readonly port: number;
  readonly origin: string;
  readonly dataDir: string;
  readonly extensionsDir: string;
  stop(): Promise<void>;
  /** Workbench URL opening `folder`, optionally with an unpacked extension and its test entry. */
  url(folder: string, extensionPath?: string, testsPath?: string): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
};

/** Installs a packaged extension (.vsix) into an extensions folder with code-server's own CLI (offline). */
export function installVsix(vsix: string, extensionsDir: string): void {
  execFileSync(process.execPath, [ENTRY, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

export interface StartOptions {
  /** User settings for the fresh profile. */
  settings?: Record<string, unknown>;
  /** A .vsix to install into the fresh extensions folder before the server starts. */
  vsix?: string;
  /** Extra environment for the server (and so for its extension host). */
  env?: Record<string, string>;
}

/** Starts a server with a fresh user-data folder; resolves once /healthz answers. */
export async function start({ settings = {}, vsix, env = {} }: StartOptions = {}): Promise<Server> {
  const port = await freePort();
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-export-e2e-'));
  // under npm test, the run checks that the folder is gone once the tests are done
  if (process.env.RC_TEST_TEMP_LOG) fs.appendFileSync(process.env.RC_TEST_TEMP_LOG, `${run}\n`);
  const dataDir = path.join(run, 'data');
  const extensionsDir = path.join(run, 'extensions');
  fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  if (vsix) installVsix(vsix, extensionsDir);
  const config = path.join(run, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const log = fs.openSync(path.join(run, 'server.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      ENTRY,
      '--config',
      config,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      dataDir,
      '--extensions-dir',
      extensionsDir,
    ],
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } },
  );
  const pid = child.pid!;
  const origin = `http://127.0.0.1:${port}`;
  const stopProcess = async () => {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  // the server's folder (profile, extensions, logs, and whatever the caller put beside them) goes with it
  let stopped = false;
  const stop = async () => {
    await stopProcess();
    if (stopped) return;
    stopped = true;
    fs.closeSync(log);
    fs.rmSync(run, { recursive: true, force: true, maxRetries: 3 });
  };
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) {
      const text = fs.readFileSync(path.join(run, 'server.log'), 'utf8');
      await stop();
      throw new Error(`code-server exited: ${text}`);
    }
    try {
      const r = await fetch(`${origin}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = (folder: string, extensionPath?: string, testsPath?: string) => {
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload: [string, string][] = [];
    if (extensionPath) payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
    if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
    return `${origin}/?folder=${encodeURIComponent(folder)}${payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`;
  };
  return { pid, port, origin, dataDir, extensionsDir, stop, url };
}
