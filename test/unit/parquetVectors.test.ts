/**
 * Typed values handed straight to the table's vectors (src/core/parquet/vectors.ts) against the
 * text path, which types each cell from its text: for every template version, a Parquet delivery of
 * several parts (typed columns and all-string, written by DuckDB) gives per column the same vector
 * (kind, every entry, bit for bit; dictionary codes in the same order) as its CSV and as hyparquet's
 * reading of the same parts (whose text the builder types), with the same unreadable cells and
 * problems. Then values whose text the loader would not read as the same number (NaN, infinities,
 * -0, integers past 15 digits, integral and fractional doubles in an integer column, microseconds,
 * milliseconds and times before 1970) give the vectors the text path gives.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import type { Loaded, LoadOutcome } from '../../src/core/load/load';
import { fieldText } from '../../src/core/load/cells';
import type { TableData, VectorData } from '../../src/core/load/table';
import { loadParquetParts } from '../../src/core/parquet';
import { handedOver } from '../../src/core/parquet/vectors';
import { loadExportFile } from '../../src/node/loadFile';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';
import { duckConnection, parquetPart, writeParquetDelivery } from '../support/parquet';

function loaded(o: LoadOutcome, what: string): Loaded {
  if (!o.ok) assert.fail(`${what}: ${o.error.code}: ${o.error.message}`);
  return o.value;
}

/** Every column's vector the same: kind, entries bit for bit (NaN is NaN), dictionary in the same order. */
function assertSameVectors(got: TableData, want: TableData, what: string): number {
  assert.deepEqual(got.header, want.header, `${what}: header`);
  assert.equal(got.rowCount, want.rowCount, `${what}: rows`);
  let typed = 0;
  got.header.forEach((name, k) => {
    const a = got.vectors[k];
    const b = want.vectors[k];
    assert.equal(a?.kind, b?.kind, `${what}: ${name}'s vector`);
    if (!a || !b) return;
    typed++;
    assert.equal(a.data.length, b.data.length, `${what}: ${name}'s length`);
    if (a.kind === 'span') {
      // byte ranges of JSON cells: the texts they hold (a CSV may quote where Parquet's text does not)
      const cell = (t: TableData, d: VectorData['data'], r: number) =>
        fieldText(t.segments[0], d[2 * r], d[2 * r + 1], t.segments[0][d[2 * r]] === 0x22);
      for (let r = 0; r < got.rowCount; r++)
        if (cell(got, a.data, r) !== cell(want, b.data, r))
          assert.fail(`${what}: ${name}, row ${r}: ${cell(got, a.data, r)}, text path ${cell(want, b.data, r)}`);
      return;
    }
    for (let r = 0; r < a.data.length; r++)
      if (!Object.is(a.data[r], b.data[r]))
        assert.fail(`${what}: ${name}, entry ${r}: ${a.data[r]}, text path ${b.data[r]}`);
    assert.deepEqual(a.dict, b.dict, `${what}: ${name}'s dictionary`);
  });
  assert.deepEqual(got.unreadable ?? {}, want.unreadable ?? {}, `${what}: unreadable cells`);
  return typed;
}

const problems = (l: Loaded) =>
  l.validation?.problems.map((p) => `${p.severity} ${p.rule} row ${p.row} ${p.column ?? ''} ${p.value ?? ''}`);

