/**
 * Deliveries of parts: a Parquet delivery written by DuckDB (several Snappy part files, typed or
 * all-string columns) and a split CSV delivery (several gzip parts, each with the header) are read
 * into the same table as the CSV export they were made from, for every template version: the same
 * header, every cell the same text, the same problems, the same value for every measure. A measure
 * on a Parquet delivery decodes only the columns it reads (and on a CSV file types only those).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { VERSION_IDS, type VersionId } from '../../src/core/catalog/templates';
import { ExportTable } from '../../src/core/load/table';
import type { Loaded } from '../../src/core/load/load';
import { columnsFor, MEASURE_NAMES, runMeasure, type MeasureName } from '../../src/core/measures';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadExportFile } from '../../src/node/loadFile';
import { loadDeliveries } from '../../src/node/deliveries';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';
import { duckConnection, writeParquetDelivery } from '../support/parquet';

const REQUESTS: Record<string, { date?: string; from?: string; to?: string; key?: string; value?: string }> = {
  'active-subscriptions-with-attribute': { date: '2024-12-01', key: 'plan_tier', value: 'gold' },
  'weekly-revenue': { from: '2024-10-01', to: '2024-12-31' },
  revenue: { from: '2024-10-01', to: '2024-12-31' },
};

function loaded(o: Awaited<ReturnType<typeof loadExportFile>>, what: string): Loaded {
  if (!o.ok) assert.fail(`${what}: ${o.error.code}: ${o.error.message}`);
  return o.value;
}

/** The same rows, cells and problems. */
function assertSameTable(got: Loaded, want: Loaded, what: string): void {
  assert.deepEqual(got.table.header, want.table.header, `${what}: header`);
  assert.equal(got.table.rowCount, want.table.rowCount, `${what}: rows`);
  assert.equal(got.info.version.id, want.info.version.id, `${what}: version`);
  const a = new ExportTable(got.table);
  const b = new ExportTable(want.table);
  for (let r = 0; r < b.rowCount; r++) {
    const x = a.row(r);
    const y = b.row(r);
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      const c = y.findIndex((v, i) => v !== x[i]);
      assert.fail(
        `${what}: row ${r}, column ${b.header[c]}: ${JSON.stringify(x[c])} where the CSV has ${JSON.stringify(y[c])}`,
      );
    }
  }
  const problems = (l: Loaded) =>
    l.validation!.problems.map((p) => `${p.severity} ${p.rule} row ${p.row} ${p.column ?? ''} ${p.value ?? ''}`);
  assert.deepEqual(problems(got), problems(want), `${what}: problems`);
  assert.deepEqual(got.validation!.counts, want.validation!.counts, `${what}: problem counts`);
}

async function assertSameMeasures(got: string | { path: string; parts: string[] }, want: string, what: string) {
  const g = await loadDeliveries([got]);
  const w = await loadDeliveries([want]);
  assert.ok(g.ok && w.ok);
  const gi = mergeDeliveries(g.deliveries);
  const wi = mergeDeliveries(w.deliveries);
  // a message names the delivery it is about: the same words about either one
  const named = (text: string, input: typeof gi) =>
    input.parts.reduce((t, p) => t.split(p.delivery.file).join('<delivery>'), text);
  for (const name of MEASURE_NAMES) {
    const req = REQUESTS[name] ?? { date: '2024-12-01' };
    const run = (input: typeof gi) => {
      try {
        return runMeasure(name, input, req).value;
      } catch (e) {
        return `error: ${named((e as Error).message, input)}`;
      }
    };
    assert.deepEqual(run(gi), run(wi), `${what}: ${name}`);
  }
}

