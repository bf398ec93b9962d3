/** The text the host puts into the export editor's page (src/host/pageText.ts). */
import assert from 'node:assert/strict';
import { dataBlock, inlineText } from '../../src/host/editor/pageText';

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
