/**
 * A one-time request to open a file in the window of one folder (what `npm start` asks of the window it
 * opens): a small JSON file ({ file, folder }) whose path every extension host of the server inherits.
 * Only a window on that folder takes it, and the first to take it deletes it, so other windows (other
 * folders, later windows) open nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The environment variable naming the request file. */
export const OPEN_REQUEST_ENV = 'RC_EXPORT_OPEN_REQUEST';

/** Writes a request to open `file` in the window of `folder`. */
export function writeOpenRequest(requestFile: string, file: string, folder: string): void {
  fs.writeFileSync(requestFile, JSON.stringify({ file: path.resolve(file), folder: path.resolve(folder) }));
}

/** The file to open, if the request is for one of `folders` and this window is the first to claim it. */
export function claimOpenRequest(requestFile: string | undefined, folders: readonly string[]): string | null {
  if (!requestFile) return null;
  let request: { file?: unknown; folder?: unknown };
  try {
    request = JSON.parse(fs.readFileSync(requestFile, 'utf8')) as typeof request;
  } catch {
    return null; // taken by another window already, or never written
  }
  if (typeof request.file !== 'string' || typeof request.folder !== 'string') return null;
  const wanted = path.resolve(request.folder);
  if (!folders.some((f) => path.resolve(f) === wanted)) return null;
  try {
    fs.unlinkSync(requestFile); // only one window gets past this
  } catch {
    return null;
  }
  return request.file;
}
