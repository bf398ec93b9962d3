/**
 * A measure asked again of the same loaded export: Realized LTV per Paying Customer and Subscription
 * Retention keep what does not depend on the request between runs, and tell each run's result the
 * same rows left out, unreadable cells and notes as the first run's.
 */
import assert from 'node:assert/strict';
import { RULE_IDS } from '../../src/core/catalog/rules';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { runMeasure, type MeasureRequest } from '../../src/core/measures';
import { mergeDeliveries } from '../../src/core/measures/engine/merge';
import { loadDeliveries } from '../../src/node/deliveries';
import { DEFAULT_EXPORT_TIME, exportFileName, generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const without = <T extends object>(r: T): T => ({ ...r, ms: 0 });

describe('measures asked again of the same loaded export', () => {
  for (const version of ['v5', 'v3', VERSION_IDS[VERSION_IDS.length - 1]] as const) {
    it(`${version}: every run of LTV per paying customer and retention gives the first run's result`, async () => {
      const dir = tempDir();
      const text = generateExport({
        version,
        rows: 3000,
        seed: 7,
        exportTime: DEFAULT_EXPORT_TIME,
        inject: [...RULE_IDS],
      }).text;
      const o = await loadDeliveries([writeGz(dir, exportFileName(DEFAULT_EXPORT_TIME), text)]);
      assert.ok(o.ok, o.ok ? '' : o.error.message);
      const input = mergeDeliveries(o.deliveries);
      const asks: [string, MeasureRequest][] = [
        ['realized-ltv-per-paying-customer', {}],
        ['realized-ltv-per-paying-customer', { from: '2024-06-01', to: '2024-09-30' }],
        ['subscription-retention', {}],
        ['subscription-retention', { from: '2024-06-01', to: '2024-09-30' }],
      ];
      for (const [name, req] of asks) {
        const first = without(runMeasure(name as never, input, req));
        // the file's planted problems leave rows out: the first result tells them
        assert.ok(Object.keys(first.unreadable).length > 0, `${name}: the first run tells no unreadable cell`);
        for (let i = 0; i < 2; i++) assert.deepEqual(without(runMeasure(name as never, input, req)), first, name);
      }
      // another range first, then the whole again: the same as asked first
      assert.deepEqual(
        without(runMeasure('realized-ltv-per-paying-customer', input, {})),
        without(runMeasure('realized-ltv-per-paying-customer', mergeDeliveries(o.deliveries), {})),
      );
    });
  }
});
