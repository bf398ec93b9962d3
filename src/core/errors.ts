/**
 * Failures a user can meet when loading a file. They travel as values ({ ok: false, error }) to the
 * CLI and the editor; LoadFailure is only thrown inside the loader and caught at its edge.
 *
 * Room src/core: the domain, free of vscode and the DOM; here the failures a user can meet, the zod entry and the info summary.
 * May import: src/core/catalog, src/core/load.
 */
export const LOAD_ERROR_CODES = [
  'empty',
  'not-gzip',
  'gzip-truncated',
  'gzip-corrupt',
  'parquet-corrupt',
  'binary',
  'not-an-export',
  'too-large',
  'cancelled',
  'io',
  'bad-option',
  /** A bug of ours, not a problem of the file: the message says so and `detail` has the stack. */
  'internal',
] as const;

export type LoadErrorCode = (typeof LOAD_ERROR_CODES)[number];

export interface LoadError {
  readonly code: LoadErrorCode;
  readonly message: string;
  readonly detail?: string;
}

export class LoadFailure extends Error implements LoadError {
  constructor(
    readonly code: LoadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LoadFailure';
  }
}

export function toLoadError(e: unknown): LoadError {
  if (e instanceof LoadFailure) return { code: e.code, message: e.message };
  const err = e as { code?: unknown; syscall?: unknown; message?: string; stack?: string } | null;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string')
    return { code: 'io', message: `The file cannot be read (${err.code})` };
  return {
    code: 'internal',
    message: `Internal error while loading: ${err?.message ?? String(e)}`,
    detail: err?.stack,
  };
}

/** A byte count as people read it: `100 B`, `64.0 KiB`, `1.5 MiB`, `2 GiB`. */
export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(n % 2 ** 30 ? 1 : 0)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
