import assert from 'node:assert/strict';
import { loadExport, type Loaded } from '../../src/core/load/load';
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import { templateVersion, type VersionId } from '../../src/core/catalog/templates';
import { validateTable } from '../../src/core/validate/run';
import { nodeGunzip } from '../../src/node/decodeNode';
import { generateExport, type GenOptions } from '../gen/generator';

async function load(text: Buffer, template?: string, name = 'transactions_1735689600.csv'): Promise<Loaded> {
  async function* one() {
    // several chunks, so records straddle chunk boundaries
    for (let i = 0; i < text.length; i += 65536) yield text.subarray(i, i + 65536);
  }
  const o = await loadExport(
    { name, size: text.length, chunks: one() },
    { decompressor: nodeGunzip, template, maxPerRule: Infinity },
  );
  if (!o.ok) throw new Error(o.error.message);
  return o.value;
}

const VERSIONS: VersionId[] = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];
/** Rules a generator can plant in a file with rows (no-rows needs an empty file; the quirk is information). */
const INJECTABLE: RuleId[] = RULE_IDS.filter((r) => r !== 'no-rows' && r !== 'play-store-invalidated');
const CELL_AND_ROW_RULES: RuleId[] = RULE_IDS.filter(
  (r) =>
    ![
      'unterminated-quote',
      'no-rows',
      'play-store-invalidated',
      'label-order',
      'missing-label',
      'extra-label',
      'duplicate-label',
    ].includes(r),
);

describe('validator on generated exports', () => {
  describe('clean files have no errors and no warnings', () => {
    for (const version of VERSIONS) {
      for (const variant of [
        { delimiter: ',' },
        { delimiter: ';', crlf: true, bom: true },
        { delimiter: ',', multiline: true, finalNewline: false },
        { delimiter: ';', columnOrder: 'physical' },
      ] as Partial<GenOptions>[]) {
        it(`${version} ${JSON.stringify(variant)}`, async () => {
          const g = generateExport({ version, rows: 1500, seed: 11, ...variant });
          const loaded = await load(g.text, version === 'v6' ? 'v6' : undefined);
          const v = loaded.validation!;
          const noisy = v.problems.filter((p) => p.severity !== 'information');
          assert.deepEqual(
            noisy.slice(0, 5).map((p) => `${p.rule} row ${p.row} ${p.column}: ${p.message}`),
            [],
          );
          assert.equal(loaded.table.rowCount, 1500);
          assert.equal(loaded.info.version.id, version);
          const infos = new Set(v.problems.map((p) => p.rule));
          for (const r of infos)
            assert.ok(
              ['play-store-invalidated', 'label-order', ...(version === 'v7' ? ['extra-label'] : [])].includes(r),
              r,
            );
          if (variant.columnOrder === 'physical' && version !== 'v1' && version !== 'v2')
            assert.ok(infos.has('label-order'));
        });
      }
    }
  });

  describe('every injected violation is found at its row, line and column', () => {
    for (const version of VERSIONS) {
      for (const delimiter of [',', ';'] as const) {
        it(`${version} delimiter ${delimiter}`, async () => {
          const g = generateExport({ version, rows: 2000, seed: 5, delimiter, multiline: true, inject: INJECTABLE });
          assert.ok(g.manifest.length >= 12, `only ${g.manifest.length} injected`);
          const loaded = await load(g.text, version === 'v6' ? 'v6' : undefined);
          const problems = loaded.validation!.problems;
          for (const inj of g.manifest) {
            const hit = problems.find((p) => p.rule === inj.rule && p.row === inj.row && p.column === inj.column);
            assert.ok(
              hit,
              `${inj.rule} at row ${inj.row} column ${inj.column} not found; got ${
                problems
                  .filter((p) => p.rule === inj.rule)
                  .map((p) => `${p.row}/${p.column}`)
                  .join(' ') || 'none'
              }`,
            );
            assert.equal(hit.line, inj.line, `${inj.rule} line`);
            if (inj.value !== null && inj.column !== null && inj.rule !== 'duplicate-transaction')
              assert.equal(hit.value, inj.value, `${inj.rule} value`);
          }
          // nothing reported on rows without an injection, apart from documented quirks
          const injectedRows = new Set(g.manifest.map((m) => m.row));
          const stray = problems.filter(
            (p) => p.severity !== 'information' && p.row !== null && !injectedRows.has(p.row),
          );
          assert.deepEqual(
            stray.slice(0, 5).map((p) => `${p.rule} row ${p.row} ${p.column}: ${p.message}`),
            [],
          );
        });
      }
    }
  });

  it('covers every cell and row rule with an injection in some version', () => {
    const seen = new Set<string>();
    for (const version of VERSIONS)
      for (const m of generateExport({ version, rows: 400, seed: 2, inject: INJECTABLE }).manifest) seen.add(m.rule);
    for (const r of CELL_AND_ROW_RULES) assert.ok(seen.has(r), `no injection for ${r}`);
  });

  it("validating again against another version gives that version's problems", async () => {
    const g = generateExport({ version: 'v5', rows: 800, seed: 9 });
    const loaded = await load(g.text);
    const same = validateTable(loaded.table, templateVersion('v5'), { maxPerRule: Infinity });
    assert.deepEqual(same.counts, loaded.validation!.counts);
    const v3 = validateTable(loaded.table, templateVersion('v3'), { maxPerRule: Infinity });
    const rules = new Set(v3.problems.map((p) => p.rule));
    assert.ok(rules.has('extra-label'));
    assert.ok(rules.has('boolean-encoding'));
    assert.ok(v3.problems.some((p) => p.rule === 'boolean-encoding' && /v4\+ boolean encoding/.test(p.message)));
    const loadedAsV3 = await load(g.text, 'v3');
    assert.equal(loadedAsV3.info.templateSource, 'option');
    assert.deepEqual(loadedAsV3.validation!.counts, v3.counts);
  });

  it('caps kept problems per rule while counting all of them', async () => {
    const g = generateExport({ version: 'v4', rows: 600, seed: 9 });
    async function* one() {
      yield g.text;
    }
    const o = await loadExport(
      { name: 'x.csv', size: g.text.length, chunks: one() },
      { decompressor: nodeGunzip, template: 'v1', maxPerRule: 3 },
    );
    assert.ok(o.ok);
    const v = o.value.validation!;
    const bool = v.tallies.filter((t) => t.rule === 'boolean-encoding').reduce((a, t) => a + t.count, 0);
    assert.ok(bool >= 600 * 5, `counted ${bool}`);
    assert.equal(v.problems.filter((p) => p.rule === 'boolean-encoding').length, 3);
    assert.ok(v.truncated);
  });
});
