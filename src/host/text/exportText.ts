/**
 * Export text in text editors: plain .csv files whose first line is an export header, and the text
 * views of .csv.gz files. They get the `rc-export-csv` language (its grammar and hover) and
 * diagnostics while open. The language usually comes from the first line (the contribution's
 * `firstLine`); for a header in another order, or a .csv another extension claimed, it is set once
 * when the document opens. VS Code keeps a closed editor's document open for minutes, so a document's
 * diagnostics go when its last tab closes (Close All Editors included), and come back if it is shown again.
 */
import * as vscode from 'vscode';
import type { ExportDiagnostics } from '../diagnostics/diagnostics';
import { exportHeader } from './textParts';
import { sourceOf, TEXT_SCHEME, type ExportTextView } from './textView';

export const LANGUAGE_ID = 'rc-export-csv';
/** Languages a .csv may have before it is recognised as an export. */
const REPLACEABLE = new Set(['plaintext', 'csv']);

export class ExportTextDocuments implements vscode.Disposable {
  private readonly tracked = new Map<string, vscode.Disposable>();
  private readonly switched = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly diagnostics: ExportDiagnostics,
    private readonly views: ExportTextView,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => void this.opened(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.window.tabGroups.onDidChangeTabs((e) => this.tabsChanged(e)),
      diagnostics.onDidReload((uri) => views.reloadViewsOf(uri)),
    ];
    for (const d of vscode.workspace.textDocuments) void this.opened(d);
  }

  /** A plain .csv export file, or a text view: the documents this class looks after. */
  static isExportText(d: vscode.TextDocument): boolean {
    if (d.uri.scheme === TEXT_SCHEME) return true;
    return (
      d.uri.scheme === 'file' &&
      /\.csv$/i.test(d.uri.path) &&
      d.lineCount > 0 &&
      exportHeader(d.lineAt(0).text) !== null
    );
  }

  private async opened(d: vscode.TextDocument): Promise<void> {
    const key = d.uri.toString();
    if (this.tracked.has(key) || !ExportTextDocuments.isExportText(d)) return;
    const view = d.uri.scheme === TEXT_SCHEME;
    if (d.languageId !== LANGUAGE_ID && (view || (REPLACEABLE.has(d.languageId) && !this.switched.has(key)))) {
      // the document closes and opens again with the language; it is tracked then
      this.switched.add(key);
      await vscode.languages.setTextDocumentLanguage(d, LANGUAGE_ID);
      return;
    }
    const source = sourceOf(d.uri);
    if (source) {
      this.tracked.set(
        key,
        this.diagnostics.track(source, { uri: d.uri, shownBytes: this.views.shownBytes(d.uri) ?? Infinity }),
      );
      this.views.settled(d.uri);
    } else this.tracked.set(key, this.diagnostics.track(d.uri));
  }

  /** The last tab of a tracked document closed: its diagnostics go now; a tab showing it again brings them back. */
  private tabsChanged(e: vscode.TabChangeEvent): void {
    const shown = new Set<string>();
    for (const g of vscode.window.tabGroups.all)
      for (const t of g.tabs) if (t.input instanceof vscode.TabInputText) shown.add(t.input.uri.toString());
    for (const t of e.closed) {
      if (!(t.input instanceof vscode.TabInputText)) continue;
      const key = t.input.uri.toString();
      const tracking = this.tracked.get(key);
      if (!tracking || shown.has(key)) continue;
      tracking.dispose();
      this.tracked.delete(key);
    }
    for (const t of e.opened) {
      if (!(t.input instanceof vscode.TabInputText)) continue;
      const key = t.input.uri.toString();
      const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === key);
      // only documents tracked before (their language set): a new one is handled as it opens
      if (d && !this.tracked.has(key) && d.languageId === LANGUAGE_ID) void this.opened(d);
    }
  }

  private closed(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const tracking = this.tracked.get(key);
    if (!tracking) return; // also the close of a language switch, which opens the document again
    tracking.dispose();
    this.tracked.delete(key);
    if (d.uri.scheme === TEXT_SCHEME) this.views.closed(d.uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const t of this.tracked.values()) t.dispose();
    this.tracked.clear();
  }
}
