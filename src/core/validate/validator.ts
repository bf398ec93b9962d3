/**
 * Validates an export against one template version, record by record, as the scanner finds them
 * (during the load, or again over the loaded bytes when the user picks another version).
 *
 * Room src/core/validate: the rules and the validator that runs them, problems.
 * May import: src/core, src/core/catalog, src/core/load.
 */
import type { RecordScanner } from '../load/scan';
import { STRAY_QUOTE, UNTERMINATED_QUOTE } from '../load/scan';
import type { VectorData } from '../load/table';
import type { TemplateVersion } from '../catalog/templates';
import { BOOL_FALSE, BOOL_TRUE } from '../load/cells';
import { isDocumentedTimestamp } from '../load/lenient';
import { columnRules, newCellContext, type CellContext, type ColumnRules } from './cellRules';
import {
  ACCEPT_BOOL,
  ACCEPT_FRACTION,
  ACCEPT_NUMBER,
  ACCEPT_POSITIVE,
  ACCEPT_TIME,
  FusedChecks,
  vectorShortcut,
  type LoadChecks,
} from './fused';
import { CrossFieldRules, type RowValues } from './crossRules';
import { DeepBatcher, deepColumns, type DeepBatch, type DeepReport } from './deep';
import { DuplicateKeys } from './duplicates';
import { checkHeader } from './headerRules';
import { ProblemCollector, type ValidationReport } from './problems';
import { TextBytes } from './textBytes';

export interface LiveTable {
  readonly bytes: Uint8Array;
  readonly vectors: readonly (VectorData | null)[];
  /**
   * A streamed load (BuilderOptions.window): where `bytes` starts in the whole text, and the row
   * whose values are the vectors' first entries (0 and 0 for a table that keeps everything).
   */
  readonly base?: number;
  readonly rowBase?: number;
  /** The segment of the text `bytes` is (TableData.segments; 0 when one): rules keep places in it by number. */
  readonly segment?: number;
}

export interface ValidatorOptions {
  /** Problems kept per rule; counts stay exact. Default 1000. */
  maxPerRule?: number;
  /** Hand the deep rules (JSON, arrays, duplicates) to another thread instead of running them here. */
  defer?: (batch: DeepBatch) => void;
  /** A spent batch array to refill (the other thread hands them back), instead of a new one. */
  reuse?: () => Float64Array | undefined;
  /** A spent batch's copy of its rows' bytes (streamed), handed back by the other thread, to refill. */
  reuseBytes?: () => Uint8Array | undefined;
  /** The bytes of a record are let go once it is checked (a streamed load): what a rule keeps, it copies. */
  streamed?: boolean;
}

export class Validator {
  readonly collector: ProblemCollector;
  private readonly columns: (ColumnRules | null)[];
  /** Per column: vectorShortcut of its spec (see cellRules.ts). */
  private readonly shortcut: Uint8Array;
  private readonly shortBooleans: boolean;
  /** Columns with work per cell (rules, or a value that may not be null), ascending. */
  private active = new Int32Array(0);
  /** What the loader checks as it types each cell (fused.ts). */
  private readonly fused: FusedChecks;
  private readonly ctx: CellContext;
  private readonly cross: CrossFieldRules;
  private readonly rowValues: RowValues;
  private readonly txCol: number;
  private readonly renewalCol: number;
  private readonly duplicates: DuplicateKeys;
  private readonly batcher: DeepBatcher | null;
  private readonly textBytes: TextBytes;
  /** Byte ranges [start, end) that may hold NUL or non-UTF-8 bytes (pairs, ascending); `suspectAt` the first still ahead. */
  private readonly suspects: number[] = [];
  private suspectAt = 0;

  constructor(
    readonly header: readonly string[],
    readonly version: TemplateVersion,
    private readonly live: () => LiveTable,
    options: ValidatorOptions = {},
  ) {
    this.collector = new ProblemCollector(options.maxPerRule ?? 1000);
    if (version.toleratesUnknownColumns) this.collector.overrideSeverity('extra-label', 'information');
    this.columns = header.map((name) => columnRules(name, version));
    this.shortcut = Uint8Array.from(this.columns, (c) => (c ? vectorShortcut(c.spec) : 0));
    this.shortBooleans = version.encodings.booleans === 'tf';
    this.ctx = newCellContext(this.collector, version);
    this.cross = new CrossFieldRules(header, version.encodings, this.collector);
    this.rowValues = {
      row: 0,
      vrow: 0,
      line: 0,
      bad: new Uint8Array(header.length),
      offsets: new Float64Array(header.length),
    };
    this.txCol = header.indexOf('store_transaction_id');
    this.renewalCol = header.indexOf('renewal_number');
    this.duplicates = new DuplicateKeys(this.collector, options.streamed === true);
    if (options.defer) {
      const deep = deepColumns(header, version);
      this.batcher = new DeepBatcher(deep, options.defer, options.reuse, options.streamed === true, options.reuseBytes);
      for (const k of deep) this.columns[k] = { ...this.columns[k]!, rules: [] };
    } else this.batcher = null;
    this.active = Int32Array.from(
      [...this.columns.keys()].filter((k) => {
        const c = this.columns[k];
        return c !== null && (c.rules.length > 0 || !c.vc.nullable);
      }),
    );
    this.fused = new FusedChecks(this.columns, this.active, this.shortcut, this.shortBooleans, live().vectors);
    this.textBytes = new TextBytes(header);
    checkHeader(this.header, this.version, this.collector);
  }

