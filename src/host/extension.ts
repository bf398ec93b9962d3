/**
 * Extension entry, and the only file that wires the host's rooms together: the export editor (editor/),
 * Problems-panel diagnostics (diagnostics/), the text view (text/), the template choice and its status bar
 * item (templates/), the measure commands (measures/), the chart panel (charts/) and "RevenueCat: Show Export Info". Exports load once
 * per file and template, in a worker, through the shared cache (cache/).
 *
 * Room src/host: VS Code adapters; this file wires the feature rooms together.
 * May import: src/core, src/host/cache, src/host/charts, src/host/diagnostics, src/host/editor, src/host/measures, src/host/templates, src/host/text, vscode.
 */
import * as vscode from 'vscode';
import { fileInfo, formatInfo } from '../core/info';
import { activationApi, type ExtensionApi } from './activation';
import { ExportDiagnostics, keptPerRule } from './diagnostics/diagnostics';
import { ExportCache } from './cache/exportCache';
import { ExportEditorProvider, VIEW_TYPE } from './editor/exportEditor';
import { registerMeasureCommands } from './measures/measureCommands';
import { warmOnOpen } from './measures/warmMeasures';
import { warmCharts } from './charts/chartAnswers';
import { registerChartCommands } from './charts/chartCommands';
import { registerSampleCommand, SAMPLE_PATH } from './editor/sample';
import { registerOpenDelivery } from './editor/openDelivery';
import { openRequestedAtStartup } from './editor/startupOpen';
import { TemplateChoices } from './templates/templateChoice';
import { TemplateStatus } from './templates/templateStatus';
import { registerTextView } from './text/textCommands';

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  // first: the cache starts its loading thread, which warms while the rest of activation runs
  const cache = new ExportCache(context.extensionPath, {
    maxPerRule: keptPerRule,
    warmFile: vscode.Uri.joinPath(context.extensionUri, ...SAMPLE_PATH).fsPath,
  });
  // results (measures, export info) for the user; what the extension does goes to the log channel, whose
  // level (Developer: Set Log Level) is VS Code's: its debug lines show only when asked for
  const output = vscode.window.createOutputChannel('RevenueCat');
  const log = vscode.window.createOutputChannel('RevenueCat Log', { log: true });
  const templates = new TemplateChoices(context.workspaceState);
  context.subscriptions.push(output, log, cache, templates);
  const viewTypes = { gz: VIEW_TYPE, csv: `${VIEW_TYPE}.csv` };
  const diagnostics = new ExportDiagnostics(cache, templates, context.extensionUri, (l) => log.debug(l));
  const sources = { cache, templates, extensionPath: context.extensionPath };
  // an open export gets its diagnostics, and a measure worker made ready once it has loaded
  const onOpen = (uri: vscode.Uri, start: Promise<void>): vscode.Disposable =>
    vscode.Disposable.from(diagnostics.track(uri, undefined, start), warmOnOpen(uri, start, sources, warmCharts));
  context.subscriptions.push(
    diagnostics,
    ...registerTextView(cache, templates, diagnostics, viewTypes),
    new TemplateStatus(cache, templates, [viewTypes.gz, viewTypes.csv]),
    ...[viewTypes.gz, viewTypes.csv].map((viewType) =>
      vscode.window.registerCustomEditorProvider(
        viewType,
        new ExportEditorProvider(context, cache, { templates, onOpen }),
        {
          supportsMultipleEditorsPerDocument: true,
        },
      ),
    ),
    registerSampleCommand(context),
    registerOpenDelivery(),
    ...registerMeasureCommands({ ...sources, output }),
    ...registerChartCommands({
      cache,
      templates,
      extensionPath: context.extensionPath,
      extensionUri: context.extensionUri,
    }),
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
  const picked = await vscode.window.showOpenDialog({
    filters: { 'RevenueCat export': ['gz', 'csv'] },
    canSelectMany: false,
  });
  return picked?.[0];
}

export function deactivate(): void {}
