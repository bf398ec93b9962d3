import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import { VERSION_IDS, templateVersion, type VersionId } from '../../src/core/catalog/templates';
import { type GenOptions, type Injected, exportFileName, generateExport, writeExport } from '../gen/generator';
import { checkRow, expectedHeader, recordLines, records, rowMaps } from '../support/genCheck';

const E = 1735689600;

describe('test-data generator', () => {
  it('is deterministic per seed', () => {
    const o: GenOptions = {
      version: 'v5',
      rows: 500,
      multiline: true,
      columnOrder: 'physical',
      inject: ['extra-cell', 'type-error'],
    };
    const a = generateExport(o);
    assert.ok(a.text.equals(generateExport(o).text));
    assert.deepStrictEqual(a.manifest, generateExport(o).manifest);
    assert.ok(!a.text.equals(generateExport({ ...o, seed: 2 }).text));
    assert.strictEqual(a.fileName, exportFileName(E));
    assert.strictEqual(exportFileName(E), 'transactions_1735689600.csv.gz');
  });

  it('writes the catalog header of each version, documented and physical', () => {
    const counts: Partial<Record<VersionId, number>> = { v1: 22, v2: 27, v3: 32, v4: 40, v5: 44, v6: 44, v7: 43 };
    for (const v of VERSION_IDS) {
      const header = records(generateExport({ version: v, rows: 1 }).text)[0];
      assert.deepStrictEqual(header, expectedHeader(v), v);
      if (v !== 'v7')
        assert.deepStrictEqual(
          header,
          templateVersion(v).columns.map((c) => c.name),
          v,
        );
      assert.strictEqual(header.length, counts[v], v);
      const physical = records(generateExport({ version: v, rows: 1, columnOrder: 'physical' }).text)[0];
      assert.deepStrictEqual([...physical].sort(), [...header].sort(), v);
      if (v !== 'v1')
        assert.deepStrictEqual(
          physical.slice(0, 27),
          templateVersion('v2').columns.map((c) => c.name),
          v,
        );
    }
    const p5 = records(generateExport({ version: 'v5', rows: 1, columnOrder: 'physical' }).text)[0];
    assert.deepStrictEqual(p5.slice(27, 32), [
      'tax_percentage',
      'commission_percentage',
      'effective_end_time',
      'grace_period_end_time',
      'ownership_type',
    ]);
    assert.deepStrictEqual(p5.slice(40), ['offer', 'offer_type', 'first_seen_time', 'auto_resume_time']);
  });

  it('parses cleanly in every version, delimiter and line variant, with valid rows', () => {
    const variants: Partial<GenOptions>[] = [
      {},
      { crlf: true },
      { bom: true },
      { multiline: true },
      { crlf: true, bom: true, multiline: true, finalNewline: false },
    ];
    for (const v of VERSION_IDS) {
      for (const delimiter of [',', ';'] as const) {
        for (const variant of variants) {
          const opts: GenOptions = { version: v, rows: 300, delimiter, ...variant, seed: 7 };
          const { text, manifest } = generateExport(opts);
          assert.deepStrictEqual(manifest, []);
          const recs = records(text, delimiter);
          assert.strictEqual(recs.length, 301, `${v} ${delimiter} ${JSON.stringify(variant)}`);
          for (const rec of recs) assert.strictEqual(rec.length, recs[0].length);
          const s = text.toString('utf8');
          assert.strictEqual(s.startsWith('\uFEFF'), !!variant.bom);
          assert.strictEqual(s.endsWith(variant.crlf ? '\r\n' : '\n'), variant.finalNewline !== false);
          if (variant.multiline && v !== 'v1')
            assert.ok(recordLines(s).starts.length === 301 && /\{\n {2}"/.test(s), 'multiline JSON');
        }
      }
    }
  });

  it('keeps every invariant of a clean file and exercises the measures', () => {
    for (const v of VERSION_IDS) {
      const rows = rowMaps(records(generateExport({ version: v, rows: 5000, seed: 3 }).text));
      const problems = rows.flatMap((r) => checkRow(v, r).map((p) => p.msg));
      assert.deepStrictEqual(problems.slice(0, 5), [], v);
      const ids = new Set(rows.map((r) => `${r.get('store_transaction_id')}#${r.get('renewal_number')}`));
      assert.strictEqual(ids.size, rows.length, `${v} unique transactions`);
      const count = (f: (r: Map<string, string>) => boolean): number => rows.filter(f).length;
      const T = VERSION_IDS.indexOf(v) >= 3 ? 'true' : 't';
      for (const store of ['app_store', 'play_store', 'stripe', 'promotional'])
        assert.ok(count((r) => r.get('store') === store) > 100, store);
      const sandbox = count((r) => r.get('is_sandbox') === T);
      assert.ok(sandbox > 25 && sandbox < 300, `${v} sandbox ${sandbox}`);
      assert.ok(count((r) => r.get('is_trial_period') === T) > 50, 'trials');
      assert.ok(count((r) => r.get('is_trial_conversion') === T) > 20, 'conversions');
      assert.ok(count((r) => r.get('refunded_at') !== '') > 20, 'refunds');
      assert.ok(count((r) => r.get('billing_issues_detected_at') !== '') > 20, 'billing issues');
      assert.ok(
        count((r) => (r.get('unsubscribe_detected_at') ?? r.get('unsubscribe_registered_at')) !== '') > 100,
        'cancellations',
      );
      assert.ok(count((r) => r.get('end_time') === '') > 100, 'non-renewing');
      assert.ok(
        count((r) => r.get('end_time')! !== '' && r.get('end_time')! < r.get('start_time')!) > 5,
        'play invalidated',
      );
      assert.ok(count((r) => r.get('price_in_usd') === '') > 5, 'unknown prices');
      assert.ok(count((r) => r.get('end_time')! > '2025-01-01') > 500, 'active at the export date');
      assert.ok(new Set(rows.map((r) => r.get('purchased_currency'))).size >= 8, 'currencies');
      assert.ok(count((r) => Number(r.get('renewal_number')) > 3) > 100, 'renewals');
      if (v !== 'v1' && v !== 'v2') {
        assert.ok(count((r) => r.get('grace_period_end_time') !== '') > 10, 'grace');
        assert.ok(
          count((r) => r.get('grace_period_end_time') !== '' && r.get('is_trial_period') === T) > 5,
          'trials in grace',
        );
        assert.ok(count((r) => r.get('ownership_type') === 'FAMILY_SHARED') > 10, 'family');
        assert.ok(count((r) => r.get('ownership_type') === '') > 100, 'null ownership');
      }
      if (v !== 'v1')
        assert.ok(
          count((r) => /"plan_tier": \{"value": "gold"/.test(r.get('custom_subscriber_attributes')!)) > 100,
          'plan_tier',
        );
    }
  });

  it('quotes attribute JSON always in v4/v5 and only when needed from v6', () => {
    for (const v of ['v4', 'v5'] as const) {
      const s = generateExport({ version: v, rows: 400 }).text.toString();
      assert.ok(s.includes(',"{}",') && !s.includes(',{},'), v);
    }
    for (const v of ['v2', 'v6', 'v7'] as const) {
      const s = generateExport({ version: v, rows: 400 }).text.toString();
      assert.ok(s.includes(',{},') && !s.includes(',"{}",'), v);
    }
    assert.ok(
      generateExport({ version: 'v5', rows: 400 }).text.toString().includes('\\""'),
      'JSON-escaped then CSV-doubled quotes',
    );
  });

  it('gzips exactly the text generateExport returns', async () => {
    const file = path.join(os.tmpdir(), `rc-gen-${process.pid}.csv.gz`);
    const opts: GenOptions = {
      version: 'v5',
      rows: 3000,
      crlf: true,
      bom: true,
      multiline: true,
      delimiter: ';',
      inject: ['blank-row', 'duplicate-transaction'],
    };
    try {
      const res = await writeExport(file, opts);
      const direct = generateExport(opts);
      assert.ok(zlib.gunzipSync(fs.readFileSync(file)).equals(direct.text));
      assert.strictEqual(res.bytes, fs.statSync(file).size);
      assert.deepStrictEqual(res.manifest, direct.manifest);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('injects each applicable rule once, where the manifest says, and nothing else', () => {
    const all = RULE_IDS.filter((r) => r !== 'unterminated-quote');
    for (const v of VERSION_IDS) {
      for (const multiline of [false, true]) {
        const { text, manifest } = generateExport({
          version: v,
          rows: 400,
          inject: [...all],
          multiline,
          crlf: multiline,
        });
        const rules = manifest.map((m) => m.rule);
        assert.strictEqual(new Set(rules).size, rules.length);
        const applicable = all.filter(
          (r) =>
            !(
              (v === 'v1' && ['array-encoding', 'country-format'].includes(r)) ||
              (['v1', 'v2'].includes(v) && r === 'effective-end-time') ||
              (['v1', 'v2', 'v3'].includes(v) &&
                ['json-error', 'attribute-shape', 'duration-format', 'refund-price', 'updated-before-start'].includes(
                  r,
                )) ||
              (v !== 'v7' && r === 'experiments-shape') ||
              r === 'play-store-invalidated'
            ),
        );
        assert.deepStrictEqual([...rules].sort(), [...applicable].sort(), v);
        const rowNums = manifest.filter((m) => m.row !== null).map((m) => m.row!);
        assert.strictEqual(new Set(rowNums).size, rowNums.length);
        assert.ok(rowNums.every((r) => r > 1 && r < 400));
        const { starts, blanks } = recordLines(text.toString());
        const by = (r: RuleId): Injected => manifest.find((m) => m.rule === r)!;
        assert.deepStrictEqual(blanks, [by('blank-row').line]);
        const recs = records(text).filter((x) => !(x.length === 1 && x[0] === ''));
        const header = recs[0];
        assert.ok(header.includes('mystery_column') && !header.includes('is_sandbox'));
        assert.strictEqual(header.filter((h) => h === 'store').length, 2);
        assert.strictEqual(header.indexOf('is_trial_period'), header.indexOf('is_in_intro_offer_period') + 1);
        const maps = rowMaps(recs);
        const injected = new Map<number, Injected>();
        for (const m of manifest) {
          if (m.row === null) continue;
          injected.set(m.row, m);
          assert.strictEqual(starts[m.row], m.line, `${v} ${m.rule} line`);
          const rec = recs[m.row];
          const want =
            m.rule === 'extra-cell' ? header.length + 1 : m.rule === 'missing-cell' ? header.length - 1 : header.length;
          assert.strictEqual(rec.length, want, `${v} ${m.rule} fields`);
          if (m.column) assert.strictEqual(rec[header.indexOf(m.column)], m.value ?? '', `${v} ${m.rule} value`);
          if (m.column && m.rule !== 'duplicate-transaction') {
            const related = new Set([m.column, 'effective_end_time', 'end_time']);
            const others = checkRow(v, maps[m.row - 1]).filter((p) => !related.has(p.col) && p.col !== 'is_sandbox');
            assert.deepStrictEqual(others, [], `${v} ${m.rule}`);
            assert.ok(
              checkRow(v, maps[m.row - 1]).some((p) => p.col === m.column),
              `${v} ${m.rule} is a violation`,
            );
          }
        }
        const dup = by('duplicate-transaction');
        const key = (r: Map<string, string>): string => `${r.get('store_transaction_id')}#${r.get('renewal_number')}`;
        assert.strictEqual(maps.filter((r) => key(r) === key(maps[dup.row! - 1])).length, 2);
        maps.forEach((r, i) => {
          if (!injected.has(i + 1))
            assert.deepStrictEqual(
              checkRow(v, r).filter((p) => p.col !== 'is_sandbox'),
              [],
              `${v} row ${i + 1}`,
            );
        });
      }
    }
  });

  it('puts an unterminated quote on the very last record and ends the file there', () => {
    for (const v of ['v1', 'v4', 'v7'] as const) {
      const { text, manifest } = generateExport({ version: v, rows: 50, inject: ['unterminated-quote'] });
      assert.deepStrictEqual(
        manifest.map((m) => [m.rule, m.row]),
        [['unterminated-quote', 50]],
      );
      assert.ok(!text.toString().endsWith('\n'));
      assert.throws(() => records(text), /Quote Not Closed/);
    }
  });

  it('refuses too few rows for the injections', () => {
    assert.throws(
      () => generateExport({ version: 'v5', rows: 3, inject: ['type-error', 'enum-value', 'extra-cell'] }),
      /rows/,
    );
  });
});
