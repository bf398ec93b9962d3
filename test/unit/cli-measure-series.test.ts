/** rc-export measure over a range: the JSON contract of measures-2.md, and --format csv. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'measure', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('rc-export measure: series, movements, tables, CSV', function () {
  this.timeout(120_000);
  const dir = tempDir();
  const g = generateExport({ version: 'v5', rows: 3000, seed: 8 });
  const file = writeGz(dir, g.fileName, g.text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a point-in-time measure over a range: value keyed by period start, params with from, to, resolution', () => {
    const r = cli(
      'active-subscriptions',
      '--from',
      '2024-11-15',
      '--to',
      '2025-01-01',
      '--resolution',
      'month',
      '--format',
      'json',
      file,
    );
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { params: Record<string, string>; value: Record<string, number> };
    assert.deepEqual(j.params, { from: '2024-11-15', to: '2025-01-01', resolution: 'month' });
    assert.deepEqual(Object.keys(j.value), ['2024-11-15', '2024-12-01', '2025-01-01']);
    for (const v of Object.values(j.value)) assert.ok(Number.isInteger(v) && v > 0);
    // the last period's value is the one-date measure on the range's last day
    const one = JSON.parse(cli('active-subscriptions', '--date', '2025-01-01', '--format', 'json', file).out) as {
      value: number;
    };
    assert.equal(j.value['2025-01-01'], one.value);
  });

  it('a movement by default: the 90 days up to the export date, one object per day', () => {
    const r = cli('active-subscriptions-movement', '--format', 'json', file);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { params: Record<string, string>; value: Record<string, Record<string, number>> };
    assert.equal(j.params.from, '2024-10-04');
    assert.equal(j.params.to, '2025-01-01');
    assert.equal(Object.keys(j.value).length, 90);
    for (const v of Object.values(j.value)) {
      assert.deepEqual(Object.keys(v), ['new_actives', 'renewals', 'expirations', 'churned_actives', 'movement']);
      assert.equal(v.churned_actives, v.expirations - v.renewals);
      assert.equal(v.movement, v.new_actives - v.churned_actives);
    }
  });

  it('--format csv writes the result table: one row per period, or per result row', () => {
    const r = cli(
      'mrr-movement',
      '--from',
      '2024-12-01',
      '--to',
      '2024-12-31',
      '--resolution',
      'week',
      '--format',
      'csv',
      file,
    );
    assert.equal(r.code, 0, r.err);
    const rows = parse(r.out) as string[][];
    assert.deepEqual(rows[0], ['period_start', 'new_mrr', 'renewal_mrr', 'expired_mrr', 'churned_mrr', 'movement']);
    assert.deepEqual(
      rows.slice(1).map((x) => x[0]),
      ['2024-12-01', '2024-12-02', '2024-12-09', '2024-12-16', '2024-12-23', '2024-12-30'],
    );
    const json = JSON.parse(cli('subscription-retention', '--format', 'json', file).out) as {
      value: Record<string, unknown>[];
    };
    const csv = parse(cli('subscription-retention', '--format', 'csv', file).out) as string[][];
    assert.equal(csv.length, json.value.length + 1);
    assert.deepEqual(csv[0], Object.keys(json.value[0]));
    assert.deepEqual(csv[1], Object.values(json.value[0]).map(String));
  });
});
