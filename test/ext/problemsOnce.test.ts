/**
 * A file's problems in the Problems panel: listed once whichever of its views are open (the grid and the
 * text view of one export), and gone promptly when its editors close, though VS Code keeps a closed text
 * view's document open for minutes.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const ID = 'rc-export-tools.revenuecat-exports';
const OURS = 'RevenueCat Exports';

/** Our diagnostics per document, for the documents that have some. */
function ours(): Map<string, number> {
  const m = new Map<string, number>();
  for (const [uri, list] of vscode.languages.getDiagnostics()) {
    const n = list.filter((d) => d.source === OURS).length;
    if (n > 0) m.set(uri.toString(), n);
  }
  return m;
}

/** Polls until `ok` holds, for at most `ms`; the failure names what was seen last. */
async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms; seen: ${JSON.stringify([...ours()])}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('problems listed once, and gone when the editors close', function () {
  this.timeout(120_000);
  let sample: vscode.Uri;

  before(async () => {
    await vscode.extensions.getExtension(ID)!.activate();
    sample = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders![0].uri,
      'with-problems',
      'transactions_1735776000.csv.gz',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => ours().size === 0, 30_000, 'no problems before the tests');
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('the grid and the text view of one export: each problem once, on the text view (its entries lead to the line)', async () => {
    await vscode.commands.executeCommand('vscode.openWith', sample, 'rcExport.grid');
    await until(() => (ours().get(sample.toString()) ?? 0) > 0, 60_000, "the grid's problems");
    const count = ours().get(sample.toString())!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('rcExport.openAsText', sample);
    const view = editor.document.uri.toString();
    await until(() => ours().get(view) === count && !ours().has(sample.toString()), 30_000, 'the problems on the view');
    // settled: still once a moment later
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual([...ours()], [[view, count]]);
    // the text view closes (its tab): back on the file, once
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await until(
      () => ours().get(sample.toString()) === count && !ours().has(view),
      10_000,
      'the problems back on the file',
    );
    assert.equal(ours().size, 1);
  });

  it("Close All Editors takes the text view's problems away within seconds", async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('rcExport.openAsText', sample);
    const view = editor.document.uri.toString();
    await until(() => (ours().get(view) ?? 0) > 0, 60_000, "the text view's problems");
    const t0 = Date.now();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => ours().size === 0, 5000, 'no problems after Close All Editors');
    console.log(`RC_METRIC text view problems gone ${Date.now() - t0} ms after Close All Editors`);
    // shown again (the document may still be open): its problems come back
    const again = await vscode.commands.executeCommand<vscode.TextEditor>('rcExport.openAsText', sample);
    assert.equal(again.document.uri.toString(), view);
    await until(() => (ours().get(view) ?? 0) > 0, 30_000, 'the problems of the view shown again');
  });
});
