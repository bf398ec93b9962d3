/**
 * The export editor: a read-only custom editor whose webview shows a typed, virtual grid. The
 * webview never holds the file; it asks for windows of rows of a view (filters, search, sort),
 * which the host cuts from the shared table. Commands of the editor's menus act on the focused one.
 *
 * Room src/host/editor: the export editor: document, webview page, grid session, sample, the bench's open timings.
 * May import: src/core/catalog, src/core/load, src/core/validate, src/core/view, src/host/cache, src/host/templates, src/node, src/protocol, src/worker, vscode.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Command, ToWebview } from '../../protocol/editor';
import { heldBack, type ExportCache } from '../cache/exportCache';
import { ExportDocument } from './exportDocument';
import { editorHtml } from './editorHtml';
import { GridSession, wireProblem } from './gridSession';
import type { Head } from '../../worker/loadClient';
import { WINDOW } from '../../protocol/editor';
import type { TemplateChoices } from '../templates/templateChoice';
import { epochMs, openMarks } from './benchMarks';

/** What the editor needs besides the cache: the template choices, and who to tell a file is open. */
export interface EditorServices {
  readonly templates: TemplateChoices;
  /** Called when a document opens, with when its load is needed; the disposable is disposed when it closes. */
  readonly onOpen?: (uri: vscode.Uri, start: Promise<void>) => vscode.Disposable;
}

export const VIEW_TYPE = 'rcExport.grid';

/** The export editor that has focus, for the commands. */
interface ActiveEditor {
  readonly session: GridSession;
  /** The problem Go to Next/Previous Problem revealed last. */
  index: number;
}

/** Commands of the context menus (and the palette) → what the webview does. */
const GRID_COMMANDS: Record<string, Command> = {
  'rcExport.copyAsCsv': 'copyCsv',
  'rcExport.copyAsJson': 'copyJson',
  'rcExport.copyAsMarkdown': 'copyMarkdown',
  'rcExport.showRowDetails': 'showDetails',
  'rcExport.filterToValue': 'filterToValue',
  'rcExport.editColumnFilter': 'editFilter',
  'rcExport.sortAscending': 'sortAscending',
  'rcExport.sortDescending': 'sortDescending',
  'rcExport.hideColumn': 'hideColumn',
  'rcExport.showAllColumns': 'showAllColumns',
  'rcExport.clearFilters': 'clearFilters',
  'rcExport.find': 'find',
  'rcExport.showColumnSummaries': 'showSummaries',
};

export class ExportEditorProvider implements vscode.CustomReadonlyEditorProvider<ExportDocument> {
  private static active: ActiveEditor | null = null;
  /** Every open editor's session, for drill-downs to find theirs. */
  private static readonly sessions = new Set<GridSession>();

  /**
   * Opens `uri` in the export editor (or brings its editor forward) and shows only `rows` there, with
   * `label` in its info bar: a chart's drill-down. Resolves with the row set's size.
   */
  static async showRows(
    uri: vscode.Uri,
    rows: Uint32Array,
    label: string,
    column: vscode.ViewColumn,
    /** The column to keep in view (the chart's): an open editor of the file elsewhere is used instead of a new one. */
    keep?: vscode.ViewColumn,
  ): Promise<void> {
    const key = uri.toString();
    const mine = () => [...ExportEditorProvider.sessions].filter((s) => s.document.uri.toString() === key);
    // an editor of the file already open (in that column, or another one than the chart's): brought forward, its rows sent at once
    const there =
      mine().find((s) => s.column() === column) ??
      (keep === undefined ? undefined : mine().find((s) => s.column() !== undefined && s.column() !== keep));
    if (there) {
      // the rows first: a page in view gets them at once, before the workbench brings its tab forward
      // (a hidden one keeps them until it is shown)
      there.showRows(there.document.addRowSet(rows, label));
      there.reveal();
      return;
    }
    const viewType = /\.csv$/i.test(uri.path) ? `${VIEW_TYPE}.csv` : VIEW_TYPE;
    await vscode.commands.executeCommand('vscode.openWith', uri, viewType, { viewColumn: column, preview: false });
    const open = mine();
    const a = ExportEditorProvider.active?.session;
    const session = a && open.includes(a) ? a : open[open.length - 1];
    if (!session) return;
    session.showRows(session.document.addRowSet(rows, label));
  }

