/**
 * Row order by a numeric key (timestamps, numbers, booleans and dictionary ranks as numbers): NaN is
 * NULL and goes last, ties keep file order, descending reverses the values but not the ties.
 *
 * Each key becomes a 64-bit pattern whose unsigned order is the order wanted (a double's bits with
 * the sign bit set for positives and every bit flipped for negatives; all flipped again when
 * descending), and the rows are ordered by a least-significant-digit radix sort over it, 16 bits a
 * pass: stable, so rows with equal keys stay in file order. A digit every key shares is skipped.
 */

const DIGITS = 4;
const BUCKETS = 1 << 16;

/** Index of the high and low 32 bits of a double in a Uint32Array over it. */
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

export function sortByKey(key: Float64Array, n: number, descending: boolean): Uint32Array {
  const order = new Uint32Array(n);
  let rows = new Uint32Array(n);
  let his = new Uint32Array(n);
  let los = new Uint32Array(n);
  const counts = new Uint32Array(DIGITS * BUCKETS);
  const one = new Float64Array(1);
  const bits = new Uint32Array(one.buffer);
  const flip = descending ? 0xffffffff : 0;
  let m = 0;
  let nulls = n;
  for (let r = 0; r < n; r++) {
    const x = key[r];
    if (x !== x) {
      // NULL: last, in file order
      order[--nulls] = r;
      continue;
    }
    one[0] = x === 0 ? 0 : x; // -0 sorts as 0
    let h = bits[HI];
    let l = bits[LO];
    if (h >>> 31 === 1) {
      h = ~h;
      l = ~l;
    } else h |= 0x80000000;
    h = (h ^ flip) >>> 0;
    l = (l ^ flip) >>> 0;
    rows[m] = r;
    his[m] = h;
    los[m] = l;
    counts[l & 0xffff]++;
    counts[BUCKETS + (l >>> 16)]++;
    counts[2 * BUCKETS + (h & 0xffff)]++;
    counts[3 * BUCKETS + (h >>> 16)]++;
    m++;
  }
  // the NULLs were placed from the end backwards: put them back in file order
  order.subarray(m).reverse();
  let rows2 = new Uint32Array(m);
  let his2 = new Uint32Array(m);
  let los2 = new Uint32Array(m);
  for (let d = 0; d < DIGITS; d++) {
    const c = counts.subarray(d * BUCKETS, (d + 1) * BUCKETS);
    const src = d < 2 ? los : his;
    const shift = (d & 1) * 16;
    if (m === 0 || c[(src[0] >>> shift) & 0xffff] === m) continue; // every key has this digit
    let at = 0;
    for (let k = 0; k < BUCKETS; k++) {
      const x = c[k];
      c[k] = at;
      at += x;
    }
    for (let i = 0; i < m; i++) {
      const j = c[(src[i] >>> shift) & 0xffff]++;
      rows2[j] = rows[i];
      his2[j] = his[i];
      los2[j] = los[i];
    }
    [rows, rows2] = [rows2, rows];
    [his, his2] = [his2, his];
    [los, los2] = [los2, los];
  }
  order.set(rows.subarray(0, m));
  return order;
}
