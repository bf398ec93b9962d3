/** node:zlib behind the Decompressor interface: inflation runs on libuv's thread pool. */
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { corruptGzip, truncatedGzip, type Decompressor } from '../core/load/decode';

export const nodeGunzip: Decompressor = async function* (input) {
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
  const source = Readable.from(input, { objectMode: false });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  let produced = 0;
  try {
    for await (const chunk of gunzip) {
      produced += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) throw truncatedGzip(produced);
    if (typeof err.code === 'string' && err.code.startsWith('Z_')) throw corruptGzip(err.message);
    throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
};
