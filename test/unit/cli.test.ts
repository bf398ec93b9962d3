import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rc-export CLI', () => {
  const dir = tempDir();
  const clean = writeGz(
    dir,
    'transactions_1735689600.csv.gz',
    generateExport({ version: 'v4', rows: 500, seed: 3, delimiter: ';' }).text,
  );
  const bad = generateExport({
    version: 'v5',
    rows: 400,
    seed: 4,
    inject: ['type-error', 'enum-value', 'missing-cell'],
  });
  const badFile = writeGz(dir, 'bad.csv.gz', bad.text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('info describes version, delimiter, rows, columns and the date range', () => {
    const r = cli('info', clean, '--format', 'json');
    assert.equal(r.code, 0, r.err);
    const info = JSON.parse(r.out);
    assert.equal(info.feed, 'transactions');
    assert.equal(info.template, 'v4');
    assert.equal(info.delimiter, ';');
    assert.equal(info.rows, 500);
    assert.equal(info.columns.length, 40);
    assert.equal(info.exportTime, '2025-01-01 00:00:00');
    assert.match(info.startTime.min, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(cli('info', clean).out, /template\s+v4 \(detected\)/);
  });

  it('validate exits 0 on a clean file and 1 with errors, with the documented JSON', () => {
    const ok = cli('validate', clean, '--format', 'json');
    assert.equal(ok.code, 0, ok.out);
    const report = JSON.parse(ok.out);
    assert.deepEqual(Object.keys(report), [
      'file',
      'template',
      'templateSource',
      'delimiter',
      'rows',
      'counts',
      'problems',
    ]);
    assert.equal(report.templateSource, 'detected');
    assert.equal(report.counts.error, 0);

    const r = cli('validate', badFile, '--format', 'json', '--max-problems', '0');
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    for (const inj of bad.manifest) {
      const p = j.problems.find(
        (x: { rule: string; row: number | null; column: string | null }) =>
          x.rule === inj.rule && x.row === inj.row && x.column === inj.column,
      );
      assert.ok(p, `${inj.rule} at row ${inj.row}`);
      assert.equal(p.line, inj.line);
      assert.deepEqual(Object.keys(p), ['rule', 'severity', 'row', 'line', 'column', 'value', 'message']);
    }
  });

  it('an explicit --template overrides detection', () => {
    const r = cli('validate', clean, '--template', 'v5', '--format', 'json');
    const j = JSON.parse(r.out);
    assert.equal(j.template, 'v5');
    assert.equal(j.templateSource, 'option');
    // v5's four newer columns are absent: a column selection, said once as information, not an error
    assert.equal(r.code, 0, r.out);
    const missing = j.problems.filter((p: { rule: string }) => p.rule === 'missing-label');
    assert.equal(missing.length, 1);
    assert.equal(missing[0].severity, 'information');
    assert.match(
      missing[0].message,
      /4 columns of v5 are not in this delivery.*offer, offer_type, first_seen_time, auto_resume_time/,
    );
  });

  it('several files give an array; an unreadable one makes the exit code 2', () => {
    const junk = writeRaw(dir, 'junk.csv.gz', 'not gzip at all\n');
    const r = cli('validate', clean, junk, '--format', 'json');
    assert.equal(r.code, 2);
    const j = JSON.parse(r.out);
    assert.equal(j.length, 2);
    assert.equal(j[1].error.code, 'not-gzip');
    assert.match(cli('validate', junk).out, /cannot read \(not-gzip\)/);
  });

  it('--max-problems caps the list, not the counts', () => {
    const r = JSON.parse(cli('validate', badFile, '--format', 'json', '--max-problems', '1').out);
    assert.equal(r.problems.length, 1);
    assert.ok(r.counts.error + r.counts.warning + r.counts.information >= 3);
  });

  it('wrong usage exits 2 with a message', () => {
    assert.equal(cli('validate').code, 2);
    assert.equal(cli('validate', clean, '--template', 'v9').code, 2);
    assert.match(cli('frobnicate', clean).err, /unknown command/);
    assert.equal(cli('validate', clean, '--max-bytes', 'lots').code, 2);
  });

  it('--max-bytes stops a file that decompresses past the limit', () => {
    const r = cli('validate', clean, '--max-bytes', '4096', '--format', 'json');
    assert.equal(r.code, 2);
    assert.equal(JSON.parse(r.out).error.code, 'too-large');
  });
});
