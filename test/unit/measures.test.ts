import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { loadDeliveries } from '../../src/node/deliveries';
import { DEFAULT_EXPORT_TIME, generateExport } from '../gen/generator';
import { type DuckRef, duckRefForSuite } from '../support/duckdb';
import { tempDir, writeGz } from '../support/files';
import { checkAll } from '../support/measureCheck';

const EXPORT_DAY = Math.floor(DEFAULT_EXPORT_TIME / 86400);
const ATTRIBUTES = [
  ['plan_tier', 'gold'],
  ['utm_campaign', 'black friday, 2024'],
  ['referrer', 'friend "Bob"'],
  ['survey_response', 'n/a'],
] as const;

async function engine(files: string[]) {
  const o = await loadDeliveries(files);
  assert.ok(o.ok, o.ok ? '' : o.error.message);
  return mergeDeliveries(o.deliveries);
}

describe("measures = RevenueCat's documented SQL run by DuckDB", function () {
  this.timeout(300_000);
  const dir = tempDir();
  let ref!: DuckRef;
  const seen = new Set<string>();
  duckRefForSuite(dir, (r) => (ref = r));

  for (const version of VERSION_IDS) {
    for (const delimiter of [',', ';'] as const) {
      it(`${version}, delimiter ${delimiter}: every measure on three dates`, async () => {
        const seed = 40 + VERSION_IDS.indexOf(version) * 2 + (delimiter === ';' ? 1 : 0);
        const g = generateExport({ version, rows: 6000, seed, delimiter, multiline: delimiter === ';' });
        const sub = path.join(dir, `${version}${delimiter === ';' ? 'semi' : 'comma'}`);
        fs.mkdirSync(sub);
        const file = writeGz(sub, g.fileName, g.text);
        const input = await engine([file]);
        await ref.load([{ path: file, delimiter, delivery: DEFAULT_EXPORT_TIME }]);
        const days = [EXPORT_DAY, EXPORT_DAY - 45, EXPORT_DAY - 120, EXPORT_DAY - 200];
        const n = await checkAll(
          input,
          ref,
          { days, attributes: ATTRIBUTES, hasAttributes: version !== 'v1' },
          `${version}${delimiter}`,
          seen,
        );
        assert.equal(n, days.length);
      });
    }
  }

  it('the generated files gave every case something to compare', () => {
    const cases = [
      'active subscriptions',
      'active trials',
      'dropped for NULL',
      'MRR',
      'set to cancel',
      'in grace period',
      'weekly revenue',
      ...['gross_revenue', 'revenue_net_of_refunds', 'revenue_net_of_taxes', 'proceeds'].map((k) => `revenue ${k}`),
      ...ATTRIBUTES.map(([k]) => `attribute ${k}`),
    ];
    assert.deepEqual(
      cases.filter((c) => !seen.has(c)),
      [],
    );
  });
});
