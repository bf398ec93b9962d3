/** The text the host puts into the export editor's page (src/host/pageText.ts). */
import assert from 'node:assert/strict';
import { dataBlock, inlineText, pageShell } from '../../src/host/editor/pageText';

describe('page text', () => {
  it('a data block carries any cell unchanged and none can end the block or open markup', () => {
    const cells = [
      '</script><img src=x onerror=alert(1)>',
      '<!-- <script>',
      '</SCRIPT >',
      'a\u2028b',
      '{"k": "<v>"}',
      null,
    ];
    const block = dataBlock('rc-first', { type: 'init', rows: [cells] });
    const open = '<script type="application/json" id="rc-first">';
    assert.ok(block.startsWith(open) && block.endsWith('</script>'));
    const body = block.slice(open.length, -'</script>'.length);
    assert.equal(body.includes('<'), false, 'no "<" inside the block');
    assert.deepEqual(JSON.parse(body), { type: 'init', rows: [cells] });
  });

  it('a bundle inside <script> cannot close it early; its source map link is dropped', () => {
    const js = 'const s = "</script>"; const t = `</SCRIPT`;\n//# sourceMappingURL=webview.js.map\n';
    const safe = inlineText(js, 'script');
    assert.equal(/<\/script/i.test(safe), false);
    assert.equal(safe.includes('sourceMappingURL'), false);
    // the same program: "<\/" reads as "</" in JavaScript strings
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- running the escaped page text is the test
    assert.equal(new Function(`${safe}; return s + t;`)(), '</script></SCRIPT');
  });
});

describe('page shell', () => {
  it('allows only its own nonce’s script and style, and images and fonts from the webview’s source', () => {
    const html = pageShell({
      cspSource: 'https://webview.example',
      title: 'T',
      script: 'var x = "</script>";',
      style: 'body{}',
      images: ['blob:'],
      body: 'data-state="loading"',
      before: '<p id="before"></p>',
    });
    const csp = /content="([^"]+)"/.exec(html)![1];
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    assert.ok(nonce.length >= 16);
    assert.deepEqual(csp.split('; '), [
      "default-src 'none'",
      `style-src 'nonce-${nonce}'`,
      `script-src 'nonce-${nonce}'`,
      'img-src https://webview.example data: blob:',
      'font-src https://webview.example',
    ]);
    assert.equal((html.match(/<script nonce="/g) ?? []).length, 1);
    assert.ok(html.includes(`<script nonce="${nonce}">`) && html.includes(`<style nonce="${nonce}">`));
    assert.equal(/unsafe-/.test(html), false);
    assert.ok(html.indexOf('<p id="before">') < html.indexOf('<script nonce'));
    // the bundle cannot end its element early
    assert.equal((html.match(/<\/script>/gi) ?? []).length, 1);
    // a new nonce for every page
    assert.notEqual(/'nonce-([^']+)'/.exec(pageShell({ ...shellParts, cspSource: 'x' }))![1], nonce);
  });
});

const shellParts = { cspSource: 'x', title: 'T', script: '', style: '', body: '' };
