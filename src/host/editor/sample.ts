/**
 * "RevenueCat: Open Sample Export": the delivery that ships inside the extension (1,000 generated v5
 * transactions with a few deliberate problems), opened in the export editor. The walkthrough starts here.
 */
import * as vscode from 'vscode';
import { VIEW_TYPE } from './exportEditor';

export const SAMPLE_PATH = ['samples', 'with-problems', 'transactions_1735776000.csv.gz'];

export function registerSampleCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('rcExport.openSample', async () => {
    const uri = vscode.Uri.joinPath(context.extensionUri, ...SAMPLE_PATH);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    return uri;
  });
}
