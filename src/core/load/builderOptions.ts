/** What the table builder (builder.ts) is given: where memory comes from, limits, and the validation it runs. */
import type { DeepBatch, DeepReport, DeepSetup } from '../validate/deep';

export type Allocate = (bytes: number) => ArrayBufferLike;

export interface BuilderOptions {
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
  /** Resolves with the other thread's findings once it has run every batch sent. */
  finish(): Promise<DeepReport>;
}
