/**
 * The Parquet decoder (src/core/parquet) against hyparquet and against DuckDB, on files DuckDB
 * writes: every physical and logical type it writes for a flat table (strings plain and by
 * dictionary, with commas, quotes, line breaks, empty strings and NULLs; BIGINT, INTEGER, SMALLINT,
 * TINYINT, FLOAT, DOUBLE, BOOLEAN, DATE, TIMESTAMP in ms, µs and ns, TIMESTAMPTZ, DECIMAL,
 * UINTEGER), with Snappy and uncompressed, data pages v1 and v2, several row groups. Every cell
 * equals hyparquet's reading of the same file, and the text DuckDB prints for the value; the
 * decoder reads what it knows and leaves the rest (DECIMAL, unsigned, DELTA and BYTE_STREAM_SPLIT
 * encodings) to hyparquet. Also: dates of every day of years 0-9999, cancellation, the first rows.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Loaded, LoadOutcome } from '../../src/core/load/load';
import { ExportTable } from '../../src/core/load/table';
import { Cells, writeDay } from '../../src/core/parquet/cells';
import { chunksRead, loadParquetParts } from '../../src/core/parquet';
import { tempDir } from '../support/files';
import { duckConnection, parquetPart } from '../support/parquet';

const ROWS = 3000;

/** Each column: its SQL type, the value of row i, and how DuckDB prints it as the export's text. */
const COLUMNS: Record<string, { type: string; value: string; text?: string; number?: true }> = {
  store_transaction_id: {
    type: 'VARCHAR',
    value: `CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN '' WHEN i % 17 = 0 THEN 'a,b "c"' || chr(10) || 'd' || i WHEN i % 19 = 0 THEN 'é€😀' || i ELSE 'tx' || i END`,
    text: 'store_transaction_id',
  },
  start_time: {
    type: 'TIMESTAMP',
    value: `TIMESTAMP '1969-12-31 23:00:00' + INTERVAL (i * 123456789) MICROSECOND`,
    text: `strftime(start_time, '%Y-%m-%d %H:%M:%S') || CASE WHEN epoch_us(start_time) % 1000000 = 0 THEN '' ELSE '.' || lpad(CAST((epoch_us(start_time) % 1000000 + 1000000) % 1000000 AS VARCHAR), 6, '0') END`,
  },
  renewal_number: {
    type: 'BIGINT',
    value: 'CASE WHEN i % 4 = 0 THEN NULL ELSE i % 40 END',
    text: 'CAST(renewal_number AS VARCHAR)',
  },
  label: { type: 'VARCHAR', value: `CASE WHEN i % 5 = 0 THEN NULL ELSE 'kind ' || (i % 3) END`, text: 'label' },
  big: { type: 'BIGINT', value: '(i - 1500) * 6148914691236517', text: 'CAST(big AS VARCHAR)' },
  int32: { type: 'INTEGER', value: '(i - 1500) * 1000003', text: 'CAST(int32 AS VARCHAR)' },
  small: { type: 'SMALLINT', value: 'i % 300 - 150', text: 'CAST(small AS VARCHAR)' },
  tiny: { type: 'TINYINT', value: 'i % 100 - 50', text: 'CAST(tiny AS VARCHAR)' },
  real: { type: 'FLOAT', value: 'i / 3.0', number: true },
  dbl: { type: 'DOUBLE', value: 'CASE WHEN i % 9 = 0 THEN NULL ELSE (i - 7) / 8.0 END', number: true },
  dict_dbl: { type: 'DOUBLE', value: '(i % 4) * 1.25', number: true },
  flag: { type: 'BOOLEAN', value: 'CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END' },
  day: { type: 'DATE', value: `DATE '1960-01-01' + CAST(i * 17 AS INTEGER)`, text: 'CAST(day AS VARCHAR)' },
  at_ms: {
    type: 'TIMESTAMP_MS',
    value: `TIMESTAMP '2024-01-01' + INTERVAL (i * 1234) MILLISECOND`,
    text: `strftime(at_ms, '%Y-%m-%d %H:%M:%S') || CASE WHEN epoch_ms(at_ms) % 1000 = 0 THEN '' ELSE '.' || lpad(CAST(epoch_ms(at_ms) % 1000 AS VARCHAR), 3, '0') END`,
  },
  at_ns: {
    type: 'TIMESTAMP_NS',
    value: `TIMESTAMP '2024-01-01' + INTERVAL (i * 1234567) MICROSECOND`,
    text: `strftime(at_ns, '%Y-%m-%d %H:%M:%S') || CASE WHEN epoch_ns(at_ns) % 1000000000 = 0 THEN '' ELSE '.' || lpad(CAST(epoch_ns(at_ns) % 1000000000 AS VARCHAR), 9, '0') END`,
  },
  at_tz: {
    type: 'TIMESTAMPTZ',
    value: `TIMESTAMPTZ '2024-06-30 22:00:00+00' + INTERVAL (i * 61) SECOND`,
    text: `strftime(at_tz, '%Y-%m-%d %H:%M:%S')`,
  },
  amount: { type: 'DECIMAL(10,2)', value: 'i / 100.0', number: true },
  count: { type: 'UINTEGER', value: 'i * 7', text: 'CAST(count AS VARCHAR)' },
};

