/**
 * The set-up scripts: npm start names every missing prerequisite at once, with the apt line, before it
 * installs anything; node-gyp is pointed at the running Node's headers; the start request opens the
 * sample only in the window of its folder, and only once.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  BROWSER_PREREQUISITE,
  missing,
  missingMessage,
  nodeHeadersDir,
  SERVER_PREREQUISITES,
} from '../../scripts/prereqs';
import { claimOpenRequest, writeOpenRequest } from '../../src/node/openRequest';
import { tempDir } from '../support/files';

const root = path.join(__dirname, '..', '..', '..');

/** A PATH of one folder holding links to just these programs (sh always: the lookup runs in it). */
function pathWith(dir: string, programs: string[]): string {
  for (const p of ['sh', ...programs]) {
    fs.symlinkSync(p === 'sh' ? '/bin/sh' : '/bin/true', path.join(dir, p));
  }
  return dir;
}

describe('set-up scripts', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('names every missing program at once, with the apt line that installs them', () => {
    const env = { PATH: pathWith(dir(), ['rg', 'make']) };
    const gaps = missing([...SERVER_PREREQUISITES, BROWSER_PREREQUISITE], env);
    assert.deepEqual(
      gaps.map((g) => g.apt),
      ['g++', 'python3', 'chromium'],
    );
    const message = missingMessage(gaps, 'Installing code-server')!;
    assert.match(message, /g\+\+ or c\+\+ \(building native modules\)/);
    assert.match(message, /python3 \(node-gyp\)/);
    assert.match(message, /chromium \(the UI tests\)/);
    assert.match(message, /sudo apt-get install -y g\+\+ python3 chromium/);
    assert.doesNotMatch(message, /ripgrep|make/);
  });

  it('takes either name of a program that has two (c++ for g++)', () => {
    const env = { PATH: pathWith(dir(), ['rg', 'c++', 'make', 'python3']) };
    assert.deepEqual(missing(SERVER_PREREQUISITES, env), []);
    assert.equal(missingMessage([], 'x'), null);
  });

  it('npm start stops before installing anything when a prerequisite is missing, and says what to install', () => {
    const home = dir();
    const bin = pathWith(dir(), ['make']);
    const r = spawnSync(process.execPath, [path.join(root, 'out', 'scripts', 'start.js')], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: bin, HOME: home, RC_CODE_SERVER_HOME: path.join(home, 'cs') },
      timeout: 60_000,
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /rg \(search in VS Code\), g\+\+ or c\+\+ \(building native modules\), python3/);
    assert.match(r.stderr, /sudo apt-get install -y ripgrep g\+\+ python3\n/);
    assert.match(r.stderr, /Nothing was installed/);
    assert.equal(fs.existsSync(path.join(home, 'cs')), false, 'the install folder was not created');
  });

  it("node-gyp gets the running Node's own headers", () => {
    const headers = nodeHeadersDir();
    // on this machine's Node (NodeSource / nodejs.org layout) the headers are beside the binary
    assert.ok(headers, `no include/node/node.h beside ${process.execPath}`);
    assert.ok(fs.existsSync(path.join(headers, 'include', 'node', 'common.gypi')));
    const node = path.join(headers, 'include', 'node', 'node_version.h');
    const major = /#define NODE_MAJOR_VERSION (\d+)/.exec(fs.readFileSync(node, 'utf8'))?.[1];
    assert.equal(major, process.versions.node.split('.')[0], 'the headers are of the Node that runs the build');
    // a Node without them is told so
    const bare = dir();
    fs.mkdirSync(path.join(bare, 'bin'));
    fs.writeFileSync(path.join(bare, 'bin', 'node'), '');
    assert.equal(nodeHeadersDir(path.join(bare, 'bin', 'node')), null);
  });

  it('the start request opens the sample in the window of its folder only, and only once', () => {
    const d = dir();
    const request = path.join(d, 'open.json');
    writeOpenRequest(request, path.join(d, 'samples', 'a.csv.gz'), path.join(d, 'samples'));
    assert.equal(claimOpenRequest(request, [path.join(d, 'other')]), null, 'another folder opens nothing');
    assert.equal(claimOpenRequest(request, []), null, 'a window without a folder opens nothing');
    assert.equal(claimOpenRequest(request, [path.join(d, 'samples') + '/']), path.join(d, 'samples', 'a.csv.gz'));
    assert.equal(claimOpenRequest(request, [path.join(d, 'samples')]), null, 'a second window opens nothing');
    assert.equal(claimOpenRequest(undefined, [path.join(d, 'samples')]), null);
  });
});
