/** What the table builder (builder.ts) is given: where memory comes from, limits, and the validation it runs. */
import { formatBytes, LoadFailure } from '../errors';
import type { TemplateVersion } from '../catalog/templates';
import type { TableText, VectorData } from './table';
import type { DeepBatch, DeepReport, DeepSetup } from '../validate/deep';
import { Validator, type LiveTable } from '../validate/validator';

/**
 * The row index (row starts and typed vectors) may take this much memory beyond the text's own size:
 * a real row costs a fraction of its text, so only rows too short to be transactions reach it.
 */
export const INDEX_SLACK = 64 * 2 ** 20;

/**
 * The most text one table holds: its text is in segments (SEGMENT_BYTES each, row offsets 32-bit
 * within one), so what bounds a load is memory (src/node/memoryLimit.ts), long before this: 1 TiB.
 */
export const HARD_MAX_BYTES = 2 ** 40;

/** What a user can do about a limit of `maxBytes`: raise it, or nothing when it is already the most. */
export function limitHow(maxBytes: number): string {
  return maxBytes >= HARD_MAX_BYTES
    ? ', the most one table can hold'
    : " (by default what this machine's memory allows; rc-export --max-bytes and the setting rcExport.load.maxBytes raise it)";
}

/** The failure past `maxBytes` of text. */
export function textTooLarge(maxBytes: number): LoadFailure {
  return new LoadFailure(
    'too-large',
    `The export decompresses to more than ${formatBytes(maxBytes)}: a zip bomb, or a file too large to hold in memory. That is the loading limit${limitHow(maxBytes)}`,
  );
}

/** The failure when `rows` rows in `scanned` bytes of text would take an index of `bytesPerRow` a row past INDEX_SLACK. */
export function rowsTooShort(rows: number, scanned: number, bytesPerRow: number): LoadFailure {
  return new LoadFailure(
    'too-large',
    `The export has ${rows.toLocaleString('en-US')} rows in its first ${formatBytes(scanned)} of text, ${(scanned / rows).toFixed(1)} bytes a row: far too short for transactions. Indexing them would take ${formatBytes(rows * bytesPerRow)}, more than the text's size plus ${formatBytes(INDEX_SLACK)}, the limit set for rows this short`,
  );
}

/**
 * The rows an index of `bytesPerRow` a row may hold for `text` bytes of text (see INDEX_SLACK), or
 * 'too-large' when `row` is past them (`scanned`: bytes of records scanned, for the message).
 */
export function rowBudget(row: number, text: number, scanned: number, bytesPerRow: number): number {
  const budget = Math.floor((INDEX_SLACK + text) / bytesPerRow);
  if (row >= budget) throw rowsTooShort(row, scanned, bytesPerRow);
  return budget;
}

/**
 * Rows the vectors make room for when they are full: for the rest of the text from the average row
 * so far. Generous on purpose: pages of a buffer that are never written are never resident, while a
 * second grow copies every vector. Never past what the index budget allows for the text expected
 * (the hint is only a guess). `at`: bytes scanned (past the records a columns-only load shortened).
 */
export function grownCapacity(
  g: { at: number; dataStart: number; rows: number; capacity: number; expected: number; budget: number },
  rowBudget: (text: number) => number,
): number {
  const avg = (g.at - g.dataStart) / Math.max(1, g.rows);
  const remaining = g.expected > g.at ? Math.ceil(((g.expected - g.at) / avg) * 1.25) : 0;
  const most = Math.max(g.budget, rowBudget(g.expected));
  return Math.min(Math.max(g.rows + remaining + 1024, Math.ceil(g.capacity * 1.5)), most);
}

export type Allocate = (bytes: number) => ArrayBufferLike;

/** `bytes` from the allocator, or 'too-large' when there is not that much memory to give. */
export function allocOrTooLarge(allocate: Allocate, bytes: number): ArrayBufferLike {
  try {
    return allocate(bytes);
  } catch {
    throw new LoadFailure('too-large', `Not enough memory for ${(bytes / 2 ** 20).toFixed(0)} MB of export data`);
  }
}

/**
 * The most text one segment of a table holds (TableData.segments): offsets in a segment stay
 * 32-bit, and no one buffer grows past it by copying.
 */
export const SEGMENT_BYTES = 2 ** 31;

/** A new buffer over `memory`, `text` copied to its start. */
export function moved(text: Uint8Array, memory: ArrayBufferLike): Uint8Array {
  const next = new Uint8Array(memory);
  next.set(text);
  return next;
}

/** What the validator reads of a table being built: the current buffer and vectors (see Validator's LiveTable). */
export interface LiveText {
  bytes: Uint8Array;
  vectors: (VectorData | null)[];
  /** Where `bytes` starts in the whole text, the row of the vectors' first entries, and the segment `bytes` is. */
  base: number;
  rowBase: number;
  segment: number;
}

/** The line shifts of a table being built (TableData.lineShifts): rows that start later than the row before implies. */
export class LineShiftsKept {
  readonly rows: number[] = [];
  readonly extra: number[] = [];
  private total = 0;

  /** Data row `row` starts on physical line `line`. */
  row(row: number, line: number): void {
    const predicted = row + 2 + this.total;
    if (line === predicted) return;
    this.rows.push(row);
    this.extra.push(line - predicted);
    this.total += line - predicted;
  }
}

/**
 * The segments of text a builder filled, each the used part of its buffer, and where each one's rows
 * and text start; and the size of each buffer, none past `segmentBytes` (unless one record is longer).
 */
