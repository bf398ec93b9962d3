/**
 * From a chart's point to its rows (src/core/measures/rowSets.ts): on generated exports, the rows
 * behind a value are as many as the value counts, and they are the rows DuckDB's WHERE of the
 * documented query selects (by row number in one file, by transaction key in a merged folder).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { measureByName, runMeasure, type MeasureInput, type MeasureRequest } from '../../src/core/measures';
import { formatDay, parseDay } from '../../src/core/measures/engine/dates';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { measureRows, type PointRef } from '../../src/core/measures/rowSets';
import { loadDeliveries } from '../../src/node/deliveries';
import { DEFAULT_EXPORT_TIME, exportFileName, generateExport } from '../gen/generator';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { columnsOf, readCsv, writeCsv } from '../support/rewrite';

const A = Math.floor(DEFAULT_EXPORT_TIME / 86400);

async function engine(files: string[]): Promise<MeasureInput> {
  const o = await loadDeliveries(files);
  assert.ok(o.ok, o.ok ? '' : o.error.message);
  return mergeDeliveries(o.deliveries);
}

function rows(input: MeasureInput, name: string, req: MeasureRequest, point: PointRef) {
  return measureRows(measureByName(name)!, input, req, point);
}

function series(input: MeasureInput, name: string, req: MeasureRequest): Record<string, unknown> {
  return runMeasure(name as never, input, req).value as Record<string, unknown>;
}

/**
 * Row numbers (0-based places in the file) of the rows DuckDB's WHERE selects among the latest
 * versions (table m), found back in the file's rows as read (table rc, whose ord is the place + 1).
 */
async function rowids(ref: DuckRef, where: string): Promise<number[]> {
  const cond =
    where
      .trim()
      .replace(/^WHERE\b/i, '')
      .trim() || 'true';
  const sql = `SELECT ord - 1 AS r FROM rc WHERE EXISTS (SELECT 1 FROM m
      WHERE m.store_transaction_id = rc.store_transaction_id
        AND m.renewal_number IS NOT DISTINCT FROM rc.renewal_number
        AND m.updated_at IS NOT DISTINCT FROM rc.updated_at AND (${cond})) ORDER BY ord`;
  return (await ref.rows(sql)).map((x) => Number(x.r));
}

const lit = (s: string) => `'${s}'`;

/** _10's F, corrected as the measure is. */
function movementF(ref: DuckRef, from: string, to: string): string {
  return `(CAST(start_time AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)}
      OR CAST(effective_end_time AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)})
    AND is_trial_period = 'false' AND date_diff('second', start_time, end_time)::DOUBLE > 0
    ${ref.own()} AND store != 'promotional' AND is_sandbox != 'true'`;
}