describe('Parquet and split deliveries read as the CSV they came from', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let con!: DuckDBConnection;
  let close = () => {};
  before(async () => ({ con, close } = await duckConnection()));
  after(() => {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const csvOf = (version: VersionId) => {
    const g = generateExport({ version, rows: 900, seed: 40 + VERSION_IDS.indexOf(version) });
    const csv = writeGz(path.join(dir), `${version}-${g.fileName}`, g.text);
    return { csv, text: g.text };
  };

  for (const version of VERSION_IDS) {
    it(`${version}: Parquet parts, typed and all-string, give the CSV's rows, problems and measures`, async () => {
      const { csv } = csvOf(version);
      const want = loaded(await loadExportFile(csv, { maxPerRule: Infinity }), 'csv');
      for (const typed of [false, true]) {
        const folder = path.join(dir, version, typed ? 'typed' : 'strings', 'transactions_1735689600');
        const parts = await writeParquetDelivery(con, { csv, dir: folder, parts: 3, typed });
        assert.equal(parts.length, 3);
        const what = `${version} ${typed ? 'typed' : 'all-string'} Parquet`;
        const got = loaded(await loadExportFile(folder, { maxPerRule: Infinity }), what);
        assert.equal(got.format, 'parquet');
        assert.deepEqual(got.parts, parts);
        assertSameTable(got, want, what);
        await assertSameMeasures(folder, csv, what);
      }
    });

    it(`${version}: a split CSV delivery (gzip parts, each with the header) reads as the whole file`, async () => {
      const { csv, text } = csvOf(version);
      const lines = text.toString('utf8').split('\n');
      const header = lines[0];
      const body = lines.slice(1).filter((l) => l !== '');
      const folder = path.join(dir, version, 'split', 'transactions_1735689600');
      fs.mkdirSync(folder, { recursive: true });
      const cut = [0, 300, 301, body.length];
      const parts = cut.slice(0, -1).map((c, i) => {
        const file = path.join(folder, `part-${i}.csv.gz`);
        // the last part without a final line break
        const end = i === cut.length - 2 ? '' : '\n';
        fs.writeFileSync(file, zlib.gzipSync(`${[header, ...body.slice(c, cut[i + 1])].join('\n')}${end}`));
        return file;
      });
      const want = loaded(await loadExportFile(csv, { maxPerRule: Infinity }), 'csv');
      const got = loaded(await loadExportFile(folder, { maxPerRule: Infinity }), `${version} split`);
      assert.equal(got.format, 'csv.gz');
      assert.deepEqual(got.parts, parts);
      assertSameTable(got, want, `${version} split CSV`);
      await assertSameMeasures(folder, csv, `${version} split CSV`);
    });
  }

  it('a measure on a Parquet delivery decodes only the columns it reads, with the same result', async () => {
    const { csv } = csvOf('v5');
    const folder = path.join(dir, 'needs', 'transactions_1735689600');
    const parts = await writeParquetDelivery(con, { csv, dir: folder, parts: 2, typed: true });
    const name: MeasureName = 'active-subscriptions';
    const columns = columnsFor(name)!;
    const narrow = await loadDeliveries([{ path: folder, parts }], { columns });
    const whole = await loadDeliveries([{ path: folder, parts }]);
    assert.ok(narrow.ok && whole.ok);
    const header = narrow.deliveries[0].table.header;
    assert.ok(header.length < 15 && header.length > 5, `${header.length} columns decoded`);
    for (const h of header) assert.ok(columns.includes(h), `${h} is not read by ${name}`);
    assert.equal(narrow.deliveries[0].version, 'v5', 'the version is the whole file’s, not the selection’s');
    const r = (o: typeof narrow) =>
      o.ok ? runMeasure(name, mergeDeliveries(o.deliveries), { date: '2024-12-01' }).value : null;
    assert.equal(r(narrow), r(whole));
    assert.ok(Number(r(whole)) > 0);
  });

  it('a measure on a CSV file types only the columns it reads, with the same results', async () => {
    const { csv } = csvOf('v5');
    const name: MeasureName = 'active-subscriptions';
    const columns = columnsFor(name)!;
    const narrow = await loadDeliveries([csv], { columns });
    const whole = await loadDeliveries([csv]);
    assert.ok(narrow.ok && whole.ok);
    const [n, w] = [narrow.deliveries[0].table.data, whole.deliveries[0].table.data];
    assert.deepEqual(
      n.header,
      w.header.filter((h) => columns.includes(h)),
      'a CSV load keeps the columns the measure reads, and no other',
    );
    const typed = (t: typeof n) => t.header.filter((_, k) => t.vectors[k] !== null);
    assert.ok(
      typed(w).some((h) => !columns.includes(h)),
      'the whole load types columns the measure does not read',
    );
    assert.deepEqual(
      typed(n),
      typed(w).filter((h) => columns.includes(h)),
      'only the columns the measure reads have vectors',
    );
    for (const m of MEASURE_NAMES.filter((x) => columnsFor(x))) {
      const cols = columnsFor(m)!;
      const mine = await loadDeliveries([csv], { columns: cols });
      assert.ok(mine.ok);
      const r = (o: typeof whole) => {
        try {
          return o.ok
            ? runMeasure(m, mergeDeliveries(o.deliveries), REQUESTS[m] ?? { date: '2024-12-01' }).value
            : null;
        } catch (e) {
          return `error: ${(e as Error).message}`;
        }
      };
      assert.deepEqual(r(mine), r(whole), `${m}: the same result from a load typing only ${cols.join(', ')}`);
    }
  });

  it('a damaged Parquet file is a parquet-corrupt error, not a crash', async () => {
    const { csv } = csvOf('v4');
    const [part] = await writeParquetDelivery(con, { csv, dir: path.join(dir, 'damaged'), parts: 1, typed: true });
    const bytes = fs.readFileSync(part);
    const cut = path.join(dir, 'damaged', 'cut.parquet');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const o = await loadExportFile(cut);
    assert.ok(!o.ok);
    assert.equal(o.error.code, 'parquet-corrupt');
    assert.match(o.error.message, /cut\.parquet.*Parquet/);
  });
});