  /** What the loader checks as it types each cell, to tell the rows with nothing for the rules (fused.ts). */
  loadChecks(): LoadChecks {
    return this.fused;
  }

  /**
   * Bytes [start, end) of the (whole) text may hold NUL bytes or bytes that are not UTF-8: the records over
   * them have their text fields checked (others are known to be clean). Ranges come in order.
   */
  suspect(start: number, end: number): void {
    const r = this.suspects;
    if (r.length > this.suspectAt && r[r.length - 1] >= start) r[r.length - 1] = Math.max(end, r[r.length - 1]);
    else r.push(start, end);
  }

  /** An empty line between records. */
  blankLine(line: number, offset: number): void {
    this.collector.add({
      rule: 'blank-row',
      row: null,
      line,
      column: null,
      value: null,
      message: `Line ${line} is empty`,
      offset,
    });
  }

  /**
   * `count` blank lines in a row from byte `start`, the first on physical line `line`: each is
   * counted, the first ones (up to the rule's quota) kept with their own line and offset.
   */
  blankLines(start: number, line: number, count: number): void {
    const live = this.live();
    const bytes = live.bytes;
    this.collector.base = live.base ?? 0;
    let at = start;
    for (let k = 0; k < count; k++) {
      if (!this.collector.count('blank-row', null, null, line + k)) {
        this.collector.countMore('blank-row', null, count - k - 1);
        return;
      }
      this.collector.keep({
        rule: 'blank-row',
        row: null,
        line: line + k,
        column: null,
        value: null,
        message: `Line ${line + k} is empty`,
        offset: at,
      });
      at = bytes.indexOf(0x0a, at) + 1;
    }
  }

