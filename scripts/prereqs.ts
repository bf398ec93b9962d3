/**
 * What the code-server install (and the tests' browser) needs from the machine, checked before anything is
 * installed: one message names everything missing and the apt line that installs it. Also where Node's own
 * headers are, so node-gyp builds native modules against them instead of downloading a copy.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Prerequisite {
  /** Commands of which one must be on PATH. */
  readonly commands: readonly string[];
  /** The Debian/Ubuntu package that provides it. */
  readonly apt: string;
  /** What it is needed for, in a few words. */
  readonly why: string;
}

/** For installing code-server: its search tool and a toolchain for its native modules. */
export const SERVER_PREREQUISITES: readonly Prerequisite[] = [
  { commands: ['rg'], apt: 'ripgrep', why: 'search in VS Code' },
  { commands: ['g++', 'c++'], apt: 'g++', why: 'building native modules' },
  { commands: ['make'], apt: 'make', why: 'building native modules' },
  { commands: ['python3'], apt: 'python3', why: 'node-gyp' },
];

/** For the tests in a real VS Code: the browser that drives it. */
export const BROWSER_PREREQUISITE: Prerequisite = { commands: ['chromium'], apt: 'chromium', why: 'the UI tests' };

/** The full path of a command on PATH (as the shell finds it), or null. */
export function which(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8', env });
  const found = r.status === 0 ? r.stdout.trim() : '';
  return found || null;
}

/** The prerequisites none of whose commands is on PATH. */
export function missing(list: readonly Prerequisite[], env: NodeJS.ProcessEnv = process.env): Prerequisite[] {
  return list.filter((p) => !p.commands.some((c) => which(c, env)));
}

/** One message for everything missing: what, why, and the apt line. Null when nothing is missing. */
export function missingMessage(gaps: readonly Prerequisite[], doing: string): string | null {
  if (gaps.length === 0) return null;
  const names = gaps.map((p) => `${p.commands.join(' or ')} (${p.why})`).join(', ');
  const apt = [...new Set(gaps.map((p) => p.apt))].join(' ');
  return (
    `${doing} needs programs that are not on PATH: ${names}.\n` +
    `Install them with:\n\n  sudo apt-get install -y ${apt}\n\nthen run the command again. Nothing was installed.`
  );
}

/** Throws one message naming every missing prerequisite, before anything is installed. */
export function requirePrerequisites(list: readonly Prerequisite[], doing: string): void {
  const message = missingMessage(missing(list), doing);
  if (message) throw new Error(message);
}

/**
 * The folder holding Node's headers (include/node/node.h) for the Node running this script, or null.
 * Official tarballs and NodeSource's packages ship them beside the binary's prefix.
 */
export function nodeHeadersDir(execPath: string = process.execPath): string | null {
  const prefix = path.dirname(path.dirname(fs.realpathSync(execPath)));
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : null;
}
