/**
 * The grid's views (filters, search, sort) and the column reader under them, checked against
 * csv-parse's reading of the same generated files: an independent parser decides which rows match.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildVector, FieldCursor } from '../../src/core/view/fields';
import type { ColumnFilter } from '../../src/core/view/viewFilter';
import { loadExport, type Loaded } from '../../src/core/load/load';
import { Needle, rowsContaining } from '../../src/core/view/search';
import { ViewEngine } from '../../src/core/view/view';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadInWorker } from '../../src/worker/loadClient';
import { ViewThread } from '../../src/worker/viewClient';
import { generateExport, type GenOptions } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const DIST = path.join(__dirname, '..', '..', '..', 'dist');

type Cell = string | null;
interface Fixture {
  loaded: Loaded;
  header: string[];
  /** csv-parse's cells: null for an empty unquoted field, as the export format defines NULL. */
  rows: Cell[][];
  col: (name: string) => number;
}

async function fixture(opts: GenOptions): Promise<Fixture> {
  const g = generateExport(opts);
  async function* chunks() {
    for (let i = 0; i < g.text.length; i += 50_000) yield g.text.subarray(i, i + 50_000);
  }
  const o = await loadExport({ name: 'x.csv', size: g.text.length, chunks: chunks() }, { decompressor: nodeGunzip });
  assert.ok(o.ok);
  const records = parse(g.text, {
    delimiter: opts.delimiter ?? ',',
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    cast: (value, context) => (context.quoting || value !== '' ? value : null),
  }) as Cell[][];
  const header = records[0] as string[];
  const width = header.length;
  const rows = records.slice(1).map((r) => Array.from({ length: width }, (_, i) => r[i] ?? null));
  return { loaded: o.value, header, rows, col: (n) => header.indexOf(n) };
}

const fold = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const matching = (f: Fixture, keep: (r: Cell[]) => boolean) => f.rows.flatMap((r, i) => (keep(r) ? [i] : []));
const ts = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);

function rowsOf(e: ViewEngine, filters: ColumnFilter[], search = ''): number[] {
  const r = e.view({ filters, search, sort: null });
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.order ? [...r.order] : [...Array(r.total).keys()];
}

