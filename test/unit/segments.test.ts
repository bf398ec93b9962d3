/**
 * A table whose text is held in segments (TableData.segments) reads as the same table in one
 * segment: a small segment size makes a file of a few megabytes load in many segments, and every
 * cell, line, vector, key, sort, search, filter, summary, validation report, diagnostic place and
 * measure result is compared, as JSON, with the one-segment load of the same gzip file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { columnsFor, MEASURES, mergeDeliveries, runMeasure, type MeasureRequest } from '../../src/core/measures';
import { templateVersion, type TemplateId } from '../../src/core/catalog/templates';
import type { RuleId } from '../../src/core/catalog/rules';
import type { Loaded, LoadOutcome } from '../../src/core/load/load';
import { ExportTable, type TableData } from '../../src/core/load/table';
import { validateTable } from '../../src/core/validate/run';
import { ViewEngine } from '../../src/core/view/view';
import { summarize } from '../../src/core/view/summary';
import type { ColumnFilter } from '../../src/core/view/viewFilter';
import { planDiagnostics } from '../../src/host/diagnostics/diagnosticsPlan';
import { loadExportFile } from '../../src/node/loadFile';
import { loadInWorker } from '../../src/worker/loadClient';
import { DEFAULT_EXPORT_TIME, generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const WORKER = path.join(__dirname, '..', '..', '..', 'dist', 'worker.js');
const SEGMENT = 1 << 20;
const DAY = 86400;
const fmt = (d: number) => new Date(d * DAY * 1000).toISOString().slice(0, 10);
const EXPORT_DAY = Math.floor(DEFAULT_EXPORT_TIME / DAY);
const REQUESTS: MeasureRequest[] = [
  {},
  { date: fmt(EXPORT_DAY - 60) },
  { from: fmt(EXPORT_DAY - 200), to: fmt(EXPORT_DAY), resolution: 'month' },
];
/** Problems planted in the file, some of them on rows of later segments. */
const INJECT: RuleId[] = [
  'duplicate-transaction',
  'blank-row',
  'json-error',
  'attribute-shape',
  'missing-cell',
  'extra-cell',
  'timestamp-format',
  'required-value',
  'type-error',
  'boolean-encoding',
  'array-encoding',
  'enum-value',
  'encoding-error',
  'range-error',
  'end-before-start',
];

const json = (x: unknown) => JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as never) : v));

/** Two JSON texts equal; else a failure that shows where they first differ (not both texts whole). */
function same(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  assert.fail(
    `${what} differ at ${i}: ${got.slice(Math.max(0, i - 200), i + 200)}\n  vs ${want.slice(Math.max(0, i - 200), i + 200)}`,
  );
}

function ok(o: LoadOutcome): Loaded {
  assert.ok(o.ok, o.ok ? '' : `${o.error.message}\n${o.error.detail ?? ''}`);
  return o.value;
}

/** Every row's cells and line, and the typed vectors, keys and unreadable cells. */
function tableJson(data: TableData): string {
  const t = new ExportTable(data);
  const rows: unknown[] = [];
  for (let r = 0; r < t.rowCount; r++) rows.push([t.line(r), t.fieldCount(r), t.row(r)]);
  const vectors = data.vectors.map((v) =>
    v && v.kind !== 'span' ? { kind: v.kind, data: v.data, dict: v.dict } : null,
  );
  return json({ rows, vectors, keys: data.textKeys, unreadable: data.unreadable, length: data.textLength });
}

/** Sorts by every column both ways, searches, filters and summaries of a view engine. */
async function viewsJson(data: TableData): Promise<string> {
  const e = new ViewEngine(data);
  const out: unknown[] = [];
  const col = (name: string) => data.header.indexOf(name);
  for (let c = 0; c < data.header.length; c++)
    for (const descending of [false, true]) {
      const v = e.view({ filters: [], search: '', sort: { column: c, descending } });
      out.push(v.ok ? v.order : v);
    }
  const filters: ColumnFilter[][] = [
    [{ column: col('store'), op: 'equals', values: ['app_store'] }],
    [{ column: col('custom_subscriber_attributes'), op: 'contains', text: 'gold' }],
    [{ column: col('store_transaction_id'), op: 'contains', text: '00' }],
    [{ column: col('price_in_usd'), op: 'notNull' }],
  ];
  for (const f of filters) {
    const v = e.view({ filters: f, search: '', sort: null });
    out.push(v.ok ? v.order : v);
  }
  for (const search of ['P1M', 'gold', 'app_store', '"', 'zz_no_such_text'])
    out.push(e.view({ filters: [], search, sort: null }), e.view({ filters: filters[0], search, sort: null }));
  for (let c = 0; c < data.header.length; c++) {
    const s = await summarize(e, c, { filters: [], search: '' });
    out.push({ ...s, ms: 0 });
  }
  return json(out.map((v) => (v && typeof v === 'object' && 'ms' in v ? { ...v, ms: 0 } : v)));
}

