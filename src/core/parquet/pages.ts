/**
 * The pages of a column chunk: page headers (Thrift compact protocol, only the fields a flat column
 * needs), and the RLE/bit-packed hybrid that definition levels and dictionary indices use.
 */

/** Page types. */
export const DATA_PAGE = 0;
export const DICTIONARY_PAGE = 2;
export const DATA_PAGE_V2 = 3;

/** Encodings. */
export const PLAIN = 0;
export const PLAIN_DICTIONARY = 2;
export const RLE = 3;
export const RLE_DICTIONARY = 8;

/** What this reader does not decode (another encoding, a wider index): the chunk goes to hyparquet. */
export class Unsupported extends Error {}

export interface PageHeader {
  type: number;
  uncompressed: number;
  compressed: number;
  /** Values in the page, NULLs included (flat columns: rows). */
  values: number;
  encoding: number;
  /** v1: the levels' encoding. */
  levelEncoding: number;
  /** v2: the levels' byte lengths, and whether the values are compressed. */
  defBytes: number;
  repBytes: number;
  compressedValues: boolean;
  /** Where the page's data starts in the chunk. */
  dataStart: number;
}

/** Thrift compact protocol, just enough to read a page header and skip what it does not need. */
class Compact {
  constructor(
    private readonly b: Uint8Array,
    public pos: number,
  ) {}

  byte(): number {
    if (this.pos >= this.b.length) throw new Error('page header cut off');
    return this.b[this.pos++];
  }

  varint(): number {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const c = this.byte();
      v += (c & 0x7f) * 2 ** shift;
      if (c < 0x80) return v;
      if (shift > 63) throw new Error('page header varint too long');
    }
  }

  int(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  skip(type: number): void {
    switch (type) {
      case 1: // true
      case 2: // false
        return;
      case 3: // byte
        this.pos++;
        return;
      case 4: // i16
      case 5: // i32
      case 6: // i64
        this.varint();
        return;
      case 7: // double
        this.pos += 8;
        return;
      case 8: // binary
        this.pos += this.varint();
        return;
      case 9: // list
      case 10: {
        // set
        const h = this.byte();
        const size = h >> 4 === 15 ? this.varint() : h >> 4;
        for (let i = 0; i < size; i++) this.skip(h & 15);
        return;
      }
      case 11: {
        // map
        const size = this.varint();
        if (size === 0) return;
        const kv = this.byte();
        for (let i = 0; i < size; i++) {
          this.skip(kv >> 4);
          this.skip(kv & 15);
        }
        return;
      }
      case 12:
        this.struct(() => false);
        return;
      default:
        throw new Error(`page header has an unknown field type ${type}`);
    }
  }

  /** Reads a struct; `field` reads a field it knows (returns true) or leaves it to be skipped. */
  struct(field: (id: number, type: number) => boolean): void {
    let id = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return;
      const type = h & 15;
      id = h >> 4 ? id + (h >> 4) : this.int();
      if (type === 1 || type === 2) {
        // a boolean's value is its type
        field(id, type);
        continue;
      }
      if (!field(id, type)) this.skip(type);
    }
  }
}

/** The page header at `pos` of a column chunk. */
export function readPageHeader(b: Uint8Array, pos: number): PageHeader {
  const r = new Compact(b, pos);
  const h: PageHeader = {
    type: -1,
    uncompressed: 0,
    compressed: 0,
    values: 0,
    encoding: PLAIN,
    levelEncoding: RLE,
    defBytes: 0,
    repBytes: 0,
    compressedValues: true,
    dataStart: 0,
  };
  r.struct((id, type) => {
    if (id === 1 && type === 5) h.type = r.int();
    else if (id === 2 && type === 5) h.uncompressed = r.int();
    else if (id === 3 && type === 5) h.compressed = r.int();
    else if (id === 5 && type === 12)
      r.struct((f, t) => {
        if (t !== 5) return false;
        if (f === 1) h.values = r.int();
        else if (f === 2) h.encoding = r.int();
        else if (f === 3) h.levelEncoding = r.int();
        else return false;
        return true;
      });
    else if (id === 7 && type === 12)
      r.struct((f, t) => {
        if (t !== 5) return false;
        if (f === 1) h.values = r.int();
        else if (f === 2) h.encoding = r.int();
        else return false;
        return true;
      });
    else if (id === 8 && type === 12)
      r.struct((f, t) => {
        if (f === 7 && (t === 1 || t === 2)) h.compressedValues = t === 1;
        else if (t !== 5) return false;
        else if (f === 1) h.values = r.int();
        else if (f === 4) h.encoding = r.int();
        else if (f === 5) h.defBytes = r.int();
        else if (f === 6) h.repBytes = r.int();
        else return false;
        return true;
      });
    else return false;
    return true;
  });
  if (h.compressed < 0 || h.uncompressed < 0 || h.values < 0) throw new Error('page header has a negative size');
  h.dataStart = r.pos;
  return h;
}

/**
 * Decodes `count` values of the RLE/bit-packed hybrid of `width` bits in b[pos, end) into out[at…].
 * Returns where it stopped reading.
 */
export function readHybrid(
  b: Uint8Array,
  pos: number,
  end: number,
  width: number,
  count: number,
  out: Int32Array | Uint8Array,
  at: number,
): number {
  if (width > 24) throw new Unsupported(`indices of ${width} bits`);
  const stop = at + count;
  const mask = (1 << width) - 1;
  const bytes = (width + 7) >> 3;
  let i = at;
  while (i < stop) {
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end) throw new Error('levels or indices end early');
      const c = b[pos++];
      header += (c & 0x7f) * 2 ** shift;
      if (c < 0x80) break;
    }
    if (header % 2 === 0) {
      // a run of one value
      let v = 0;
      for (let k = 0; k < bytes; k++) v |= b[pos + k] << (8 * k);
      pos += bytes;
      const n = Math.min(stop - i, header / 2);
      out.fill(v, i, i + n);
      i += n;
    } else {
      // groups of 8 values, bit-packed from the lowest bit
      const n = ((header - 1) / 2) * 8;
      const next = pos + (n * width) / 8;
      const last = Math.min(stop, i + n);
      let acc = 0;
      let bits = 0;
      let p = pos;
      while (i < last) {
        while (bits < width) {
          acc |= (p < end ? b[p] : 0) << bits;
          p++;
          bits += 8;
        }
        out[i++] = acc & mask;
        acc >>>= width;
        bits -= width;
      }
      pos = next;
    }
  }
  return pos;
}
