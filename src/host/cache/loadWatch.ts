/**
 * What a load still running has shown so far: its first rows (shared with the loading thread; a
 * screenful, then more) and how far it got. The export editor paints the first rows while the rest
 * arrives.
 */
import * as vscode from 'vscode';
import type { FirstRows, LoadProgress } from '../../core/load/load';

export class LoadWatch implements vscode.Disposable {
  first: FirstRows | null = null;
  /** Share of the file read, 0..1. */
  fraction = 0;
  rows = 0;
  private readonly changed = new vscode.EventEmitter<'first' | 'progress'>();
  readonly onDidChange = this.changed.event;

  setFirst(first: FirstRows): void {
    this.first = first;
    this.changed.fire('first');
  }

  setProgress(p: LoadProgress): void {
    this.fraction = p.compressedTotal ? p.compressedRead / p.compressedTotal : 0;
    this.rows = p.rows;
    this.changed.fire('progress');
  }

  dispose(): void {
    this.changed.dispose();
  }
}
