/**
 * A streamed validate (WindowBuilder) waits for the deep rules' thread: when that thread falls behind,
 * the load stops reading, so the batches waiting for it (each with a copy of its rows' bytes) stay at
 * DEEP_WAITING and memory stays bounded; the report is the same as with a thread that keeps up. The
 * deep rules here run in this process, on a timer, one batch at a time: a thread that is slow on purpose.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { DeepChannel } from '../../src/core/load/builderOptions';
import { DEEP_WAITING } from '../../src/core/stream/window';
import { DeepValidator, type DeepBatch, type DeepSetup } from '../../src/core/validate/deep';
import { validateStreamed } from '../../src/node/loadFile';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

/** Deep rules that run one batch every `ms` ms; `most`: the most batches ever waiting at once. */
function slowDeep(ms: number, seen: { most: number; batches: number }) {
  return (setup: DeepSetup): DeepChannel => {
    const rules = new DeepValidator(setup);
    const queue: DeepBatch[] = [];
    let wake: { at: number; resolve: () => void } | null = null;
    const timer = setInterval(() => {
      const b = queue.shift();
      if (b) rules.run(b);
      if (wake && queue.length <= wake.at) {
        wake.resolve();
        wake = null;
      }
    }, ms);
    return {
      send(b) {
        queue.push(b);
        seen.batches++;
        seen.most = Math.max(seen.most, queue.length);
      },
      caughtUp: (at) => (queue.length <= at ? null : new Promise((resolve) => (wake = { at, resolve }))),
      finish() {
        clearInterval(timer);
        for (const b of queue.splice(0)) rules.run(b);
        return Promise.resolve(rules.report());
      },
    };
  };
}

describe('streamed validate: the load waits for the deep rules thread', function () {
  this.timeout(120_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps at most DEEP_WAITING batches waiting, and reports what a thread that keeps up reports', async () => {
    const g = generateExport({
      version: 'v5',
      // batches are 16,384 rows: ten of them, far more than may wait
      rows: 16384 * 9 + 1000,
      seed: 7,
      inject: ['json-error', 'attribute-shape', 'duplicate-transaction', 'array-encoding'],
      scatter: { every: 50 },
    });
    const file = writeGz(dir, 'transactions_1735689600.csv.gz', g.text);
    const seen = { most: 0, batches: 0 };
    const slow = await validateStreamed(file, null, { deep: slowDeep(300, seen) });
    const quick = await validateStreamed(file, null, {});
    assert.ok(slow.ok && quick.ok);
    assert.ok(seen.batches >= DEEP_WAITING + 4, `only ${seen.batches} batches: the test shows nothing`);
    // the load checks after each chunk it reads, and a chunk sends at most one batch more
    assert.ok(seen.most <= DEEP_WAITING + 1, `${seen.most} batches waited at once (of ${seen.batches})`);
    const problems = (o: typeof slow) => (o.ok ? JSON.stringify(o.value.validation) : '');
    assert.ok(problems(quick).includes('json-error'), 'the planted deep problems are found');
    assert.equal(problems(slow), problems(quick));
  });
});
