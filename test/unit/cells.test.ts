import assert from 'node:assert/strict';
import {
  BOOL_FALSE,
  BOOL_INVALID,
  BOOL_TRUE,
  daysFromCivil,
  fieldText,
  formatTimestamp,
  hashBytes,
  parseBoolean,
  parseFloatBytes,
  parseIntegerBytes,
  parseTimestamp,
} from '../../src/core/load/cells';
import { embed, latin1Bytes, Rng, utf8 } from './fuzz';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function ts(text: string): number {
  const b = utf8(text);
  return parseTimestamp(b, 0, b.length);
}

function float(text: string): number {
  const b = latin1Bytes(text);
  return parseFloatBytes(b, 0, b.length);
}

function integer(text: string): number {
  const b = latin1Bytes(text);
  return parseIntegerBytes(b, 0, b.length);
}

function bool(text: string): number {
  const b = utf8(text);
  return parseBoolean(b, 0, b.length);
}

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

describe('parseTimestamp', () => {
  it('equals Date.UTC on 10,000 random valid datetimes from 1970 to 2100', () => {
    const rng = new Rng(20240229);
    for (let n = 0; n < 10000; n++) {
      const y = rng.range(1970, 2100);
      const mo = rng.range(1, 12);
      const d = rng.range(1, daysInMonth(y, mo));
      const h = rng.range(0, 23);
      const mi = rng.range(0, 59);
      const s = rng.range(0, 59);
      const ms = rng.chance(0.3) ? rng.range(0, 999) : -1;
      const text = `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(s)}${ms >= 0 ? `.${pad(ms, 3)}` : ''}`;
      const { b, s: start, e } = embed(rng, text);
      assert.equal(parseTimestamp(b, start, e), Date.UTC(y, mo - 1, d, h, mi, s, Math.max(ms, 0)), text);
    }
  });

  it('accepts Feb 29 of every leap year and rejects it otherwise (1970–2100)', () => {
    let leaps = 0;
    for (let y = 1970; y <= 2100; y++) {
      const text = `${y}-02-29 12:34:56`;
      if (isLeap(y)) {
        leaps++;
        assert.equal(ts(text), Date.UTC(y, 1, 29, 12, 34, 56), text);
      } else {
        assert.ok(Number.isNaN(ts(text)), text);
      }
    }
    assert.equal(leaps, 32); // 1972..2096; 2000 is leap, 2100 is not
    assert.equal(ts('2000-02-29 00:00:00'), Date.UTC(2000, 1, 29));
    assert.ok(Number.isNaN(ts('2100-02-29 00:00:00')));
  });

  it('keeps the fraction, below the millisecond too', () => {
    const base = Date.UTC(2024, 0, 15, 10, 20, 30);
    assert.equal(ts('2024-01-15 10:20:30.5'), base + 500);
    assert.equal(ts('2024-01-15 10:20:30.05'), base + 50);
    assert.equal(ts('2024-01-15 10:20:30.000'), base);
    assert.ok(Math.abs(ts('2024-01-15 10:20:30.123456') - (base + 123.456)) < 1e-6);
    assert.ok(Math.abs(ts('2024-01-15 10:20:30.123456789') - (base + 123.456789)) < 1e-6);
    assert.ok(Math.abs(ts('1970-01-01 00:00:00.123456') - 123.456) < 1e-9);
    assert.ok(Math.abs(ts('1970-01-01 00:00:00.000000001') - 1e-6) < 1e-12);
    assert.equal(ts('1970-01-01 00:00:00'), 0);
  });

  it('gives NaN for malformed or out-of-range timestamps', () => {
    const bad = [
      '2024-13-01 00:00:00', // month 13
      '2024-00-10 00:00:00', // month 0
      '2024-01-32 00:00:00', // day 32
      '2024-01-00 00:00:00', // day 0
      '2023-02-29 00:00:00', // not a leap year
      '2024-02-30 00:00:00',
      '2024-04-31 00:00:00',
      '2024-01-01 24:00:00', // hour 24
      '2024-01-01 00:60:00', // minute 60
      '2024-01-01 00:00:60', // second 60
      '2024-01-01 00:00', // missing seconds
      '2024-01-01T00:00:00', // T separator
      '2024-01-01 00:00:00Z', // trailing Z
      '2024-01-01T00:00:00Z',
      '2024-01-01 00:00:00.1234567890', // 10-digit fraction
      '2024-01-01 00:00:00.', // dot without digits
      '2024-01-01 00:00:00.12a',
      '2024-01-01 00:00:00,5',
      '2024-01-01 00:00:00 ',
      ' 2024-01-01 00:00:00',
      '2024-1-01 00:00:00',
      '2024-01-01 0:00:00',
      '20a4-01-01 00:00:00',
      '+024-01-01 00:00:00',
      '2024/01/01 00:00:00',
      '2024-01-01',
      '',
      'not a timestamp at all',
    ];
    for (const text of bad) assert.ok(Number.isNaN(ts(text)), JSON.stringify(text));
  });

  it('only reads bytes between s and e', () => {
    const b = utf8('x2024-03-04 05:06:07.25y');
    assert.equal(parseTimestamp(b, 1, b.length - 1), Date.UTC(2024, 2, 4, 5, 6, 7, 250));
    assert.equal(parseTimestamp(b, 1, 20), Date.UTC(2024, 2, 4, 5, 6, 7));
    assert.ok(Number.isNaN(parseTimestamp(b, 1, 19)));
  });
});

