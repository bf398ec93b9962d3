/**
 * Registers the Problems-panel diagnostics, the template status bar item, the text view with its
 * language and hover, and the commands that switch between the grid and the text.
 */
import * as vscode from 'vscode';
import { ExportDiagnostics, maxPerFile } from './diagnostics';
import type { ExportCache } from '../cache/exportCache';
import { ExportHover } from '../text/exportHover';
import { ExportTextDocuments, LANGUAGE_ID } from '../text/exportText';
import type { TemplateChoices } from '../templates/templateChoice';
import { activeExport, TemplateStatus } from '../templates/templateStatus';
import { ExportTextView, sourceOf, TEXT_SCHEME, textViewUri } from '../text/textView';

/** Problems kept per rule while loading: enough that the first `maxPerFile` of the file are all kept. */
export function keptPerRule(): number {
  return Math.max(1000, maxPerFile());
}

export function registerDiagnostics(
  context: vscode.ExtensionContext,
  cache: ExportCache,
  templates: TemplateChoices,
  viewTypes: { gz: string; csv: string },
  log: (line: string) => void,
): { onOpen: (uri: vscode.Uri, start: Promise<void>) => vscode.Disposable } {
  const diagnostics = new ExportDiagnostics(cache, templates, context.extensionUri, log);
  const views = new ExportTextView(cache, templates);
  const all = [viewTypes.gz, viewTypes.csv];
  context.subscriptions.push(
    diagnostics,
    views,
    vscode.workspace.registerTextDocumentContentProvider(TEXT_SCHEME, views),
    new ExportTextDocuments(diagnostics, views),
    vscode.languages.registerHoverProvider([{ language: LANGUAGE_ID }], new ExportHover(templates)),
    new TemplateStatus(cache, templates, all),
    vscode.commands.registerCommand('rcExport.openAsText', async (uri?: vscode.Uri) => {
      const target = uri ?? activeExport(all);
      if (!target) {
        void vscode.window.showInformationMessage('Open a RevenueCat export (.csv.gz) first, or run this command from its context menu.');
        return undefined;
      }
      // a plain .csv is text already: open the file itself
      const doc = await vscode.workspace.openTextDocument(/\.gz$/i.test(target.path) ? textViewUri(target) : target);
      return vscode.window.showTextDocument(doc, { preview: false });
    }),
    vscode.commands.registerCommand('rcExport.openInGrid', async (uri?: vscode.Uri) => {
      const shown = uri ?? vscode.window.activeTextEditor?.document.uri;
      const target = shown && (sourceOf(shown) ?? shown);
      if (!target) return;
      await vscode.commands.executeCommand('vscode.openWith', target, /\.gz$/i.test(target.path) ? viewTypes.gz : viewTypes.csv);
    }),
  );
  return { onOpen: (uri, start) => diagnostics.track(uri, undefined, start) };
}
