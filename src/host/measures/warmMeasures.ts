/**
 * A measure worker made ready while an export is open in the editor: once the editor's load has
 * finished, a measure worker adopts the loaded table and merges it (adoptedTables.ts), so the first
 * measure, chart or drill-down on the open export finds it ready instead of waiting for a worker to
 * start and merge a million rows. What it costs when no measure is ever run: one worker thread and
 * the merge pass over the table (on the second core; the table itself is shared, not copied). The
 * measures' loops are not compiled ahead over a sample: tried, it cost about a second of CPU for a
 * first run 50–100 ms shorter, and a user who opens an export may never run a measure. The
 * lease goes with the editor: closed before the merge is done, the worker ends at once; after, it is
 * kept like any source's (KEEP_MS). A new template choice for the file makes it ready again for the
 * table read as that version. Once merged, the source over the worker goes to `merged` (extension.ts
 * gives the charts' warmCharts: the first chart's days are measured then, one pass on the worker,
 * so "Show Chart…" finds them ready).
 */
import * as vscode from 'vscode';
import { adoptTable, type AdoptedLease } from './adoptedTables';
import { warmSource, workerPath, type MeasureSource, type SourceContext } from './measureSource';

/**
 * Starts a measure worker over `uri`'s loaded table once the load that `start` lets begin has
 * finished (the export editor's); disposed with the editor's document. `merged` is given the source
 * over that worker once it holds the merged rows (the charts work out their first chart then).
 */
export function warmOnOpen(
  uri: vscode.Uri,
  start: Promise<void>,
  ctx: SourceContext,
  merged?: (source: MeasureSource) => void,
): vscode.Disposable {
  let current: { release(): void } | null = null;
  let disposed = false;
  const ready = () => {
    current?.release();
    const handle = ctx.cache.acquire(uri, ctx.templates.choice(uri), { progress: 'window', start });
    let lease: AdoptedLease | null = null;
    const mine = {
      release() {
        lease?.release(true);
        lease = null;
        handle.release();
      },
    };
    current = mine;
    void handle.outcome.then((o) => {
      if (disposed || current !== mine || !o.ok) return;
      const mineLease = (lease = adoptTable(o.value.table, uri.fsPath, o.value.info.version.id, workerPath(ctx)));
      void mineLease.outcome.then((a) => {
        if (a.ok && !disposed && lease === mineLease) merged?.(warmSource(mineLease, a.info));
      });
    });
  };
  ready();
  const choices = ctx.templates.onDidChange((changed) => {
    if (!changed || changed.toString() === uri.toString()) ready();
  });
  return new vscode.Disposable(() => {
    disposed = true;
    choices.dispose();
    current?.release();
    current = null;
  });
}