describe('formatTimestamp', () => {
  it('round-trips parseTimestamp for 5,000 random whole seconds (1970–2100)', () => {
    const rng = new Rng(1234);
    const lo = Date.UTC(1970, 0, 1) / 1000;
    const hi = Date.UTC(2100, 11, 31, 23, 59, 59) / 1000;
    for (let n = 0; n < 5000; n++) {
      const ms = rng.range(lo, hi) * 1000;
      const text = formatTimestamp(ms);
      assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      assert.equal(ts(text), ms, text);
    }
  });

  it('writes the fraction without trailing zeros', () => {
    assert.equal(formatTimestamp(0), '1970-01-01 00:00:00');
    assert.equal(formatTimestamp(Date.UTC(2024, 1, 29, 23, 59, 59)), '2024-02-29 23:59:59');
    assert.equal(formatTimestamp(Date.UTC(2024, 0, 1) + 500), '2024-01-01 00:00:00.5');
    assert.equal(formatTimestamp(ts('2024-01-01 00:00:00.123456')), '2024-01-01 00:00:00.123456');
    assert.equal(formatTimestamp(ts('2031-07-09 08:07:06.000001')), '2031-07-09 08:07:06.000001');
  });
});

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

describe('parseBoolean', () => {
  it('maps t/f/true/false in any case and nothing else', () => {
    const table: [string, number][] = [
      ['t', BOOL_TRUE],
      ['T', BOOL_TRUE],
      ['true', BOOL_TRUE],
      ['TRUE', BOOL_TRUE],
      ['True', BOOL_TRUE],
      ['tRuE', BOOL_TRUE],
      ['f', BOOL_FALSE],
      ['F', BOOL_FALSE],
      ['false', BOOL_FALSE],
      ['FALSE', BOOL_FALSE],
      ['False', BOOL_FALSE],
      ['fAlSe', BOOL_FALSE],
      ['', BOOL_INVALID],
      ['1', BOOL_INVALID],
      ['0', BOOL_INVALID],
      ['y', BOOL_INVALID],
      ['yes', BOOL_INVALID],
      ['no', BOOL_INVALID],
      ['tru', BOOL_INVALID],
      ['truee', BOOL_INVALID],
      ['fals', BOOL_INVALID],
      ['falsey', BOOL_INVALID],
      [' t', BOOL_INVALID],
      ['t ', BOOL_INVALID],
      ['"t"', BOOL_INVALID],
      ['null', BOOL_INVALID],
      ['T\r', BOOL_INVALID],
      ['\u0014', BOOL_INVALID],
      ['trUe ', BOOL_INVALID],
      ['4', BOOL_INVALID],
      ['t\u0000', BOOL_INVALID],
      ['é', BOOL_INVALID],
    ];
    for (const [text, want] of table) assert.equal(bool(text), want, JSON.stringify(text));
    // only s..e counts
    const b = utf8('xtruex');
    assert.equal(parseBoolean(b, 1, 5), BOOL_TRUE);
    assert.equal(parseBoolean(b, 1, 2), BOOL_TRUE);
    assert.equal(parseBoolean(b, 1, 1), BOOL_INVALID);
  });
});

