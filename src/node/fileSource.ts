/** A Parquet part's bytes by range, from a file opened read-only. */
import * as fs from 'node:fs';
import type { ParquetSource } from '../core/parquet';
import { openParquet, type ParquetFile } from '../core/parquet/hyparquet';

/** Parquet's random access over a file opened read-only; counts the bytes it reads. */
export class FileSource implements ParquetSource {
  read = 0;
  private constructor(
    private readonly fh: fs.promises.FileHandle,
    readonly byteLength: number,
  ) {}
  static async open(file: string, size: number): Promise<FileSource> {
    return new FileSource(await fs.promises.open(file, 'r'), size);
  }
  async slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    return (await this.readInto(start, new Uint8Array(Math.max(0, stop - start)))).buffer as ArrayBuffer;
  }
  async readInto(start: number, b: Uint8Array): Promise<Uint8Array> {
    let at = 0;
    while (at < b.length) {
      const { bytesRead } = await this.fh.read(b, at, b.length - at, start + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    this.read += at;
    return b.subarray(0, at);
  }
  close(): Promise<void> {
    return this.fh.close();
  }
}

/**
 * Each part opened and its footer read, in order. The sources opened go into `opened` as they open, for
 * the caller to close (a failure part-way leaves the earlier ones there too).
 */
export async function openParquetParts(
  parts: readonly { readonly path: string; readonly size: number; readonly name: string }[],
  opened: FileSource[],
): Promise<ParquetFile[]> {
  const files: ParquetFile[] = [];
  for (const p of parts) {
    const source = await FileSource.open(p.path, p.size);
    opened.push(source);
    files.push(await openParquet(source, p.name));
  }
  return files;
}
