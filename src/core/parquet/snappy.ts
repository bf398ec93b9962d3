/**
 * Snappy block decompression (the raw format Parquet pages use, without framing) into a buffer of
 * the page's uncompressed size. Long literals move with set; short ones, and copies (at most 64
 * bytes), four bytes at a time where they can.
 */

function damaged(what: string): Error {
  return new Error(`Snappy data is damaged (${what})`);
}

/** Decompresses `input` into all of `out`, whose length must be the uncompressed size. */
export function snappyInto(input: Uint8Array, out: Uint8Array): void {
  const n = input.length;
  let pos = 0;
  let size = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= n || shift > 28) throw damaged('length');
    const c = input[pos++];
    size += (c & 0x7f) * 2 ** shift;
    if (c < 0x80) break;
  }
  if (size !== out.length) throw damaged(`${size} bytes where the page says ${out.length}`);
  const iv = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const ov = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = 0;
  while (pos < n) {
    const c = input[pos++];
    const tag = c & 3;
    if (tag === 0) {
      let len = c >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > n) throw damaged('literal length');
        len = 0;
        for (let k = bytes - 1; k >= 0; k--) len = len * 256 + input[pos + k];
        pos += bytes;
      }
      len += 1;
      if (pos + len > n || o + len > size) throw damaged('literal');
      if (len >= 256) out.set(input.subarray(pos, pos + len), o);
      else if (pos + len + 3 < n && o + len + 3 < size)
        // four bytes at a time (the last word passes the literal's end: later bytes overwrite it)
        for (let k = 0; k < len; k += 4) ov.setInt32(o + k, iv.getInt32(pos + k, true), true);
      else for (let k = 0; k < len; k++) out[o + k] = input[pos + k];
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (tag === 1) {
      if (pos >= n) throw damaged('copy');
      len = ((c >>> 2) & 7) + 4;
      offset = ((c >>> 5) << 8) | input[pos++];
    } else if (tag === 2) {
      if (pos + 2 > n) throw damaged('copy');
      len = (c >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > n) throw damaged('copy');
      len = (c >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > size) throw damaged('copy offset');
    const from = o - offset;
    // (a copy is at most 64 bytes: a word loop beats copyWithin's call at that size)
    if (offset >= 4 && o + len + 3 < size)
      // a forward copy four bytes at a time reads only bytes already written when offset ≥ 4
      for (let k = 0; k < len; k += 4) ov.setInt32(o + k, ov.getInt32(from + k, true), true);
    else if (offset >= len) out.copyWithin(o, from, from + len);
    else for (let k = 0; k < len; k++) out[o + k] = out[from + k];
    o += len;
  }
  if (o !== size) throw damaged('ends early');
}
