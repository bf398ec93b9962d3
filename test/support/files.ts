/**
 * Temporary files for tests: every test writes into its own folder under the OS temp dir. The folders
 * are removed when the test process ends, whatever a test did with them; under `npm test` each one is
 * also named in RC_TEST_TEMP_LOG, so the run can check that none was left behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const made = new Set<string>();

function removeAll(): void {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  made.clear();
}

export function tempDir(prefix = 'rc-export-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.size === 0) process.once('exit', removeAll);
  made.add(dir);
  if (process.env.RC_TEST_TEMP_LOG) fs.appendFileSync(process.env.RC_TEST_TEMP_LOG, `${dir}\n`);
  return dir;
}

export function writeGz(dir: string, name: string, text: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, zlib.gzipSync(typeof text === 'string' ? Buffer.from(text) : text));
  return file;
}

export function writeRaw(dir: string, name: string, bytes: string | Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}