describe('Parquet: typed values handed to the vectors equal the text path', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let con!: DuckDBConnection;
  let close = () => {};
  before(async () => ({ con, close } = await duckConnection()));
  after(() => {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const version of VERSION_IDS) {
    it(`${version}: typed and all-string parts give the vectors of their CSV and of hyparquet's text`, async () => {
      const g = generateExport({ version, rows: 700, seed: 70 + VERSION_IDS.indexOf(version) });
      const csv = writeGz(dir, `${version}-${g.fileName}`, g.text);
      for (const validate of [false, true]) {
        const want = loaded(await loadExportFile(csv, { validate, maxPerRule: Infinity }), 'csv');
        for (const typed of [true, false]) {
          const folder = path.join(dir, version, typed ? 'typed' : 'strings', 'transactions_1735689600');
          if (!fs.existsSync(folder)) await writeParquetDelivery(con, { csv, dir: folder, parts: 3, typed });
          const files = fs
            .readdirSync(folder)
            .sort()
            .map((f) => path.join(folder, f));
          const what = `${version} ${typed ? 'typed' : 'all-string'}${validate ? ', validated' : ''}`;
          const before = handedOver.chunks;
          const got = loaded(await loadParquetParts(files.map(parquetPart), { validate, maxPerRule: Infinity }), what);
          const given = handedOver.chunks - before;
          const text = loaded(
            await loadParquetParts(files.map(parquetPart), { validate, maxPerRule: Infinity, reader: 'hyparquet' }),
            `${what} (hyparquet)`,
          );
          const columns = assertSameVectors(got.table, want.table, what);
          assertSameVectors(text.table, want.table, `${what} (hyparquet)`);
          assert.deepEqual(problems(got), problems(want), `${what}: problems`);
          assert.deepEqual(got.validation?.counts, want.validation?.counts, `${what}: problem counts`);
          // typed parts hand over most typed columns; all-string parts their dictionary columns
          const dicts = got.table.vectors.filter((v) => v?.kind === 'dict').length;
          assert.ok(given >= (typed ? columns - 4 : dicts), `${what}: ${given} column chunks handed over`);
        }
      }
    });
  }

  it('values the text would not give as they are: the text path decides', async () => {
    const rows = 2000;
    // columns named as the export's, so the loader types them; values at the edges of the typed path
    const columns: Record<string, [string, string]> = {
      start_time: ['TIMESTAMP', `TIMESTAMP '1969-12-31 23:59:58' + INTERVAL (i * 7777) MICROSECOND`],
      end_time: ['TIMESTAMP_MS', `TIMESTAMP '2024-02-28 23:59:59' + INTERVAL (i * 997) MILLISECOND`],
      refunded_at: ['TIMESTAMP', `CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMP '2024-06-30' + INTERVAL (i) SECOND END`],
      price_in_usd: [
        'DOUBLE',
        `CASE WHEN i = 1500 THEN 'NaN'::DOUBLE WHEN i = 1700 THEN 'Infinity'::DOUBLE WHEN i % 5 = 0 THEN -0.0 WHEN i % 7 = 0 THEN NULL ELSE (i - 1000) / 3.0 END`,
      ],
      takehome_percentage: ['FLOAT', `CASE WHEN i % 4 = 0 THEN NULL ELSE i / 2001.0 END`],
      tax_percentage: ['DOUBLE', `(i % 10) / 10.0`],
      is_sandbox: ['BOOLEAN', `CASE WHEN i % 9 = 0 THEN NULL ELSE i % 2 = 0 END`],
      store: ['VARCHAR', `CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'store ' || (i * 7 % 5) END`],
      country: ['VARCHAR', `CASE WHEN i % 10 = 0 THEN 'a,"b"' ELSE chr(CAST(65 + i % 26 AS INTEGER)) || 'X' END`],
    };
    const names = Object.keys(columns);
    await con.run(`CREATE OR REPLACE TABLE edge (i INTEGER, ${names.map((n) => `${n} ${columns[n][0]}`).join(', ')})`);
    await con.run(`INSERT INTO edge SELECT i, ${names.map((n) => columns[n][1]).join(', ')} FROM range(${rows}) r(i)`);
    // the integer column: integers with one past 15 digits, integral doubles, a fraction in a later row group
    for (const [label, value] of [
      ['bigint', `(CASE WHEN i = 1900 THEN 1234567890123456 WHEN i % 6 = 0 THEN NULL ELSE i % 40 END)::BIGINT`],
      ['integral', `(CASE WHEN i % 8 = 0 THEN NULL ELSE i - 1000 END)::DOUBLE`],
      ['fraction', `(CASE WHEN i = 1800 THEN 2.5 ELSE i END)::DOUBLE`],
    ]) {
      const file = path.join(dir, `edge-${label}.parquet`);
      await con.run(
        `COPY (SELECT ${names.join(', ')}, ${value} AS renewal_number FROM edge ORDER BY i) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 500)`,
      );
      for (const validate of [false, true]) {
        const what = `${label}${validate ? ', validated' : ''}`;
        const got = loaded(await loadParquetParts([parquetPart(file)], { validate, maxPerRule: Infinity }), what);
        const text = loaded(
          await loadParquetParts([parquetPart(file)], { validate, maxPerRule: Infinity, reader: 'hyparquet' }),
          `${what} (hyparquet)`,
        );
        assert.ok(assertSameVectors(got.table, text.table, what) >= 8, `${what}: typed columns`);
        assert.deepEqual(problems(got), problems(text), `${what}: problems`);
      }
    }
  });
});