describe("the grid's views", () => {
  for (const opts of [
    { version: 'v5', rows: 2500, seed: 31, multiline: true },
    { version: 'v3', rows: 2000, seed: 32, delimiter: ';', crlf: true, bom: true },
  ] as GenOptions[]) {
    describe(`${opts.version} ${opts.delimiter ?? ','}${opts.multiline ? ' multiline' : ''}${opts.crlf ? ' crlf' : ''}`, () => {
      let f: Fixture;
      let e: ViewEngine;
      before(async () => {
        f = await fixture(opts);
        e = new ViewEngine(f.loaded.table);
      });

      it('reads every field of every row as csv-parse does (the field cursor)', () => {
        const cur = new FieldCursor(f.loaded.table);
        assert.equal(f.loaded.table.rowCount, f.rows.length);
        for (let r = 0; r < f.rows.length; r++) {
          for (let c = 0; c < f.header.length; c++)
            assert.equal(cur.text(r, c), f.rows[r][c], `row ${r} column ${f.header[c]}`);
        }
      });

      it('builds typed vectors for columns the loader left as text', () => {
        for (const [name, read] of [
          ['price_in_purchased_currency', (s: string) => Number(s)],
          ['renewal_number', (s: string) => Number(s)],
          ['billing_issues_detected_at', ts],
        ] as const) {
          const c = f.col(name);
          const v = buildVector(f.loaded.table, c)!;
          f.rows.forEach((row, r) => {
            const want = row[c] === null ? NaN : read(row[c]);
            assert.ok(Object.is(v.data[r], want) || v.data[r] === want, `${name} row ${r}: ${v.data[r]} vs ${want}`);
          });
        }
        const p = f.col('platform');
        const d = buildVector(f.loaded.table, p)!;
        assert.equal(d.kind, 'dict');
        f.rows.forEach((row, r) => assert.equal(d.data[r] === 0xffff ? null : d.dict![d.data[r]], row[p]));
      });

      it("filters each kind of column like a plain predicate over csv-parse's cells", () => {
        const store = f.col('store');
        const price = f.col('price_in_usd');
        const start = f.col('start_time');
        const user = f.col('rc_original_app_user_id');
        const sandbox = f.col('is_sandbox');
        const txn = f.col('store_transaction_id');
        const unsub = f.col('unsubscribe_detected_at');
        const someTxn = f.rows[777][txn]!;
        const day = f.rows[100][start]!.slice(0, 10);
        const cases: [string, ColumnFilter, (r: Cell[]) => boolean][] = [
          ['store = stripe', { column: store, op: 'equals', values: ['stripe'] }, (r) => r[store] === 'stripe'],
          [
            'store in two',
            { column: store, op: 'equals', values: ['stripe', 'play_store'] },
            (r) => r[store] === 'stripe' || r[store] === 'play_store',
          ],
          [
            'store contains STORE',
            { column: store, op: 'contains', text: 'STORE' },
            (r) => r[store] !== null && r[store].includes('store'),
          ],
          [
            'price 5..10',
            { column: price, op: 'range', min: '5', max: '10' },
            (r) => r[price] !== null && Number(r[price]) >= 5 && Number(r[price]) <= 10,
          ],
          [
            'price >= 100',
            { column: price, op: 'range', min: '100', max: null },
            (r) => r[price] !== null && Number(r[price]) >= 100,
          ],
          [
            'price = 9.99',
            { column: price, op: 'equals', values: ['9.99'] },
            (r) => r[price] !== null && Number(r[price]) === 9.99,
          ],
          [
            `start_time on ${day}`,
            { column: start, op: 'equals', values: [day] },
            (r) => r[start]?.startsWith(day) ?? false,
          ],
          [
            'start_time in 2024-06',
            { column: start, op: 'range', min: '2024-06-01', max: '2024-06-30' },
            (r) => r[start] !== null && r[start] >= '2024-06-01' && r[start] < '2024-07-01',
          ],
          [
            'user contains anonymous',
            { column: user, op: 'contains', text: 'anonymous' },
            (r) => r[user] !== null && fold(r[user]).includes('anonymous'),
          ],
          ['transaction id equals', { column: txn, op: 'equals', values: [someTxn] }, (r) => r[txn] === someTxn],
          [
            'is_sandbox true',
            { column: sandbox, op: 'equals', values: ['true'] },
            (r) => r[sandbox] === 'true' || r[sandbox] === 't',
          ],
          ['unsubscribe_detected_at is null', { column: unsub, op: 'null' }, (r) => r[unsub] === null],
          ['unsubscribe_detected_at is not null', { column: unsub, op: 'notNull' }, (r) => r[unsub] !== null],
          ['store is null', { column: store, op: 'null' }, (r) => r[store] === null],
        ];
        if (opts.version !== 'v3') {
          const attrs = f.col('custom_subscriber_attributes');
          cases.push([
            'attributes contain "value": "s',
            { column: attrs, op: 'contains', text: '"VALUE": "s' },
            (r) => r[attrs] !== null && fold(r[attrs]).includes('"value": "s'),
          ]);
          cases.push([
            'attributes is null (a JSON column, read as text)',
            { column: attrs, op: 'null' },
            (r) => r[attrs] === null,
          ]);
        }
        for (const [name, filter, keep] of cases) {
          const want = matching(f, keep);
          if (process.env.VERBOSE) console.log(name, want.length);
          assert.deepEqual(rowsOf(e, [filter]), want, name);
        }
        // several filters at once: all of them
        const both = rowsOf(e, [cases[0][1], cases[4][1]]);
        assert.deepEqual(
          both,
          matching(f, (r) => cases[0][2](r) && cases[4][2](r)),
        );
      });

      it('searches every cell, ignoring ASCII case', () => {
        const user = f.col('rc_original_app_user_id');
        const needles = [
          'stripe',
          fold(f.rows[1234][user]!).toUpperCase(),
          'P1M',
          '2024-1',
          `es${opts.delimiter ?? ','}`,
          'no such text anywhere',
        ];
        if (opts.version !== 'v3') needles.push('"value": "', '{"');
        for (const n of needles) {
          const want = matching(f, (r) => r.some((c) => c !== null && fold(c).includes(fold(n))));
          assert.deepEqual(rowsOf(e, [], n), want, n);
        }
        // with a filter first, the search looks at the rows left
        const store = f.col('store');
        const want = matching(
          f,
          (r) => r[store] === 'app_store' && r.some((c) => c !== null && fold(c).includes('p1y')),
        );
        assert.deepEqual(rowsOf(e, [{ column: store, op: 'equals', values: ['app_store'] }], 'P1Y'), want);
      });

      it('sorts the filtered rows: the sort order with the rows that did not pass left out', () => {
        const store = f.col('store');
        const price = f.col('price_in_usd');
        const sort = { column: price, descending: true };
        const r = e.view({ filters: [{ column: store, op: 'equals', values: ['stripe'] }], search: '', sort });
        assert.ok(r.ok && r.order);
        const full = e.order(sort);
        assert.deepEqual(
          [...r.order],
          [...full].filter((i) => f.rows[i][store] === 'stripe'),
        );
        const prices = [...r.order]
          .map((i) => f.rows[i][price])
          .filter((p) => p !== null)
          .map(Number);
        assert.ok(
          prices.every((p, k) => k === 0 || prices[k - 1] >= p),
          'descending',
        );
      });

      it('counts the values of columns with few of them', () => {
        for (const name of ['store', 'is_sandbox', 'platform']) {
          const c = f.col(name);
          const got = e.values(c)!;
          const want = new Map<string | null, number>();
          for (const r of f.rows) {
            const v =
              name === 'is_sandbox' && r[c] !== null ? (r[c] === 't' || r[c] === 'true' ? 'true' : 'false') : r[c];
            want.set(v, (want.get(v) ?? 0) + 1);
          }
          assert.deepEqual(new Map(got.values.map((v) => [v.value, v.count])), want, name);
          assert.ok(
            got.values.every((v, k) => k === 0 || got.values[k - 1].count >= v.count),
            'most frequent first',
          );
        }
        assert.equal(e.values(f.col('rc_original_app_user_id')), null, 'free text has no list');
      });

      it('says why a filter cannot apply', () => {
        const bad: [ColumnFilter, RegExp][] = [
          [{ column: f.col('store'), op: 'range', min: '1', max: '2' }, /store: a range needs a number or time column/],
          [
            { column: f.col('start_time'), op: 'range', min: '2024-13-45', max: null },
            /start_time: "2024-13-45" is not a date or time/,
          ],
          [{ column: f.col('price_in_usd'), op: 'equals', values: ['cheap'] }, /price_in_usd: "cheap" is not a number/],
          [
            { column: f.col('is_sandbox'), op: 'equals', values: ['maybe'] },
            /is_sandbox: "maybe" is neither true nor false/,
          ],
        ];
        for (const [filter, message] of bad) {
          const r = e.view({ filters: [filter], search: '', sort: null });
          assert.equal(r.ok, false);
          assert.match((r as { message: string }).message, message);
        }
      });
    });
  }

  it('finds a needle at every position, in either case, like a naive scan', () => {
    const text = Buffer.from('abcABCabxAbC\nzzabc\nABCab\nc\n');
    const starts = new Uint32Array([0, 13, 19, 25]);
    const s = fold(text.toString());
    for (const q of ['abc', 'ABC', 'b', 'c\nz', 'b\nc', 'abcabc', 'x', 'c\n']) {
      // a row counts when a match starts in it
      const want = [0, 1, 2, 3].filter((r) => {
        for (let p = starts[r]; p < (r < 3 ? starts[r + 1] : text.length); p++)
          if (s.startsWith(fold(q), p)) return true;
        return false;
      });
      const got: number[] = [];
      const data = { segments: [text], segmentRows: [0], rowStarts: starts };
      rowsContaining(data, 4, new Needle(q), (r) => got.push(r));
      assert.deepEqual(got, want, q);
    }
  });

  it('computes views in a thread of its own over the shared table, with the same rows', async () => {
    const file = writeGz(
      tempDir(),
      'transactions_1735689600.csv.gz',
      generateExport({ version: 'v5', rows: 3000, seed: 33 }).text,
    );
    const o = await loadInWorker(file, { workerPath: path.join(DIST, 'worker.js') });
    assert.ok(o.ok);
    const store = o.value.table.header.indexOf('store');
    const price = o.value.table.header.indexOf('price_in_usd');
    const thread = new ViewThread(o.value.table, path.join(DIST, 'viewWorker.js'));
    try {
      const spec = {
        filters: [{ column: store, op: 'equals' as const, values: ['app_store'] }],
        search: 'P1M',
        sort: { column: price, descending: false },
      };
      const there = await thread.view(spec);
      const here = new ViewEngine(o.value.table).view(spec);
      assert.ok(there.ok && here.ok);
      assert.deepEqual([...there.order!], [...here.order!]);
      assert.deepEqual(await thread.values(store), new ViewEngine(o.value.table).values(store));
    } finally {
      thread.dispose();
    }
  });
});
