/**
 * The rc-export error contract: every failure exits 2 with one readable line (no stack trace), or,
 * with --format json, an `error` object on stdout whose code the README documents; help is asked
 * for and printed with exit 0; options are checked, not guessed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES } from '../../src/cli/args';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const STACK = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('rc-export error contract', () => {
  const dir = tempDir();
  const file = writeGz(dir, 'transactions_1735689600.csv.gz', generateExport({ version: 'v5', rows: 50 }).text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--help, help and COMMAND --help print the usage on stdout and exit 0', () => {
    for (const args of [['--help'], ['help'], ['validate', '--help'], ['measure', '--help']]) {
      const r = cli(...args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.match(r.out, /^Usage:/);
      assert.equal(r.err, '');
    }
    const none = cli();
    assert.equal(none.code, 2);
    assert.match(none.err, /name a command/);
  });

  it('unknown switches, an empty --max-problems and malformed numbers are usage errors', () => {
    for (const args of [
      ['validate', file, '--frobnicate'],
      ['validate', file, '--max-problems', ''],
      ['validate', file, '--max-problems='],
      ['validate', file, '--max-problems', '1e2'],
      ['validate', file, '--max-bytes', ' 12'],
      ['info', file, '--help=yes'],
    ]) {
      const r = cli(...args);
      assert.equal(r.code, 2, `${JSON.stringify(args)} exits ${r.code}: ${r.out}`);
      assert.match(r.err, /^rc-export: /, JSON.stringify(args));
      assert.doesNotMatch(r.err, STACK);
    }
  });

  it('usage errors honour --format json: an error object on stdout, nothing on stderr', () => {
    for (const args of [
      ['validate', file, '--format', 'json', '--frobnicate'],
      ['validate', '--format=json'],
      ['frobnicate', file, '--format', 'json'],
      ['measure', 'no-such-measure', file, '--format', 'json'],
      ['measure', 'mrr', file, '--date', 'yesterday', '--format', 'json'],
    ]) {
      const r = cli(...args);
      assert.equal(r.code, 2, JSON.stringify(args));
      assert.equal(r.err, '', JSON.stringify(args));
      const j = JSON.parse(r.out) as { error: { code: string; message: string } };
      assert.equal(j.error.code, 'usage', JSON.stringify(args));
      assert.ok(j.error.message.length > 0);
    }
  });

  it('says sizes people can read: --max-bytes 100', () => {
    const r = cli('validate', file, '--max-bytes', '100', '--format', 'json');
    assert.equal(r.code, 2);
    const j = JSON.parse(r.out) as { error: { code: string; message: string } };
    assert.equal(j.error.code, 'too-large');
    assert.match(j.error.message, /beyond the 100 B loading limit/);
    assert.doesNotMatch(j.error.message, /0\.0 GiB/);
  });

  it('the README documents every error code the CLI can print', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Errors'));
    assert.ok(readme.includes('### Errors'), 'README has an "### Errors" section');
    for (const code of ERROR_CODES) assert.ok(section.includes(`\`${code}\``), `README does not document ${code}`);
  });
});
