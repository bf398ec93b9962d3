/** Temporary files for tests: every test writes into its own folder under the OS temp dir. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

export function tempDir(prefix = 'rc-export-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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
