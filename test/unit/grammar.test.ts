/**
 * The export text grammar: the committed JSON is the generated one, and its patterns (run by a
 * small TextMate-like tokenizer over JavaScript regular expressions: earliest match wins, begin/end
 * rules span lines, captures are tokenized again with their own patterns) give the scopes we mean.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLUMN_SCOPES, exportGrammar, VALUE_SCOPES } from '../../scripts/grammar';
import { generateExport } from '../gen/generator';

const FILE = path.join(__dirname, '..', '..', '..', 'syntaxes', 'rc-export-csv.tmLanguage.json');

type Rule = {
  match?: string;
  begin?: string;
  end?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  repository?: Record<string, Rule>;
};
interface Token {
  text: string;
  scopes: string[];
}

class Tokenizer {
  private readonly repo: Record<string, Rule>;
  constructor(private readonly grammar: Rule) {
    this.repo = grammar.repository ?? {};
  }

  private flatten(patterns: Rule[]): Rule[] {
    return patterns.flatMap((p) => {
      if (!p.include) return [p];
      const r = this.repo[p.include.slice(1)];
      return r.match || r.begin ? [r] : this.flatten(r.patterns ?? []);
    });
  }

  private static re(source: string, firstLine: boolean): RegExp {
    return new RegExp(source.replace(/\\A/g, firstLine ? '(?<![\\s\\S])' : '(?!)'), 'gmu');
  }

  /** Tokens of every line. */
  lines(lines: string[]): Token[][] {
    const stack: { rule: Rule; scopes: string[] }[] = [{ rule: this.grammar, scopes: [] }];
    return lines.map((text, i) => {
      const out: Token[] = [];
      const line = `${text}\n`;
      let pos = 0;
      while (pos < line.length) {
        const top = stack[stack.length - 1];
        let best: { m: RegExpExecArray; rule: Rule | null } | null = null;
        if (top.rule.end) {
          const r = Tokenizer.re(top.rule.end, i === 0);
          r.lastIndex = pos;
          const m = r.exec(line);
          if (m) best = { m, rule: null };
        }
        for (const rule of this.flatten(top.rule.patterns ?? [])) {
          const r = Tokenizer.re((rule.match ?? rule.begin)!, i === 0);
          r.lastIndex = pos;
          const m = r.exec(line);
          if (m && (!best || m.index < best.m.index)) best = { m, rule };
        }
        if (!best) {
          out.push({ text: line.slice(pos), scopes: top.scopes });
          break;
        }
        const { m, rule } = best;
        if (m.index > pos) out.push({ text: line.slice(pos, m.index), scopes: top.scopes });
        if (rule === null) {
          out.push({ text: m[0], scopes: top.scopes });
          stack.pop();
        } else {
          const scopes = rule.name ? [...top.scopes, rule.name] : top.scopes;
          this.captures(line, m, rule.captures, scopes, out);
          if (rule.begin) stack.push({ rule, scopes });
        }
        if (m[0].length === 0 && !rule?.begin) pos++;
        else pos = m.index + m[0].length;
      }
      return out
        .filter((t) => t.text !== '' && t.text !== '\n')
        .map((t) => ({ ...t, text: t.text.replace(/\n$/, '') }));
    });
  }

  /** The match as tokens: its groups in order (the grammar's groups do not nest), each with its
   *  capture's scope and tokenized again with the capture's patterns; group 0 stands for the whole. */
  private captures(
    line: string,
    m: RegExpExecArray,
    captures: Record<string, Rule> | undefined,
    scopes: string[],
    out: Token[],
  ): void {
    const indices = (m as RegExpExecArray & { indices: ([number, number] | undefined)[] }).indices;
    const end = m.index + m[0].length;
    const groups = Object.keys(captures ?? {})
      .map(Number)
      .sort((a, b) => a - b);
    const spans = groups[0] === 0 ? [0] : groups;
    let pos = m.index;
    for (const g of spans) {
      const at = indices[g];
      if (!at || at[0] === at[1]) continue;
      const c = captures![String(g)];
      if (at[0] > pos) out.push({ text: line.slice(pos, at[0]), scopes });
      const inner = c.name ? [...scopes, c.name] : scopes;
      if (c.patterns)
        out.push(
          ...new Tokenizer({ ...this.grammar, patterns: c.patterns }).inline(line.slice(0, at[1]), at[0], inner),
        );
      else out.push({ text: line.slice(at[0], at[1]), scopes: inner });
      pos = at[1];
    }
    if (pos < end) out.push({ text: line.slice(pos, end), scopes });
  }

  /** Match rules only, over text[from..] (a capture: the text before it is visible to lookbehinds). */
  inline(text: string, from: number, scopes: string[]): Token[] {
    const out: Token[] = [];
    let pos = from;
    while (pos < text.length) {
      let best: { m: RegExpExecArray; rule: Rule } | null = null;
      for (const rule of this.flatten(this.grammar.patterns ?? [])) {
        if (!rule.match) continue;
        const r = Tokenizer.re(rule.match, false);
        r.lastIndex = pos;
        const m = r.exec(text);
        if (m && m[0].length > 0 && (!best || m.index < best.m.index)) best = { m, rule };
      }
      if (!best) break;
      if (best.m.index > pos) out.push({ text: text.slice(pos, best.m.index), scopes });
      const inner = best.rule.name ? [...scopes, best.rule.name] : scopes;
      this.captures(text, best.m, best.rule.captures, inner, out);
      pos = best.m.index + best.m[0].length;
    }
    if (pos < text.length) out.push({ text: text.slice(pos), scopes });
    return out;
  }
}