export class FilledSegments {
  private readonly filled: Uint8Array[] = [];
  private readonly rows: number[] = [0];
  private readonly starts: number[] = [0];

  constructor(readonly segmentBytes: number) {}

  /** The first buffer: the text's expected size, within the limit and a segment. */
  firstSize(sizeHint: number, maxBytes: number): number {
    return Math.min(Math.max(sizeHint + 1024, 64 * 1024), maxBytes + 1024, Math.max(this.segmentBytes, 64 * 1024));
  }

  /** A segment's buffer grown to hold `need` bytes (it starts at `base`; `expected`: the whole text's likely size). */
  grownSize(need: number, expected: number, base: number, length: number, maxBytes: number): number {
    const wanted = Math.max(need, expected - base, Math.ceil(length * 1.5));
    return Math.min(wanted, maxBytes - base, Math.max(this.segmentBytes, need));
  }

  /**
   * The buffer of a new segment that starts with `need` bytes, at `base` in the whole text: room for
   * the rest of the text expected, up to a segment; a whole segment once the text is past what was
   * expected (pages of a buffer never written are never resident, while growing one copies it).
   */
  nextSize(need: number, base: number, expected: number, maxBytes: number): number {
    const most = Math.max(need, Math.min(this.segmentBytes, maxBytes - base));
    return expected > base + need ? Math.min(most, Math.max(need, expected - base + 64 * 1024)) : most;
  }

  /** The number of the segment being filled. */
  get count(): number {
    return this.filled.length;
  }

  /** A segment is full: its text; the next one starts at row `row`, at `base` in the whole text. */
  add(text: Uint8Array, row: number, base: number): void {
    this.filled.push(text);
    this.rows.push(row);
    this.starts.push(base);
  }

  /** The whole text: the segments filled, and `last`, the used part of the one being filled, at `base`. */
  text(last: Uint8Array, base: number): TableText {
    return {
      segments: [...this.filled, last],
      segmentRows: this.rows.slice(),
      segmentStarts: this.starts.slice(),
      textLength: base + last.length,
    };
  }
}

export interface BuilderOptions {
  /** The most text a segment holds (default SEGMENT_BYTES; smaller in tests, so a small file has several). */
  segmentBytes?: number;
  /** Where memory comes from: SharedArrayBuffers in a worker, so the host can read without copying. */
  allocate?: Allocate;
  /**
   * Expected decompressed size (a plausible gzip ISIZE, or the file size of plain text): a first
   * guess for the buffer's size, trusted for nothing else (the buffer grows past it as needed).
   */
  sizeHint?: number;
  /** Stop with 'too-large' past this many decompressed bytes (zip bombs, files beyond memory). */
  maxBytes: number;
  /** 'auto' (detect from the header) or v1..v7. */
  template?: string;
  /** The file's path or name: its feed may show in it (virtual_currency/...). */
  name?: string;
  /** Validate while loading (default true). */
  validate?: boolean;
  /**
   * Without validation: only these columns get typed vectors (the others stay text, read on demand),
   * so a measure's load types what it reads and no more. Ignored when validating (the rules read every vector).
   */
  columns?: readonly string[];
  /**
   * Whether the catalog's key columns get whole-number codes while loading (TableData.textKeys; the
   * measures group and join by them). Default true; false for a load that runs no measure (a
   * column left out by `columns` gets none either).
   */
  keys?: boolean;
  maxPerRule?: number;
  /** Set by WindowBuilder (src/core/stream/window.ts): the text is let go once scanned, so no rule may keep its place in it. */
  window?: boolean;
  /** Opens a channel to another thread that runs the deep rules (see validate/deep.ts). */
  deep?: (setup: DeepSetup) => DeepChannel;
  /**
   * Whether a chunk of text is clean: no NUL bytes, nothing but UTF-8 (false when unsure; then its
   * records' text fields are checked one by one). Default: plain ASCII.
   */
  cleanText?: (chunk: Uint8Array) => boolean;
}

export interface DeepChannel {
  send(batch: DeepBatch): void;
  /** An array of a batch the other thread is done with, to fill again; undefined when none is back yet. */
  reuse?(): Float64Array | undefined;
  /** A streamed batch's copy of its rows' bytes the other thread handed back; undefined when none is. */
  reuseBytes?(): Uint8Array | undefined;
  /** Resolves with the other thread's findings once it has run every batch sent. */
  finish(): Promise<DeepReport>;
  /**
   * Null when at most `waiting` batches sent are still to be run by the other thread; else a promise
   * that resolves once that is so (a streamed load waits on it, so the batches' copies cannot pile up).
   */
  caughtUp?(waiting: number): Promise<void> | null;
}

/** The validator a load runs (validate: true), and the channel to the deep rules' thread when there is one. */
export function loadValidator(
  options: BuilderOptions,
  header: readonly string[],
  version: TemplateVersion,
  live: () => LiveTable,
): [Validator, DeepChannel | null] {
  const maxPerRule = options.maxPerRule ?? 1000;
  // (with a window the batches bring copies of their rows, as the text is let go)
  const channel =
    options.deep?.({ header, version: version.id, maxPerRule, streamed: options.window === true }) ?? null;
  const validator = new Validator(header, version, live, {
    maxPerRule,
    streamed: options.window === true,
    defer: channel ? (batch) => channel.send(batch) : undefined,
    reuse: channel?.reuse ? () => channel.reuse!() : undefined,
    reuseBytes: channel?.reuseBytes ? () => channel.reuseBytes!() : undefined,
  });
  return [validator, channel];
}