describe('fieldText', () => {
  it('decodes unquoted fields (ASCII and multibyte UTF-8, short and long)', () => {
    for (const text of [
      '',
      'abc',
      'x'.repeat(23),
      'y'.repeat(24),
      'é',
      'naïve café',
      '日本語テキスト',
      'emoji 😀🎉',
      'a"b',
      'a""b',
      'é'.repeat(40),
    ]) {
      const rng = new Rng(text.length + 1);
      const { b, s, e } = embed(rng, text);
      assert.equal(fieldText(b, s, e, false), text);
    }
  });

  it('removes the quotes and undoes doubled quotes in quoted fields', () => {
    const cases: [string, string][] = [
      ['""', ''],
      ['""""', '"'],
      ['""""""', '""'],
      ['"a""b"', 'a"b'],
      ['"say ""日本"" 😀"', 'say "日本" 😀'],
      ['"é,\r\nü"', 'é,\r\nü'],
      ['"""é"""', '"é"'],
      ['"{""k"": ""v""}"', '{"k": "v"}'],
    ];
    for (const [raw, want] of cases) {
      const { b, s, e } = embed(new Rng(raw.length), raw);
      assert.equal(fieldText(b, s, e, true), want, raw);
    }
  });

  it('round-trips random text through quoting', () => {
    const rng = new Rng(808);
    const pieces = ['"', '""', ',', 'a', 'é', '日本', '😀', '\n', ' ', 'Z9'];
    for (let n = 0; n < 2000; n++) {
      let text = '';
      for (let i = rng.int(12); i > 0; i--) text += rng.pick(pieces);
      const { b, s, e } = embed(rng, `"${text.replace(/"/g, '""')}"`);
      assert.equal(fieldText(b, s, e, true), text);
      const plain = embed(rng, text);
      assert.equal(fieldText(plain.b, plain.s, plain.e, false), text);
    }
  });
});

describe('hashBytes and daysFromCivil', () => {
  it('computes 32-bit FNV-1a over the byte range', () => {
    const h = (text: string): number => {
      const b = utf8(text);
      return hashBytes(b, 0, b.length);
    };
    assert.equal(h(''), 0x811c9dc5);
    assert.equal(h('a'), 0xe40c292c);
    assert.equal(h('foobar'), 0xbf9cf968);
    const b = utf8('xxfoobaryy');
    assert.equal(hashBytes(b, 2, 8), 0xbf9cf968);
    assert.equal(hashBytes(b, 5, 8, hashBytes(b, 2, 5)), 0xbf9cf968); // chaining via the seed
    assert.notEqual(h('ab'), h('ba'));
  });

  it('agrees with Date.UTC for dates from 1600 to 2400', () => {
    const rng = new Rng(4);
    assert.equal(daysFromCivil(1970, 1, 1), 0);
    assert.equal(daysFromCivil(2000, 3, 1), 11017);
    assert.equal(daysFromCivil(1969, 12, 31), -1);
    for (let n = 0; n < 10000; n++) {
      const y = rng.range(1600, 2400);
      const m = rng.range(1, 12);
      const d = rng.range(1, daysInMonth(y, m));
      assert.equal(daysFromCivil(y, m, d), Date.UTC(y, m - 1, d) / 86400000, `${y}-${m}-${d}`);
    }
  });
});
