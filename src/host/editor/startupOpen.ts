/**
 * `npm start` asks for a file to be shown in the export grid once its window is up: VS Code resolves a
 * file opened at start-up before extensions register their editors, so the extension opens it itself on
 * activation, when this window is the one the request is for (see src/node/openRequest.ts).
 */
import * as vscode from 'vscode';
import { claimOpenRequest, OPEN_REQUEST_ENV } from '../../node/openRequest';
import { VIEW_TYPE } from './exportEditor';

export function openRequestedAtStartup(): void {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const file = claimOpenRequest(
    process.env[OPEN_REQUEST_ENV],
    folders.map((f) => f.uri.fsPath),
  );
  if (file) void vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), VIEW_TYPE);
}
