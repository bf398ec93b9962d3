/** How grid cells look by column type (src/webview/grid/cellFormat.ts), decided without the DOM. */
import assert from 'node:assert/strict';
import { attributesText, cellLook, thousands } from '../../src/webview/grid/cellFormat';

describe('webview cell format', () => {
  it('marks null and empty cells apart from their text', () => {
    assert.deepEqual(cellLook(null, 'float'), {
      className: 'cell t-float null',
      text: 'null',
      chips: null,
      title: null,
    });
    assert.deepEqual(cellLook('', 'string'), {
      className: 'cell t-string empty',
      text: '""',
      chips: null,
      title: null,
    });
    assert.deepEqual(cellLook('null', 'string'), {
      className: 'cell t-string',
      text: 'null',
      chips: null,
      title: null,
    });
  });

  it('colours booleans by value, whatever their case, and flags what is not one', () => {
    assert.equal(cellLook('TRUE', 'boolean').className, 'cell t-boolean yes');
    assert.equal(cellLook('t', 'boolean').className, 'cell t-boolean yes');
    assert.equal(cellLook('False', 'boolean').className, 'cell t-boolean no');
    assert.equal(cellLook('yes', 'boolean').className, 'cell t-boolean bad');
    assert.equal(cellLook('yes', 'boolean').text, 'yes');
  });

  it('shows arrays as chips, in both spellings, with the raw text as the tooltip', () => {
    assert.deepEqual(cellLook('["pro", "plus"]', 'array'), {
      className: 'cell t-array',
      text: null,
      chips: ['pro', 'plus'],
      title: '["pro", "plus"]',
    });
    assert.deepEqual(cellLook('{pro,"plus"}', 'array').chips, ['pro', 'plus']);
    assert.deepEqual(cellLook('{}', 'array').chips, []);
  });

  it('shows attributes as key: value pairs, other JSON and broken JSON as they are', () => {
    const raw = '{"$email": {"value": "a@b.c", "updated_at_ms": 1}, "level": {"value": 3}}';
    assert.equal(attributesText(raw), '$email: a@b.c · level: 3');
    assert.deepEqual(cellLook(raw, 'json'), {
      className: 'cell t-json',
      text: '$email: a@b.c · level: 3',
      chips: null,
      title: raw,
    });
    assert.equal(attributesText('{}'), '{}');
    assert.equal(attributesText('{"plain": 2}'), 'plain: 2');
    assert.equal(attributesText('[1,2]'), '[1,2]');
    assert.equal(attributesText('{"broken":'), '{"broken":');
  });

  it('leaves other types as their text, marked with the type', () => {
    assert.deepEqual(cellLook('2024-01-02 03:04:05', 'timestamp'), {
      className: 'cell t-timestamp',
      text: '2024-01-02 03:04:05',
      chips: null,
      title: null,
    });
    assert.equal(cellLook('<b>x</b>', 'string').text, '<b>x</b>');
  });

  it('writes counts with thousands separators as en-US does, without Intl', () => {
    const xs = [
      0,
      7,
      12,
      999,
      1000,
      1001,
      12345,
      999_999,
      1_000_000,
      1_234_567,
      98_765_432_101,
      Number.MAX_SAFE_INTEGER,
    ];
    for (const x of [...xs, ...xs.map((x) => -x)]) assert.equal(thousands(x), x.toLocaleString('en-US'), String(x));
    for (const x of [1.5, -0, NaN, Infinity, 2 ** 60]) assert.equal(thousands(x), x.toLocaleString('en-US'), String(x));
  });
});
