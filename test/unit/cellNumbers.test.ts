/** Numbers in the loader's cell readers (src/core/load/cells.ts): bit for bit what Number gives. */
import assert from 'node:assert/strict';
import { parseFloatBytes, parseIntegerBytes } from '../../src/core/load/cells';
import { embed, latin1Bytes, Rng, utf8 } from './fuzz';

function float(text: string): number {
  const b = latin1Bytes(text);
  return parseFloatBytes(b, 0, b.length);
}

function integer(text: string): number {
  const b = latin1Bytes(text);
  return parseIntegerBytes(b, 0, b.length);
}

/** A random plain decimal text: optional sign, 0–6 integer digits, optional fraction, optional exponent. */
function randomDecimal(rng: Rng): string {
  const sign = rng.pick(['', '', '-', '+']);
  let body: string;
  if (rng.chance(0.1)) {
    // long fractions with few significant digits (around the 1e22 power-of-ten limit)
    body = `${rng.digits(rng.range(0, 1))}.${'0'.repeat(rng.int(26))}${rng.digits(rng.range(1, 15))}`;
  } else if (rng.chance(0.2)) {
    // 16–20 significant digits, the point anywhere (or nowhere)
    const sig = rng.digits(rng.range(16, 20), true);
    const point = rng.range(0, sig.length);
    body = point === sig.length ? sig : `${sig.slice(0, point)}.${sig.slice(point)}`;
    if (rng.chance(0.3)) body = `0.${'0'.repeat(rng.int(25))}${sig}`;
  } else {
    const int = rng.digits(rng.range(0, 6));
    const frac = rng.digits(rng.range(0, 10));
    const dot = frac.length > 0 || rng.chance(0.3);
    body = int + (dot ? '.' : '') + frac;
    if (int === '' && frac === '') body = rng.digits(1);
  }
  if (rng.chance(0.15)) body += `${rng.pick(['e', 'E'])}${rng.pick(['', '+', '-'])}${rng.range(0, 330)}`;
  return sign + body;
}

/** What parseFloatBytes answers for a decimal: Number's value, NaN when that is not finite (no number stands for it). */
const finiteNumber = (text: string) => (Number.isFinite(Number(text)) ? Number(text) : NaN);

describe('parseFloatBytes', () => {
  it('is bit-identical to Number on 100,000 random decimals (NaN where Number overflows)', () => {
    const rng = new Rng(0xdecaf);
    const re = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
    for (let n = 0; n < 100000; n++) {
      const text = randomDecimal(rng);
      assert.ok(re.test(text), text);
      const { b, s, e } = embed(rng, text);
      const got = parseFloatBytes(b, s, e);
      if (!Object.is(got, finiteNumber(text))) assert.fail(`${text}: got ${got}, Number gives ${Number(text)}`);
    }
  });

  it('is bit-identical to Number on hand-picked hard cases (NaN where Number overflows)', () => {
    const cases = [
      '0',
      '-0',
      '+0',
      '-0.0',
      '0.',
      '.0',
      '-.5',
      '+.5',
      '1.',
      '00012.5000',
      '0.1',
      '0.2',
      '0.3',
      '-0.000',
      '9007199254740993',
      '9007199254740992.5',
      '123456789012345',
      '1234567890123456',
      '999999999999999.9',
      '0.1000000000000000055511151231257827',
      '2.2250738585072011e-308',
      '1e-400',
      '1e400',
      '-1e400',
      '1e22',
      '1e23',
      '4.35',
      '1.7976931348623157e308',
      '0.000000000000000000000001',
      '0.00000000000000000000001',
      '0.0000000000000000000001',
      '1.0000000000000000000001',
      '1E5',
      '1.e5',
      '5e-324',
      '89255.0000000000000001',
      '0.0000000000000000000000000000001234567',
    ];
    for (const text of cases)
      assert.ok(Object.is(float(text), finiteNumber(text)), `${text}: ${float(text)} vs ${Number(text)}`);
  });

  it('gives NaN for anything that is not a plain decimal', () => {
    const junk = [
      '',
      ' ',
      ' 1',
      '1 ',
      '\t1',
      '1\n',
      'NaN',
      'nan',
      'Infinity',
      '-Infinity',
      'inf',
      '0x10',
      '0b1',
      '0o7',
      '1,5',
      '1_000',
      '--1',
      '+-1',
      '-',
      '+',
      '.',
      '-.',
      'e5',
      '.e5',
      '1e',
      '1e+',
      '1e5.5',
      '1..2',
      '1.2.3',
      '1e5e5',
      'abc',
      '12abc',
      '1-',
      '1+1',
      '\u00a01',
      '١',
    ];
    for (const text of junk) {
      assert.ok(Number.isNaN(float(text)), JSON.stringify(text));
      const b = utf8(text);
      assert.ok(Number.isNaN(parseFloatBytes(b, 0, b.length)), JSON.stringify(text));
    }
  });
});

describe('parseIntegerBytes', () => {
  it('reads signed base-10 integers up to 15 digits', () => {
    const rng = new Rng(55);
    for (let n = 0; n < 10000; n++) {
      const text = rng.pick(['', '-', '+']) + rng.digits(rng.range(1, 15));
      const { b, s, e } = embed(rng, text);
      assert.ok(Object.is(parseIntegerBytes(b, s, e), Number(text)), text);
    }
    assert.equal(integer('999999999999999'), 999999999999999);
    assert.equal(integer('-42'), -42);
  });

  it('gives NaN for non-integers and for values that may not fit a double exactly', () => {
    for (const text of [
      '',
      '-',
      '+',
      '1.0',
      '1e3',
      ' 1',
      '1 ',
      '0x1',
      '1,000',
      'abc',
      '12345678901234567',
      '99999999999999999999',
    ]) {
      assert.ok(Number.isNaN(integer(text)), JSON.stringify(text));
    }
  });
});
