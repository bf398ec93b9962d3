/** The loading limit the user chose (setting rcExport.load.maxBytes), for the loads the host starts. */
import * as vscode from 'vscode';

/** Bytes of decompressed text a load may reach; undefined (the setting at 0) leaves it to what memory allows. */
export function loadMaxBytes(): number | undefined {
  const n = vscode.workspace.getConfiguration('rcExport').get<number>('load.maxBytes', 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}
