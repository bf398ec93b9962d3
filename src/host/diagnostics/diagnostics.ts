/**
 * Problems-panel diagnostics for open exports, like a linter's: a file gets diagnostics while one of
 * its views is open (the export editor, a text editor on a plain .csv export, the text view of a
 * .csv.gz) and loses them when the last view closes or the file is deleted. They are computed again
 * when the file changes on disk and when its template choice changes. A file's problems are listed
 * once, whichever of its views are open: on the text view when one shows the whole file (its entries
 * lead to the line and column), else on the file while the export editor or a text editor has it open,
 * else on the text view, limited to the part of the file it shows.
 *
 * Room src/host/diagnostics: Problems-panel diagnostics and their plan.
 * May import: src/core/catalog, src/core/load, src/core/validate, src/host/cache, src/host/templates, vscode.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Loaded, LoadOutcome } from '../../core/load/load';
import type { RuleId, Severity } from '../../core/catalog/rules';
import { planDiagnostics, type PlannedDiagnostic } from './diagnosticsPlan';
import type { ExportCache, ExportHandle } from '../cache/exportCache';
import { ruleLines } from './ruleDocs';
import type { TemplateChoices } from '../templates/templateChoice';

export const SOURCE = 'RevenueCat Exports';
export const DEFAULT_MAX_PER_FILE = 1000;

/** A text view of a file: its document and how many bytes of the file it shows. */
export interface ViewTarget {
  readonly uri: vscode.Uri;
  readonly shownBytes: number;
}

interface Tracked {
  readonly uri: vscode.Uri;
  /** Open views that show the file itself (editor, text editor of a .csv). */
  sources: number;
  readonly views: Map<string, ViewTarget>;
  handle: ExportHandle | null;
  generation: number;
  /** The watch on the file, from when its load begins. */
  watcher: vscode.FileSystemWatcher | null;
  timer: NodeJS.Timeout | null;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function maxPerFile(): number {
  const n = vscode.workspace.getConfiguration('rcExport').get<number>('diagnostics.maxPerFile', DEFAULT_MAX_PER_FILE);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : DEFAULT_MAX_PER_FILE;
}

/** Problems kept per rule while loading: enough that the first `maxPerFile` of the file are all kept. */
export function keptPerRule(): number {
  return Math.max(1000, maxPerFile());
}

export class ExportDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('rcExport');
  private readonly files = new Map<string, Tracked>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly docLines: Map<RuleId, number>;
  private readonly docFile: vscode.Uri;
  private readonly reloaded = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a file was loaded again after it changed on disk (text views refresh on it). */
  readonly onDidReload = this.reloaded.event;

