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

export const VERSION = '4.100.3';
export const HOME = process.env.RC_CODE_SERVER_HOME ?? path.join(os.tmpdir(), `rc-export-code-server-${VERSION}`);
const SERVER = path.join(HOME, 'server');
const PKG = path.join(SERVER, 'node_modules', 'code-server');
const VSCODE = path.join(PKG, 'lib', 'vscode');
const ENTRY = path.join(PKG, 'out', 'node', 'entry.js');
const MARKER = path.join(SERVER, '.installed');

function sh(cmd: string, args: string[], cwd: string): void {
  const t = Date.now();
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'ignore', 'inherit'],
    // npx inside node-pty's install must not ask; node-gyp may use both cores
    env: {
      ...process.env,
      npm_config_yes: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_loglevel: 'error',
      JOBS: 'max',
    },
  });
  process.stdout.write(
    `  [code-server] ${[cmd, ...args].join(' ').slice(0, 90)} (${((Date.now() - t) / 1000).toFixed(1)} s)\n`,
  );
}

/** Installs code-server once (a marker file makes later calls instant). */
export function install(): void {
  if (fs.existsSync(MARKER) && fs.existsSync(ENTRY)) return;
  fs.mkdirSync(SERVER, { recursive: true });
  fs.writeFileSync(path.join(SERVER, 'package.json'), '{"name":"rc-export-e2e-host","private":true}\n');
  const npm = 'npm';
  // --ignore-scripts: code-server's postinstall would fetch ripgrep from the network
  sh(npm, ['install', '--ignore-scripts', `code-server@${VERSION}`], SERVER);
  sh(npm, ['install', '--omit=dev', '--ignore-scripts'], VSCODE);
  const rgDir = path.join(VSCODE, 'node_modules', '@vscode', 'ripgrep', 'bin');
  fs.mkdirSync(rgDir, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  fs.rmSync(path.join(rgDir, 'rg'), { force: true });
  fs.symlinkSync(rg, path.join(rgDir, 'rg'));
  // only the native modules the server and extension host load
  sh(npm, ['rebuild', '@vscode/spdlog', 'native-watchdog', 'node-pty', '@parcel/watcher', '@vscode/ripgrep'], VSCODE);
  sh(npm, ['rebuild', 'argon2'], SERVER);
  const link = (target: string, at: string) => {
    fs.rmSync(at, { force: true });
    fs.symlinkSync(target, at);
  };
  link('node_modules', path.join(VSCODE, 'node_modules.asar'));
  link('code-linux.sh', path.join(VSCODE, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', path.join(VSCODE, 'bin', 'helpers', 'browser.sh'));
  sh(npm, ['install', '--omit=dev'], path.join(VSCODE, 'extensions'));
  fs.writeFileSync(MARKER, new Date().toISOString());
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
  const stop = async () => {
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
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited: ${fs.readFileSync(path.join(run, 'server.log'), 'utf8')}`);
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
