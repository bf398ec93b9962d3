/**
 * What the Problems panel shows for one loaded export, as plain data (no `vscode` here, so it is
 * unit-tested in Node): the first `maxPerFile` problems in file order at the exact place of their
 * field, then one summary per rule and column for everything past the cap.
 *
 * Places are 0-based lines and UTF-16 characters, as a text document of the decompressed CSV has
 * them (a BOM is not part of the text): the line is the physical line where the field starts (the
 * line where its record starts, unless a quoted line break of the same record comes first), the range
 * spans the field. Only the shown problems are located, so the work does not grow with the number of
 * problems in the file: the validator keeps exact counts and only the first problems of each rule.
 */
import type { RuleId, Severity } from '../../core/catalog/rules';
import { segmentOf, type TableData } from '../../core/load/table';
import type { Problem, ValidationReport } from '../../core/validate/problems';

export interface Place {
  readonly line: number;
  readonly character: number;
  readonly endLine: number;
  readonly endCharacter: number;
}

export interface PlannedDiagnostic {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly place: Place;
  readonly message: string;
  /** True for a "N more …" line standing for problems past the cap. */
  readonly summary: boolean;
}

/** VS Code keeps at most this many diagnostics per file (errors first) and drops the rest. */
export const VSCODE_MAX_PER_FILE = 1000;

export interface PlanOptions {
  /** Problems shown one by one; the rest are summed up per rule and column. */
  readonly maxPerFile: number;
  /** Diagnostics in all, summaries included (default VSCODE_MAX_PER_FILE): fewer problems are
   *  shown one by one when the summaries would not fit otherwise. */
  readonly maxTotal?: number;
  /** Only the text before this byte offset is shown (the text view of a huge file); default all. */
  readonly shownBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** UTF-16 code units of the UTF-8 bytes [from, to). */
export function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i];
    if ((b & 0xc0) !== 0x80) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** End of the field starting at `start` (quotes respected, stray text after a closing quote included). */
export function fieldEnd(bytes: Uint8Array, start: number, delimiter: number): number {
  let i = start;
  const n = bytes.length;
  if (bytes[i] === QUOTE) {
    for (i++; i < n; i++) {
      if (bytes[i] === QUOTE) {
        if (bytes[i + 1] === QUOTE) i++;
        else {
          i++;
          break;
        }
      }
    }
  }
  while (i < n && bytes[i] !== delimiter && bytes[i] !== LF && bytes[i] !== CR) i++;
  return i;
}

/** Start of field k of the record starting at `recordStart`, or -1 when the record has fewer fields. */
export function fieldStart(bytes: Uint8Array, recordStart: number, k: number, delimiter: number): number {
  let s = recordStart;
  for (let j = 0; j < k; j++) {
    const e = fieldEnd(bytes, s, delimiter);
    if (bytes[e] !== delimiter) return -1;
    s = e + 1;
  }
  return s;
}

function lineEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length && bytes[i] !== LF && bytes[i] !== CR) i++;
  return i;
}

/** Turns byte offsets into lines and characters, walking forward from a known line start. */
export class Locator {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly bom: boolean,
  ) {}

  /** Line and character of `offset`, given that `anchor` (≤ offset) starts 0-based line `anchorLine`. */
  at(anchor: number, anchorLine: number, offset: number): { line: number; character: number } {
    const b = this.bytes;
    let line = anchorLine;
    let lineStart = anchor;
    for (let i = anchor; i < offset; i++) {
      if (b[i] === LF) {
        line++;
        lineStart = i + 1;
      }
    }
    let character = utf16Length(b, lineStart, offset);
    if (this.bom && lineStart === 0) character = Math.max(0, character - 1);
    return { line, character };
  }

  /** The range [from, to) with `from` located from the anchor. */
  range(anchor: number, anchorLine: number, from: number, to: number): Place {
    const b = this.bytes;
    const a = this.at(anchor, anchorLine, from);
    let endLine = a.line;
    let lineStart = -1;
    for (let i = from; i < to; i++) {
      if (b[i] === LF) {
        endLine++;
        lineStart = i + 1;
      }
    }
    const endCharacter = lineStart < 0 ? a.character + utf16Length(b, from, to) : utf16Length(b, lineStart, to);
    return { line: a.line, character: a.character, endLine, endCharacter };
  }
}

/** The segment of the text (TableData.segments) that holds a place in the whole text. */
function segmentAt(table: TableData, offset: number): number {
  const starts = table.segmentStarts;
  let g = 0;
  while (g + 1 < starts.length && starts[g + 1] <= offset) g++;
  return g;
}

/** The text's segment `g`, and a Locator over it. */
function locatorOf(table: TableData, g: number): [Uint8Array, Locator] {
  const b = table.segments[g];
  return [b, new Locator(b, table.bom && g === 0)];
}

/**
 * Where a kept problem sits in the text (its offset is a place in the whole text; the lines are
 * found in the segment that holds it).
 */