describe('chart drill-down: the rows behind a value = what DuckDB selects', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));

  for (const version of ['v5', 'v3', 'v1'] as const) {
    it(`${version}: Active Subscriptions and Trials per day, movement, revenue, retention cells`, async () => {
      const g = generateExport({ version, rows: 5000, seed: 161 + version.charCodeAt(1) });
      const sub = path.join(dir, version);
      fs.mkdirSync(sub);
      const file = writeGz(sub, g.fileName, g.text);
      const input = await engine([file]);
      await ref.load([{ path: file, delimiter: ',', delivery: DEFAULT_EXPORT_TIME }]);
      const req = { from: formatDay(A - 20), to: formatDay(A), resolution: 'day' };

      // point-in-time: the rows active on the day
      for (const [name, trial] of [
        ['active-subscriptions', false],
        ['active-trials', true],
      ] as const) {
        const values = series(input, name, req);
        for (const day of [A - 20, A - 7, A]) {
          const key = formatDay(day);
          const set = rows(input, name, req, { period: key });
          assert.equal(set.count, values[key], `${name} ${key}: rows = value`);
          assert.ok(set.count > 0, `${name} ${key} has rows`);
          assert.deepEqual([...set.parts[0]], await rowids(ref, ref.where(key, trial)), `${name} ${key}: the rows`);
        }
      }

      // a month of a monthly series: as of its last day
      const monthly = { from: formatDay(A - 70), to: formatDay(A), resolution: 'month' };
      const months = series(input, 'active-subscriptions', monthly);
      const firstKey = Object.keys(months)[0];
      const month = rows(input, 'active-subscriptions', monthly, { period: firstKey });
      assert.equal(month.count, months[firstKey]);

      // movement: the new rows of a day, and the rows expiring on it
      const movement = series(input, 'active-subscriptions-movement', req) as Record<string, Record<string, number>>;
      const busy = Object.keys(movement).filter((k) => movement[k].new_actives > 0 && movement[k].expirations > 0);
      assert.ok(busy.length > 0, 'a day with new and expiring subscriptions');
      for (const key of busy.slice(0, 3)) {
        const added = rows(input, 'active-subscriptions-movement', req, { period: key, series: 'new_actives' });
        assert.equal(added.count, movement[key].new_actives, `new actives ${key}`);
        assert.deepEqual(
          [...added.parts[0]],
          await rowids(
            ref,
            `WHERE ${movementF(ref, req.from, req.to)} AND CAST(start_time AS DATE) = DATE ${lit(key)}
              AND (renewal_number = 1 OR is_trial_conversion = 'true')`,
          ),
          `new actives ${key}: the rows`,
        );
        const expiring = rows(input, 'active-subscriptions-movement', req, { period: key, series: 'churned_actives' });
        assert.equal(expiring.count, movement[key].expirations, `expirations ${key}`);
        assert.deepEqual(
          [...expiring.parts[0]],
          await rowids(
            ref,
            `WHERE ${movementF(ref, req.from, req.to)} AND CAST(effective_end_time AS DATE) = DATE ${lit(key)}`,
          ),
        );
      }

      // revenue: the paid transactions of a week
      const weekly = { from: formatDay(A - 27), to: formatDay(A), resolution: 'week' };
      const weeks = series(input, 'revenue', weekly);
      const wk = Object.keys(weeks)[1];
      const paid = rows(input, 'revenue', weekly, { period: wk });
      const lastOfWeek = formatDay(parseDay(wk)! + 6);
      assert.deepEqual(
        [...paid.parts[0]],
        await rowids(
          ref,
          `WHERE CAST(start_time AS DATE) BETWEEN DATE ${lit(wk)} AND DATE ${lit(lastOfWeek)} AND is_trial_period = 'false'
            ${ref.own()} AND store != 'promotional' AND is_sandbox != 'true'`,
        ),
      );

      // retention: each cell's counts are its rows' counts
      const retReq = { from: formatDay(A - 200), to: formatDay(A), date: formatDay(A) };
      const cells = runMeasure('subscription-retention', input, retReq).value as Record<string, string | number>[];
      const later = cells.filter((c) => Number(c.period_number) >= 1);
      assert.ok(later.length > 0, 'a cell beyond the first period');
      for (const cell of [cells[0], later[0], later[later.length - 1]]) {
        const set = rows(input, 'subscription-retention', retReq, {
          period: String(cell.first_start_date),
          product: String(cell.product_identifier),
          duration: String(cell.product_duration),
          periodNumber: Number(cell.period_number),
        });
        assert.equal(set.counted, cell.subscriptions, `retention ${JSON.stringify(cell)}`);
        assert.ok(set.count > 0 && set.count <= set.counted);
      }

      // trial conversion: the trials ending in a week, and those of them whose customer converted
      const trialReq = { from: formatDay(A - 55), to: formatDay(A), resolution: 'week' };
      const trials = series(input, 'trial-conversion-rate', trialReq) as Record<string, Record<string, number>>;
      const ending = Object.keys(trials).filter((k) => trials[k].trials_ending > 0);
      assert.ok(ending.length > 0, 'a week with trials ending');
      for (const key of ending.slice(0, 3)) {
        for (const s of ['trials_ending', 'conversions'])
          assert.equal(
            rows(input, 'trial-conversion-rate', trialReq, { period: key, series: s }).count,
            trials[key][s],
            `${s} ${key}`,
          );
      }
    });
  }

  it('a merged folder: the surviving rows, by transaction key', async () => {
    const g = generateExport({ version: 'v5', rows: 3000, seed: 1616, exportTime: DEFAULT_EXPORT_TIME });
    const csv = readCsv(g.text, ',');
    const cell = columnsOf(csv);
    // the second delivery ends a tenth of the subscriptions today, a newer version of each
    const later = { header: csv.header, rows: [] as (string | null)[][] };
    csv.rows.forEach((row, i) => {
      if (i % 10 !== 0) return;
      const r = [...row];
      cell(r, 'effective_end_time', '2025-01-01 00:00:00');
      cell(r, 'updated_at', '2025-01-02 00:00:00');
      later.rows.push(r);
    });
    const files = [
      { text: g.text, delivery: DEFAULT_EXPORT_TIME },
      { text: writeCsv(later, ','), delivery: DEFAULT_EXPORT_TIME + 86400 },
    ].map((f) => {
      const sub = path.join(dir, `merged-${f.delivery}`);
      fs.mkdirSync(sub, { recursive: true });
      return { path: writeGz(sub, exportFileName(f.delivery), f.text), delimiter: ',' as const, delivery: f.delivery };
    });
    const input = await engine(files.map((f) => f.path));
    await ref.load(files);
    const req = { from: formatDay(A - 10), to: formatDay(A), resolution: 'day' };
    const values = series(input, 'active-subscriptions', req);
    for (const day of [A - 10, A]) {
      const key = formatDay(day);
      const set = rows(input, 'active-subscriptions', req, { period: key });
      assert.equal(set.count, values[key]);
      const mine: string[] = [];
      input.parts.forEach((part, i) => {
        const t = part.delivery.table;
        const id = t.columnIndex('store_transaction_id');
        const n = t.columnIndex('renewal_number');
        for (const r of set.parts[i]) mine.push(`${t.cell(r, id)}|${t.cell(r, n)}`);
      });
      const theirs = (
        await ref.rows(`SELECT store_transaction_id AS s, renewal_number AS n FROM m ${ref.where(key, false)}`)
      ).map((x) => `${String(x.s)}|${String(x.n)}`);
      assert.deepEqual(mine.sort(), theirs.sort(), key);
      if (day === A - 10) assert.ok(set.parts[1].length > 0, 'rows of the newer delivery');
    }
  });
});
