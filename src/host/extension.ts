/**
 * Extension entry: the export editor (a typed grid for .csv.gz exports), Problems-panel diagnostics
 * with the template choice and the text view, the measure commands and "RevenueCat: Show Export Info".
 * Exports load once per file and template, in a worker, through the shared cache.
 */
import * as vscode from 'vscode';
import { fileInfo, formatInfo } from '../core/info';
import { activationApi, type ExtensionApi } from './activation';
import { keptPerRule, registerDiagnostics } from './diagnostics/diagnosticsSetup';
import { ExportCache } from './cache/exportCache';
import { ExportEditorProvider, VIEW_TYPE } from './editor/exportEditor';
import { registerMeasureCommands } from './measures/measureCommands';
import { registerSampleCommand } from './editor/sample';
import { openRequestedAtStartup } from './editor/startupOpen';
import { TemplateChoices } from './templates/templateChoice';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const output = vscode.window.createOutputChannel('RevenueCat');
  const cache = new ExportCache(context.extensionPath, { maxPerRule: keptPerRule });
  const templates = new TemplateChoices(context.workspaceState);
  context.subscriptions.push(output, cache, templates);
  const { onOpen } = registerDiagnostics(context, cache, templates, { gz: VIEW_TYPE, csv: `${VIEW_TYPE}.csv` }, (l) => output.appendLine(l));
  context.subscriptions.push(
    ...[VIEW_TYPE, `${VIEW_TYPE}.csv`].map((viewType) =>
      vscode.window.registerCustomEditorProvider(viewType, new ExportEditorProvider(context, cache, { templates, onOpen }), {
        supportsMultipleEditorsPerDocument: true,
      }),
    ),
    registerSampleCommand(context),
    ...registerMeasureCommands({ cache, templates, extensionPath: context.extensionPath, output }),
    ...ExportEditorProvider.registerCommands(),
    vscode.commands.registerCommand('rcExport.showInfo', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? (await pickFile());
      if (!target) return;
      return cache.use(target, templates.choice(target), (outcome) => {
        if (!outcome.ok) {
          if (outcome.error.code !== 'cancelled') void vscode.window.showErrorMessage(outcome.error.message);
          return undefined;
        }
        const info = fileInfo(target.fsPath, outcome.value);
        output.appendLine(formatInfo(info));
        output.show(true);
        return info;
      });
    }),
  );
  openRequestedAtStartup();
  return activationApi();
}

async function pickFile(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ filters: { 'RevenueCat export': ['gz', 'csv'] }, canSelectMany: false });
  return picked?.[0];
}

export function deactivate(): void {}
