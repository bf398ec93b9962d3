/**
 * "RevenueCat: Open Delivery in Grid": a folder in the Explorer opened as one table. A delivery
 * folder (the parts of a split CSV or Parquet delivery) opens at once; a folder that holds several
 * deliveries (a date, a bucket) asks which one, and says what it left out.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findDeliveries } from '../../node/deliveries';
import { VIEW_TYPE } from './exportEditor';

export function registerOpenDelivery(): vscode.Disposable {
  return vscode.commands.registerCommand('rcExport.openDelivery', async (uri?: vscode.Uri) => {
    const target =
      uri ??
      (
        await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false })
      )?.[0];
    if (!target) return undefined;
    const found = await findDeliveries([target.fsPath]);
    if (!found.ok) {
      void vscode.window.showErrorMessage(found.error.message);
      return undefined;
    }
    const deliveries = found.deliveries;
    if (deliveries.length === 0) {
      const why = found.skipped.length ? ` (${found.skipped.length} files are not exports)` : '';
      void vscode.window.showWarningMessage(`${path.basename(target.fsPath)} holds no RevenueCat delivery${why}.`);
      return undefined;
    }
    let chosen = deliveries[0];
    if (deliveries.length > 1) {
      const picked = await vscode.window.showQuickPick(
        deliveries.map((d) => ({
          label: path.relative(target.fsPath, d.path) || path.basename(d.path),
          description: `${d.format}${d.parts.length > 1 ? `, ${d.parts.length} parts` : ''}${d.feed === 'in-app-currency' ? ', In-App Currency' : ''}`,
          delivery: d,
        })),
        { placeHolder: `${deliveries.length} deliveries in ${path.basename(target.fsPath)}: open which?` },
      );
      if (!picked) return undefined;
      chosen = picked.delivery;
    }
    const open = vscode.Uri.file(chosen.path);
    await vscode.commands.executeCommand('vscode.openWith', open, VIEW_TYPE);
    return open;
  });
}