  /**
   * One data record (0-based row), right after the typed vectors were filled for it. `dirty` false:
   * the loader, typing the row, found every typed cell accepted and no required one empty (fused.ts).
   */
  record(
    sc: RecordScanner,
    row: number,
    line: number,
    fieldCount: number,
    flags: number,
    recStart: number,
    dirty = true,
  ): void {
    const live = this.live();
    const vectors = live.vectors;
    const ncols = this.header.length;
    const ctx = this.ctx;
    const rv = this.rowValues;
    const bad = rv.bad;
    const starts = sc.starts;
    const ends = sc.ends;
    const base = live.base ?? 0;
    // the row's entry in the vectors
    const vr = row - (live.rowBase ?? 0);
    this.collector.base = base;
    ctx.bytes = live.bytes;
    ctx.base = base;
    ctx.row = row;
    ctx.vrow = vr;
    ctx.line = line;
    rv.row = row;
    rv.vrow = vr;
    rv.line = line;
    const n = fieldCount < ncols ? fieldCount : ncols;
    if (!dirty) dirty = this.fused.plainDirty(starts, ends, n);
    const active = dirty ? this.active : NONE;
    for (let j = 0; j < active.length; j++) {
      const k = active[j];
      if (k >= n) break;
      const s = starts[k];
      const e = ends[k];
      const col = this.columns[k]!;
      if (s === e) {
        if (!col.vc.nullable) {
          if (this.collector.count('required-value', col.name, row + 1, line)) {
            this.collector.keep({
              rule: 'required-value',
              row: row + 1,
              line,
              column: col.name,
              value: null,
              offset: s,
              message: `${col.name} is empty, but ${this.version.id} never leaves it null`,
            });
          }
        }
        continue;
      }
      const vector = vectors[k];
      // the typed value decides most cells; the rules run on the rest (each access site below
      // reads one kind of typed array)
      if (vector !== null) {
        const shortcut = this.shortcut[k];
        const q = sc.quoted[k];
        if (shortcut === ACCEPT_BOOL) {
          const code = (vector.data as Uint8Array)[vr];
          if (
            (code === BOOL_TRUE || code === BOOL_FALSE) &&
            (e - s - q * 2 === 1) === this.shortBooleans &&
            live.bytes[s + q] >= 0x61
          )
            continue;
        } else if (shortcut === ACCEPT_TIME) {
          const v = (vector.data as Float64Array)[vr];
          if (v === v && isDocumentedTimestamp(live.bytes, s + q, e - q)) continue;
        } else if (shortcut !== 0 && vector.kind !== 'dict') {
          const v = (vector.data as Float64Array)[vr];
          // blanks around a number: read (as SQL does), but not as written by RevenueCat
          if (
            (shortcut === ACCEPT_NUMBER
              ? v === v
              : shortcut === ACCEPT_FRACTION
                ? v >= 0 && v <= 1
                : shortcut === ACCEPT_POSITIVE && v >= 1) &&
            live.bytes[s + q] !== 0x20 &&
            live.bytes[e - q - 1] !== 0x20
          )
            continue;
        }
      }
      ctx.s = s;
      ctx.e = e;
      ctx.quoted = sc.quoted[k] === 1;
      ctx.vector = vector;
      const rules = col.rules;
      for (let r = 0; r < rules.length; r++) rules[r](ctx, col);
    }

    if (this.suspectAt < this.suspects.length) this.checkText(live.bytes, sc, n, row, line, recStart, base);

    if (flags & UNTERMINATED_QUOTE) {
      this.collector.add({
        rule: 'unterminated-quote',
        row: row + 1,
        line,
        column: null,
        value: null,
        offset: recStart,
        message: `A quoted field in the record starting on line ${line} is never closed; everything after it was read as one field`,
      });
    } else if (fieldCount > ncols) {
      this.collector.add({
        rule: 'extra-cell',
        row: row + 1,
        line,
        column: null,
        value: null,
        offset: sc.starts[ncols],
        message: `Row ${row + 1} has ${fieldCount} fields; the header has ${ncols}`,
      });
    } else if (fieldCount < ncols) {
      this.collector.add({
        rule: 'missing-cell',
        row: row + 1,
        line,
        column: null,
        value: null,
        offset: recStart,
        message: `Row ${row + 1} has ${fieldCount} fields; the header has ${ncols} (first missing: ${this.header[fieldCount]})`,
      });
    }
    if (flags & STRAY_QUOTE && !(flags & UNTERMINATED_QUOTE)) {
      // text after a closing quote: RFC 4180 does not allow it; the field was read as raw text
      this.collector.add({
        rule: 'extra-cell',
        row: row + 1,
        line,
        column: null,
        value: null,
        offset: recStart,
        message: `Row ${row + 1} has text after a closing quote; the field was read as it stands`,
      });
    }
    // what the cross-field rules read: the field offsets, and which of their cells did not parse
    rv.offsets = starts;
    const crossCols = this.cross.reads;
    for (let j = 0; j < crossCols.length; j++) {
      const k = crossCols[j];
      bad[k] = k >= n ? 1 : this.columns[k] !== null && starts[k] !== ends[k] && isUnparsed(vectors[k], vr) ? 1 : 0;
    }
    this.cross.check(rv, vectors);
    const hasKey = this.txCol >= 0 && this.renewalCol >= 0 && this.txCol < n && this.renewalCol < n;
    const renewalVector = this.renewalCol >= 0 ? vectors[this.renewalCol] : null;
    const renewal = hasKey && renewalVector ? (renewalVector.data as Float64Array)[vr] : NaN;
    if (this.batcher) {
      const tx = hasKey ? this.txCol : -1;
      this.batcher.segment = live.segment ?? 0;
      this.batcher.add(live.bytes, sc.starts, sc.ends, sc.quoted, n, row, line, tx, renewal, recStart, sc.pos, base);
    } else if (hasKey) {
      this.duplicates.check(live.bytes, sc.starts[this.txCol], sc.ends[this.txCol], renewal, row, line, live.segment);
    }
  }

  /** The text fields of a record that lies over a suspect range (the record ends at sc.pos; bytes start at `base`). */
  private checkText(
    bytes: Uint8Array,
    sc: RecordScanner,
    n: number,
    row: number,
    line: number,
    start: number,
    base: number,
  ): void {
    const r = this.suspects;
    let at = this.suspectAt;
    while (at < r.length && r[at + 1] <= base + start) at += 2;
    this.suspectAt = at;
    if (at < r.length && r[at] < base + sc.pos) this.textBytes.record(bytes, sc, n, row, line, base);
  }

  /** The bytes of the records seen so far are about to be let go (a streamed load): what the deep rules need is copied. */
  release(): void {
    this.batcher?.release(this.live().bytes);
  }

  /** Sends the partial batch of deferred rows: the last one, or the last over a segment of the text now full. */
  flushDeferred(): void {
    this.batcher?.send(this.live().bytes);
  }

  /** Closes the file-level checks once every record was seen, with the deferred rules' findings. */
  report(rowCount: number, dataStart: number, deep?: DeepReport): ValidationReport {
    if (deep) this.collector.merge(deep);
    this.collector.base = 0;
    this.textBytes.report(this.collector);
    if (rowCount === 0) {
      this.collector.add({
        rule: 'no-rows',
        row: null,
        line: 2,
        column: null,
        value: null,
        offset: dataStart,
        message:
          'The file has a header and no transactions: normal for an incremental delivery with nothing new, unexpected for a full export',
      });
    }
    return this.collector.report();
  }
}

const NONE = new Int32Array(0);

function isUnparsed(v: VectorData | null, row: number): boolean {
  if (!v) return false;
  if (v.kind === 'bool') return v.data[row] === 3;
  if (v.kind === 'dict') return false;
  return Number.isNaN((v.data as Float64Array)[row]);
}
