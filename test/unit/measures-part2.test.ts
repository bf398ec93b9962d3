/**
 * Measures part 2 (measures-2.md) against DuckDB running the spec's SQL on the same generated files:
 * the six new measures and the series of the point-in-time measures, for every template version,
 * both delimiters, single files and a folder of deliveries merged.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSION_IDS, type VersionId } from '../../src/core/catalog/templates';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { DEFAULT_EXPORT_TIME, exportFileName, generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkNew, checkSeries } from '../support/measureCheck2';
import { columnsOf, fromSec, readCsv, toSec, writeCsv } from '../support/rewrite';

const DAY = 86400;
const A = Math.floor(DEFAULT_EXPORT_TIME / DAY);

async function engine(files: string[]) {
  const o = await loadDeliveries(files);
  assert.ok(o.ok, o.ok ? '' : o.error.message);
  return mergeDeliveries(o.deliveries);
}

/** A full delivery and an incremental one that refunds, cancels and reprices some of its rows. */
function twoDeliveries(dir: string, version: VersionId, seed: number) {
  const rng = new Rng(seed);
  const full = generateExport({ version, rows: 4000, seed, exportTime: DEFAULT_EXPORT_TIME });
  const csv = readCsv(full.text, ',');
  const cell = columnsOf(csv);
  const has = (c: string) => csv.header.includes(c);
  const inc = { header: csv.header, rows: [] as (string | null)[][] };
  const picked = new Set<number>();
  while (picked.size < 500) picked.add(rng.int(csv.rows.length)); // each transaction once: no tie inside a file
  for (const i of picked) {
    const row = [...csv.rows[i]];
    const when = fromSec(Math.max(toSec(cell(row, 'start_time')!) + 60, DEFAULT_EXPORT_TIME - rng.int(40 * DAY)));
    const kind = rng.int(3);
    if (kind === 0) {
      cell(row, 'refunded_at', when);
      if (has('effective_end_time')) cell(row, 'effective_end_time', when);
    } else if (kind === 1)
      cell(row, has('unsubscribe_detected_at') ? 'unsubscribe_detected_at' : 'unsubscribe_registered_at', when);
    else cell(row, 'price_in_usd', String(rng.range(1, 5000) / 100));
    if (has('updated_at')) cell(row, 'updated_at', fromSec(DEFAULT_EXPORT_TIME + rng.int(DAY)));
    inc.rows.push(row);
  }
  const files = [
    { text: full.text, delimiter: ',' as const, delivery: DEFAULT_EXPORT_TIME },
    { text: writeCsv(inc, ';'), delimiter: ';' as const, delivery: DEFAULT_EXPORT_TIME + DAY },
  ];
  return files.map((f) => {
    const sub = path.join(dir, String(f.delivery));
    fs.mkdirSync(sub, { recursive: true });
    return { path: writeGz(sub, exportFileName(f.delivery), f.text), delimiter: f.delimiter, delivery: f.delivery };
  });
}

describe("measures part 2 = the spec's SQL run by DuckDB", function () {
  this.timeout(600_000);
  const dir = tempDir();
  let ref!: DuckRef;
  const seen = new Set<string>();
  duckRefForSuite(dir, (r) => (ref = r));

  for (const version of VERSION_IDS) {
    for (const delimiter of [',', ';'] as const) {
      it(`${version}, delimiter ${delimiter}: the six new measures${delimiter === ',' ? ', and the series of the others' : ''}`, async () => {
        const seed = 70 + VERSION_IDS.indexOf(version) * 2 + (delimiter === ';' ? 1 : 0);
        const g = generateExport({ version, rows: 4000, seed, delimiter, multiline: delimiter === ';' });
        const sub = path.join(dir, `${version}${delimiter === ';' ? 'semi' : 'comma'}`);
        fs.mkdirSync(sub);
        const file = writeGz(sub, g.fileName, g.text);
        const input = await engine([file]);
        await ref.load([{ path: file, delimiter, delivery: DEFAULT_EXPORT_TIME }]);
        const label = `${version}${delimiter}`;
        const attribute = version === 'v1' ? undefined : (['plan_tier', 'gold'] as const);
        if (delimiter === ',') {
          await checkNew(input, ref, { from: A - 89, to: A, asOf: A, resolution: 'day' }, label, seen);
          await checkNew(input, ref, { from: A - 380, to: A + 10, asOf: A, resolution: 'month' }, label, seen);
          // the series of the point-in-time measures, at each resolution
          await checkSeries(input, ref, { from: A - 9, to: A, resolution: 'day', attribute }, label, seen);
          await checkSeries(input, ref, { from: A - 45, to: A - 3, resolution: 'week', attribute }, label, seen);
          await checkSeries(input, ref, { from: A - 120, to: A, resolution: 'month', attribute }, label, seen);
        } else {
          await checkNew(input, ref, { from: A - 200, to: A - 30, asOf: A - 20, resolution: 'week' }, label, seen);
        }
      });
    }
  }

  for (const version of ['v5', 'v3'] as const) {
    it(`${version}: a folder of two deliveries, merged`, async () => {
      const files = twoDeliveries(path.join(dir, `merged-${version}`), version, version === 'v5' ? 5 : 6);
      const input = await engine(files.map((f) => f.path));
      await ref.load(files);
      assert.equal(input.superseded, ref.rawRows - (await ref.count()));
      assert.ok(input.superseded > 300, `${input.superseded} superseded`);
      const label = `merged ${version}`;
      await checkNew(input, ref, { from: A - 89, to: A + 1, asOf: A + 1, resolution: 'day' }, label, seen);
      await checkNew(input, ref, { from: A - 300, to: A, asOf: A, resolution: 'month' }, label, seen);
      await checkSeries(
        input,
        ref,
        { from: A - 60, to: A + 1, resolution: 'week', attribute: ['plan_tier', 'gold'] },
        label,
        seen,
      );
    });
  }

  it('the generated files gave every case something to compare', () => {
    const cases = [
      'movement',
      'MRR movement',
      'trial conversion',
      'retention beyond the first period',
      'retention P1W',
      'retention P1M',
      'retention P1Y',
      'LTV segments with a trial',
      'LTV per customer beyond 7 days',
      'series day',
      'series week',
      'series month',
    ];
    assert.deepEqual(
      cases.filter((c) => !seen.has(c)),
      [],
      `seen: ${[...seen].join(', ')}`,
    );
  });
});
