/**
 * `npm start` asks for a file to be shown in the export grid once the window is up: VS Code resolves a
 * file opened at start-up before extensions register their editors, so the script names the file in
 * RC_EXPORT_OPEN (inherited by the extension host) and the extension opens it itself on activation.
 */
import * as vscode from 'vscode';
import { VIEW_TYPE } from './exportEditor';

export function openRequestedAtStartup(): void {
  const file = process.env.RC_EXPORT_OPEN;
  if (!file) return;
  delete process.env.RC_EXPORT_OPEN; // once per extension host, not on every later activation
  void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), VIEW_TYPE);
}
