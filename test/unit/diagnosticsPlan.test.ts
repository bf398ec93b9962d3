import assert from 'node:assert/strict';
import { loadExport, type Loaded } from '../../src/core/load/load';
import { RULE_IDS, type RuleId } from '../../src/core/catalog/rules';
import type { Problem } from '../../src/core/validate/problems';
import { planDiagnostics, utf16Length, type Place } from '../../src/host/diagnostics/diagnosticsPlan';
import { nodeGunzip } from '../../src/node/decodeNode';
import { generateExport, type GenOptions } from '../gen/generator';

async function load(text: Buffer, template: string | undefined, maxPerRule: number): Promise<Loaded> {
  async function* one() {
    yield text;
  }
  const o = await loadExport(
    { name: 'transactions_1735689600.csv', size: text.length, chunks: one() },
    { decompressor: nodeGunzip, template, maxPerRule },
  );
  if (!o.ok) throw new Error(o.error.message);
  return o.value;
}

/** The text of a place in the document a text editor would show (BOM dropped, lines split at \n). */
function textAt(lines: string[], p: Place): string {
  if (p.line === p.endLine) return lines[p.line].slice(p.character, p.endCharacter);
  const parts = [lines[p.line].slice(p.character)];
  for (let l = p.line + 1; l < p.endLine; l++) parts.push(lines[l]);
  parts.push(lines[p.endLine].slice(0, p.endCharacter));
  return parts.join('\n');
}

const INJECTABLE: RuleId[] = RULE_IDS.filter((r) => r !== 'no-rows' && r !== 'play-store-invalidated');
const order = (a: Problem, b: Problem) => a.line - b.line || a.offset - b.offset;