function measuresJson(data: TableData, version: TemplateId): string {
  const input = mergeDeliveries([{ file: 'transactions_1735689600.csv.gz', table: new ExportTable(data), version }]);
  const out: unknown[] = [];
  for (const m of MEASURES.filter((x) => (x.feed ?? 'transactions') === 'transactions'))
    for (const req of REQUESTS) {
      try {
        const r = runMeasure(m.name as never, input, {
          ...req,
          ...(m.name === 'active-subscriptions-with-attribute' ? { key: 'plan_tier', value: 'gold' } : {}),
        });
        out.push({ ...r, ms: 0 });
      } catch (e) {
        out.push(`error: ${(e as Error).message}`);
      }
    }
  return json(out);
}

describe('a table in segments (small segment size) reads as the table in one segment', function () {
  this.timeout(600_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const files = [
    { name: 'plain', gen: { version: 'v5' as const, rows: 12000, seed: 5, inject: INJECT } },
    {
      name: 'crlf-bom-multiline',
      gen: { version: 'v5' as const, rows: 9000, seed: 6, crlf: true, bom: true, multiline: true, inject: INJECT },
    },
    {
      name: 'semicolon-v3',
      gen: { version: 'v3' as const, rows: 9000, seed: 8, delimiter: ';' as const, inject: INJECT },
    },
  ];
  for (const { name, gen } of files) {
    it(`${name}: cells, views, validation, diagnostics and measures`, async () => {
      const sub = path.join(dir, name);
      fs.mkdirSync(sub, { recursive: true });
      const file = writeGz(sub, 'transactions_1735689600.csv.gz', generateExport(gen).text);
      const one = ok(await loadExportFile(file, {}));
      const many = ok(await loadExportFile(file, { segmentBytes: SEGMENT }));
      assert.equal(one.table.segments.length, 1);
      assert.ok(many.table.segments.length >= 4, `${many.table.segments.length} segments`);
      // every segment but the last ends where a record does (no record straddles two)
      many.table.segments.forEach((s, g) => {
        assert.equal(many.table.segmentStarts[g] + s.length, many.table.segmentStarts[g + 1] ?? many.table.textLength);
        if (g + 1 < many.table.segments.length) assert.equal(s[s.length - 1], 0x0a, `segment ${g} ends a line`);
      });
      assert.equal(many.table.rowCount, one.table.rowCount);
      same(tableJson(many.table), tableJson(one.table), 'tableJson');
      same(json(many.validation), json(one.validation), 'validation');
      const version = templateVersion(one.info.version.id);
      same(json(validateTable(many.table, version)), json(validateTable(one.table, version)), 'validateTable');
      same(json(validateTable(many.table, version)), json(one.validation), 'validateTable against the load');
      const plan = (l: Loaded) => planDiagnostics(l.table, l.validation!, { maxPerFile: 5000 });
      assert.ok(plan(one).length > INJECT.length, 'problems to place');
      same(json(plan(many)), json(plan(one)), 'diagnostics');
      same(await viewsJson(many.table), await viewsJson(one.table), 'viewsJson');
      same(measuresJson(many.table, one.info.version.id), measuresJson(one.table, one.info.version.id), 'measuresJson');
      // a measure's columns-only load (src/core/stream/columns.ts) keeps its fields in segments too
      const columns = [...columnsFor('active-subscriptions')!, 'custom_subscriber_attributes'];
      const narrow = (segmentBytes?: number) => loadExportFile(file, { validate: false, columns, segmentBytes });
      const narrowOne = ok(await narrow()).table;
      const narrowMany = ok(await narrow(SEGMENT / 4)).table;
      assert.ok(narrowMany.segments.length > 1, `${narrowMany.segments.length} segments of kept columns`);
      assert.ok(narrowOne.header.length < one.table.header.length);
      same(tableJson(narrowMany), tableJson(narrowOne), 'columns-only table');
      same(measuresJson(narrowMany, version.id), measuresJson(narrowOne, version.id), 'columns-only measures');
      // the worker's load: shared memory, and the deep rules in a thread of their own over the segments
      const w1 = ok(await loadInWorker(file, { workerPath: WORKER }));
      const wn = ok(await loadInWorker(file, { workerPath: WORKER, segmentBytes: SEGMENT }));
      assert.ok(wn.table.segments.length >= 4);
      assert.ok(wn.table.segments[1].buffer instanceof SharedArrayBuffer);
      same(json(wn.validation), json(w1.validation), 'worker validation');
      same(tableJson(wn.table), tableJson(one.table), 'worker table');
    });
  }
});
