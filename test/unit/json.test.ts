import assert from 'node:assert/strict';
import {
  checkAttributesText,
  checkStringArrayText,
  recognizeAttributes,
  recognizeStringArray,
} from '../../src/core/validate/json';
import { Rng } from './fuzz';

const enc = new TextEncoder();
/** The field as CSV writes it: quoted with doubled quotes, or bare. */
const field = (json: string, quoted: boolean) => enc.encode(quoted ? `"${json.replace(/"/g, '""')}"` : json);

const PIECES = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  ' ',
  '"',
  '\\"',
  '\\\\',
  '\\n',
  'value',
  'updated_at_ms',
  '$email',
  '1',
  '-2',
  '0',
  '01',
  '1.5',
  'null',
  'true',
  'x',
  'é',
  ';',
  '\n',
];

function canonical(rng: Rng): string {
  const n = rng.int(4);
  const entries: string[] = [];
  for (let k = 0; k < n; k++) {
    const key = JSON.stringify(rng.pick(['$email', 'plan', 'a;b', 'q"uote', 'é']) + k);
    const value = JSON.stringify(rng.pick(['', 'x', 'a "b" c', 'semi;colon', 'line\nfeed', 'tab\t', '\\']));
    const parts = [`"value": ${value}`, `"updated_at_ms": ${rng.int(2e12)}`];
    if (rng.chance(0.5)) parts.reverse();
    entries.push(`${key}: {${parts.join(rng.pick([', ', ',']))}}`);
  }
  return `{${entries.join(rng.pick([', ', ',']))}}`;
}

describe('attribute JSON fast path', () => {
  it('accepts canonical attribute objects, quoted and bare, and zod agrees', () => {
    const rng = new Rng(77);
    for (let n = 0; n < 3000; n++) {
      const json = canonical(rng);
      assert.deepEqual(checkAttributesText(json), { ok: true }, json);
      for (const quoted of [true, false]) {
        const b = field(json, quoted);
        assert.ok(recognizeAttributes(b, 0, b.length, quoted), `${quoted} ${json}`);
      }
    }
  });

  it('never accepts what JSON.parse and zod reject (random mutations and junk)', () => {
    const rng = new Rng(78);
    let accepted = 0;
    for (let n = 0; n < 20000; n++) {
      let text = canonical(rng);
      if (rng.chance(0.7)) {
        const at = rng.int(text.length + 1);
        text = rng.chance(0.5)
          ? text.slice(0, at) + rng.pick(PIECES) + text.slice(at)
          : text.slice(0, at) + text.slice(at + rng.range(1, 3));
      } else if (rng.chance(0.5)) {
        text = Array.from({ length: rng.int(12) }, () => rng.pick(PIECES)).join('');
      }
      const quoted = rng.chance(0.5) || /[",;\n]/.test(text);
      const b = field(text, quoted);
      if (recognizeAttributes(b, 0, b.length, quoted)) {
        accepted++;
        assert.deepEqual(checkAttributesText(text), { ok: true }, JSON.stringify(text));
      }
      const arr = `[${text}]`;
      const ab = field(arr, true);
      if (recognizeStringArray(ab, 0, ab.length, true)) assert.equal(checkStringArrayText(arr), null, arr);
    }
    assert.ok(accepted > 1000, `only ${accepted} accepted`);
  });

  it('recognizes string arrays and rejects the v1–v3 brace form', () => {
    for (const [text, ok] of [
      ['["a", "b"]', true],
      ['[]', true],
      [' [ "a" ] ', true],
      ['{a,b}', false],
      ['["a",]', false],
      ['[1]', false],
      ['["a" "b"]', false],
    ] as const) {
      const b = field(text, true);
      assert.equal(recognizeStringArray(b, 0, b.length, true), ok, text);
    }
  });

  it('zod words the shape problem', () => {
    const r = checkAttributesText('{"plan": 1}');
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.rule === 'attribute-shape' && /plan/.test(r.detail));
    const j = checkAttributesText('{"plan": ');
    assert.ok(!j.ok && j.rule === 'json-error');
  });
});