  /**
   * The export editor of `uri` the user is at: the active one, else one in view (a chart then goes
   * into its page, as a pane under its grid); undefined when no editor of the file is in view.
   */
  static editorOf(uri: vscode.Uri): GridSession | undefined {
    const key = uri.toString();
    const a = ExportEditorProvider.active?.session;
    if (a && a.document.uri.toString() === key) return a;
    return [...ExportEditorProvider.sessions].find((s) => s.document.uri.toString() === key && s.visible());
  }

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly cache: ExportCache,
    private readonly services: EditorServices,
  ) {}

  /** The grid commands, routed to the focused export editor. */
  static registerCommands(): vscode.Disposable[] {
    const a = () => ExportEditorProvider.active;
    const context = (arg: unknown) => {
      const o = (arg && typeof arg === 'object' ? arg : {}) as { row?: unknown; column?: unknown };
      return {
        row: typeof o.row === 'number' ? o.row : undefined,
        column: typeof o.column === 'number' ? o.column : undefined,
      };
    };
    return [
      ...Object.entries(GRID_COMMANDS).map(([id, command]) =>
        vscode.commands.registerCommand(id, (arg?: unknown) => a()?.session.command(command, context(arg))),
      ),
      vscode.commands.registerCommand('rcExport.chooseColumns', () => a()?.session.chooseColumns()),
      vscode.commands.registerCommand('rcExport.nextProblem', () => ExportEditorProvider.step(1)),
      vscode.commands.registerCommand('rcExport.previousProblem', () => ExportEditorProvider.step(-1)),
      new vscode.Disposable(() => {
        ExportEditorProvider.problemItem?.dispose();
        ExportEditorProvider.problemItem = null;
      }),
    ];
  }

  /**
   * Reveals the next (+1) or previous (-1) problem with a row in the focused export editor. VS Code
   * drops the range when a Problems-panel entry opens a custom editor, so these commands walk them.
   * The status bar says which one ("Problem 3 of 23 · row 356", the message in its tooltip) until the
   * user moves elsewhere in the grid or leaves the editor.
   */
  static step(direction: 1 | -1): void {
    const a = ExportEditorProvider.active;
    const problems = rowProblems(a);
    if (!a || problems.length === 0) {
      ExportEditorProvider.problemItem?.hide();
      void vscode.window.setStatusBarMessage(
        a ? 'RevenueCat: this export has no problems on its rows' : 'RevenueCat: no export editor is active',
        3000,
      );
      return;
    }
    a.index = (((a.index + direction) % problems.length) + problems.length) % problems.length;
    const p = problems[a.index];
    a.session.post({ type: 'reveal', problem: wireProblem(p) });
    const item = (ExportEditorProvider.problemItem ??= ExportEditorProvider.createProblemItem());
    const icon = p.severity === 'error' ? '$(error)' : p.severity === 'warning' ? '$(warning)' : '$(info)';
    item.text = `${icon} Problem ${a.index + 1} of ${problems.length} · row ${p.row!.toLocaleString('en-US')}`;
    item.tooltip = `${p.column ? `${p.column}: ` : ''}${p.message}\n\nF8: next problem · Shift+F8: previous`;
    item.show();
  }

  /** The status bar item of Go to Next/Previous Problem (shown by step, hidden when the user moves on). */
  private static problemItem: vscode.StatusBarItem | null = null;

  private static createProblemItem(): vscode.StatusBarItem {
    const item = vscode.window.createStatusBarItem('rcExport.problem', vscode.StatusBarAlignment.Left, 0);
    item.name = 'RevenueCat Export Problem';
    item.command = 'rcExport.nextProblem';
    return item;
  }

  /** The user moved elsewhere in an editor: its problem is no longer the one shown, and F8 goes on from there. */
  private static movedOn(mine: ActiveEditor, row: number | null): void {
    if (row !== null) mine.index = rowProblems(mine).filter((p) => p.row! <= row).length - 1;
    if (ExportEditorProvider.active === mine) ExportEditorProvider.problemItem?.hide();
  }

  openCustomDocument(uri: vscode.Uri): ExportDocument {
    const openedAt = epochMs();
    const viewWorker = path.join(this.context.extensionPath, 'dist', 'viewWorker.js');
    let startLoad!: () => void;
    const start = new Promise<void>((resolve) => (startLoad = resolve));
    const handle = this.cache.acquire(uri, this.services.templates.choice(uri), { start });
    const marks = openMarks();
    // A load that has not reached its first rows: read them on the spot (~10 ms in the loading thread
    // kept ready, or on this thread in steps of a few ms while that thread warms up) for the page to carry, and let the load begin once the page shows them
    // (HOLD_MAX_MS at most), so it does not compete for the CPU while VS Code builds the editor's
    // frame. Without rows to show (an unreadable head, not an export) the load begins at once and says why.
    let head: Promise<Head | null> | null = null;
    if (uri.scheme === 'file' && handle.watch && !handle.watch.first) {
      // the first window as text too: the page carries it, and this thread runs no cold table code for it
      head = this.cache.head(uri, handle.template, WINDOW, marks?.head);
      void head.then((h) => h || startLoad());
      void heldBack().then(startLoad);
    } else startLoad();
    const document = new ExportDocument(
      uri,
      handle,
      this.cache,
      viewWorker,
      this.services.templates,
      head,
      startLoad,
      start,
    );
    if (this.services.onOpen) document.owned.push(this.services.onOpen(uri, start));
    if (marks) {
      marks.openedAt = openedAt;
      void start.then(() => (marks.begunAt ||= epochMs()));
    }
    document.marks = marks;
    return document;
  }

  resolveCustomEditor(document: ExportDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const session = new GridSession(document, webview, this.context.workspaceState);
    session.column = () => panel.viewColumn;
    session.reveal = () => panel.reveal(panel.viewColumn, false);
    session.visible = () => panel.visible;
    ExportEditorProvider.sessions.add(session);
    // the page carries the first rows when they are here (or a moment later): they are painted with
    // it, with no message to wait for. VS Code builds the editor's frame meanwhile.
    const page = (first: ToWebview | null) => editorHtml(webview, dist, media, first);
    if (document.table) session.setPage(page);
    else void document.early.then(() => session.setPage(page));
    const mine: ActiveEditor = { session, index: -1 };
    session.onMoved = (row) => ExportEditorProvider.movedOn(mine, row);
    const track = () => {
      if (panel.active) ExportEditorProvider.active = mine;
      else if (ExportEditorProvider.active === mine) {
        ExportEditorProvider.active = null;
        ExportEditorProvider.problemItem?.hide();
      }
    };
    track();
    const viewState = panel.onDidChangeViewState(track);
    panel.onDidDispose(() => {
      ExportEditorProvider.sessions.delete(session);
      session.dispose();
      viewState.dispose();
      if (ExportEditorProvider.active === mine) {
        ExportEditorProvider.active = null;
        ExportEditorProvider.problemItem?.hide();
      }
    });
  }
}

/** The problems of an editor's file that have a row, in the order F8 walks them. */
function rowProblems(a: ActiveEditor | null) {
  return a?.session.document.loaded?.validation?.problems.filter((p) => p.row !== null) ?? [];
}
