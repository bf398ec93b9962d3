/**
 * Column summaries (src/core/view/summary.ts) against DuckDB: nulls, values unreadable as the column's
 * type, count(DISTINCT), min, max and the most frequent values with their counts, on the rows of
 * generated gzip exports, unfiltered and under a filter, for every column. NULL is an empty unquoted
 * field (DuckDB reads with allow_quoted_nulls=false); a quoted empty field is the empty string, a value
 * of a text column and unreadable in a number column. Then: every bar and top value filters the grid to
 * exactly its count, and a summary in the view thread can be cancelled.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadExportFile } from '../../src/node/loadFile';
import type { TableData } from '../../src/core/load/table';
import { summarize, SummaryCancelled, type ColumnSummary } from '../../src/core/view/summary';
import { ViewEngine } from '../../src/core/view/view';
import type { ColumnFilter } from '../../src/core/view/viewFilter';
import { ViewThread } from '../../src/worker/viewClient';
import { generateExport } from '../gen/generator';
import { field, needsQuoting } from '../gen/encode';
import { readCsv } from '../support/rewrite';
import { tempDir, writeGz } from '../support/files';

const DIST = path.join(__dirname, '..', '..', '..', 'dist');
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function duck(): Promise<DuckDBConnection> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  return (await DuckDBInstance.create(':memory:')).connect();
}

async function rows(con: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await con.runAndReadAll(sql)).getRowObjectsJS();
}

/** The column's value as DuckDB types it (NULL when unreadable), comparable with the summary's. */
function typed(name: string, type: string): string {
  const c = q(name);
  switch (type) {
    case 'float':
    case 'integer':
      return `TRY_CAST(${c} AS DOUBLE)`;
    case 'timestamp':
      return `epoch_ms(TRY_CAST(${c} AS TIMESTAMP))`;
    case 'boolean':
      return `TRY_CAST(${c} AS BOOLEAN)`;
    default:
      return c;
  }
}

/** A summary's value (cell text) as DuckDB's typed value, for comparing. */
function asTyped(value: string | null, type: string): unknown {
  if (value === null) return null;
  switch (type) {
    case 'float':
    case 'integer':
      return Number(value);
    case 'timestamp':
      return Date.parse(`${value.trim().replace(' ', 'T').replace(/Z?$/, 'Z')}`);
    case 'boolean':
      return /^t(rue)?$/i.test(value.trim());
    default:
      return value;
  }
}

const norm = (v: unknown) => (typeof v === 'bigint' ? Number(v) : v);

