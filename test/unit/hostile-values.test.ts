/**
 * Hostile values (issue 18): a `__proto__` attribute key is checked like any key; numbers too large
 * for a double are type errors, not infinities; NUL bytes and text that is not UTF-8 get one warning
 * per column with a count; a huge value is shown cut, never decoded whole; a header name cannot put
 * Markdown (links, images) into the text view's hover.
 */
import assert from 'node:assert/strict';
import { templateVersion } from '../../src/core/catalog/templates';
import { checkAttributesText } from '../../src/core/validate/json';
import { fieldHoverMarkdown } from '../../src/host/text/textParts';
import { exportBytes, loadBytes, V5_HEADER } from '../support/hostile';
import { generateExport } from '../gen/generator';

const V5 = templateVersion('v5');
const names = V5.columns.map((c) => c.name);

/** One v5 row: every column empty but the ones given (raw bytes or text, written as they stand). */
function row(cells: Record<string, string | Uint8Array>): Buffer {
  const parts = names.map((n) => {
    const v = cells[n];
    return v === undefined ? Buffer.alloc(0) : Buffer.from(v as string);
  });
  const out: Buffer[] = [];
  parts.forEach((p, k) => out.push(k ? Buffer.from(',') : Buffer.alloc(0), p));
  return Buffer.concat([...out, Buffer.from('\n')]);
}

async function problemsOf(bytes: Uint8Array) {
  const { outcome } = await loadBytes(bytes);
  assert.ok(outcome.ok, !outcome.ok ? outcome.error.message : '');
  return { loaded: outcome.value, problems: outcome.value.validation!.problems };
}

describe('hostile values', () => {
  it('a __proto__ key in custom_subscriber_attributes is checked like any other key', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    for (const key of ['x', '__proto__', 'constructor', 'prototype']) {
      const bad = checkAttributesText(`{"${key}": null}`);
      assert.equal(bad.ok ? 'ok' : bad.rule, 'attribute-shape', key);
      assert.match(bad.ok ? '' : bad.detail, new RegExp(`^${key}`), key);
      assert.ok(checkAttributesText(`{"${key}": {"value": "a", "updated_at_ms": 1}}`).ok, key);
    }
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
    assert.equal(({} as Record<string, unknown>).value, undefined);
  });

  it('…also in a loaded file', async () => {
    const { problems } = await problemsOf(
      exportBytes(row({ store_transaction_id: 't1', custom_subscriber_attributes: '"{""__proto__"": null}"' })),
    );
    assert.ok(problems.some((p) => p.rule === 'attribute-shape' && p.column === 'custom_subscriber_attributes'));
  });

  it('numbers too large for a double (1e309, 400 digits) are type errors, and their value is null', async () => {
    const big = `1${'0'.repeat(399)}`;
    const { loaded, problems } = await problemsOf(
      Buffer.concat([
        Buffer.from(V5_HEADER),
        row({ store_transaction_id: 't1', price_in_usd: '1e309' }),
        row({ store_transaction_id: 't2', price_in_usd: big }),
        row({ store_transaction_id: 't3', price_in_usd: '-1E400' }),
        row({ store_transaction_id: 't4', price_in_usd: '1.5e308' }),
      ]),
    );
    const errors = problems.filter((p) => p.rule === 'type-error' && p.column === 'price_in_usd');
    assert.deepEqual(
      errors.map((p) => p.row),
      [1, 2, 3],
    );
    for (const p of errors) assert.match(p.message, /too large to be a number/);
    const price = loaded.table.vectors[names.indexOf('price_in_usd')]!.data;
    assert.ok(Number.isNaN(price[0]) && Number.isNaN(price[1]) && Number.isNaN(price[2]));
    assert.equal(price[3], 1.5e308);
  });

  it('NUL bytes and bytes that are not UTF-8 in text columns: one warning per column, with the counts', async () => {
    const g = generateExport({ version: 'v5', rows: 12, seed: 5 }).text.toString('utf8').split('\n');
    const bad = [Buffer.from([0xe9]), Buffer.from([0x00]), Buffer.from([0xc3, 0x28]), Buffer.from('é')];
    // data rows 3, 5, 7, 9 start with a damaged rc_original_app_user_id (row 9's is valid UTF-8)
    const lines = g.map((l, i) => {
      const k = [3, 5, 7, 9].indexOf(i);
      return k < 0 ? Buffer.from(l) : Buffer.concat([bad[k], Buffer.from(l)]);
    });
    const text = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 ? [l, Buffer.from('\n')] : [l])));
    const { problems } = await problemsOf(text);
    const found = problems.filter((p) => p.rule === 'encoding-error');
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].column, 'rc_original_app_user_id');
    assert.equal(found[0].row, 3);
    assert.equal(found[0].severity, 'warning');
    assert.match(found[0].message, /2 not UTF-8 .*, 1 with NUL bytes/);
  });

  it('a huge value is shown cut in its problem, never decoded whole', async () => {
    const { problems } = await problemsOf(exportBytes(row({ store_transaction_id: 't', start_time: 'x'.repeat(8e6) })));
    const p = problems.find((x) => x.rule === 'type-error' && x.column === 'start_time');
    assert.ok(p && p.value !== null && p.value.length <= 4097 && p.value.endsWith('…'));
  });

  it("the text view's hover shows a header name as text, never as Markdown", async () => {
    const { marked } = await import('marked');
    const hostile = [
      '[click](https://evil.example/a)',
      '![pixel](https://evil.example/p.png)',
      '<img src=https://evil.example/p.png>',
      'https://evil.example/bare',
      'www.evil.example',
      '`code` *em* _u_ \\ | # >',
    ];
    for (const name of hostile) {
      const md = fieldHoverMarkdown({ name, column: 3, spec: undefined, vc: undefined, version: 'v5', raw: null });
      const html = await marked.parse(md);
      assert.doesNotMatch(html, /<a |<img|<code|<em>/, `${name} → ${html}`);
      const title = /<strong>(.*?)<\/strong>/.exec(html)?.[1] ?? '';
      const text = title
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'");
      assert.equal(text.replace(/&amp;/g, '&'), name);
    }
    // a value with backticks stays inside its code block
    const md = fieldHoverMarkdown({
      name: 'x',
      column: 1,
      spec: undefined,
      vc: undefined,
      version: 'v5',
      raw: '```a``',
    });
    assert.match(await marked.parse(md), /<pre><code class="language-text">```a``\n<\/code><\/pre>/);
  });
});
