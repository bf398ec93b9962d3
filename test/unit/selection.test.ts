/**
 * Column selection: any subset of a version's columns, in any order, is a normal delivery. It
 * validates without errors or warnings (one information line names what the missing columns
 * disable), measures what its columns allow (equal to DuckDB), and a measure that needs an absent
 * column says which in one line (CLI exit 1). Files of different dates with different selections
 * merge by name. Also: unknown enum values and the example file's Python-style lists are one line
 * per column, and v7's enrolled_experiments_by_layer is checked against its documented shape.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { enrollmentChips, parseEnrollments } from '../../src/core/catalog/experiments';
import { templateVersion } from '../../src/core/catalog/templates';
import { MeasureError, runMeasure } from '../../src/core/measures';
import { formatDay } from '../../src/core/measures/engine/dates';
import { dictColumn } from '../../src/core/measures/engine/columns';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { loadExportFile } from '../../src/node/loadFile';
import { generateExport } from '../gen/generator';
import { randomSelection, selectColumns, setCells } from '../gen/shape';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkAll } from '../support/measureCheck';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const DAY = 86400;
const E1 = 1788000000; // 2026-08-29
const E2 = E1 + 3 * DAY;
/**
 * What the shared filter and the measures read: kept in both measured selections (a column that one
 * delivery has and another lacks is NULL for the latter in SQL, while the engine drops the condition
 * for a delivery without it; both are right, and differ).
 */
const MEASURED = [
  'store',
  'is_sandbox',
  'ownership_type',
  'custom_subscriber_attributes',
  'unsubscribe_detected_at',
  'start_time',
  'end_time',
  'effective_end_time',
  'is_trial_period',
  'price_in_usd',
  'store_transaction_id',
  'renewal_number',
  'updated_at',
];

