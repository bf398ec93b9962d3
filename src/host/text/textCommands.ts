/**
 * The text side of an export: the decompressed-text view (its content provider, language and hover) and the
 * two commands that switch between the grid and the text.
 */
import * as vscode from 'vscode';
import type { ExportCache } from '../cache/exportCache';
import type { ExportDiagnostics } from '../diagnostics/diagnostics';
import type { TemplateChoices } from '../templates/templateChoice';
import { activeExport } from '../templates/templateStatus';
import { ExportHover } from './exportHover';
import { ExportTextDocuments, LANGUAGE_ID } from './exportText';
import { ExportTextView, sourceOf, TEXT_SCHEME, textViewUri } from './textView';

export function registerTextView(
  cache: ExportCache,
  templates: TemplateChoices,
  diagnostics: ExportDiagnostics,
  viewTypes: { gz: string; csv: string },
): vscode.Disposable[] {
  const views = new ExportTextView(cache, templates);
  const all = [viewTypes.gz, viewTypes.csv];
  return [
    views,
    vscode.workspace.registerTextDocumentContentProvider(TEXT_SCHEME, views),
    new ExportTextDocuments(diagnostics, views),
    vscode.languages.registerHoverProvider([{ language: LANGUAGE_ID }], new ExportHover(templates)),
    vscode.commands.registerCommand('rcExport.openAsText', async (uri?: vscode.Uri) => {
      const target = uri ?? activeExport(all);
      if (!target) {
        void vscode.window.showInformationMessage(
          'Open a RevenueCat export (.csv.gz) first, or run this command from its context menu.',
        );
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
      await vscode.commands.executeCommand(
        'vscode.openWith',
        target,
        /\.gz$/i.test(target.path) ? viewTypes.gz : viewTypes.csv,
      );
    }),
  ];
}
