import assert from 'node:assert/strict';
import { detectVersion, looksLikeExportHeader, sniffDelimiter } from '../../src/core/catalog/detect';
import { detectFeed } from '../../src/core/catalog/feed';
import {
  columnSpec,
  COLUMNS,
  CURRENCY_COLUMNS,
  templateVersion,
  VERSIONS,
  type VersionId,
} from '../../src/core/catalog/templates';

const names = (id: VersionId) => templateVersion(id).columns.map((c) => c.name);

describe('template catalog', () => {
  it('has the documented column counts per version', () => {
    const counts = Object.fromEntries(VERSIONS.map((v) => [v.id, v.columns.length]));
    assert.deepEqual(counts, { v1: 22, v2: 27, v3: 32, v4: 40, v5: 44, v6: 44, v7: 43 });
  });

  it('v6 has v5 columns, v7 replaces the experiment columns by enrolled_experiments_by_layer in their place', () => {
    assert.deepEqual(names('v6'), names('v5'));
    const v7 = templateVersion('v7');
    assert.deepEqual(
      names('v7'),
      names('v5')
        .filter((n) => n !== 'experiment_variant')
        .map((n) => (n === 'experiment_id' ? 'enrolled_experiments_by_layer' : n)),
    );
    assert.equal(v7.columns.find((c) => c.name === 'enrolled_experiments_by_layer')!.nullable, true);
    assert.ok(v7.toleratesUnknownColumns);
  });

  it('has the In-App Currency feed as its own template: 21 columns, all nullable, enums and types', () => {
    const iac = templateVersion('iac');
    assert.equal(iac.feed, 'in-app-currency');
    assert.equal(iac.columns.length, 21);
    assert.ok(iac.columns.every((c) => c.nullable));
    assert.equal(CURRENCY_COLUMNS.length, 21);
    const spec = (n: string) => columnSpec(n, 'in-app-currency')!;
    assert.deepEqual(spec('transaction_type').enumValues, [
      'PURCHASE',
      'DEDUCTION',
      'GRANT',
      'REFUND_REMOVAL',
      'expiration',
      'other',
    ]);
    assert.equal(spec('adjustment_amount').type, 'integer');
    assert.equal(spec('event_timestamp').type, 'timestamp');
    assert.equal(spec('refund_amount_usd').type, 'float');
    assert.deepEqual(spec('refund_type').enumValues, ['FULL', 'PARTIAL']);
    // the names both feeds have keep one type, and each feed its own explanation
    for (const c of CURRENCY_COLUMNS) {
      const tx = columnSpec(c.name);
      if (tx && tx.since !== 'iac') assert.equal(tx.type, c.type, c.name);
    }
    assert.notEqual(columnSpec('purchase_price_in_usd')!.doc, spec('purchase_price_in_usd').doc);
  });

  it('lists the stores RevenueCat uses today', () => {
    for (const s of ['amazon', 'mac_app_store', 'rc_billing', 'paddle', 'roku', 'test_store', 'app_store', 'stripe'])
      assert.ok(columnSpec('store')!.enumValues!.includes(s), s);
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

  it('detects v7 from its documented header, and from v5 minus the experiment columns plus the new one at the end', () => {
    const r = detectVersion(names('v7'));
    assert.equal(r.detected, 'v7');
    assert.deepEqual([r.missing, r.unknown], [[], []]);
    const header = [...names('v5').filter((n) => !n.startsWith('experiment_')), 'enrolled_experiments_by_layer'];
    const moved = detectVersion(header);
    assert.equal(moved.detected, 'v7');
    assert.deepEqual([moved.missing, moved.unknown], [[], []]);
  });

  it('reads a selection of columns as a delivery: ≤ v6 with experiment columns, v7 with the new one', () => {
    const some = ['rc_original_app_user_id', 'product_identifier', 'start_time', 'end_time', 'store', 'price_in_usd'];
    const five = detectVersion([...some, 'experiment_id', 'experiment_variant', 'offer']);
    assert.equal(five.detected, 'v5');
    assert.equal(five.selection, true);
    const seven = detectVersion([...some, 'enrolled_experiments_by_layer']);
    assert.equal(seven.detected, 'v7');
    assert.equal(seven.selection, true);
    assert.equal(seven.feed, 'transactions');
    // the issue's example: 13 columns of v5 are v5's era, not a broken v4
    const thirteen = names('v5').slice(0, 13);
    assert.notEqual(detectVersion(thirteen).detected, 'v4');
    // a full file that lost one column is still its own version
    assert.equal(detectVersion(names('v3').filter((n) => n !== 'is_sandbox')).detected, 'v3');
  });

  it('tells the In-App Currency feed by its path first and its header second', () => {
    const iac = CURRENCY_COLUMNS.map((c) => c.name);
    assert.equal(detectFeed(iac), 'in-app-currency');
    assert.equal(detectFeed(names('v7')), 'transactions');
    // a selection that kept only the columns both feeds have: the path decides
    const shared = ['rc_original_app_user_id', 'store', 'is_sandbox', 'store_transaction_id', 'price_in_usd'];
    assert.equal(detectFeed(shared), 'transactions');
    assert.equal(
      detectFeed(shared, 'bucket/virtual_currency/2026-10-01/virtual_currency_1790000000.csv.gz'),
      'in-app-currency',
    );
    assert.equal(detectFeed(shared, 'C:\\sync\\virtual_currency_1790000000\\part-0.parquet'), 'in-app-currency');
    assert.equal(detectFeed(iac, 'bucket/2026-10-01/transactions_1790000000.csv.gz'), 'transactions');
    const r = detectVersion(iac.slice(0, 12));
    assert.equal(r.detected, 'iac');
    assert.equal(r.feed, 'in-app-currency');
    assert.deepEqual(r.missing, iac.slice(12));
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
    // column selection came with current deliveries: a sparse header is read as the newest version that has it
    assert.equal(
      detectVersion(['store_transaction_id', 'renewal_number', 'start_time', 'tax_percentage']).detected,
      'v7',
    );
    assert.equal(
      detectVersion(['store_transaction_id', 'renewal_number', 'start_time', 'unsubscribe_registered_at']).detected,
      'v2',
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