async function compare(con: DuckDBConnection, data: TableData, s: ColumnSummary, where: string): Promise<void> {
  const name = data.header[s.column];
  const type = data.types[s.column];
  const t = typed(name, type);
  const what = `${name} (${type})${where ? ` where ${where}` : ''}`;
  const w = where ? `WHERE ${where}` : '';
  const [ref] = await rows(
    con,
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${q(name)} IS NULL) AS nulls,
       count(*) FILTER (WHERE ${q(name)} IS NOT NULL AND ${t} IS NULL) AS invalid,
       count(DISTINCT ${t}) AS distinct, min(${t}) AS lo, max(${t}) AS hi FROM f ${w}`,
  );
  assert.equal(s.rows, Number(ref.n), `${what}: rows`);
  assert.equal(s.nulls, Number(ref.nulls), `${what}: nulls`);
  assert.equal(s.invalid, Number(ref.invalid), `${what}: invalid`);
  assert.equal(s.distinct, Number(ref.distinct), `${what}: distinct`);
  assert.deepEqual(asTyped(s.min, type), norm(ref.lo), `${what}: min`);
  assert.deepEqual(asTyped(s.max, type), norm(ref.hi), `${what}: max`);
  const groups = await rows(
    con,
    `SELECT ${t} AS v, count(*) AS n FROM f ${w} ${w ? 'AND' : 'WHERE'} ${t} IS NOT NULL GROUP BY v ORDER BY n DESC LIMIT 10`,
  );
  assert.deepEqual(
    s.top.map((x) => x.count),
    groups.map((g) => Number(g.n)),
    `${what}: top counts`,
  );
  for (const x of s.top) {
    const [one] = await rows(
      con,
      `SELECT count(*) AS n FROM f ${w} ${w ? 'AND' : 'WHERE'} ${t} = ${typeof asTyped(x.value, type) === 'string' ? lit(x.value!) : String(asTyped(x.value, type))}`,
    );
    assert.equal(x.count, Number(one.n), `${what}: count of ${x.value}`);
  }
}

function countOf(e: ViewEngine, filters: ColumnFilter[]): number {
  const r = e.view({ filters, search: '', sort: null });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.total;
}

/** A generated export with some quoted empty fields planted in a text and a number column. */
function withQuotedEmpties(text: Buffer): string {
  const csv = readCsv(text, ',');
  const a = csv.header.indexOf('store_transaction_id');
  const b = csv.header.indexOf('price_in_usd');
  csv.rows.forEach((r, i) => {
    if (i % 97 === 5) r[a] = '';
    if (i % 89 === 7) r[b] = '';
  });
  const re = needsQuoting(',');
  const line = (r: (string | null)[]) => r.map((c) => (c === '' ? '""' : field(c, false, re))).join(',');
  return [csv.header.join(','), ...csv.rows.map(line)].join('\n') + '\n';
}

/**
 * A generated export whose text columns hold the hard cases of interning cells by their bytes: the
 * same text quoted in some rows and bare in others, doubled quotes, a bare field holding a quote,
 * text past ASCII, and a JSON column's text in both forms.
 */
function withTrickyTexts(text: Buffer): string {
  const csv = readCsv(text, ',');
  const id = csv.header.indexOf('store_transaction_id');
  const name = csv.header.indexOf('product_display_name');
  const json = csv.header.indexOf('custom_subscriber_attributes');
  const forced = new Set<string>();
  csv.rows.forEach((r, i) => {
    const k = i % 40;
    if (k === 1) r[id] = 'same text';
    if (k === 2) {
      forced.add(`${i}:${id}`);
      r[id] = 'same text';
    }
    if (k === 3) r[id] = 'says "hi"';
    if (k === 4) r[id] = 'zé ünïcödé';
    if (k === 5) r[id] = '"quoted" start';
    if (k === 6) r[name] = 'Ω last';
    if (k === 7) r[name] = ' leading space';
    if (k === 8) r[json] = '{"a": 1}';
    if (k === 9) {
      forced.add(`${i}:${json}`);
      r[json] = '{"a": 1}';
    }
  });
  const re = needsQuoting(',');
  const line = (r: (string | null)[], i: number) =>
    r.map((c, k) => (k === id && i % 40 === 10 ? 'bare"quote' : field(c, forced.has(`${i}:${k}`), re))).join(',');
  return [csv.header.join(','), ...csv.rows.map(line)].join('\n') + '\n';
}

describe('column summaries', function () {
  this.timeout(300_000);
  let con: DuckDBConnection;
  let dir: string;
  before(async () => {
    con = await duck();
    dir = tempDir();
  });
  after(() => con.closeSync());

  for (const [label, make] of [
    ['v5, 4000 rows', () => generateExport({ version: 'v5', rows: 4000, seed: 161 }).text],
    [
      'v5 with quoted empty fields',
      () => withQuotedEmpties(generateExport({ version: 'v5', rows: 3000, seed: 162 }).text),
    ],
    [
      'v5 with quotes, doubled quotes and non-ASCII text',
      () => withTrickyTexts(generateExport({ version: 'v5', rows: 3000, seed: 164 }).text),
    ],
  ] as [string, () => Buffer | string][]) {
    describe(label, () => {
      let data: TableData;
      let e: ViewEngine;
      before(async () => {
        const file = writeGz(dir, `${label.replace(/\W+/g, '_')}.csv.gz`, make());
        const o = await loadExportFile(file);
        assert.ok(o.ok);
        data = o.value.table;
        e = new ViewEngine(data);
        await con.run(
          `CREATE OR REPLACE TABLE f AS SELECT * FROM read_csv(${lit(file)}, header=true, quote='"', escape='"', all_varchar=true, allow_quoted_nulls=false)`,
        );
      });

      it('every column, unfiltered, matches DuckDB', async () => {
        for (let c = 0; c < data.header.length; c++)
          await compare(con, data, await summarize(e, c, { filters: [], search: '' }), '');
      });

      it('every column under store = app_store and a price between 1 and 10 matches DuckDB', async () => {
        const store = data.header.indexOf('store');
        const price = data.header.indexOf('price_in_usd');
        const filters: ColumnFilter[] = [
          { column: store, op: 'equals', values: ['app_store'] },
          { column: price, op: 'range', min: '1', max: '10' },
        ];
        const where = `store = 'app_store' AND TRY_CAST(price_in_usd AS DOUBLE) BETWEEN 1 AND 10`;
        const [n] = await rows(con, `SELECT count(*) AS n FROM f WHERE ${where}`);
        assert.ok(Number(n.n) > 50, 'the filter keeps enough rows to mean something');
        for (let c = 0; c < data.header.length; c++)
          await compare(con, data, await summarize(e, c, { filters, search: '' }), where);
      });

      it("each top value's and each bar's filter shows exactly its count of rows", async () => {
        const base: ColumnFilter[] = [{ column: data.header.indexOf('store'), op: 'equals', values: ['play_store'] }];
        for (let c = 0; c < data.header.length; c++) {
          const s = await summarize(e, c, { filters: base, search: '' });
          const other = (f: ColumnFilter) => (f.column === base[0].column ? [f] : [...base, f]);
          for (const t of s.top) assert.equal(countOf(e, other(t.filter)), t.count, `${data.header[c]} = ${t.value}`);
          for (const b of s.histogram.bars)
            assert.equal(countOf(e, other(b.filter)), b.count, `${data.header[c]} bar ${b.label}`);
          if (s.histogram.kind === 'bins' && s.histogram.bars.length)
            assert.equal(
              s.histogram.bars.reduce((a, b) => a + b.count, 0) + s.nulls + s.invalid,
              s.rows,
              data.header[c],
            );
        }
      });
    });
  }

  it('a quoted empty field is the empty string (a value, or unreadable as a number); an empty unquoted one is NULL', async () => {
    const text = withQuotedEmpties(generateExport({ version: 'v5', rows: 3000, seed: 162 }).text);
    const file = writeGz(dir, 'empties.csv.gz', text);
    const o = await loadExportFile(file);
    assert.ok(o.ok);
    const t = o.value.table;
    const e = new ViewEngine(t);
    const planted = (name: string) => {
      const c = t.header.indexOf(name);
      return readCsv(text, ',').rows.filter((_, i) =>
        c === t.header.indexOf('price_in_usd') ? i % 89 === 7 : i % 97 === 5,
      ).length;
    };
    const id = await summarize(e, t.header.indexOf('store_transaction_id'), { filters: [], search: '' });
    assert.equal(id.top.find((x) => x.value === '')?.count, planted('store_transaction_id'));
    assert.equal(id.min, '');
    const price = await summarize(e, t.header.indexOf('price_in_usd'), { filters: [], search: '' });
    assert.equal(price.invalid, planted('price_in_usd'));
    assert.ok(price.nulls > 0, 'the generator writes NULL prices too');
  });

  it('stops between slices when its signal aborts, in the core and in the view thread', async () => {
    const file = writeGz(dir, 'big.csv.gz', generateExport({ version: 'v5', rows: 20_000, seed: 163 }).text);
    const o = await loadExportFile(file);
    assert.ok(o.ok);
    const t = o.value.table;
    const e = new ViewEngine(t);
    const signal = { aborted: false };
    let pauses = 0;
    const pause = async () => {
      if (++pauses === 2) signal.aborted = true;
    };
    const column = t.header.indexOf('store_transaction_id');
    const done: number[] = [];
    await assert.rejects(
      summarize(e, column, { filters: [], search: '' }, { signal, pause, slice: 1000, progress: (d) => done.push(d) }),
      SummaryCancelled,
    );
    assert.equal(pauses, 2);
    assert.deepEqual(done, [1000, 2000]);
    const thread = new ViewThread(t, path.join(DIST, 'viewWorker.js'));
    try {
      const ac = new AbortController();
      const stale = thread.summary(column, { filters: [], search: 'a', sort: null }, ac.signal);
      ac.abort();
      assert.equal(await stale, null);
      const seen: [number, number][] = [];
      const s = await thread.summary(column, { filters: [], search: '', sort: null }, undefined, undefined, (d, n) =>
        seen.push([d, n]),
      );
      assert.equal(s?.rows, 20_000);
      // the thread told how far it got, up to every row in view
      assert.ok(seen.length >= 1);
      assert.deepEqual(seen[seen.length - 1], [20_000, 20_000]);
    } finally {
      thread.dispose();
    }
  });
});
