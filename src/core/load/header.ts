/**
 * An export's first line: whether the bytes are text at all, the header's fields, the delimiter and
 * the template version (detected, or the one asked for). Read once the first line is complete.
 */
import { fieldText, KIND_CODE } from './cells';
import { DictEncoder } from './dict';
import { loadedVectorKind, newVector, type VectorData } from './table';
import {
  chooseVersion,
  detectVersion,
  hasBom,
  looksLikeExportHeader,
  sniffDelimiter,
  type HeaderReport,
} from '../catalog/detect';
import { LoadFailure } from '../errors';
import { RecordScanner } from './scan';
import { columnSpec, type ColumnType, type Feed, type TemplateVersion } from '../catalog/templates';

export interface HeaderInfo {
  readonly header: readonly string[];
  readonly delimiter: ',' | ';';
  readonly bom: boolean;
  readonly report: HeaderReport;
  readonly version: TemplateVersion;
  readonly templateSource: 'detected' | 'option';
}

/** A header line longer than this (without a line break) means the file is not an export. */
export const HEADER_LIMIT = 64 * 1024;

export interface HeaderRead {
  readonly info: HeaderInfo;
  /** The scanner that read the header, positioned at the first data record. */
  readonly scanner: RecordScanner;
}

/**
 * The header of the text b[0, length), or null while its line is not complete (and more may come).
 * Throws LoadFailure for binary data, a first line that is no export header, or a bad template.
 */
export function readHeader(
  b: Uint8Array,
  length: number,
  final: boolean,
  template?: string,
  name?: string,
): HeaderRead | null {
  // binary: a control byte in the first line, or many in the first 4 KB (a few NUL bytes in the
  // rows are text damage, which the validator reports)
  const probe = Math.min(length, 4096);
  let control = 0;
  let inHeader = false;
  let firstLine = true;
  for (let i = 0; i < probe; i++) {
    const c = b[i];
    if (c === 0x0a) firstLine = false;
    else if (c < 0x09 || (c > 0x0d && c < 0x20)) {
      control++;
      if (firstLine) inHeader = true;
    }
  }
  if (inHeader || control * 16 > probe) {
    throw new LoadFailure(
      'binary',
      'The file holds binary data, not CSV text: it is neither a gzip-compressed export nor a plain CSV export',
    );
  }
  const start = hasBom(b) ? 3 : 0;
  // only the filled part: the buffer past `length` is room reserved for what is still to come
  let lf = b.subarray(0, Math.min(length, start + HEADER_LIMIT + 1)).indexOf(0x0a, start);
  if (lf < 0) {
    if (length - start > HEADER_LIMIT) {
      throw new LoadFailure(
        'not-an-export',
        `The first ${HEADER_LIMIT / 1024} KB hold no line break, so there is no CSV header: this is not a RevenueCat export`,
      );
    }
    if (!final) return null;
    lf = length;
  }
  const delimiter = sniffDelimiter(b, start, lf);
  const scanner = new RecordScanner(delimiter.charCodeAt(0), start, 1);
  let header: string[] = [];
  scanner.scan(
    b,
    length,
    final,
    {
      record: (sc, _s, _l, n) => {
        header = [];
        for (let k = 0; k < n; k++) header.push(fieldText(b, sc.starts[k], sc.ends[k], sc.quoted[k] === 1).trim());
      },
    },
    1,
  );
  const report = detectVersion(header, name);
  if (!looksLikeExportHeader(header, report.knownColumns)) {
    const shown = new TextDecoder().decode(b.subarray(start, Math.min(lf, start + 120)));
    throw new LoadFailure(
      'not-an-export',
      `The first line is not a RevenueCat export header (it should name columns such as store_transaction_id and start_time); it reads: ${JSON.stringify(shown)}`,
    );
  }
  let chosen;
  try {
    chosen = chooseVersion(template, report);
  } catch (e) {
    throw new LoadFailure('bad-option', (e as Error).message);
  }
  // a data record needs the fields the header names, and one more to point at when it has too many
  scanner.keep = header.length + 1;
  return {
    info: { header, delimiter, bom: start === 3, report, version: chosen.version, templateSource: chosen.source },
    scanner,
  };
}

/** What a header's columns get in a table: each one's type, vector kind (KIND_CODE, 0: text), dictionary and vector. */
export interface ColumnSetup {
  readonly types: ColumnType[];
  readonly kinds: Int8Array;
  readonly dicts: (DictEncoder | null)[];
  readonly vectors: (VectorData | null)[];
}

/** The columns of a header, with vectors of `capacity` rows; with `only`, the columns not in it stay text. */
export function columnSetup(
  header: readonly string[],
  feed: Feed,
  only: Set<string> | null,
  capacity: number,
  alloc: (bytes: number) => ArrayBufferLike,
): ColumnSetup {
  const kinds = new Int8Array(header.length);
  const dicts: (DictEncoder | null)[] = [];
  const vectors: (VectorData | null)[] = [];
  header.forEach((h, k) => {
    const spec = columnSpec(h, feed);
    const kind = only && !only.has(h) ? null : loadedVectorKind(spec);
    kinds[k] = kind ? KIND_CODE[kind] : 0;
    dicts.push(kind === 'dict' ? new DictEncoder() : null);
    vectors.push(kind ? newVector(kind, capacity, alloc, undefined, dicts[k]?.values) : null);
  });
  return { types: header.map((h) => columnSpec(h, feed)?.type ?? 'string'), kinds, dicts, vectors };
}
