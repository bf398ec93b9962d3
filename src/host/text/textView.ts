/**
 * "RevenueCat: Open Export as Text": the decompressed CSV of a .csv.gz as a read-only virtual
 * document (scheme rc-export-text; its path is the file's without .gz, the query names the file).
 * A huge file shows only its first `rcExport.textView.maxBytes` bytes, cut at a line end, with a note
 * at the end. "RevenueCat: Open Export in Grid" goes back to the export editor.
 *
 * Room src/host/text: the decompressed-text view, its language, hover and commands.
 * May import: src/core/catalog, src/host/cache, src/host/diagnostics, src/host/templates, vscode.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportCache, ExportHandle } from '../cache/exportCache';
import type { TemplateChoices } from '../templates/templateChoice';
import { textCut } from './textParts';

export const TEXT_SCHEME = 'rc-export-text';
export const DEFAULT_TEXT_MAX_BYTES = 50 * 1024 * 1024;
/** The most text the view shows whatever the setting: a JavaScript string holds at most 2^29 - 24 characters. */
const STRING_BYTES = 2 ** 29 - 24;
/** Lines starting with this are the view's own notes (the grammar marks them as comments). */
export const NOTE_MARK = '\u2026 ';

export function textViewUri(source: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: TEXT_SCHEME, path: source.path.replace(/\.gz$/i, ''), query: source.toString() });
}

/** The file a text view shows, or undefined for any other document. */
export function sourceOf(view: vscode.Uri): vscode.Uri | undefined {
  return view.scheme === TEXT_SCHEME ? vscode.Uri.parse(view.query, true) : undefined;
}

const mb = (n: number) => `${(n / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;

export class ExportTextView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Bytes of the file each open view shows. */
  private readonly shown = new Map<string, number>();
  /** A view's handle from providing its content until its diagnostics hold the file. */
  private readonly pending = new Map<string, ExportHandle>();

  constructor(
    private readonly cache: ExportCache,
    private readonly templates: TemplateChoices,
  ) {}

  shownBytes(view: vscode.Uri): number | undefined {
    return this.shown.get(view.toString());
  }

  /** The view's document is tracked by the diagnostics now: the provider's own hold can go. */
  settled(view: vscode.Uri): void {
    this.pending.get(view.toString())?.release();
    this.pending.delete(view.toString());
  }

  closed(view: vscode.Uri): void {
    this.settled(view);
    this.shown.delete(view.toString());
  }

  /** The file changed on disk: its open views are read again. */
  reloadViewsOf(source: vscode.Uri): void {
    for (const key of this.shown.keys()) {
      const view = vscode.Uri.parse(key, true);
      if (sourceOf(view)?.toString() === source.toString()) this.changed.fire(view);
    }
  }

  async provideTextDocumentContent(view: vscode.Uri): Promise<string> {
    const source = sourceOf(view);
    if (!source) return '';
    const handle = this.cache.acquire(source, this.templates.choice(source));
    const outcome = await handle.outcome;
    if (!outcome.ok) {
      handle.release();
      return `${NOTE_MARK}${path.basename(source.fsPath)} cannot be shown: ${outcome.error.message}\n`;
    }
    const { segments, segmentRows, textLength, bom, rowStarts, rowCount } = outcome.value.table;
    // the view shows the start of the text: at most its first segment (which holds the header), and
    // no more than one string can hold
    const bytes = segments[0];
    const max = vscode.workspace.getConfiguration('rcExport').get<number>('textView.maxBytes', DEFAULT_TEXT_MAX_BYTES);
    const cut = textCut(bytes, Math.min(Math.max(1024, max), STRING_BYTES));
    const from = bom ? 3 : 0;
    let text = Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, cut - from)).toString('utf8');
    if (cut < textLength) {
      const rows = countBelow(rowStarts, segments.length > 1 ? segmentRows[1] : rowCount, cut);
      const note = `Showing the first ${mb(cut)} of ${mb(textLength)} (rows 1–${rows.toLocaleString('en-US')} of ${rowCount.toLocaleString('en-US')}).`;
      // past the first segment or what a string holds, a higher setting shows no more
      const most = max >= Math.min(bytes.length, STRING_BYTES);
      const how = most
        ? `the text view shows at most ${mb(Math.min(bytes.length, STRING_BYTES))} of a file; the export's editor shows every row.`
        : 'raise the setting rcExport.textView.maxBytes to see more.';
      text += `${text.endsWith('\n') ? '' : '\n'}${NOTE_MARK}${note} The rest is not shown: ${how}\n`;
      void vscode.window
        .showInformationMessage(`${path.basename(source.fsPath)}: ${note}`, 'Change the Limit')
        .then((choice) => {
          if (choice)
            void vscode.commands.executeCommand('workbench.action.openSettings', 'rcExport.textView.maxBytes');
        });
    }
    const key = view.toString();
    this.shown.set(key, cut);
    this.pending.get(key)?.release();
    this.pending.set(key, handle);
    return text;
  }

  dispose(): void {
    for (const h of this.pending.values()) h.release();
    this.pending.clear();
    this.changed.dispose();
  }
}

/** How many rows start before `offset` (rowStarts is ascending). */
function countBelow(rowStarts: Uint32Array, rowCount: number, offset: number): number {
  let lo = 0;
  let hi = rowCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rowStarts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
