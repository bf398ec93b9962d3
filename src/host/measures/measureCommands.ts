/**
 * The measure commands: "RevenueCat: Active Subscriptions" and its siblings (one per documented
 * query), and "RevenueCat: Run Measure…" for a file or folder in the Explorer. Each finds its
 * export(s) (the open export editor, the Explorer selection, or a file dialog), asks for its
 * parameters, and writes the result as an aligned table to the "RevenueCat" output channel.
 * Called with an argument object instead ({ uri, date, from, to, key, value }), a command asks
 * nothing and returns the result (for tests and other extensions).
 *
 * Room src/host/measures: the measure commands, their prompts and sources.
 * May import: src/core, src/core/load, src/core/measures, src/core/measures/engine, src/host/cache, src/host/editor, src/host/templates, src/node, src/worker, vscode.
 */
import * as vscode from 'vscode';
import { columnsFor, MEASURES, type Measure, type MeasureRequest, type MeasureResult } from '../../core/measures';
import { formatResult, isTabular, resultTable, tableCsv } from '../../core/measures/engine/resultFormat';
import { CHART_MEASURES } from '../../core/measures/chartData';
import { VIEW_TYPE } from '../editor/exportEditor';
import { askParams, askSeries } from './measurePrompts';
import { openSource, type SourceContext } from './measureSource';

export interface MeasureArgs extends MeasureRequest {
  /** The export file or folder (a URI or a path); default: the open export. */
  readonly uri?: string | vscode.Uri;
}

/** `active-subscriptions` → `rcExport.activeSubscriptions`. */
export function measureCommandId(m: Measure): string {
  return `rcExport.${m.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}`;
}

const EXPORT_FILE = /\.csv(\.gz)?$/i;

function isArgs(a: unknown): a is MeasureArgs {
  return typeof a === 'object' && a !== null && !(a instanceof vscode.Uri);
}

/** The export open in the active editor tab (the export editor, or a text editor on an export file). */
function activeExport(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom && input.viewType.startsWith(VIEW_TYPE)) return input.uri;
  if (input instanceof vscode.TabInputText && EXPORT_FILE.test(input.uri.path)) return input.uri;
  return undefined;
}

/** The export(s) a command acts on: the Explorer selection, its argument, the open export, or a dialog. */
export async function targets(arg: unknown, selection: unknown): Promise<vscode.Uri[] | undefined> {
  if (Array.isArray(selection) && selection.length > 0 && selection.every((u) => u instanceof vscode.Uri))
    return selection;
  if (arg instanceof vscode.Uri) return [arg];
  if (isArgs(arg) && arg.uri !== undefined) return [typeof arg.uri === 'string' ? vscode.Uri.file(arg.uri) : arg.uri];
  const open = activeExport();
  if (open) return [open];
  return vscode.window.showOpenDialog({
    title: 'Export file(s), or a folder of deliveries to merge',
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: true,
    filters: { 'RevenueCat export': ['gz', 'csv'] },
  });
}

/** Rows of a table the output channel shows in full; longer ones are folded, the whole table a click away. */
const FOLD = 40;

/** The full table as an untitled CSV document, offered by a notification. */
async function offerCsv(r: MeasureResult, rows: number): Promise<void> {
  const open = 'Open as CSV';
  const choice = await vscode.window.showInformationMessage(
    `${r.title}: ${rows.toLocaleString('en-US')} rows, folded in the output.`,
    open,
  );
  if (choice !== open) return;
  const doc = await vscode.workspace.openTextDocument({ language: 'csv', content: tableCsv(resultTable(r)) });
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** A notification after a measure: the same measure as a chart, over the same range. */
async function offerChart(r: MeasureResult, uris: vscode.Uri[]): Promise<void> {
  const show = 'Show as Chart';
  const choice = await vscode.window.showInformationMessage(
    `${r.title}: the result is in the RevenueCat output.`,
    show,
  );
  if (choice !== show) return;
  const { from, to, resolution, date } = r.params;
  await vscode.commands.executeCommand('rcExport.showChart', { uris, measure: r.measure, from, to, resolution, date });
}

export function registerMeasureCommands(ctx: SourceContext & { output: vscode.OutputChannel }): vscode.Disposable[] {
  const run = async (
    measure: Measure,
    arg: unknown,
    selection: unknown,
    series = false,
  ): Promise<MeasureResult | undefined> => {
    const uris = await targets(arg, selection);
    if (!uris || uris.length === 0) return undefined;
    // the worker loads only what this measure reads (the chart panel, which may switch, loads all)
    const opened = await openSource(uris, ctx, undefined, undefined, columnsFor(measure.name) ?? undefined);
    if (!opened.ok) {
      if (!opened.cancelled) void vscode.window.showErrorMessage(`${measure.title}: ${opened.message}`);
      return undefined;
    }
    const source = opened.source;
    try {
      const req = isArgs(arg) ? arg : series ? await askSeries(measure, source) : await askParams(measure, source);
      if (!req) return undefined;
      const { date, from, to, key, value, resolution } = req;
      const answer = await source.measure(measure.name, { date, from, to, key, value, resolution });
      if (!answer.ok) {
        if (answer.kind !== 'cancelled') void vscode.window.showErrorMessage(`${measure.title}: ${answer.message}`);
        return undefined;
      }
      const r = answer.value;
      ctx.output.appendLine(formatResult(r, { ...source.timings, fold: FOLD }));
      ctx.output.appendLine('');
      ctx.output.show(true);
      const rows = isTabular(r) ? resultTable(r).rows.length : 0;
      if (rows > FOLD && !isArgs(arg)) void offerCsv(r, rows);
      else if (!isArgs(arg) && CHART_MEASURES.includes(measure.name)) void offerChart(r, uris);
      return r;
    } finally {
      source.close();
    }
  };
  return [
    ...MEASURES.map((m) =>
      vscode.commands.registerCommand(measureCommandId(m), (arg?: unknown, selection?: unknown) =>
        run(m, arg, selection),
      ),
    ),
    vscode.commands.registerCommand('rcExport.runMeasure', async (arg?: unknown, selection?: unknown) => {
      const picked = await vscode.window.showQuickPick(
        [
          ...MEASURES.map((m) => ({
            label: m.title,
            description: `sample query ${m.query}`,
            measure: m,
            series: false,
          })),
          ...MEASURES.filter((m) => m.snapshot).map((m) => ({
            label: `${m.title} over time`,
            description: `sample query ${m.query}, as of each day, week or month`,
            measure: m,
            series: true,
          })),
        ],
        { title: 'RevenueCat: Run Measure', placeHolder: 'Measure (a folder merges its deliveries first)' },
      );
      return picked ? run(picked.measure, arg, selection, picked.series) : undefined;
    }),
  ];
}