  constructor(
    private readonly cache: ExportCache,
    private readonly templates: TemplateChoices,
    extensionUri: vscode.Uri,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.docFile = vscode.Uri.joinPath(extensionUri, 'docs', 'rules.md');
    let markdown = '';
    try {
      markdown = fs.readFileSync(this.docFile.fsPath, 'utf8');
    } catch {
      // a build without docs: the codes link to the top of the file
    }
    this.docLines = ruleLines(markdown);
    this.subscriptions.push(
      this.collection,
      this.reloaded,
      templates.onDidChange((uri) => {
        for (const t of this.files.values())
          if (!uri || uri.toString() === t.uri.toString()) {
            // the old template's problems no longer apply: none are listed while the file loads again.
            // (This also keeps a Problems filter typed meanwhile working: VS Code's panel miscounts an
            // entry that replaces a filtered-out one in place, and shows "No results" until the filter changes.)
            this.clear(t);
            void this.refresh(t);
          }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('rcExport.diagnostics.maxPerFile'))
          for (const t of this.files.values()) void this.publish(t);
      }),
    );
  }

  /**
   * A view of `uri` opened: the file gets diagnostics (on the file, or on `view` for a text view)
   * until the returned disposable is disposed.
   */
  track(uri: vscode.Uri, view?: ViewTarget, start?: Promise<void>): vscode.Disposable {
    const key = uri.toString();
    let t = this.files.get(key);
    const created = !t;
    if (!t) {
      const tracked: Tracked = {
        uri,
        sources: 0,
        views: new Map(),
        handle: null,
        generation: 0,
        watcher: null,
        timer: null,
      };
      // the watch starts with the load (not during an editor's open, which it would slow down)
      void (start ?? Promise.resolve()).then(() => this.watch(tracked));
      this.files.set(key, tracked);
      t = tracked;
    }
    const tracked = t;
    if (view) tracked.views.set(view.uri.toString(), view);
    else tracked.sources++;
    if (created) void this.refresh(tracked, start);
    else void this.publish(tracked);
    let done = false;
    return new vscode.Disposable(() => {
      if (done) return;
      done = true;
      if (view) {
        tracked.views.delete(view.uri.toString());
        this.collection.delete(view.uri);
      } else tracked.sources--;
      if (tracked.sources > 0 || tracked.views.size > 0) {
        void this.publish(tracked);
        return;
      }
      this.untrack(tracked);
    });
  }

  /** The loaded export behind a tracked file's diagnostics, if there is one yet. */
  async outcome(uri: vscode.Uri): Promise<LoadOutcome | undefined> {
    return this.files.get(uri.toString())?.handle?.outcome;
  }

  /** Follows a tracked file on disk, while it is tracked. */
  private watch(t: Tracked): void {
    if (this.files.get(t.uri.toString()) !== t || t.watcher) return;
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(t.uri.fsPath)), path.basename(t.uri.fsPath)),
    );
    watcher.onDidChange(() => this.changedOnDisk(t));
    watcher.onDidCreate(() => this.changedOnDisk(t));
    watcher.onDidDelete(() => this.deleted(t));
    t.watcher = watcher;
  }

  private untrack(t: Tracked): void {
    t.generation++;
    if (t.timer) clearTimeout(t.timer);
    t.watcher?.dispose();
    t.watcher = null;
    t.handle?.release();
    t.handle = null;
    this.collection.delete(t.uri);
    this.files.delete(t.uri.toString());
  }

  private changedOnDisk(t: Tracked): void {
    // writes come in bursts: wait until the file has been quiet for a moment
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      t.timer = null;
      this.cache.invalidate(t.uri);
      void this.refresh(t).then(() => this.reloaded.fire(t.uri));
    }, 300);
  }

  private deleted(t: Tracked): void {
    t.generation++;
    this.clear(t);
  }

  /** Takes a file's diagnostics away, wherever they are listed. */
  private clear(t: Tracked): void {
    this.collection.delete(t.uri);
    for (const v of t.views.values()) this.collection.delete(v.uri);
  }

  /**
   * Loads (or shares) the file as its current template choice, then publishes; `start`: when a load
   * this begins is needed (see AcquireOptions.start).
   */
  private async refresh(t: Tracked, start?: Promise<void>): Promise<void> {
    const generation = ++t.generation;
    const next = this.cache.acquire(t.uri, this.templates.choice(t.uri), { progress: 'window', start });
    const outcome = await next.outcome;
    if (generation !== t.generation || this.files.get(t.uri.toString()) !== t) {
      next.release();
      return;
    }
    t.handle?.release();
    t.handle = next;
    await this.publish(t, outcome);
  }

  private async publish(t: Tracked, known?: LoadOutcome): Promise<void> {
    const generation = t.generation;
    const outcome = known ?? (await t.handle?.outcome);
    if (!outcome || generation !== t.generation) return;
    const views = [...t.views.values()];
    if (!outcome.ok) {
      const failed = outcome.error.code === 'cancelled' ? [] : [this.failure(outcome.error.message)];
      const on = views.length > 0 && t.sources === 0 ? views[0].uri : t.uri;
      for (const uri of [t.uri, ...views.map((v) => v.uri)])
        if (uri === on) this.collection.set(uri, failed);
        else this.collection.delete(uri);
      return;
    }
    const t0 = performance.now();
    const cap = maxPerFile();
    const size = outcome.value.table.textLength;
    // one place for the file's problems (see the top of this file)
    const target = views.find((v) => v.shownBytes >= size) ?? (t.sources > 0 ? null : (views[0] ?? null));
    if (target) {
      this.collection.delete(t.uri);
      this.collection.set(target.uri, this.diagnostics(outcome.value, cap, target.shownBytes));
    } else this.collection.set(t.uri, this.diagnostics(outcome.value, cap, undefined));
    for (const v of views) if (v !== target) this.collection.delete(v.uri);
    const v = outcome.value.validation;
    const total = v ? v.counts.error + v.counts.warning + v.counts.information : 0;
    this.log(
      `diagnostics for ${path.basename(t.uri.fsPath)}: ${total.toLocaleString('en-US')} problems on ${target ? 'its text view' : 'the file'}, published in ${(performance.now() - t0).toFixed(0)} ms`,
    );
  }

  private diagnostics(loaded: Loaded, cap: number, shownBytes: number | undefined): vscode.Diagnostic[] {
    if (!loaded.validation) return [];
    return planDiagnostics(loaded.table, loaded.validation, { maxPerFile: cap, shownBytes }).map((p) =>
      this.toDiagnostic(p),
    );
  }

  private toDiagnostic(p: PlannedDiagnostic): vscode.Diagnostic {
    const { line, character, endLine, endCharacter } = p.place;
    const d = new vscode.Diagnostic(
      new vscode.Range(line, character, endLine, endCharacter),
      p.message,
      SEVERITY[p.severity],
    );
    d.source = SOURCE;
    d.code = { value: p.rule, target: this.ruleTarget(p.rule) };
    return d;
  }

  /** The rule's section in docs/rules.md (the fragment selects its heading line). */
  ruleTarget(rule: RuleId): vscode.Uri {
    const line = this.docLines.get(rule);
    return line ? this.docFile.with({ fragment: `L${line}` }) : this.docFile;
  }

  private failure(message: string): vscode.Diagnostic {
    const d = new vscode.Diagnostic(
      new vscode.Range(0, 0, 0, 0),
      `The file cannot be read as an export: ${message}`,
      vscode.DiagnosticSeverity.Error,
    );
    d.source = SOURCE;
    return d;
  }

  dispose(): void {
    for (const t of [...this.files.values()]) this.untrack(t);
    for (const s of this.subscriptions) s.dispose();
  }
}
