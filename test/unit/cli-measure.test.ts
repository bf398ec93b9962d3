import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MEASURE_NAMES, runMeasure } from '../../src/core/measures';
import { formatDay, parseDay, weekStart } from '../../src/core/measures/engine/dates';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { exportFileName, generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';
import { columnsOf, readCsv, writeCsv } from '../support/rewrite';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const KEYS = ['measure', 'params', 'value', 'files', 'rows', 'superseded', 'droppedForNull', 'variant'];

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'measure', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

const ARGS: Record<string, string[]> = {
  'active-subscriptions-with-attribute': ['--attribute', 'plan_tier=gold'],
  'weekly-revenue': ['--from', '2024-11-01', '--to', '2024-12-31'],
  revenue: ['--date', '2024-12-30'],
};

describe('rc-export measure', () => {
  const dir = tempDir();
  const v5 = generateExport({ version: 'v5', rows: 1500, seed: 21 });
  const file = writeGz(dir, v5.fileName, v5.text);
  const v3 = generateExport({ version: 'v3', rows: 800, seed: 22, delimiter: ';' });
  const v3file = writeGz(dir, 'v3-' + v3.fileName, v3.text);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints every measure as the documented JSON, with the values the engine gives in-process', async () => {
    const o = await loadDeliveries([file]);
    assert.ok(o.ok);
    const input = mergeDeliveries(o.deliveries);
    for (const name of MEASURE_NAMES) {
      const r = cli(name, ...(ARGS[name] ?? []), '--format', 'json', file);
      assert.equal(r.code, 0, r.err);
      const j = r.json();
      assert.deepEqual(Object.keys(j).slice(0, KEYS.length), KEYS);
      assert.equal(j.measure, name);
      assert.deepEqual(j.files, [file]);
      assert.equal(j.rows, 1500);
      assert.equal(j.superseded, 0);
      // the measures of part 2 list the corrections they make to the documented query
      if (/movement|retention|ltv|conversion/.test(name)) assert.match(j.variant, /^v5: corrected: /);
      else assert.equal(j.variant, 'v5: the documented query as written');
      const a = ARGS[name] ?? [];
      const req = {
        date: a[a.indexOf('--date') + 1],
        from: a.includes('--from') ? a[a.indexOf('--from') + 1] : undefined,
        to: a.includes('--to') ? a[a.indexOf('--to') + 1] : undefined,
        key: a.length && name.endsWith('attribute') ? 'plan_tier' : undefined,
        value: name.endsWith('attribute') ? 'gold' : undefined,
      };
      if (!a.includes('--date')) delete (req as { date?: string }).date;
      const engine = runMeasure(name, input, req);
      assert.deepEqual(j.value, engine.value, name);
      assert.equal(j.droppedForNull, engine.droppedForNull);
    }
  });

  it('value shapes: numbers for counts and MRR, named parts for the others', () => {
    const count = cli('active-subscriptions', '--format', 'json', file).json();
    assert.equal(typeof count.value, 'number');
    assert.deepEqual(count.params, { date: '2025-01-01', dateSource: 'file name' });
    assert.equal(typeof cli('mrr', '--format', 'json', file).json().value, 'number');
    assert.deepEqual(Object.keys(cli('revenue', '--date', '2024-12-30', '--format', 'json', file).json().value), [
      'gross_revenue',
      'revenue_net_of_refunds',
      'revenue_net_of_taxes',
      'proceeds',
    ]);
    assert.deepEqual(Object.keys(cli('active-subscriptions-by-auto-renew', '--format', 'json', file).json().value), [
      'Set to cancel',
      'Set to renew',
    ]);
    assert.deepEqual(Object.keys(cli('active-trials-by-grace-period', '--format', 'json', file).json().value), [
      'in_grace_period',
      'in_trial_period',
    ]);
    const weekly = cli('weekly-revenue', '--format', 'json', file).json();
    const to = parseDay(weekly.params.to)!;
    assert.equal(weekly.params.to, '2025-01-01');
    for (const w of Object.keys(weekly.value)) {
      const d = parseDay(w)!;
      assert.equal(weekStart(d), d, `${w} is a Monday`);
      assert.ok(d <= to && d >= weekStart(to) - 77);
    }
    const range = cli('revenue', '--from', '2024-12-25', '--to', '2024-12-31', '--format', 'json', file).json();
    assert.deepEqual(Object.keys(range.value), [
      '2024-12-25',
      '2024-12-26',
      '2024-12-27',
      '2024-12-28',
      '2024-12-29',
      '2024-12-30',
      '2024-12-31',
    ]);
  });

  it('a v3 export: gross revenue is null, the variant says what differs', () => {
    const r = cli('revenue', '--date', '2024-12-30', '--format', 'json', v3file).json();
    assert.equal(r.value.gross_revenue, null);
    assert.match(r.variant, /^v3: gross_revenue unknown/);
    assert.match(cli('mrr', v3file).out, /product_duration/);
  });

  it('a folder merges its deliveries', async () => {
    const folder = path.join(dir, 'bucket');
    fs.mkdirSync(path.join(folder, '2025-01-01'), { recursive: true });
    fs.mkdirSync(path.join(folder, '2025-01-02'), { recursive: true });
    fs.copyFileSync(file, path.join(folder, '2025-01-01', v5.fileName));
    // the next day repeats the last 300 transactions, 100 of them changed later
    const csv = readCsv(v5.text, ',');
    const cell = columnsOf(csv);
    const rows = csv.rows.slice(-300);
    rows.slice(0, 100).forEach((row) => {
      cell(row, 'updated_at', '2025-01-01 12:00:00');
      cell(row, 'unsubscribe_detected_at', '2025-01-01 11:00:00');
    });
    const next = exportFileName(1735776000);
    writeGz(path.join(folder, '2025-01-02'), next, writeCsv({ header: csv.header, rows }, ','));
    const r = cli('active-subscriptions-by-auto-renew', '--format', 'json', folder);
    assert.equal(r.code, 0, r.err);
    const j = r.json();
    assert.equal(j.files.length, 2);
    assert.equal(j.superseded, 300);
    assert.equal(j.rows, 1500);
    assert.equal(j.params.date, '2025-01-02');
    const o = await loadDeliveries([
      path.join(folder, '2025-01-01', v5.fileName),
      path.join(folder, '2025-01-02', next),
    ]);
    assert.ok(o.ok);
    assert.deepEqual(
      j.value,
      runMeasure('active-subscriptions-by-auto-renew', mergeDeliveries(o.deliveries), { date: '2025-01-02' }).value,
    );
    assert.match(cli('active-subscriptions', folder).out, /2 deliveries, merged/);
  });

  it('without a timestamp in the file name the date is the latest updated_at, else the latest start_time', () => {
    const renamed = writeGz(dir, 'export.csv.gz', v5.text);
    const csv = readCsv(v5.text, ',');
    const cell = columnsOf(csv);
    const latest = (col: string) =>
      csv.rows
        .map((r) => cell(r, col)!)
        .sort()
        .pop()!
        .slice(0, 10);
    assert.deepEqual(cli('active-subscriptions', '--format', 'json', renamed).json().params, {
      date: latest('updated_at'),
      dateSource: 'latest updated_at',
    });
    const old = writeGz(dir, 'old.csv.gz', v3.text);
    const v3csv = readCsv(v3.text, ';');
    const v3cell = columnsOf(v3csv);
    const start = v3csv.rows
      .map((r) => v3cell(r, 'start_time')!)
      .sort()
      .pop()!
      .slice(0, 10);
    assert.deepEqual(cli('active-subscriptions', '--format', 'json', old).json().params, {
      date: start,
      dateSource: 'latest start_time',
    });
    assert.equal(formatDay(parseDay(start)!), start);
  });

  it('text output is an aligned table of the facts', () => {
    const r = cli('active-subscriptions', file);
    assert.equal(r.code, 0);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^Active Subscriptions — .*scheduled-data-exports_2$/);
    const labels = lines.slice(1).map((l) => /^ {2}(\S.*?)\s{3}/.exec(l)?.[1]);
    assert.deepEqual(labels, ['date', 'value', 'files', 'rows', 'superseded', 'dropped for NULL', 'variant', 'time']);
    const column = new Set(lines.slice(1).map((l) => l.search(/(?<=\S {3,})\S/)));
    assert.equal(column.size, 1, 'values start in one column');
  });

  it('exit codes: 2 for a wrong command line or an unreadable file, 1 when the files cannot answer', () => {
    assert.equal(cli('no-such-measure', file).code, 2);
    assert.equal(cli('active-subscriptions', '--date', '2025-02-30', file).code, 2);
    assert.equal(cli('active-subscriptions', '--date', '2025-01-01', '--resolution', 'fortnight', file).code, 2);
    assert.equal(cli('active-subscriptions', '--from', '2025-01-02', '--to', '2025-01-01', file).code, 2);
    assert.equal(cli('realized-ltv-segments', '--to', '2025-01-01', file).code, 2);
    assert.equal(cli('revenue', '--from', '2025-01-01', file).code, 2);
    assert.equal(cli('active-subscriptions-with-attribute', file).code, 2);
    assert.equal(cli('active-subscriptions', path.join(dir, 'nothing-here')).code, 2);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    assert.match(cli('active-subscriptions', empty).err, /no export files/);
    const junk = writeRaw(dir, 'junk.csv.gz', 'not gzip\n');
    const bad = cli('mrr', '--format', 'json', junk);
    assert.equal(bad.code, 2);
    assert.equal(bad.json().error.code, 'not-gzip');
    const v1 = writeGz(dir, 'v1.csv.gz', generateExport({ version: 'v1', rows: 50, seed: 3 }).text);
    const r = cli('active-subscriptions-with-attribute', '--attribute', 'plan_tier=gold', v1);
    assert.equal(r.code, 1);
    assert.match(r.err, /custom_subscriber_attributes/);
  });
});
