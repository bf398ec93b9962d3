/**
 * Which template version a file is read as: the file's own choice (made from the status bar and kept
 * in the workspace state), else the `rcExport.template` setting, else detection from the header.
 * Everything that loads a file asks `choice(uri)` and listens to `onDidChange` to load it again.
 *
 * Room src/host/templates: the template version a file is read as, and its status bar item.
 * May import: src/core/catalog, src/core/load, src/host/cache, src/host/text, vscode.
 */
import * as vscode from 'vscode';
import { isVersionId } from '../../core/catalog/templates';
import type { TemplateChoice } from '../cache/exportCache';

export type ChoiceSource = 'file' | 'setting' | 'detected';

const STATE_KEY = 'rcExport.templateChoices';

/** The pure rule: a valid per-file choice wins, then a valid setting; anything else is 'auto'. */
export function resolveChoice(
  perFile: string | undefined,
  setting: string | undefined,
): { choice: TemplateChoice; source: ChoiceSource } {
  if (perFile === 'auto') return { choice: 'auto', source: 'file' };
  if (perFile && isVersionId(perFile)) return { choice: perFile, source: 'file' };
  if (setting && isVersionId(setting)) return { choice: setting, source: 'setting' };
  return { choice: 'auto', source: 'detected' };
}

export class TemplateChoices implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  private readonly config: vscode.Disposable;
  /** Fires with the file whose choice changed, or undefined when the setting changed (every file). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    this.config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('rcExport.template')) this.changed.fire(undefined);
    });
  }

  private files(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY, {});
  }

  resolve(uri: vscode.Uri): { choice: TemplateChoice; source: ChoiceSource } {
    const setting = vscode.workspace.getConfiguration('rcExport', uri).get<string>('template');
    return resolveChoice(this.files()[uri.toString()], setting);
  }

  choice(uri: vscode.Uri): TemplateChoice {
    return this.resolve(uri).choice;
  }

  /** Remembers a choice for one file; undefined forgets it (the setting applies again). */
  async set(uri: vscode.Uri, choice: TemplateChoice | undefined): Promise<void> {
    const files = { ...this.files() };
    if (choice === undefined) delete files[uri.toString()];
    else files[uri.toString()] = choice;
    await this.state.update(STATE_KEY, files);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.config.dispose();
    this.changed.dispose();
  }
}
