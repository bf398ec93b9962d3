import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MEASURES, type MeasureResult } from '../../src/core/measures';
import { measureCommandId } from '../../src/host/measures/measureCommands';

const ID = 'rc-export-tools.revenuecat-exports';

/** What the built CLI says for the same files: the independent answer. */
function cli(extensionPath: string, args: string[]): MeasureResult & { error?: unknown } {
  const r = spawnSync(
    process.execPath,
    [path.join(extensionPath, 'dist', 'cli.js'), 'measure', ...args, '--format', 'json'],
    { encoding: 'utf8' },
  );
  return JSON.parse(r.stdout);
}

const ARGS: Record<string, { cli: string[]; args: Record<string, string> }> = {
  revenue: { cli: ['--date', '2024-12-30'], args: { date: '2024-12-30' } },
  'weekly-revenue': {
    cli: ['--from', '2024-11-01', '--to', '2024-12-31'],
    args: { from: '2024-11-01', to: '2024-12-31' },
  },
  'active-subscriptions-with-attribute': {
    cli: ['--attribute', 'plan_tier=gold'],
    args: { key: 'plan_tier', value: 'gold' },
  },
};

describe('measure commands in a real VS Code', () => {
  const ext = vscode.extensions.getExtension(ID)!;
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const sample = () => vscode.Uri.joinPath(folder(), 'transactions_1735689600.csv.gz');

  before(async () => {
    await ext.activate();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('every measure is a palette command under RevenueCat, titled as the measure', async () => {
    const contributed = ext.packageJSON.contributes.commands as { command: string; title: string; category: string }[];
    const all = await vscode.commands.getCommands(true);
    for (const m of MEASURES) {
      const c = contributed.find((x) => x.command === measureCommandId(m));
      assert.ok(c, m.name);
      assert.equal(c.title, m.title);
      assert.equal(c.category, 'RevenueCat');
      assert.ok(all.includes(c.command));
    }
    assert.ok(all.includes('rcExport.runMeasure'));
  });

  it('"RevenueCat: Active Subscriptions" on the open export gives what rc-export gives', async () => {
    await vscode.commands.executeCommand('vscode.openWith', sample(), 'rcExport.grid');
    const r = await vscode.commands.executeCommand<MeasureResult>('rcExport.activeSubscriptions', {});
    assert.ok(r, 'the command returns its result');
    const expected = cli(ext.extensionPath, ['active-subscriptions', sample().fsPath]);
    assert.equal(typeof r.value, 'number');
    assert.equal(r.value, expected.value);
    assert.deepEqual(r.params, { date: '2025-01-01', dateSource: 'file name' });
    assert.equal(r.droppedForNull, expected.droppedForNull);
    assert.deepEqual(r.files, [sample().fsPath]);
  });

  it('every measure on the open export equals the CLI', async () => {
    await vscode.commands.executeCommand('vscode.openWith', sample(), 'rcExport.grid');
    for (const m of MEASURES) {
      const a = ARGS[m.name] ?? { cli: [], args: {} };
      if (m.feed === 'in-app-currency') {
        // the sample is a Transactions delivery: both refuse, neither answers with a number
        const r = await vscode.commands.executeCommand<MeasureResult | undefined>(measureCommandId(m), a.args);
        assert.equal(r, undefined, m.name);
        assert.equal(cli(ext.extensionPath, [m.name, ...a.cli, sample().fsPath]).value, undefined, m.name);
        continue;
      }
      const r = await vscode.commands.executeCommand<MeasureResult>(measureCommandId(m), a.args);
      assert.ok(r, m.name);
      assert.deepEqual(r.value, cli(ext.extensionPath, [m.name, ...a.cli, sample().fsPath]).value, m.name);
    }
  });

  it('a folder merges its deliveries in the measure worker, as the CLI does', async () => {
    const r = await vscode.commands.executeCommand<MeasureResult>('rcExport.activeSubscriptionsByAutoRenew', {
      uri: folder(),
    });
    assert.ok(r);
    const expected = cli(ext.extensionPath, ['active-subscriptions-by-auto-renew', folder().fsPath]);
    assert.ok(r.files.length >= 2);
    assert.deepEqual(r.files, expected.files);
    assert.equal(r.superseded, expected.superseded);
    assert.deepEqual(r.value, expected.value);
    assert.deepEqual(r.params, expected.params);
  });

  it('the setting rcExport.load.maxBytes limits what a measure loads', async () => {
    const config = vscode.workspace.getConfiguration('rcExport');
    await config.update('load.maxBytes', 4096, vscode.ConfigurationTarget.Global);
    try {
      const r = await vscode.commands.executeCommand<MeasureResult | undefined>(
        'rcExport.activeSubscriptionsByAutoRenew',
        {
          uri: folder(),
        },
      );
      assert.equal(r, undefined, 'no result past a 4 KiB limit: the folder stops with too-large');
    } finally {
      await config.update('load.maxBytes', undefined, vscode.ConfigurationTarget.Global);
    }
    const r = await vscode.commands.executeCommand<MeasureResult>('rcExport.activeSubscriptionsByAutoRenew', {
      uri: folder(),
    });
    assert.ok(r, 'a result again with the limit left to memory');
  });
});
