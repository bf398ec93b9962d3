/**
 * "RevenueCat: Show Chart…": on an export open in an editor in view, a chart pane in that editor's
 * page, under its grid (chartPane.ts); otherwise a chart panel over the Explorer's file or folder
 * (its deliveries merged), or what a dialog picks. Called with an argument object ({ uri | uris,
 * measure, from, to, resolution, date }) it opens on that measure and range (the grid's toolbar and
 * the notification after a measure call it so).
 *
 * Room src/host/charts: the charts: "Show Chart…", the chart panel and its page, the export editor's chart pane, their host side.
 * May import: src/core, src/core/measures, src/core/measures/engine, src/host/editor, src/host/measures, src/protocol, vscode.
 */
import * as vscode from 'vscode';
import { MEASURE_NAMES, type MeasureName } from '../../core/measures';
import { CHART_MEASURES } from '../../core/measures/chartData';
import type { ChartRequest } from '../../protocol/chart';
import { targets } from '../measures/measureCommands';
import type { SourceContext } from '../measures/measureSource';
import { ExportEditorProvider } from '../editor/exportEditor';
import type { GridSession } from '../editor/gridSession';
import { registerBenchPanel } from './benchPanel';
import { FIRST_MEASURE } from './chartAnswers';
import { ChartPane } from './chartPane';
import { ChartPanel } from './chartPanel';

export const CHART_VIEW_TYPE = 'rcExport.chart';

interface ChartArgs {
  readonly uri?: string | vscode.Uri;
  readonly uris?: readonly vscode.Uri[];
  readonly measure?: string;
  readonly from?: string;
  readonly to?: string;
  readonly resolution?: string;
  readonly date?: string;
}

const isArgs = (a: unknown): a is ChartArgs => typeof a === 'object' && a !== null && !(a instanceof vscode.Uri);

function startOf(arg: unknown): { measure: MeasureName; request: ChartRequest } {
  const a = isArgs(arg) ? arg : {};
  const measure =
    a.measure &&
    (MEASURE_NAMES as readonly string[]).includes(a.measure) &&
    CHART_MEASURES.includes(a.measure as MeasureName)
      ? (a.measure as MeasureName)
      : FIRST_MEASURE;
  const resolution =
    a.resolution === 'day' || a.resolution === 'week' || a.resolution === 'month' ? a.resolution : undefined;
  const request: ChartRequest = {};
  if (a.from) request.from = a.from;
  if (a.to) request.to = a.to;
  if (a.date) request.date = a.date;
  if (resolution) request.resolution = resolution;
  return { measure, request };
}

export function registerChartCommands(ctx: SourceContext & { extensionUri: vscode.Uri }): vscode.Disposable[] {
  const panels = new Set<ChartPanel>();
  const panes = new Map<GridSession, ChartPane>();
  return [
    vscode.commands.registerCommand('rcExport.showChart', async (arg?: unknown, selection?: unknown) => {
      const calledAt = performance.timeOrigin + performance.now();
      const given = isArgs(arg) && arg.uris?.length ? [...arg.uris] : undefined;
      const uris = given ?? (await targets(isArgs(arg) ? { uri: arg.uri } : arg, selection));
      if (!uris || uris.length === 0) return undefined;
      // an export open in an editor in view: the chart goes into that editor's page, under its grid
      const editor = uris.length === 1 ? ExportEditorProvider.editorOf(uris[0]) : undefined;
      if (editor) {
        let pane = panes.get(editor);
        if (!pane) panes.set(editor, (pane = new ChartPane(editor, ctx, startOf(arg), () => panes.delete(editor))));
        pane.show(startOf(arg), calledAt);
        return true;
      }
      // a panel on the same files is brought forward and draws the new start, with no new page
      const open = [...panels].find((p) => p.shows(uris));
      if (open) {
        open.showAgain(startOf(arg), calledAt);
        return true;
      }
      const fromEditor = vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputCustom;
      const webview = vscode.window.createWebviewPanel(
        CHART_VIEW_TYPE,
        'Chart',
        { viewColumn: fromEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active, preserveFocus: false },
        { enableScripts: true, retainContextWhenHidden: true },
      );
      webview.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'chart.svg');
      const panel = new ChartPanel(webview, uris, ctx, startOf(arg), calledAt);
      panels.add(panel);
      webview.onDidDispose(() => panels.delete(panel));
      return true;
    }),
    new vscode.Disposable(() => {
      for (const p of panels) p.dispose();
      for (const p of panes.values()) p.dispose();
    }),
    ...registerBenchPanel(),
  ];
}
