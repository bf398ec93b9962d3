/**
 * The status bar item of the active export (export editor, text view, or a .csv export in a text
 * editor): which template version the file is read as and why ("v4 · detected", "v3 · chosen").
 * A click opens a quick pick of the versions with their column counts, the detected one marked;
 * the choice is remembered for the file.
 */
import * as vscode from 'vscode';
import type { LoadOutcome } from '../../core/load/load';
import { templateVersion, VERSIONS, type TemplateId } from '../../core/catalog/templates';
import { heldBack, type ExportCache, type ExportHandle, type TemplateChoice } from '../cache/exportCache';
import { LANGUAGE_ID } from '../text/exportText';
import type { TemplateChoices } from './templateChoice';
import { sourceOf } from '../text/textView';

export const CHOOSE_COMMAND = 'rcExport.chooseTemplate';

/** The export shown in the active editor, if any. */
export function activeExport(viewTypes: readonly string[]): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom) return viewTypes.includes(input.viewType) ? input.uri : undefined;
  if (input instanceof vscode.TabInputText) {
    const source = sourceOf(input.uri);
    if (source) return source;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === input.uri.toString());
    if (doc?.languageId === LANGUAGE_ID && doc.uri.scheme === 'file') return doc.uri;
  }
  return undefined;
}

/** "v4 · detected", "v3 · chosen": what the status bar says for a file. */
export function statusText(choice: TemplateChoice, outcome: LoadOutcome | undefined): string {
  if (choice !== 'auto') return `${choice} · chosen`;
  if (!outcome) return '… · detecting';
  return outcome.ok ? `${outcome.value.info.version.id} · detected` : 'no template';
}

/** What the quick pick says of a version: its column count and period. */
export function versionDescription(id: TemplateId): string {
  const v = templateVersion(id);
  const required = v.columns.filter((c) => !c.optional).length;
  return `${required} columns${v.toleratesUnknownColumns ? ' + new ones' : ''} · ${v.period}`;
}

export class TemplateStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('rcExport.template', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];
  private current: { uri: vscode.Uri; handle: ExportHandle } | null = null;
  private generation = 0;

  constructor(
    private readonly cache: ExportCache,
    private readonly templates: TemplateChoices,
    private readonly viewTypes: readonly string[],
  ) {
    this.item.name = 'RevenueCat Export Template';
    this.item.command = CHOOSE_COMMAND;
    const update = () => void this.update();
    this.subscriptions = [
      this.item,
      vscode.window.tabGroups.onDidChangeTabs(update),
      vscode.window.tabGroups.onDidChangeTabGroups(update),
      vscode.window.onDidChangeActiveTextEditor(update),
      vscode.workspace.onDidOpenTextDocument(update),
      templates.onDidChange(update),
      vscode.commands.registerCommand(CHOOSE_COMMAND, (uri?: vscode.Uri, version?: TemplateChoice | null) =>
        this.choose(uri, version),
      ),
    ];
    update();
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const uri = activeExport(this.viewTypes);
    if (!uri) {
      this.hold(null);
      this.item.hide();
      return;
    }
    const { choice, source } = this.templates.resolve(uri);
    if (this.current?.uri.toString() !== uri.toString() || this.current.handle.template !== choice) {
      // the status bar can wait: when the file is opening in the export editor, the editor says when
      // its load should begin (see AcquireOptions.start)
      this.hold({ uri, handle: this.cache.acquire(uri, choice, { start: heldBack() }) });
    }
    const handle = this.current!.handle;
    this.item.text = `$(list-ordered) ${statusText(choice, undefined)}`;
    this.item.tooltip = 'RevenueCat export template version: click to choose';
    this.item.show();
    const outcome = await handle.outcome;
    if (generation !== this.generation) return;
    this.item.text = `$(list-ordered) ${statusText(choice, outcome)}`;
    const detected = outcome.ok ? outcome.value.info.report.detected : undefined;
    this.item.tooltip =
      choice === 'auto'
        ? `Read as ${detected ?? 'no version'}, detected from the header. Click to choose another template version.`
        : `Read as ${choice}, chosen ${source === 'file' ? 'for this file' : 'in the rcExport.template setting'}${detected ? ` (the header looks like ${detected})` : ''}. Click to change.`;
  }

  private hold(next: { uri: vscode.Uri; handle: ExportHandle } | null): void {
    this.current?.handle.release();
    this.current = next;
  }

  /**
   * The quick pick. With `version` given (tests, keybindings) the choice is made at once; null
   * forgets the file's choice (the setting applies again).
   */
  private async choose(uri?: vscode.Uri, version?: TemplateChoice | null): Promise<void> {
    const target = uri ?? activeExport(this.viewTypes);
    if (!target) {
      void vscode.window.showInformationMessage(
        'Open a RevenueCat export first: the template version is chosen per file.',
      );
      return;
    }
    if (version !== undefined) {
      await this.templates.set(target, version ?? undefined);
      return;
    }
    const { choice } = this.templates.resolve(target);
    const outcome = await this.cache.use(target, choice, (o) => o);
    const detected = outcome.ok ? outcome.value.info.report.detected : undefined;
    type Item = vscode.QuickPickItem & { value?: TemplateChoice };
    const items: Item[] = [
      {
        label: 'Detect from the header',
        description: detected ? `${detected} for this file` : '',
        value: 'auto',
        picked: choice === 'auto',
      },
      { label: 'Versions', kind: vscode.QuickPickItemKind.Separator },
      ...VERSIONS.map((v): Item => ({
        label: `${choice === v.id ? '$(check) ' : ''}${v.id}${v.id === detected ? ' · detected' : ''}`,
        description: versionDescription(v.id),
        detail: v.notes,
        value: v.id,
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Template version to read this export as',
      placeHolder: `Now: ${statusText(choice, outcome)}`,
      matchOnDescription: true,
    });
    if (picked?.value) await this.templates.set(target, picked.value);
  }

  dispose(): void {
    this.hold(null);
    for (const s of this.subscriptions) s.dispose();
  }
}
