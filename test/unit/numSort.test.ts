import assert from 'node:assert/strict';
import { sortByKey } from '../../src/core/view/numSort';
import { Rng } from '../gen/rng';

/**
 * The numeric sort orders the keys' bit patterns with a radix sort; it must give the order of
 * comparing the numbers with `<`: NaN (NULL) last in file order, -0 equal to 0, ties in file
 * order both ways, descending reversing the values only.
 */
function byComparison(key: Float64Array, descending: boolean): number[] {
  const dir = descending ? -1 : 1;
  return [...key.keys()].sort((a, b) => {
    const x = key[a];
    const y = key[b];
    const xn = x !== x;
    const yn = y !== y;
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
    return x < y ? -dir : x > y ? dir : a - b;
  });
}

const SPECIAL = [
  NaN,
  0,
  -0,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1,
  -1,
  0.5,
  -0.5,
];

function keys(rng: Rng, n: number, kind: number): Float64Array {
  const pool = Array.from({ length: 1 + rng.int(40) }, () =>
    rng.chance(0.5) ? rng.int(5) - 2 : ((rng.chance(0.5) ? -1 : 1) * rng.int(1 << 30)) / (1 + rng.int(1000)),
  );
  return Float64Array.from({ length: n }, () => {
    if (rng.chance(0.05)) return NaN;
    switch (kind) {
      case 0:
        return SPECIAL[rng.int(SPECIAL.length)];
      case 1:
        return pool[rng.int(pool.length)]; // few values, many ties
      case 2:
        return 1.6e12 + rng.int(1e9) + (rng.chance(0.1) ? 0.25 : 0); // timestamps in ms
      default:
        return (rng.chance(0.5) ? -1 : 1) * Math.exp(rng.int(1400) / 10 - 70) * (1 + rng.int(1000));
    }
  });
}

describe('sorting rows by a numeric key', () => {
  for (const n of [0, 1, 2, 7, 1000, 40000]) {
    for (let kind = 0; kind < 4; kind++) {
      it(`orders ${n} keys of kind ${kind} as comparing them does, both ways`, () => {
        const rng = new Rng(n * 10 + kind + 1);
        const key = keys(rng, n, kind);
        for (const descending of [false, true]) {
          assert.deepEqual(
            [...sortByKey(key, n, descending)],
            byComparison(key, descending),
            descending ? 'descending' : 'ascending',
          );
        }
      });
    }
  }

  it('keeps every row when all keys are NULL or all equal', () => {
    for (const v of [NaN, 3, -0]) {
      const key = new Float64Array(100).fill(v);
      assert.deepEqual([...sortByKey(key, 100, true)], [...key.keys()]);
    }
  });
});