describe('column selections', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  duckRefForSuite(dir, (r) => (ref = r));

  for (const version of ['v5', 'v7'] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${version} selection ${seed}: validates without errors or warnings, one line says what is missing`, async () => {
        const g = generateExport({ version, rows: 800, seed: 70 + seed });
        const header = templateVersion(version).columns.map((c) => c.name);
        const cols = randomSelection(
          header,
          ['store_transaction_id', 'start_time', 'product_identifier'],
          seed * 7,
          0.4,
        );
        const file = writeGz(dir, `sel-${version}-${seed}.csv.gz`, selectColumns(g.text, cols));
        const o = await loadExportFile(file, {});
        assert.ok(o.ok, o.ok ? '' : o.error.message);
        const v = o.value.validation!;
        const noisy = v.problems.filter((p) => p.severity !== 'information');
        assert.deepEqual(
          noisy.slice(0, 3).map((p) => p.message),
          [],
        );
        const missing = v.problems.filter((p) => p.rule === 'missing-label');
        assert.equal(missing.length, 1);
        assert.match(missing[0].message, /columns of v\d are not in this delivery \(a column selection\)/);
        if (!cols.includes('is_trial_period'))
          assert.match(missing[0].message, /cannot run without them: every transaction measure/);
        if (version === 'v7' || cols.includes('experiment_id')) assert.equal(o.value.info.version.id, version);
      });
    }
  }

  it('a measure that needs an absent column says which, in one line; the CLI exits 1', async () => {
    const g = generateExport({ version: 'v5', rows: 300, seed: 80 });
    const header = templateVersion('v5').columns.map((c) => c.name);
    const file = writeGz(
      dir,
      `transactions_${E1}.csv.gz`,
      selectColumns(
        g.text,
        header.filter((h) => h !== 'is_trial_period'),
      ),
    );
    const o = await loadDeliveries([file]);
    assert.ok(o.ok);
    assert.throws(
      () => runMeasure('active-subscriptions', mergeDeliveries(o.deliveries), {}),
      (e: unknown) =>
        e instanceof MeasureError && e.message.includes(file) && /no is_trial_period column/.test(e.message),
    );
    const r = spawnSync(process.execPath, [CLI, 'measure', 'active-trials', file], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /no is_trial_period column, which this measure needs/);
  });

  it('deliveries of two dates with different selections merge by name, and every measure equals DuckDB', async () => {
    const sub = path.join(dir, 'bucket');
    const header = templateVersion('v7').columns.map((c) => c.name);
    const a = randomSelection(header, MEASURED, 11, 0.5);
    const b = randomSelection(header, [...MEASURED, 'tax_percentage'], 12, 0.5);
    assert.notDeepEqual([...a].sort(), [...b].sort());
    const files: string[] = [];
    for (const [t, cols, seed] of [
      [E1, a, 90],
      [E2, b, 91],
    ] as const) {
      const day = formatDay(Math.floor(t / DAY));
      fs.mkdirSync(path.join(sub, day), { recursive: true });
      const text = generateExport({ version: 'v7', rows: 3000, seed, exportTime: t }).text;
      files.push(writeGz(sub, `${day}/transactions_${t}.csv.gz`, selectColumns(text, cols)));
    }
    const o = await loadDeliveries(files);
    assert.ok(o.ok);
    const input = mergeDeliveries(o.deliveries);
    await ref.load(files.map((f, i) => ({ path: f, delimiter: ',' as const, delivery: [E1, E2][i] })));
    assert.equal(
      input.parts.reduce((n, p) => n + p.rows!.length, 0),
      await ref.count(),
    );
    const seen = new Set<string>();
    const d = Math.floor(E2 / DAY);
    await checkAll(
      input,
      ref,
      { days: [d, d - 30, d - 90], attributes: [['plan_tier', 'gold']], hasAttributes: true },
      'two selections',
      seen,
    );
    assert.ok(seen.has('active subscriptions') && seen.has('MRR'));
  });

  it('an unknown store is one information line with a count; Python-style lists one line per column', async () => {
    const g = generateExport({ version: 'v5', rows: 600, seed: 95 });
    let text = setCells(g.text, ',', 'store', [3, 40, 41, 200], 'galaxy_store');
    text = setCells(text, ',', 'entitlement_identifiers', [5, 6, 7], "['full_access']");
    const file = writeGz(dir, 'sample-like.csv.gz', text);
    const o = await loadExportFile(file, {});
    assert.ok(o.ok);
    const p = o.value.validation!.problems;
    const enums = p.filter((x) => x.rule === 'enum-value');
    assert.equal(enums.length, 1);
    assert.equal(enums[0].severity, 'information');
    assert.match(enums[0].message, /"galaxy_store".*\(4 rows in store, the first at row 4\)/);
    const lists = p.filter((x) => x.rule === 'sample-encoding');
    assert.equal(lists.length, 1);
    assert.match(
      lists[0].message,
      /Python-style list.*deliveries write JSON arrays.*\(3 rows in entitlement_identifiers, the first at row 6\)/,
    );
    assert.equal(p.filter((x) => x.rule === 'array-encoding' || x.rule === 'json-error').length, 0);
    // stores RevenueCat uses today raise nothing
    const today = setCells(g.text, ',', 'store', [1, 2, 3, 4, 5, 6], 'rc_billing');
    const t = await loadExportFile(writeGz(dir, 'rc-billing.csv.gz', today), {});
    assert.ok(t.ok);
    assert.equal(t.value.validation!.problems.filter((x) => x.rule === 'enum-value').length, 0);
  });

  it("v7's enrolled_experiments_by_layer: its documented shape is checked, and read as chips", async () => {
    const doc =
      '{"layer_name": [{"experiment_id": "prexpaaaaaaaaaa", "variant": "a", "enrolled_at": "1970-01-01 00:00:00"}]}';
    const parsed = parseEnrollments(doc);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.enrollments, [
      { layer: 'layer_name', experiment_id: 'prexpaaaaaaaaaa', variant: 'a', enrolled_at: '1970-01-01 00:00:00' },
    ]);
    assert.deepEqual(enrollmentChips(doc), ['prexpaaaaaaaaaa · a']);
    assert.equal(parseEnrollments('{"l": {"experiment_id": "x"}}').ok, false);
    const g = generateExport({ version: 'v7', rows: 400, seed: 96 });
    const text = setCells(
      g.text,
      ',',
      'enrolled_experiments_by_layer',
      [10],
      '{"default": [{"experiment_id": "prexp1", "variant": 2}]}',
    );
    const o = await loadExportFile(writeGz(dir, 'v7-bad-exp.csv.gz', text), {});
    assert.ok(o.ok);
    const p = o.value.validation!.problems.filter((x) => x.rule === 'experiments-shape');
    assert.equal(p.length, 1);
    assert.equal(p[0].row, 11);
    assert.equal(o.value.validation!.problems.filter((x) => x.rule === 'extra-label').length, 0);
  });

  it('experiment_id and experiment_variant read from v7 give what the v5 columns give for the same transactions', async () => {
    const files = (['v5', 'v7'] as const).map((version) =>
      writeGz(dir, `exp-${version}.csv.gz`, generateExport({ version, rows: 1200, seed: 97 }).text),
    );
    const o = await loadDeliveries(files);
    assert.ok(o.ok);
    const [v5, v7] = o.deliveries.map((d) => d.table);
    for (const name of ['experiment_id', 'experiment_variant']) {
      const text = (t: typeof v5) => {
        const c = dictColumn(t, name)!;
        return Array.from(c.codes, (code) => (code === c.nullCode ? null : c.dict[code]));
      };
      const five = text(v5);
      assert.ok(five.filter((x) => x !== null).length > 50, name);
      assert.deepEqual(text(v7), five, name);
    }
  });
});
