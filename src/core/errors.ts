/**
 * Failures a user can meet when loading a file. They travel as values ({ ok: false, error }) to the
 * CLI and the editor; LoadFailure is only thrown inside the loader and caught at its edge.
 */
export type LoadErrorCode =
  | 'empty'
  | 'not-gzip'
  | 'gzip-truncated'
  | 'gzip-corrupt'
  | 'binary'
  | 'not-an-export'
  | 'too-large'
  | 'cancelled'
  | 'io'
  | 'bad-option';

export interface LoadError {
  readonly code: LoadErrorCode;
  readonly message: string;
}

export class LoadFailure extends Error implements LoadError {
  constructor(readonly code: LoadErrorCode, message: string) {
    super(message);
    this.name = 'LoadFailure';
  }
}

export function toLoadError(e: unknown): LoadError {
  if (e instanceof LoadFailure) return { code: e.code, message: e.message };
  if (process.env.RC_EXPORT_DEBUG) console.error(e);
  return { code: 'io', message: e instanceof Error ? e.message : String(e) };
}
