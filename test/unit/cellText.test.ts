/** Booleans, field text and hashes in the loader's cell readers (src/core/load/cells.ts). */
import assert from 'node:assert/strict';
import { BOOL_FALSE, BOOL_INVALID, BOOL_TRUE, fieldText, hashBytes, parseBoolean } from '../../src/core/load/cells';
import { embed, Rng, utf8 } from './fuzz';

function bool(text: string): number {
  const b = utf8(text);
  return parseBoolean(b, 0, b.length);
}

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

describe('hashBytes', () => {
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
});
