/**
 * Timings of an editor's open, for the UI bench (bench/ui.ts) only. The bench starts code-server with
 * RC_EXPORT_BENCH=1, which the extension host inherits; then each document notes when VS Code asked
 * for it and when its first rows came in, each editor when it was resolved and its page set, the
 * page carries `data-bench` (its script then times itself, see src/webview/stats.ts), and the
 * webview's `stats` requests are answered. Without it none of this happens.
 */
import type { HeadLog } from '../../worker/loadClient';

export const BENCH = process.env.RC_EXPORT_BENCH === '1';

/** Epoch ms, comparable across the extension host and the webview. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

/** When the extension's bundle was loaded (its activation began then), for the bench's breakdown. */
export const activatedAt = epochMs();

export class OpenMarks {
  /** When VS Code asked for the document. */
  openedAt = epochMs();
  /** When its first rows were in. */
  firstAt = 0;
  /** Where its first rows were read on the spot, and how the steps went when read on the extension host. */
  readonly head: HeadLog = { where: '', steps: 0, longest: 0 };

  /** When the load was let begin (the page had shown the first rows, or HOLD_MAX_MS had passed). */
  begunAt = 0;
  /** When the document had the load's outcome, and what the load itself took in its thread (Loaded.ms). */
  settledAt = 0;
  loadMs = 0;

  first(): void {
    this.firstAt ||= epochMs();
  }

  settled(loadMs: number): void {
    this.settledAt ||= epochMs();
    this.loadMs ||= loadMs;
  }
}

/** Marks for a document when the bench asked for them. */
export const openMarks = (): OpenMarks | null => (BENCH ? new OpenMarks() : null);
