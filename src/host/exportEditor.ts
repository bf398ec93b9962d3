/**
 * The export editor: a read-only custom editor whose webview shows a typed, virtual grid. The
 * webview never holds the file; it asks for windows of rows, which the host cuts from the shared
 * table (sorted on the host when asked).
 */
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Loaded } from '../core/load';
import { columnSpec } from '../core/templates';
import type { Problem as ValidatorProblem } from '../core/validate/problems';
import { ToHost, type Problem, type ToWebview } from '../protocol/editor';
import type { ExportCache } from './exportCache';
import { ExportDocument } from './exportDocument';
import type { TemplateChoices } from './templateChoice';

/** What the editor needs besides the cache: the template choices, and who to tell a file is open. */
export interface EditorServices {
  readonly templates: TemplateChoices;
  /** Called when a document opens; the disposable is disposed when it closes. */
  readonly onOpen?: (uri: vscode.Uri) => vscode.Disposable;
}

export const VIEW_TYPE = 'rcExport.grid';

const MAX_LISTED = 2000;

/** The export editor that has focus, for the Next/Previous Problem commands. */
interface ActiveEditor {
  readonly document: ExportDocument;
  readonly post: (m: ToWebview) => void;
  index: number;
}

export class ExportEditorProvider implements vscode.CustomReadonlyEditorProvider<ExportDocument> {
  private static active: ActiveEditor | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly cache: ExportCache,
    private readonly services: EditorServices,
  ) {}

  /**
   * Reveals the next (+1) or previous (-1) problem with a row in the focused export editor. VS Code
   * drops the range when a Problems-panel entry opens a custom editor, so these commands walk them.
   */
  static step(direction: 1 | -1): void {
    const a = ExportEditorProvider.active;
    const problems = a?.document.loaded?.validation?.problems.filter((p) => p.row !== null) ?? [];
    if (!a || problems.length === 0) {
      void vscode.window.setStatusBarMessage(a ? 'RevenueCat: this export has no problems on its rows' : 'RevenueCat: no export editor is active', 3000);
      return;
    }
    a.index = (((a.index + direction) % problems.length) + problems.length) % problems.length;
    const p = problems[a.index];
    a.post({ type: 'reveal', problem: wireProblem(p) });
    void vscode.window.setStatusBarMessage(`RevenueCat: problem ${a.index + 1} of ${problems.length} — ${p.message}`, 5000);
  }

  async openCustomDocument(uri: vscode.Uri): Promise<ExportDocument> {
    const sortWorker = path.join(this.context.extensionPath, 'dist', 'sortWorker.js');
    const handle = this.cache.acquire(uri, this.services.templates.choice(uri));
    const document = new ExportDocument(uri, handle, await handle.outcome, this.cache, sortWorker, this.services.templates);
    if (this.services.onOpen) document.owned.push(this.services.onOpen(uri));
    return document;
  }

  resolveCustomEditor(document: ExportDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    webview.html = html(webview, dist, media);
    const post = (m: ToWebview) => void webview.postMessage(m);
    const sendInit = () => {
      if (!document.loaded || !document.table) {
        post({ type: 'failed', message: document.error ?? 'The file could not be loaded' });
        return;
      }
      post(init(document.uri, document.loaded));
      post(problems(document.loaded));
    };
    const subscription = document.onDidChange(sendInit);
    const mine: ActiveEditor = { document, post, index: -1 };
    const track = () => {
      if (panel.active) ExportEditorProvider.active = mine;
      else if (ExportEditorProvider.active === mine) ExportEditorProvider.active = null;
    };
    track();
    const viewState = panel.onDidChangeViewState(track);
    panel.onDidDispose(() => {
      subscription.dispose();
      viewState.dispose();
      if (ExportEditorProvider.active === mine) ExportEditorProvider.active = null;
    });
    webview.onDidReceiveMessage(async (raw: unknown) => {
      const parsed = ToHost.safeParse(raw);
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === 'ready') sendInit();
      else if (m.type === 'getRows' && document.table) {
        const t = document.table;
        const end = Math.min(t.rowCount, m.start + m.count);
        const order = m.sort ? await document.order(m.sort.column, m.sort.descending) : null;
        const t0 = performance.now();
        const rowNumbers: number[] = [];
        const rows: (string | null)[][] = [];
        for (let i = m.start; i < end; i++) {
          const r = order ? order[i] : i;
          rowNumbers.push(r);
          rows.push(t.row(r));
        }
        post({ type: 'rows', id: m.id, start: m.start, rowNumbers, rows, ms: performance.now() - t0 });
      }
    });
  }
}

function init(uri: vscode.Uri, loaded: Loaded): ToWebview {
  const counts = loaded.validation?.counts ?? { error: 0, warning: 0, information: 0 };
  return {
    type: 'init',
    file: path.basename(uri.fsPath),
    columns: loaded.table.header.map((name) => {
      const spec = columnSpec(name);
      return { name, type: spec?.type ?? 'string', doc: spec?.doc ?? 'Not a documented column of any template version.', known: !!spec };
    }),
    rowCount: loaded.table.rowCount,
    template: loaded.info.version.id,
    templateSource: loaded.info.templateSource === 'option' ? 'chosen' : 'detected',
    delimiter: loaded.info.delimiter,
    bytes: loaded.table.bytes.length,
    compressedBytes: loaded.compressedBytes,
    problems: { ...counts },
  };
}

function problems(loaded: Loaded): ToWebview {
  const v = loaded.validation;
  return {
    type: 'problems',
    groups: (v?.tallies ?? []).map((t) => ({ rule: t.rule, severity: t.severity, column: t.column, count: t.count })),
    items: (v?.problems ?? []).slice(0, MAX_LISTED).map(wireProblem),
  };
}

/** A validator problem as the webview protocol carries it. */
function wireProblem({ rule, severity, row, line, column, message }: ValidatorProblem): Problem {
  return { rule, severity, row, line, column, message };
}

function html(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'grid.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>RevenueCat export</title>
</head>
<body>
<div id="app" role="grid" aria-label="RevenueCat export"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
