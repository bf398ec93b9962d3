import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import { VERSION_IDS, columnSpec, templateVersion, type VersionId } from '../../src/core/catalog/templates';
import { type GenOptions, type Injected, exportFileName, generateExport, writeExport } from '../gen/generator';

const E = 1735689600;
const V7_EXTRA = 'experiment_enrollments';

function records(text: Buffer, delimiter: ',' | ';' = ','): string[][] {
  return parse(text, { delimiter, bom: true, relax_column_count: true }) as string[][];
}

function expectedHeader(v: VersionId): string[] {
  const cols = templateVersion(v).columns;
  const names = cols.filter((c) => !c.optional).map((c) => c.name);
  return cols.some((c) => c.optional) ? [...names, V7_EXTRA] : names;
}

/** 1-based start line of every record (blank lines separately), from the raw text, quote-aware. */
function recordLines(text: string): { starts: number[]; blanks: number[] } {
  const starts: number[] = [];
  const blanks: number[] = [];
  let line = 1;
  let inQuote = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (atStart) {
      atStart = false;
      if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) blanks.push(line);
      else starts.push(line);
    }
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '\n') {
      line++;
      if (!inQuote) atStart = true;
    }
  }
  return { starts, blanks };
}

const TS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{6})?$/;
function isTs(s: string): boolean {
  const m = TS.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] && d.getUTCHours() === +m[4];
}
const secs = (s: string): number => Date.parse(s.slice(0, 19).replace(' ', 'T') + 'Z') / 1000;

function attrOk(s: string, reserved: boolean): boolean {
  try {
    const o: unknown = JSON.parse(s);
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
    return Object.entries(o).every(([k, v]: [string, unknown]) => {
      const e = v as { value?: unknown; updated_at_ms?: unknown };
      return (
        k.startsWith('$') === reserved &&
        typeof e.value === 'string' &&
        Number.isInteger(e.updated_at_ms) &&
        (e.updated_at_ms as number) < E * 1000
      );
    });
  } catch {
    return false;
  }
}

type Problem = { col: string; msg: string };

/** Every invariant a clean row of version v must hold; returns the problems found. */
function checkRow(v: VersionId, r: Map<string, string>): Problem[] {
  const out: Problem[] = [];
  const vi = VERSION_IDS.indexOf(v) + 1;
  const bad = (col: string, msg: string): void => {
    out.push({ col, msg: `${col}: ${msg} (${r.get(col)})` });
  };
  const get = (c: string): string => r.get(c) ?? '';
  const nullable = new Map(templateVersion(v).columns.map((c) => [c.name, c.nullable]));
  for (const [name, val] of r) {
    if (name === V7_EXTRA) {
      if (val !== '' && !/^\{"default": \{"experiment_id": "prexp\w+", "variant": "[ab]"\}\}$/.test(val))
        bad(name, 'json');
      continue;
    }
    const spec = columnSpec(name);
    if (!spec) {
      if (name !== 'mystery_column') bad(name, 'unknown column');
      continue;
    }
    if (val === '') {
      if (!nullable.get(name) && !(v === 'v1' && name === 'renewal_number')) bad(name, 'null');
      continue;
    }
    if (val.includes('\u0000') && spec.type === 'string') bad(name, 'NUL byte');
    switch (spec.type) {
      case 'timestamp':
        if (!isTs(val) || (val.length > 19 && name !== 'updated_at')) bad(name, 'timestamp');
        break;
      case 'boolean':
        if (!(vi >= 4 ? ['true', 'false'] : ['t', 'f']).includes(val)) bad(name, 'boolean');
        break;
      case 'float':
        if (!/^\d+(\.\d{1,4})?$/.test(val)) bad(name, 'float');
        break;
      case 'integer':
        if (!/^[1-9]\d*$/.test(val)) bad(name, 'integer');
        break;
      case 'array':
        if (vi >= 4 ? !/^\["[a-z]+"(, "[a-z]+")*\]$/.test(val) : !/^\{[a-z]+(,[a-z]+)*\}$/.test(val))
          bad(name, 'array');
        break;
      case 'json':
        if (!attrOk(val, name.startsWith('reserved'))) bad(name, 'json');
        break;
      default:
        if (spec.enumValues && !spec.enumValues.includes(val)) bad(name, 'enum');
        if (spec.format === 'country' && !/^[A-Z]{2}$/.test(val)) bad(name, 'country');
        if (spec.format === 'currency' && !/^[A-Z]{3}$/.test(val)) bad(name, 'currency');
        if (spec.format === 'duration' && !/^P1[WMY]$|^P[36]M$/.test(val)) bad(name, 'duration');
    }
    if (spec.format === 'fraction' && !(Number(val) >= 0 && Number(val) <= 1)) bad(name, 'range');
  }
  const T = vi >= 4 ? 'true' : 't';
  const start = isTs(get('start_time')) ? get('start_time') : ''; // cross checks need a readable start
  const end = get('end_time');
  const refunded = get('refunded_at');
  if ((end === '') !== (get('is_auto_renewable') !== T)) bad('end_time', 'null iff not auto-renewable');
  if (start !== '' && !(secs(start) < E && secs(start) > E - 401 * 86400)) bad('start_time', 'window');
  if (end !== '' && start !== '' && end < start && get('store') !== 'play_store') bad('end_time', 'before start');
  if (r.has('effective_end_time')) {
    const grace = get('grace_period_end_time');
    const eff = get('effective_end_time');
    const want = refunded !== '' ? refunded : end !== '' && end < start ? end : grace > end ? grace : end;
    if (eff !== want) bad('effective_end_time', `want ${want}`);
  }
  if (r.has('updated_at') && start !== '' && get('updated_at') < start) bad('updated_at', 'before start');
  if (r.has('first_seen_time') && start !== '' && get('first_seen_time') > start) bad('first_seen_time', 'after start');
  if (!['0.7', '0.85'].includes(get('takehome_percentage'))) bad('takehome_percentage', 'value');
  if (refunded !== '' && get('price_in_usd') === '') bad('price_in_usd', 'null on a refunded row');
  if (vi >= 4 && refunded !== '' && get('price_in_usd') !== '0') bad('price_in_usd', 'refunded not 0');
  if (get('store') === 'promotional' && !['0', ''].includes(get('price_in_usd'))) bad('price_in_usd', 'promotional');
  if (get('ownership_type') === 'FAMILY_SHARED' && get('store') !== 'app_store') bad('ownership_type', 'family');
  if (r.has('product_duration') && get('is_auto_renewable') !== T && get('product_duration') !== '')
    bad('product_duration', 'non-renewing');
  return out;
}

function rowMaps(recs: string[][]): Map<string, string>[] {
  const header = recs[0];
  return recs
    .slice(1)
    .filter((x) => !(x.length === 1 && x[0] === ''))
    .map((x) => {
      const m = new Map<string, string>();
      header.forEach((h, i) => {
        if (!m.has(h) && i < x.length) m.set(h, x[i]);
      });
      return m;
    });
}

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