const VARIANTS: Record<string, string> = {
  'Snappy, pages v1': 'COMPRESSION snappy',
  'uncompressed, pages v1': 'COMPRESSION uncompressed',
  'Snappy, pages v2': 'COMPRESSION snappy, PARQUET_VERSION v2',
};

function loaded(o: LoadOutcome): Loaded {
  if (!o.ok) assert.fail(`${o.error.code}: ${o.error.message}`);
  return o.value;
}

describe('Parquet decoder: the types and encodings DuckDB writes, as hyparquet and DuckDB read them', function () {
  this.timeout(120_000);
  const dir = tempDir();
  let con!: DuckDBConnection;
  let close = () => {};
  before(async () => {
    ({ con, close } = await duckConnection());
    await con.run(`SET TimeZone = 'UTC'`);
    const defs = Object.entries(COLUMNS).map(([n, c]) => `${n} ${c.type}`);
    await con.run(`CREATE TABLE t (i INTEGER, ${defs.join(', ')})`);
    const values = Object.values(COLUMNS).map((c) => c.value);
    await con.run(`INSERT INTO t SELECT i, ${values.join(', ')} FROM range(${ROWS}) r(i)`);
  });
  after(() => {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const names = Object.keys(COLUMNS);

  for (const [variant, options] of Object.entries(VARIANTS)) {
    it(`${variant}: every cell as hyparquet reads it and as DuckDB prints it`, async () => {
      const file = path.join(dir, `${variant.replace(/\W+/g, '-')}.parquet`);
      await con.run(
        `COPY (SELECT ${names.join(', ')} FROM t ORDER BY i) TO '${file}' (FORMAT parquet, ${options}, ROW_GROUP_SIZE 1000)`,
      );
      const before = { ...chunksRead };
      const own = loaded(await loadParquetParts([parquetPart(file)], { maxPerRule: Infinity }));
      const ownChunks = chunksRead.own - before.own;
      const left = chunksRead.hyparquet - before.hyparquet;
      const hy = loaded(await loadParquetParts([parquetPart(file)], { maxPerRule: Infinity, reader: 'hyparquet' }));
      assert.deepEqual(own.table.header, names);
      assert.equal(own.table.rowCount, ROWS);
      const a = new ExportTable(own.table);
      const b = new ExportTable(hy.table);
      for (let r = 0; r < ROWS; r++) assert.deepEqual(a.row(r), b.row(r), `row ${r}`);
      assert.deepEqual(own.validation?.counts, hy.validation?.counts);
      // the line breaks in quoted strings (each row's line number in problems)
      assert.ok(own.table.lineShifts.rows.length > 0, 'rows after a line break in a string');
      assert.deepEqual(own.table.lineShifts, hy.table.lineShifts);

      // DuckDB's own text of each value
      const exprs = names.map((n) => COLUMNS[n].text ?? 'NULL');
      const want = (await con.runAndReadAll(`SELECT ${exprs.join(', ')} FROM t ORDER BY i`)).getRows();
      const [t, f] = own.info.version.encodings.booleans === 'tf' ? ['t', 'f'] : ['true', 'false'];
      const flags = (await con.runAndReadAll('SELECT flag FROM t ORDER BY i')).getRows();
      // numbers: the same value (DuckDB prints 1.0 where the export writes 1)
      const numeric = names.filter((n) => COLUMNS[n].number);
      const numbers = (
        await con.runAndReadAll(`SELECT ${numeric.map((n) => `CAST(${n} AS DOUBLE)`).join(', ')} FROM t ORDER BY i`)
      ).getRows();
      for (let r = 0; r < ROWS; r++) {
        names.forEach((n, k) => {
          if (!COLUMNS[n].text) return;
          const w = want[r][k];
          assert.equal(a.cell(r, k), w === null ? null : String(w), `row ${r}, ${n}`);
        });
        const flag = flags[r][0];
        assert.equal(a.cell(r, names.indexOf('flag')), flag === null ? null : flag ? t : f, `row ${r}, flag`);
        numeric.forEach((n, j) => {
          const cell = a.cell(r, names.indexOf(n));
          const w = numbers[r][j] as number | null;
          const v = n === 'real' && w !== null ? Math.fround(w) : w;
          assert.equal(cell === null ? null : Number(cell), v, `row ${r}, ${n}`);
        });
      }

      // which reader read what: this room's decoder every column it knows, hyparquet the rest
      const groups = (ownChunks + left) / names.length;
      assert.ok(Number.isInteger(groups) && groups >= 2, `${groups} row groups`);
      if (variant.endsWith('v1')) {
        assert.equal(left, 2 * groups, 'DECIMAL and UINTEGER are left to hyparquet');
        assert.equal(ownChunks, (names.length - 2) * groups);
      } else assert.ok(ownChunks >= 4 * groups, `${ownChunks} chunks decoded by this room`);
    });
  }

  it('a date is written as toISOString writes it, in years 0 to 9999 and outside them', () => {
    const c = new Cells();
    const from = Math.round(new Date('0000-01-01T00:00:00Z').getTime() / 86_400_000);
    const to = Math.round(new Date('9999-12-31T00:00:00Z').getTime() / 86_400_000);
    // every day of 1900-2199, every 7th day of the rest, and the edges
    const days: number[] = [from - 2, from - 1, to + 1, to + 2];
    for (let day = from; day <= to; day += 7) days.push(day);
    for (let day = -25567; day < 83_000; day++) days.push(day);
    for (const day of days) {
      c.n = 0;
      writeDay(c, day);
      const got = new TextDecoder().decode(c.text.subarray(0, c.n));
      const want = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (got !== want) assert.fail(`day ${day}: ${got}, toISOString: ${want}`);
    }
  });

  it('cancels between column chunks, and shows the first rows while the rest loads', async () => {
    const file = path.join(dir, 'first-rows.parquet');
    await con.run(
      `COPY (SELECT ${names.join(', ')} FROM t ORDER BY i) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
    const abort = new AbortController();
    const seen: number[] = [];
    const progress: number[] = [];
    const o = await loadParquetParts([parquetPart(file)], {
      signal: abort.signal,
      progressInterval: 0,
      onProgress: (p) => progress.push(p.rows),
      onFirstRows: ({ table }) => {
        seen.push(table.rowCount);
        if (seen.length === 2) abort.abort();
      },
    });
    assert.deepEqual(seen, [200, 1000]);
    assert.ok(!o.ok);
    assert.equal(o.error.code, 'cancelled');
    const whole = loaded(
      await loadParquetParts([parquetPart(file)], { progressInterval: 0, onProgress: (p) => progress.push(p.rows) }),
    );
    assert.equal(whole.table.rowCount, ROWS);
    assert.deepEqual(progress.slice(-2), [ROWS, ROWS]);
  });
});