// JavaScript needs the d flag for capture positions
// eslint-disable-next-line @typescript-eslint/unbound-method -- restored as it was, with its own this
const origExec = RegExp.prototype.exec;
function withIndices<T>(fn: () => T): T {
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const r = this.flags.includes('d') ? this : new RegExp(this.source, `${this.flags}d`);
    r.lastIndex = this.lastIndex;
    const m = origExec.call(r, s);
    this.lastIndex = r.lastIndex;
    return m;
  };
  try {
    return fn();
  } finally {
    RegExp.prototype.exec = origExec;
  }
}

function tokenize(text: string): Token[][] {
  return withIndices(() => new Tokenizer(exportGrammar() as Rule).lines(text.split('\n')));
}

const has = (t: Token | undefined, scope: string) => !!t && t.scopes.includes(scope);
const find = (tokens: Token[], text: string) => tokens.find((t) => t.text === text);

describe('export text grammar', () => {
  it('the committed grammar is the generated one', () => {
    const generated = `${JSON.stringify(exportGrammar(), null, 2)}\n`;
    if (process.env.RC_WRITE_GRAMMAR === '1') fs.writeFileSync(FILE, generated);
    assert.equal(
      fs.readFileSync(FILE, 'utf8'),
      generated,
      'run the unit tests with RC_WRITE_GRAMMAR=1 to regenerate syntaxes/',
    );
  });

  it('every pattern is a valid regular expression', () => {
    const walk = (r: unknown): void => {
      if (!r || typeof r !== 'object') return;
      for (const [k, v] of Object.entries(r)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string')
          assert.doesNotThrow(() => new RegExp(v.replace(/\\A/g, '^'), 'u'), v);
        else walk(v);
      }
    };
    walk(exportGrammar());
  });

  it('cycles the columns through four scopes and types the values', () => {
    const [header, row] = tokenize(
      'a,b,c,d,e,f,g,h,i\nx1,,true,2024-01-02 03:04:05,-4.99,"say ""hi""","{""k"": [1, ""v""]}",f,id9',
    );
    assert.ok(header.every((t) => has(t, VALUE_SCOPES.header)));
    assert.ok(has(find(header, 'e'), VALUE_SCOPES.headerName));
    const x1 = find(row, 'x1');
    assert.ok(has(x1, COLUMN_SCOPES[0]));
    assert.ok(
      row.some((t) => t.text === ',' && has(t, VALUE_SCOPES.null) && has(t, COLUMN_SCOPES[1])),
      'the empty second field',
    );
    assert.ok(has(find(row, 'true'), VALUE_SCOPES.boolean) && has(find(row, 'true'), COLUMN_SCOPES[2]));
    assert.ok(
      has(find(row, '2024-01-02 03:04:05'), VALUE_SCOPES.timestamp) &&
        has(find(row, '2024-01-02 03:04:05'), COLUMN_SCOPES[3]),
    );
    assert.ok(
      has(find(row, '-4.99'), VALUE_SCOPES.number) && has(find(row, '-4.99'), COLUMN_SCOPES[0]),
      'the fifth column starts the cycle again',
    );
    assert.ok(row.some((t) => t.text === '""' && has(t, VALUE_SCOPES.escape) && has(t, VALUE_SCOPES.string)));
    assert.ok(has(find(row, '""k""'), VALUE_SCOPES.jsonKey));
    assert.ok(has(find(row, '""v""'), VALUE_SCOPES.jsonString));
    assert.ok(has(find(row, '1'), VALUE_SCOPES.jsonNumber));
    assert.ok(has(find(row, 'f'), VALUE_SCOPES.boolean) && has(find(row, 'f'), COLUMN_SCOPES[3]));
    assert.ok(has(find(row, 'id9'), COLUMN_SCOPES[0]) && !has(find(row, 'id9'), VALUE_SCOPES.number));
  });

  it('keeps a quoted field over several lines one string, and resumes after it', () => {
    const lines = tokenize('a,b,c\n1,"{""x"":\n""y""}",7');
    const [, first, second] = lines;
    assert.ok(has(find(first, '1'), VALUE_SCOPES.number));
    assert.ok(first.some((t) => t.text.startsWith('"') && has(t, VALUE_SCOPES.string)));
    assert.ok(has(find(second, '""y""'), VALUE_SCOPES.jsonString));
    assert.ok(has(find(second, '7'), VALUE_SCOPES.number) && !has(find(second, '7'), VALUE_SCOPES.string));
  });

  it('reads a semicolon file with `;` as the delimiter', () => {
    const [header, row] = tokenize('a;b;c\n1,5;t;x,y');
    assert.ok(has(find(header, 'b'), VALUE_SCOPES.headerName));
    assert.ok(has(find(row, 't'), VALUE_SCOPES.boolean) && has(find(row, 't'), COLUMN_SCOPES[1]));
    assert.ok(has(find(row, 'x,y'), COLUMN_SCOPES[2]));
  });

  it('marks the text view note and tokenizes a generated export without gaps', () => {
    const text = generateExport({ version: 'v5', rows: 30, seed: 2 }).text.toString('utf8').trimEnd();
    const lines = tokenize(`${text}\n\u2026 Showing the first 1 MB`);
    assert.ok(lines[lines.length - 1].every((t) => has(t, VALUE_SCOPES.note)));
    for (const [i, tokens] of lines.slice(1, -1).entries()) {
      assert.equal(tokens.map((t) => t.text).join(''), text.split('\n')[i + 1], `line ${i + 2} is covered`);
      assert.ok(
        tokens.some((t) => has(t, VALUE_SCOPES.timestamp)),
        `line ${i + 2} has timestamps`,
      );
      assert.ok(
        tokens.every((t) => t.scopes.some((s) => COLUMN_SCOPES.includes(s as never)) || has(t, VALUE_SCOPES.string)),
        `line ${i + 2}: every field is in a column`,
      );
    }
  });
});
