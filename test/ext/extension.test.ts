import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FileInfo } from '../../src/core/info';

const ID = 'rc-export-tools.revenuecat-exports';

describe('the extension in a real VS Code', () => {
  it('activates', async () => {
    const ext = vscode.extensions.getExtension(ID);
    assert.ok(ext, `${ID} is installed`);
    const api = (await ext.activate()) as { activationMs?: number };
    assert.ok(ext.isActive);
    assert.equal(typeof api.activationMs, 'number', 'the extension reports its activation time');
    // a figure for the run's output (the driver prints RC_METRIC lines), not a timed assertion
    console.log(`RC_METRIC activation ${api.activationMs!.toFixed(1)} ms`);
  });

  it('"RevenueCat: Show Export Info" loads the sample delivery in its worker and describes it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the samples folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'transactions_1735689600.csv.gz');
    const info = await vscode.commands.executeCommand<FileInfo>('rcExport.showInfo', uri);
    assert.ok(info, 'the command returns what it printed');
    assert.equal(info.rows, 2000);
    assert.equal(info.template, 'v5');
    assert.equal(info.exportTime, '2025-01-01 00:00:00');
  });

  it('the command is in the palette under RevenueCat', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('rcExport.showInfo'));
  });
});

describe('the bundled sample', () => {
  it('"RevenueCat: Open Sample Export" opens the sample that ships with the extension in the export editor', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('rcExport.openSample');
    const ext = vscode.extensions.getExtension(ID)!;
    assert.equal(
      uri.fsPath,
      vscode.Uri.joinPath(ext.extensionUri, 'samples', 'with-problems', 'transactions_1735776000.csv.gz').fsPath,
    );
    const deadline = Date.now() + 20_000;
    let input: unknown;
    while (Date.now() < deadline) {
      input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputCustom && input.uri.fsPath === uri.fsPath) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(input instanceof vscode.TabInputCustom, 'a custom editor tab is active');
    assert.equal(input.viewType, 'rcExport.grid');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('the getting-started walkthrough', () => {
  interface Step {
    id: string;
    description: string;
    media: { markdown: string };
  }

  it('links every step to a command that exists and to media that ships with the extension', async () => {
    const ext = vscode.extensions.getExtension(ID)!;
    const [walkthrough] = ext.packageJSON.contributes.walkthroughs as Array<{ id: string; steps: Step[] }>;
    assert.ok(walkthrough.steps.length >= 4);
    const all = new Set(await vscode.commands.getCommands(false));
    for (const step of walkthrough.steps) {
      const linked = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.equal(linked.length, 1, `step ${step.id} has one button`);
      assert.ok(all.has(linked[0]), `step ${step.id}: ${linked[0]} is a command`);
      const media = await vscode.workspace.fs.stat(vscode.Uri.joinPath(ext.extensionUri, step.media.markdown));
      assert.ok(media.size > 100, `step ${step.id}: ${step.media.markdown} is there`);
    }
    // the Welcome page opens it
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ID}#${walkthrough.id}`, false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
