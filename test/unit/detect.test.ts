import assert from 'node:assert/strict';
import { detectVersion, looksLikeExportHeader, sniffDelimiter } from '../../src/core/catalog/detect';
import { COLUMNS, templateVersion, VERSIONS, type VersionId } from '../../src/core/catalog/templates';

const names = (id: VersionId) => templateVersion(id).columns.map((c) => c.name);

describe('template catalog', () => {
  it('has the documented column counts per version', () => {
    const counts = Object.fromEntries(VERSIONS.map((v) => [v.id, v.columns.length]));
    assert.deepEqual(counts, { v1: 22, v2: 27, v3: 32, v4: 40, v5: 44, v6: 44, v7: 44 });
  });

  it('v6 has v5 columns, v7 makes the experiment columns optional and tolerates unknown ones', () => {
    assert.deepEqual(names('v6'), names('v5'));
    const v7 = templateVersion('v7');
    assert.deepEqual(
      v7.columns.filter((c) => c.optional).map((c) => c.name),
      ['experiment_id', 'experiment_variant'],
    );
    assert.ok(v7.toleratesUnknownColumns);
  });

  it('keeps the documented v1 order and the encodings per era', () => {
    assert.deepEqual(names('v1').slice(0, 6), [
      'rc_original_app_user_id',
      'rc_last_seen_app_user_id_alias',
      'product_identifier',
      'start_time',
      'end_time',
      'store',
    ]);
    assert.equal(templateVersion('v3').encodings.booleans, 'tf');
    assert.equal(templateVersion('v4').encodings.booleans, 'truefalse');
    assert.equal(templateVersion('v4').encodings.attributes, 'quoted-json');
    assert.equal(templateVersion('v6').encodings.attributes, 'plain-json');
  });

  it('marks nullability as documented', () => {
    const nullable = (id: VersionId, col: string) => templateVersion(id).columns.find((c) => c.name === col)!.nullable;
    assert.equal(nullable('v1', 'renewal_number'), true);
    assert.equal(nullable('v2', 'renewal_number'), false);
    assert.equal(nullable('v5', 'updated_at'), false);
    assert.equal(nullable('v5', 'first_seen_time'), false);
    assert.equal(nullable('v5', 'auto_resume_time'), true);
    assert.equal(nullable('v3', 'tax_percentage'), false);
  });

  it('documents every column in its own words, with a since version that has it', () => {
    for (const c of COLUMNS) {
      assert.ok(c.doc.length > 20, c.name);
      assert.match(c.name, /^[a-z_]+$/);
      assert.ok(
        templateVersion(c.since).columns.some((vc) => vc.name === c.name || vc.aliases?.includes(c.name)),
        `${c.name} since ${c.since}`,
      );
    }
  });
});

describe('detection', () => {
  for (const id of ['v1', 'v2', 'v3', 'v4', 'v5'] as const) {
    it(`detects ${id} from its documented header`, () => {
      const r = detectVersion(names(id));
      assert.equal(r.detected, id);
      assert.deepEqual([r.missing, r.unknown, r.duplicates, r.firstOutOfOrder], [[], [], [], null]);
    });
  }

  it('detects v7 from v5 minus the experiment columns plus a new JSON column', () => {
    const header = [...names('v5').filter((n) => !n.startsWith('experiment_')), 'experiment_enrollments'];
    const r = detectVersion(header);
    assert.equal(r.detected, 'v7');
    assert.deepEqual(r.unknown, ['experiment_enrollments']);
  });

  it('reports missing, unknown, duplicate and reordered columns', () => {
    const h = names('v5').filter((n) => n !== 'is_sandbox');
    [h[3], h[4]] = [h[4], h[3]];
    h.push('mystery', 'store');
    const r = detectVersion(h);
    assert.equal(r.detected, 'v5');
    assert.deepEqual(r.missing, ['is_sandbox']);
    assert.deepEqual(r.unknown, ['mystery']);
    assert.deepEqual(r.duplicates, ['store']);
    assert.equal(r.firstOutOfOrder, h[4]);
  });

  it('reads the physical order of real files (v2 columns, then later additions) as v5 out of order', () => {
    const v2 = names('v2');
    const rest = names('v5').filter((n) => !v2.includes(n));
    const r = detectVersion([...v2, ...rest]);
    assert.equal(r.detected, 'v5');
    assert.deepEqual(r.missing, []);
    assert.notEqual(r.firstOutOfOrder, null);
  });

  it('accepts the old unsubscribe_registered_at name in a v2 file', () => {
    const h = names('v2').map((n) => (n === 'unsubscribe_detected_at' ? 'unsubscribe_registered_at' : n));
    const r = detectVersion(h);
    assert.equal(r.detected, 'v2');
    assert.deepEqual(r.missing, []);
  });

  it('a chosen subset of columns is at least the version of its newest column', () => {
    assert.equal(
      detectVersion(['store_transaction_id', 'renewal_number', 'start_time', 'offer', 'experiment_id']).detected,
      'v5',
    );
    // without the experiment columns it fits v7 (the template of accounts that pick their columns) best
    assert.equal(detectVersion(['store_transaction_id', 'renewal_number', 'start_time', 'offer']).detected, 'v7');
    assert.equal(
      detectVersion(['store_transaction_id', 'renewal_number', 'start_time', 'tax_percentage']).detected,
      'v3',
    );
  });

  it('sniffs the delimiter from the header line', () => {
    const b = (s: string) => new TextEncoder().encode(s);
    assert.equal(sniffDelimiter(b('a;b;c\nx,y'), 0, 9), ';');
    assert.equal(sniffDelimiter(b('a,b,c\nx;y;z;w'), 0, 13), ',');
    assert.equal(sniffDelimiter(b('single\n'), 0, 7), ',');
  });

  it('tells an export header from another CSV', () => {
    assert.equal(looksLikeExportHeader(['name', 'age'], 0), false);
    assert.equal(looksLikeExportHeader(names('v3'), 32), true);
  });
});
