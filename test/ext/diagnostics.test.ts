/**
 * Diagnostics, template choice and the text view inside a real VS Code, checked against what the
 * rc-export CLI (a separate process over the same file) reports.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { writeExport } from '../gen/generator';
import { escapeMarkdown } from '../../src/host/text/textParts';

const ID = 'rc-export-tools.revenuecat-exports';

interface CliProblem {
  rule: string;
  severity: 'error' | 'warning' | 'information';
  row: number | null;
  line: number;
  column: string | null;
  value: string | null;
  message: string;
}
interface CliReport {
  template: string;
  counts: { error: number; warning: number; information: number };
  problems: CliProblem[];
}

function extensionPath(): string {
  return vscode.extensions.getExtension(ID)!.extensionPath;
}

function cli(file: string, ...args: string[]): CliReport {
  const r = spawnSync(
    process.execPath,
    [
      path.join(extensionPath(), 'dist', 'cli.js'),
      'validate',
      file,
      '--max-problems',
      '0',
      '--format',
      'json',
      ...args,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      maxBuffer: 1 << 28,
    },
  );
  return JSON.parse(r.stdout) as CliReport;
}

/** Waits until the diagnostics of `uri` satisfy `ok` (they arrive after a load in a worker). */
function diagnosticsWhen(
  uri: vscode.Uri,
  ok: (d: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (!ok(d)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(d);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics(() => void check());
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; have ${vscode.languages.getDiagnostics(uri).length}`));
    }, 50_000);
    check();
  });
}

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const total = (r: CliReport) => r.counts.error + r.counts.warning + r.counts.information;

/** The problems a summary stands for, from its message "12,345 more rule in column, first at row 17". */
function summaryCount(d: vscode.Diagnostic): number {
  const m = /^([\d,]+) more /.exec(d.message);
  return m ? Number(m[1].replace(/,/g, '')) : 0;
}

/** The same rules on the same lines as the report (no cap reached). */
function sameProblems(d: vscode.Diagnostic[], r: CliReport): boolean {
  const a = d.map((x) => `${x.range.start.line + 1} ${codeOf(x)}`).sort();
  const b = r.problems.map((p) => `${p.line} ${p.rule}`).sort();
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('diagnostics, template choice and text view', function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-ext-diag-'));
  let sample: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(ID)!.activate();
    sample = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders![0].uri,
      'with-problems',
      'transactions_1735776000.csv.gz',
    );
  });
  afterEach(async () => {
    await closeAll();
    await vscode.commands.executeCommand('rcExport.chooseTemplate', sample, null);
    const config = vscode.workspace.getConfiguration('rcExport');
    await config.update('diagnostics.maxPerFile', undefined, vscode.ConfigurationTarget.Global);
    await config.update('textView.maxBytes', undefined, vscode.ConfigurationTarget.Global);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('an open export has the problems rc-export validate reports, at their lines, with rule codes and links', async () => {
    const expected = cli(sample.fsPath);
    await vscode.commands.executeCommand('vscode.openWith', sample, 'rcExport.grid');
    const got = await diagnosticsWhen(sample, (d) => d.length > 0, "the sample's diagnostics");
    assert.equal(got.length, expected.problems.length);
    const key = (rule: string, line: number, severity: vscode.DiagnosticSeverity) => `${line} ${rule} ${severity}`;
    assert.deepEqual(
      got.map((d) => key(codeOf(d), d.range.start.line + 1, d.severity)).sort(),
      expected.problems.map((p) => key(p.rule, p.line, SEVERITY[p.severity])).sort(),
    );
    for (const p of expected.problems) {
      const d = got.find((x) => codeOf(x) === p.rule && x.range.start.line === p.line - 1)!;
      assert.ok(d.message.startsWith(p.message), `${d.message} / ${p.message}`);
      assert.equal(d.source, 'RevenueCat Exports');
      const target = (d.code as { target: vscode.Uri }).target;
      assert.ok(target.path.endsWith('/docs/rules.md'), target.toString());
      const heading = fs.readFileSync(target.fsPath, 'utf8').split('\n')[Number(target.fragment.slice(1)) - 1];
      assert.equal(heading, `## ${p.rule}`);
    }
  });

  it('clears them when the last view of the file closes', async () => {
    await closeAll();
    await diagnosticsWhen(sample, (d) => d.length === 0, 'no diagnostics after closing');
  });

  it('choosing another template version validates again (v3 for a v5 file), and auto goes back', async () => {
    await vscode.commands.executeCommand('vscode.openWith', sample, 'rcExport.grid');
    const v5 = cli(sample.fsPath);
    await diagnosticsWhen(sample, (d) => sameProblems(d, v5), 'the v5 diagnostics');
    await vscode.commands.executeCommand('rcExport.chooseTemplate', sample, 'v3');
    const v3 = cli(sample.fsPath, '--template', 'v3');
    assert.ok(total(v3) > total(v5));
    const counted = (d: vscode.Diagnostic[]) =>
      d.filter((x) => summaryCount(x) === 0).length + d.reduce((n, x) => n + summaryCount(x), 0);
    const got = await diagnosticsWhen(
      sample,
      (d) => counted(d) === total(v3),
      'the v3 diagnostics, all problems counted',
    );
    assert.ok(got.length <= 1000, "within VS Code's limit per file");
    assert.ok(got.filter((d) => summaryCount(d) === 0).length > 900);
    assert.deepEqual(new Set(got.map(codeOf)), new Set(v3.problems.map((p) => p.rule)));
    await vscode.commands.executeCommand('rcExport.chooseTemplate', sample, 'auto');
    await diagnosticsWhen(sample, (d) => sameProblems(d, v5), 'the v5 diagnostics again');
    await vscode.commands.executeCommand('rcExport.chooseTemplate', sample, null);
    await closeAll();
  });

  it('follows the file on disk: new contents get new diagnostics, a deleted file loses them', async () => {
    const file = path.join(tmp, 'transactions_1736200000.csv.gz');
    await writeExport(file, { version: 'v5', rows: 300, seed: 14, inject: ['type-error'] });
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'rcExport.grid');
    const before = cli(file);
    await diagnosticsWhen(uri, (d) => sameProblems(d, before), "the first contents' diagnostics");
    await writeExport(file, {
      version: 'v5',
      rows: 500,
      seed: 15,
      inject: ['enum-value', 'country-format', 'blank-row'],
    });
    const after = cli(file);
    assert.ok(!sameProblems(vscode.languages.getDiagnostics(uri), after));
    await diagnosticsWhen(uri, (d) => sameProblems(d, after), "the new contents' diagnostics");
    fs.rmSync(file);
    await diagnosticsWhen(uri, (d) => d.length === 0, 'no diagnostics for a deleted file');
  });

  it('lists at most rcExport.diagnostics.maxPerFile problems and sums up the rest per rule and column', async () => {
    const file = path.join(tmp, 'transactions_1736000000.csv.gz');
    await writeExport(file, {
      version: 'v5',
      rows: 3000,
      seed: 12,
      inject: ['type-error', 'enum-value', 'blank-row', 'required-value'],
    });
    const uri = vscode.Uri.file(file);
    await vscode.workspace
      .getConfiguration('rcExport')
      .update('diagnostics.maxPerFile', 40, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('rcExport.chooseTemplate', uri, 'v3');
    const expected = cli(file, '--template', 'v3');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'rcExport.grid');
    const got = await diagnosticsWhen(uri, (d) => d.length > 0, 'the capped diagnostics');
    const shown = got.filter((d) => summaryCount(d) === 0);
    assert.equal(shown.length, 40);
    assert.deepEqual(
      shown.map((d) => `${d.range.start.line + 1} ${codeOf(d)}`).sort(),
      expected.problems
        .slice(0, 40)
        .map((p) => `${p.line} ${p.rule}`)
        .sort(),
    );
    const rest = new Map<string, { n: number; first: CliProblem }>();
    for (const p of expected.problems.slice(40)) {
      const k = `${p.rule}${p.column ? ` in ${p.column}` : ''}`;
      const e = rest.get(k);
      if (e) e.n++;
      else rest.set(k, { n: 1, first: p });
    }
    const summaries = got.filter((d) => summaryCount(d) > 0);
    assert.equal(summaries.length, rest.size);
    for (const [k, e] of rest) {
      const where =
        e.first.row !== null
          ? `row ${e.first.row.toLocaleString('en-US')}`
          : `line ${e.first.line.toLocaleString('en-US')}`;
      const message = `${e.n.toLocaleString('en-US')} more ${k}, first at ${where}`;
      const s = summaries.find((d) => d.message === message);
      assert.ok(s, `a summary "${message}"`);
      assert.equal(s.range.start.line, e.first.line - 1);
    }
    await closeAll();
    await vscode.commands.executeCommand('rcExport.chooseTemplate', uri, null);
  });

  it('"Open Export as Text" shows the decompressed bytes, in the export language, with problems at their cells', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('rcExport.openAsText', sample);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'rc-export-text');
    assert.equal(
      doc.getText(),
      zlib
        .gunzipSync(fs.readFileSync(sample.fsPath))
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    );
    const live = await diagnosticsWhen(doc.uri, (d) => d.length > 0, "the text view's diagnostics");
    const current = vscode.workspace.textDocuments.find((d) => d.uri.toString() === doc.uri.toString())!;
    assert.equal(current.languageId, 'rc-export-csv');
    const expected = cli(sample.fsPath);
    assert.equal(live.length, expected.problems.length);
    let cells = 0;
    for (const p of expected.problems.filter(
      (x) =>
        x.row !== null &&
        x.column !== null &&
        x.value !== null &&
        !['extra-cell', 'missing-cell', 'duplicate-transaction'].includes(x.rule),
    )) {
      const d = live.find((x) => codeOf(x) === p.rule && x.range.start.line === p.line - 1)!;
      const text = current.getText(d.range);
      assert.ok(
        text === p.value || text === `"${p.value!.replace(/"/g, '""')}"`,
        `${p.rule}: ${JSON.stringify(text)} is the cell ${JSON.stringify(p.value)}`,
      );
      cells++;
    }
    assert.ok(cells >= 8, `${cells} cells checked`);
    // a hover on the bad timestamp names its column, type, nullability and meaning
    const typeError = expected.problems.find((p) => p.rule === 'type-error')!;
    const at = live.find((x) => codeOf(x) === 'type-error')!.range.start.translate(0, 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', current.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    // the name is escaped for Markdown (start\_time), so it shows as written
    assert.ok(text.includes(`**${escapeMarkdown(typeError.column!)}**`), text);
    assert.match(text, /timestamp · never empty in v5/);
    assert.match(text, /When the transaction was purchased/);
    assert.ok(text.includes(typeError.value!));
    await closeAll();
  });

  it('a text view of a file past rcExport.textView.maxBytes shows its first part and says so', async () => {
    const file = path.join(tmp, 'transactions_1736100000.csv.gz');
    await writeExport(file, {
      version: 'v5',
      rows: 400,
      seed: 13,
      inject: ['type-error', 'enum-value', 'country-format', 'currency-format'],
    });
    await vscode.workspace
      .getConfiguration('rcExport')
      .update('textView.maxBytes', 60_000, vscode.ConfigurationTarget.Global);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'rcExport.openAsText',
      vscode.Uri.file(file),
    );
    const full = zlib.gunzipSync(fs.readFileSync(file));
    const text = editor.document.getText();
    const shownBytes = full.subarray(0, full.lastIndexOf(0x0a, 60_000 - 1) + 1);
    assert.ok(text.startsWith(shownBytes.toString('utf8')));
    const note = text.slice(shownBytes.toString('utf8').length);
    assert.match(note, /^\u2026 Showing the first .* of .* \(rows 1–\d+ of 400\)\. .*rcExport\.textView\.maxBytes/);
    const report = cli(file);
    const shownLines = shownBytes.toString('utf8').split('\n').length - 1;
    const inside = report.problems.filter((p) => p.line <= shownLines);
    const got = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0, "the partial view's diagnostics");
    assert.equal(got.filter((d) => summaryCount(d) === 0).length, inside.length);
    assert.equal(
      got.reduce((n, d) => n + summaryCount(d), 0),
      report.problems.length - inside.length,
    );
    await closeAll();
  });
});
