/** The generator's customers live long enough for measures part 2: they come back, change products, convert or abandon trials. */
import * as assert from 'node:assert';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { generateExport } from '../gen/generator';
import { checkRow, records, rowMaps } from '../support/genCheck';

describe('test-data generator: customer lifecycles', () => {
  for (const v of ['v2', 'v5', 'v7'] as const) {
    it(`${v}: resubscriptions, several products per customer, trials both ways, odd durations, billing issues`, () => {
      const rows = rowMaps(records(generateExport({ version: v, rows: 5000, seed: 9 }).text));
      assert.deepStrictEqual(rows.flatMap((r) => checkRow(v, r).map((p) => p.msg)).slice(0, 5), [], 'clean rows');
      const T = VERSION_IDS.indexOf(v) >= 3 ? 'true' : 't';
      const byUser = new Map<string, Map<string, string>[]>();
      for (const r of rows) {
        const u = r.get('rc_original_app_user_id')!;
        byUser.set(u, [...(byUser.get(u) ?? []), r]);
      }
      const users = [...byUser.values()];
      const count = (f: (rs: Map<string, string>[]) => boolean) => users.filter(f).length;
      const subsOf = (rs: Map<string, string>[], product?: string) =>
        new Set(
          rs
            .filter((r) => product === undefined || r.get('product_identifier') === product)
            .map((r) => r.get('original_store_transaction_id')),
        ).size;
      const resubscribed = count((rs) => rs.some((r) => subsOf(rs, r.get('product_identifier')) > 1));
      assert.ok(resubscribed > 50, `customers who subscribed to a product again: ${resubscribed}`);
      const products = count((rs) => new Set(rs.map((r) => r.get('product_identifier'))).size > 1);
      assert.ok(products > 50, `customers with several products: ${products}`);
      const converted = count((rs) => rs.some((r) => r.get('is_trial_conversion') === T));
      const abandoned = count(
        (rs) => rs.some((r) => r.get('is_trial_period') === T) && !rs.some((r) => r.get('is_trial_conversion') === T),
      );
      assert.ok(converted > 30 && abandoned > 30, `trials converted ${converted}, abandoned ${abandoned}`);
      const n = (f: (r: Map<string, string>) => boolean) => rows.filter(f).length;
      for (const store of ['play_store', 'stripe'])
        assert.ok(
          n((r) => r.get('store') === store && r.get('billing_issues_detected_at') !== '') > 5,
          `billing issues on ${store}`,
        );
      assert.ok(n((r) => r.get('is_in_intro_offer_period') === T) > 20, 'intro offers');
      if (v !== 'v2') {
        for (const d of ['P30D', 'P200Y', ''])
          assert.ok(n((r) => r.get('product_duration') === d) > 10, `product_duration ${JSON.stringify(d)}`);
      }
    });
  }
});
