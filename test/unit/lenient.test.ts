/**
 * Measures never drop a row silently: values in forms SQL loads read (unpadded hours, `T…Z`,
 * `+00:00`, fractions, `TRUE`/`True`) are read as DuckDB reads them, and every measure equals DuckDB's
 * answer on such files; the validator still says the form is not the documented one. A value no SQL
 * load reads leaves its row out and is counted (by column, with the first row), in the result, the
 * CLI's text and JSON. One file that repeats a transaction is reduced to its latest version.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseBooleanLenient, parseTimestampLenient } from '../../src/core/load/lenient';
import { BOOL_FALSE, BOOL_INVALID, BOOL_TRUE, formatTimestamp } from '../../src/core/load/cells';
import { runMeasure } from '../../src/core/measures';
import { formatDay } from '../../src/core/measures/engine/dates';
import { formatResult } from '../../src/core/measures/engine/resultFormat';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { loadExportFile } from '../../src/node/loadFile';
import { DEFAULT_EXPORT_TIME, generateExport } from '../gen/generator';
import { setCells, sqlReadableForms } from '../gen/shape';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkAll } from '../support/measureCheck';
import { columnsOf, readCsv, writeCsv } from '../support/rewrite';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const EXPORT_DAY = Math.floor(DEFAULT_EXPORT_TIME / 86400);
const DAYS = [EXPORT_DAY, EXPORT_DAY - 45, EXPORT_DAY - 120];
const bytes = (s: string) => new TextEncoder().encode(s);

async function engine(files: string[]) {
  const o = await loadDeliveries(files);
  assert.ok(o.ok, o.ok ? '' : o.error.message);
  return mergeDeliveries(o.deliveries);
}

describe('SQL-readable values, unreadable ones, and one key rule', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));

  it('reads timestamps and booleans as DuckDB does, and nothing DuckDB refuses', async () => {
    const forms = [
      '2023-01-01 8:27:06',
      '2023-01-01T08:27:06Z',
      '2023-01-01 08:27:06+00:00',
      '2023-01-01 08:27:06.123456',
      '2023-01-01T8:27:06.5Z',
      '2023-01-01',
      '2023-1-5 08:27:06',
      '2023-01-01 08:27',
      '2023-01-01 24:00:00',
      '2024-02-29 00:00:00',
      ' 2023-01-01 08:27:06 ',
      '2023-01-01 08:27:06+0000',
      '2023-01-01 08:27:06 UTC',
      '2023-01-01 08:27:60',
      '2023-02-29 08:00:00',
      '2023-13-01 08:00:00',
      '2023-01-01 08:27:06z',
      '20230101 082706',
      'soon',
      '2023-01-01 25:00:00',
    ];
    for (const f of forms) {
      const [row] = await ref.rows(`SELECT TRY_CAST('${f}' AS TIMESTAMP)::VARCHAR AS t`);
      const ours = parseTimestampLenient(bytes(f), 0, f.length);
      const theirs = row.t as string | null;
      assert.equal(Number.isNaN(ours) ? null : formatTimestamp(ours), theirs, f);
    }
    for (const [f, want] of [
      ['True', BOOL_TRUE],
      ['FALSE', BOOL_FALSE],
      ['yes', BOOL_TRUE],
      ['0', BOOL_FALSE],
      ['maybe', BOOL_INVALID],
    ] as const)
      assert.equal(parseBooleanLenient(bytes(f), 0, f.length), want, f);
  });

  for (const version of ['v5', 'v7'] as const) {
    it(`${version}: every measure equals DuckDB on a file with SQL-readable forms; the validator names them`, async () => {
      const g = generateExport({ version, rows: 5000, seed: 61, exportTime: DEFAULT_EXPORT_TIME });
      const shaped = sqlReadableForms(g.text, ',', 62, 0.25);
      assert.ok(shaped.timestamps > 1000 && shaped.booleans > 1000);
      const file = writeGz(dir, `${version}-forms-transactions_${DEFAULT_EXPORT_TIME}.csv.gz`, shaped.text);
      const input = await engine([file]);
      await ref.load([{ path: file, delimiter: ',', delivery: DEFAULT_EXPORT_TIME }]);
      const seen = new Set<string>();
      await checkAll(input, ref, { days: DAYS, hasAttributes: true }, version, seen);
      for (const c of ['active subscriptions', 'active trials', 'MRR', 'revenue revenue_net_of_refunds'])
        assert.ok(seen.has(c), c);
      const r = runMeasure('active-subscriptions', input, { date: formatDay(DAYS[1]) });
      assert.deepEqual(r.unreadable, {});
      const o = await loadExportFile(file, {});
      assert.ok(o.ok);
      const v = o.value.validation!;
      const formats = v.tallies.filter((t) => t.rule === 'timestamp-format');
      assert.ok(formats.reduce((n, t) => n + t.count, 0) > 500);
      assert.ok(
        v.problems.some(
          (p) => p.rule === 'timestamp-format' && /SQL loads and the measures read it as/.test(p.message),
        ),
      );
      // True/False: once per column, with a count, saying what they are
      const sample = v.problems.filter((p) => p.rule === 'sample-encoding');
      assert.ok(sample.length >= 3 && sample.length <= 6, String(sample.length));
      assert.equal(new Set(sample.map((p) => p.column)).size, sample.length);
      assert.ok(
        sample.every((p) => /example data file writes booleans.*\(\d[\d,]* rows in is_/.test(p.message)),
        sample[0].message,
      );
      assert.equal(v.problems.filter((p) => p.rule === 'type-error').length, 0);
    });
  }

  it('a value no SQL load reads leaves its row out, counted by column with the first row (core, CLI text and JSON)', async () => {
    const g = generateExport({ version: 'v5', rows: 3000, seed: 63 });
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    // rows active on the date, so leaving them out changes the count
    const day = formatDay(DAYS[1]);
    const active = csv.rows
      .map((r, i) => ({ r, i }))
      .filter(
        ({ r }) =>
          cell(r, 'effective_end_time') !== null &&
          cell(r, 'effective_end_time')! > `${day} 23:59:59` &&
          cell(r, 'start_time')! < day &&
          cell(r, 'is_trial_period') === 'false',
      )
      .map(({ i }) => i);
    const bad = active.slice(0, 7);
    const text = setCells(g.text, ',', 'effective_end_time', bad, 'until cancelled');
    const file = writeGz(dir, 'unreadable.csv.gz', text);
    const input = await engine([file]);
    const r = runMeasure('active-subscriptions', input, { date: day });
    assert.deepEqual(r.unreadable, {
      effective_end_time: { rows: 7, first: { file, row: bad[0] + 1, value: 'until cancelled' } },
    });
    // the same file without those rows, by DuckDB
    const kept = writeCsv({ header: csv.header, rows: csv.rows.filter((_, i) => !bad.includes(i)) }, ',');
    const without = writeGz(dir, 'without.csv.gz', kept);
    await ref.load([{ path: without, delimiter: ',', delivery: 0 }]);
    assert.equal(r.value, await ref.active(day, false));
    // a series leaves the same rows out: each day equals DuckDB on the file without them
    const series = runMeasure('active-subscriptions', input, {
      from: formatDay(DAYS[1] - 2),
      to: formatDay(DAYS[1] + 2),
      resolution: 'day',
    });
    assert.deepEqual(series.unreadable, r.unreadable);
    const values = series.value as Record<string, number | null>;
    assert.equal(Object.keys(values).length, 5);
    for (let d = DAYS[1] - 2; d <= DAYS[1] + 2; d++)
      assert.equal(values[formatDay(d)], await ref.active(formatDay(d), false), formatDay(d));
    assert.match(
      formatResult(r),
      /unreadable +rows left out: 7 with an unreadable effective_end_time \(first: "until cancelled" at row \d+\)/,
    );
    const out = spawnSync(
      process.execPath,
      [CLI, 'measure', 'active-subscriptions', '--date', day, file, '--format', 'json'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(out.status, 0, out.stderr);
    assert.equal(JSON.parse(out.stdout).unreadable.effective_end_time.rows, 7);
    const txt = spawnSync(process.execPath, [CLI, 'measure', 'active-subscriptions', '--date', day, file], {
      encoding: 'utf8',
    });
    assert.match(txt.stdout, /unreadable .*7 with an unreadable effective_end_time/);
    // the validator calls it what it is: not a timestamp
    const o = await loadExportFile(file, {});
    assert.ok(o.ok);
    assert.equal(
      o.value.validation!.tallies.find((t) => t.rule === 'type-error' && t.column === 'effective_end_time')!.count,
      7,
    );
  });

  it('one file that repeats no transaction is measured as it is, without a merge pass', async () => {
    const g = generateExport({ version: 'v5', rows: 2000, seed: 65 });
    const file = writeGz(dir, 'no-repeats.csv.gz', g.text);
    const input = await engine([file]);
    assert.equal(input.superseded, 0);
    assert.equal(input.parts.length, 1);
    assert.equal(input.parts[0].rows, null);
    // one repeat, quoted differently from its first appearance, is still found
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    const copy = [...csv.rows[5]];
    cell(copy, 'updated_at', '2029-06-01 00:00:00');
    const id = cell(copy, 'store_transaction_id')!;
    const text = writeCsv({ header: csv.header, rows: [...csv.rows, copy] }, ',').replace(
      /\n([^\n]*)\n$/,
      (_, last: string) => '\n' + last.split(id).join(`"${id}"`) + '\n',
    );
    const one = await engine([writeGz(dir, 'one-repeat.csv.gz', text)]);
    assert.equal(one.superseded, 1);
    assert.equal(one.parts[0].rows!.length, 2000);
  });

  it('one file that repeats a transaction is measured with its latest version, and superseded says so', async () => {
    const g = generateExport({ version: 'v5', rows: 4000, seed: 64 });
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    // later in the file: newer versions of 300 transactions (refunded: price 0), and older copies of 100 more
    const newer = csv.rows.slice(0, 300).map((r) => {
      const row = [...r];
      cell(row, 'updated_at', '2029-06-01 00:00:00');
      cell(row, 'price_in_usd', '0');
      cell(row, 'refunded_at', cell(row, 'start_time'));
      cell(row, 'effective_end_time', cell(row, 'start_time'));
      return row;
    });
    const olderCopies = csv.rows.slice(1000, 1100).map((r) => {
      const row = [...r];
      cell(row, 'updated_at', '2000-01-01 00:00:00');
      cell(row, 'price_in_usd', '999');
      return row;
    });
    const file = writeGz(
      dir,
      'repeats.csv.gz',
      writeCsv({ header: csv.header, rows: [...csv.rows, ...newer, ...olderCopies] }, ','),
    );
    const input = await engine([file]);
    assert.equal(input.superseded, 400);
    await ref.load([{ path: file, delimiter: ',', delivery: 0 }]);
    assert.equal(await ref.count(), 4000);
    await checkAll(input, ref, { days: DAYS, hasAttributes: true }, 'repeats', new Set());
    const r = runMeasure('revenue', input, { date: formatDay(DAYS[1]) });
    assert.equal(r.superseded, 400);
    assert.match(formatResult(r), /superseded +400 \(older versions of the same key within the file\)/);
  });
});
