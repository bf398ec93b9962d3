import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_IDS, ruleInfo } from '../../src/core/catalog/rules';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { ruleLines, ruleSections } from '../../src/host/diagnostics/ruleDocs';
import { exportHeader, fieldsOfLine, textCut } from '../../src/host/text/textParts';
import { generateExport } from '../gen/generator';

const root = path.join(__dirname, '..', '..', '..');

describe('rule documentation', () => {
  const markdown = fs.readFileSync(path.join(root, 'docs', 'rules.md'), 'utf8');

  it("has one section per rule, in the rule list's order, and nothing else", () => {
    assert.deepEqual(
      ruleSections(markdown).map((s) => s.id),
      [...RULE_IDS],
    );
  });

  it("states each rule's default severity and scope as the rule list has them", () => {
    for (const s of ruleSections(markdown)) {
      const r = ruleInfo(s.id as (typeof RULE_IDS)[number]);
      assert.ok(s.body.startsWith(`Severity: ${r.severity}. Scope: ${r.scope}.`), `${s.id}: ${s.body.slice(0, 60)}`);
      assert.ok(s.body.length > 60, `${s.id} is explained`);
    }
  });

  it('links each rule to its heading line', () => {
    const lines = markdown.split('\n');
    const at = ruleLines(markdown);
    assert.equal(at.size, RULE_IDS.length);
    for (const [id, line] of at) assert.equal(lines[line - 1], `## ${id}`);
  });
});

describe('settings in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;

  it('offers every template version and auto', () => {
    assert.deepEqual(props['rcExport.template'].enum, ['auto', ...VERSION_IDS]);
    assert.equal(props['rcExport.template'].enumDescriptions.length, VERSION_IDS.length + 1);
  });

  it('contributes the grammar file it names and a command for every menu entry', () => {
    for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(path.join(root, g.path)), g.path);
    const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const entries of Object.values(pkg.contributes.menus) as { command: string }[][])
      for (const e of entries) assert.ok(commands.has(e.command), e.command);
  });
});

describe('export text helpers', () => {
  it('recognises export headers, with either delimiter and a BOM, and nothing else', () => {
    const g = generateExport({ version: 'v3', rows: 1, seed: 1, delimiter: ';' }).text.toString('utf8').split('\n')[0];
    assert.equal(exportHeader(`\uFEFF${g}\r`)?.delimiter, ';');
    assert.equal(exportHeader(`\uFEFF${g}\r`)?.names.length, 32);
    assert.equal(exportHeader('id,name,price'), null);
    assert.equal(exportHeader('start_time,end_time,store,Some Column,Other,Third,Fourth'), null);
  });

  it('splits a line into fields with quotes respected', () => {
    const line = 'a,"b,""c""",,"{""k"": 1}",e';
    const fields = fieldsOfLine(line, ',').map((f) => line.slice(f.start, f.end));
    assert.deepEqual(fields, ['a', '"b,""c"""', '', '"{""k"": 1}"', 'e']);
  });

  it('cuts a long text after a line end within the limit', () => {
    const b = Buffer.from('aaaa\nbbbb\ncccc\n');
    assert.equal(textCut(b, 100), b.length);
    assert.equal(textCut(b, 12), 10);
    assert.equal(textCut(b, 10), 10);
    assert.equal(textCut(b, 9), 5);
    assert.equal(textCut(b, 3), 0);
  });
});