export function placeOf(table: TableData, p: Problem): Place {
  const delim = table.delimiter.charCodeAt(0);
  const line0 = p.line - 1;
  if (p.row === null) {
    const g = p.line === 1 ? 0 : segmentAt(table, p.offset);
    const [b, locator] = locatorOf(table, g);
    if (p.line === 1 && p.column !== null) {
      // a header problem: the column's name in the header line, or the whole line for a missing column
      const k = p.rule === 'duplicate-label' ? table.header.lastIndexOf(p.column) : table.header.indexOf(p.column);
      const headerStart = table.bom ? 3 : 0;
      const s = k < 0 ? -1 : fieldStart(b, headerStart, k, delim);
      if (s < 0) return locator.range(0, 0, headerStart, lineEnd(b, headerStart));
      return locator.range(0, 0, s, fieldEnd(b, s, delim));
    }
    // blank-row, no-rows: the offset is the start of their line
    const at = Math.min(p.offset - table.segmentStarts[g], b.length);
    return locator.range(at, line0, at, lineEnd(b, at));
  }
  const g = segmentOf(table, p.row - 1);
  const [b, locator] = locatorOf(table, g);
  const recordStart = table.rowStarts[p.row - 1];
  const local = p.offset - table.segmentStarts[g];
  const offset = local >= recordStart && local <= b.length ? local : recordStart;
  // a record-level problem: from its offset to the end of that line
  if (p.column === null) return locator.range(recordStart, line0, offset, lineEnd(b, offset));
  // a field whose offset belongs to no field of this record (a short row): find the column's field
  if (offset !== local) return columnPlace(table, p.row, p.line, p.column);
  return locator.range(recordStart, line0, offset, fieldEnd(b, offset, delim));
}

const key = (rule: string, column: string | null) => (column === null ? rule : `${rule}\u0000${column}`);

/** The diagnostics of one file: the first problems at their places, then the summaries. */
export function planDiagnostics(table: TableData, report: ValidationReport, options: PlanOptions): PlannedDiagnostic[] {
  const maxTotal = options.maxTotal ?? VSCODE_MAX_PER_FILE;
  let shown = Math.min(options.maxPerFile, maxTotal);
  for (;;) {
    const plan = planWith(table, report, shown, options.shownBytes ?? Infinity);
    // showing fewer can only add summaries, so this ends within a few rounds
    if (plan.length <= maxTotal || shown === 0) return plan;
    shown = Math.max(0, shown - (plan.length - maxTotal));
  }
}

function planWith(table: TableData, report: ValidationReport, maxShown: number, limit: number): PlannedDiagnostic[] {
  const out: PlannedDiagnostic[] = [];
  const shownPer = new Map<string, number>();
  const firstHidden = new Map<string, Problem>();
  for (const p of report.problems) {
    const k = key(p.rule, p.column);
    if (out.length < maxShown && p.offset < limit) {
      shownPer.set(k, (shownPer.get(k) ?? 0) + 1);
      out.push({
        rule: p.rule,
        severity: p.severity,
        place: placeOf(table, p),
        message: messageOf(p),
        summary: false,
      });
    } else if (!firstHidden.has(k)) firstHidden.set(k, p);
  }
  const summaries: PlannedDiagnostic[] = [];
  for (const t of report.tallies) {
    const k = key(t.rule, t.column);
    const more = t.count - (shownPer.get(k) ?? 0);
    if (more <= 0) continue;
    // kept problems of a rule are its first ones, so a kept hidden one comes before any not kept
    const hidden = firstHidden.get(k);
    const row = hidden ? hidden.row : t.unkeptRow;
    const line = hidden ? hidden.line : t.unkeptLine || t.firstLine;
    const where = row !== null ? `row ${row.toLocaleString('en-US')}` : `line ${line.toLocaleString('en-US')}`;
    let place: Place;
    if (hidden && hidden.offset < limit) place = placeOf(table, hidden);
    else if (!hidden && row !== null && row >= 1 && row <= table.rowCount && rowPlace(table, row - 1) < limit) {
      place = columnPlace(table, row, line, t.column);
    } else place = { line: line - 1, character: 0, endLine: line - 1, endCharacter: 0 };
    summaries.push({
      rule: t.rule,
      severity: t.severity,
      place,
      message: `${more.toLocaleString('en-US')} more ${t.rule}${t.column !== null ? ` in ${t.column}` : ''}, first at ${where}${
        Number.isFinite(limit) && (!hidden || hidden.offset >= limit) ? ' (past the part of the file shown)' : ''
      }`,
      summary: true,
    });
  }
  summaries.sort((a, b) => a.place.line - b.place.line || a.rule.localeCompare(b.rule));
  return out.concat(summaries);
}

/** The field of `column` in a data row, found by walking the record (for problems not kept). */
function columnPlace(table: TableData, row: number, line: number, column: string | null): Place {
  const [b, locator] = locatorOf(table, segmentOf(table, row - 1));
  const delim = table.delimiter.charCodeAt(0);
  const recordStart = table.rowStarts[row - 1];
  const k = column === null ? -1 : table.header.indexOf(column);
  const s = k < 0 ? -1 : fieldStart(b, recordStart, k, delim);
  if (s < 0) return locator.range(recordStart, line - 1, recordStart, lineEnd(b, recordStart));
  return locator.range(recordStart, line - 1, s, fieldEnd(b, s, delim));
}

/** Where a data row (0-based) starts in the whole text. */
function rowPlace(table: TableData, row: number): number {
  return table.segmentStarts[segmentOf(table, row)] + table.rowStarts[row];
}

/** The validator's message, with the row for problems inside a row whose message does not say it. */
export function messageOf(p: Problem): string {
  if (p.row === null || /\brow \d/i.test(p.message)) return p.message;
  return `${p.message} (row ${p.row.toLocaleString('en-US')})`;
}