describe('diagnostics plan', () => {
  it('counts UTF-16 code units of UTF-8 bytes', () => {
    for (const s of ['', 'abc', 'é', '日本', 'a😀b', '€😀é']) {
      const b = Buffer.from(s, 'utf8');
      assert.equal(utf16Length(b, 0, b.length), s.length, s);
    }
  });

  for (const variant of [
    { version: 'v5', delimiter: ',' },
    { version: 'v3', delimiter: ';', crlf: true, bom: true },
    { version: 'v5', multiline: true },
    { version: 'v6', delimiter: ';', multiline: true, crlf: true },
  ] as Partial<GenOptions>[]) {
    it(`puts every injected problem on its field: ${JSON.stringify(variant)}`, async () => {
      const g = generateExport({ version: 'v5', rows: 1200, seed: 21, inject: INJECTABLE, ...variant });
      const loaded = await load(g.text, variant.version === 'v6' ? 'v6' : undefined, Infinity);
      const report = loaded.validation!;
      const plan = planDiagnostics(loaded.table, report, { maxPerFile: Infinity });
      assert.equal(plan.length, report.problems.length);
      const lines = new TextDecoder()
        .decode(g.text)
        .split('\n')
        .map((l) => l.replace(/\r$/, ''));
      const delim = variant.delimiter ?? ',';
      let checked = 0;
      // everything after an unclosed quote is one field: nothing to place exactly on that row
      const unclosed = new Set(report.problems.filter((p) => p.rule === 'unterminated-quote').map((p) => p.row));
      report.problems.forEach((p, i) => {
        const d = plan[i];
        if (unclosed.has(p.row)) return;
        assert.equal(d.rule, p.rule);
        assert.equal(d.summary, false);
        const text = textAt(lines, d.place);
        if (p.row !== null && p.column !== null && p.rule !== 'extra-cell') {
          // the range holds the field: its value, quoted as CSV quotes it where needed
          const v = p.value ?? '';
          const quoted = `"${v.replace(/"/g, '""')}"`;
          assert.ok(
            text === v || text === quoted,
            `${p.rule} ${p.column} row ${p.row}: ${JSON.stringify(text)} vs ${JSON.stringify(v)}`,
          );
          // and it starts right after a delimiter or at the line start
          const before = lines[d.place.line].slice(0, d.place.character);
          assert.ok(before === '' || before.endsWith(delim), `${p.rule}: ${JSON.stringify(before.slice(-10))}`);
          if (!variant.multiline) assert.equal(d.place.line, p.line - 1);
          checked++;
        } else if (p.row === null && p.line === 1 && p.rule !== 'missing-label') {
          assert.equal(text, p.column, p.rule);
          checked++;
        } else if (p.row !== null) {
          assert.equal(d.place.line, p.line - 1, p.rule);
        }
      });
      assert.ok(checked >= 15, `checked ${checked}`);
    });
  }

  it('shows the first problems in file order and sums up the rest per rule and column, exactly', async () => {
    // (the cache loads with maxPerRule >= maxPerFile, so the first problems of the file are all kept)
    // a v5 file read as v3: thousands of boolean and column problems, plus the injected ones
    const g = generateExport({ version: 'v5', rows: 3000, seed: 5, inject: INJECTABLE });
    const all = (await load(g.text, 'v3', Infinity)).validation!;
    const truth = [...all.problems].sort(order);
    for (const [maxPerRule, maxPerFile] of [
      [1000, 1000],
      [40, 25],
      [100, 100],
      [2000, 0],
    ]) {
      const loaded = await load(g.text, 'v3', maxPerRule);
      const plan = planDiagnostics(loaded.table, loaded.validation!, { maxPerFile, maxTotal: Infinity });
      const shown = plan.filter((d) => !d.summary);
      assert.equal(shown.length, Math.min(maxPerFile, truth.length));
      // the shown ones are the first of the file (ties on a line may come in another order)
      const firstLines = truth
        .slice(0, shown.length)
        .map((p) => `${p.line} ${p.rule}`)
        .sort();
      assert.deepEqual(shown.map((d) => `${d.place.line + 1} ${d.rule}`).sort(), firstLines);
      // one summary per (rule, column) with problems not shown: how many, and the first of them
      const hidden = truth.slice(shown.length);
      const expected = new Map<string, { n: number; first: Problem }>();
      for (const p of hidden) {
        const k = `${p.rule} ${p.column}`;
        const e = expected.get(k);
        if (e) e.n++;
        else expected.set(k, { n: 1, first: p });
      }
      const summaries = plan.filter((d) => d.summary);
      assert.equal(summaries.length, expected.size, `maxPerRule ${maxPerRule}, maxPerFile ${maxPerFile}`);
      for (const [k, e] of expected) {
        const [rule, column] = k.split(' ');
        const where = e.first.row !== null ? `row ${e.first.row.toLocaleString('en-US')}` : `line ${e.first.line}`;
        const msg = `${e.n.toLocaleString('en-US')} more ${rule}${column !== 'null' ? ` in ${column}` : ''}, first at ${where}`;
        assert.ok(
          summaries.some((s) => s.message === msg),
          `missing "${msg}"`,
        );
        assert.ok(
          summaries.some((s) => s.message === msg && s.place.line === e.first.line - 1),
          `"${msg}" is on line ${e.first.line}`,
        );
      }
    }
  });

  it("fits within VS Code's 1000 diagnostics per file: fewer shown one by one, every problem still counted", async () => {
    const g = generateExport({ version: 'v5', rows: 3000, seed: 5, inject: INJECTABLE });
    const loaded = await load(g.text, 'v3', 1000);
    const plan = planDiagnostics(loaded.table, loaded.validation!, { maxPerFile: 1000 });
    const summaries = plan.filter((d) => d.summary);
    assert.ok(summaries.length > 0);
    assert.equal(plan.length, 1000);
    const counted =
      plan.length -
      summaries.length +
      summaries.reduce((n, d) => n + Number(/^([\d,]+)/.exec(d.message)![1].replace(/,/g, '')), 0);
    const c = loaded.validation!.counts;
    assert.equal(counted, c.error + c.warning + c.information);
  });

  it('in a partly shown text, places only the problems inside it and counts the rest', async () => {
    const g = generateExport({ version: 'v5', rows: 2000, seed: 8, inject: INJECTABLE });
    const loaded = await load(g.text, undefined, Infinity);
    const shownBytes = Math.floor(g.text.length / 2);
    const plan = planDiagnostics(loaded.table, loaded.validation!, { maxPerFile: 1000, shownBytes });
    const inside = loaded.validation!.problems.filter((p) => p.offset < shownBytes);
    assert.ok(inside.length > 3 && inside.length < loaded.validation!.problems.length);
    assert.equal(plan.filter((d) => !d.summary).length, inside.length);
    let past = 0;
    for (const s of plan.filter((d) => d.summary)) {
      const m = /^([\d,]+) more .*, first at row [\d,]+ \(past the part of the file shown\)$/.exec(s.message);
      assert.ok(m, s.message);
      past += Number(m[1].replace(/,/g, ''));
    }
    assert.equal(past, loaded.validation!.problems.length - inside.length);
  });
});
