/** Timestamps and days in the loader's cell readers (src/core/load/cells.ts), against Date.UTC. */
import assert from 'node:assert/strict';
import { daysFromCivil, formatTimestamp, parseTimestamp } from '../../src/core/load/cells';
import { embed, Rng, utf8 } from './fuzz';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function ts(text: string): number {
  const b = utf8(text);
  return parseTimestamp(b, 0, b.length);
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

describe('daysFromCivil', () => {
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
