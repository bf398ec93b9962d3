/**
 * Pure helpers for export text in editors (no `vscode`, unit-tested in Node): recognising an export
 * header line, the fields of a line, where the text view cuts a huge file, and text made safe to
 * show in Markdown.
 */
import { detectVersion, looksLikeExportHeader } from '../../core/catalog/detect';
import type { ColumnSpec, VersionColumn } from '../../core/catalog/templates';

/** The column names of an export header line, or null when the line is not one. */
export function exportHeader(line: string): { names: string[]; delimiter: ',' | ';' } | null {
  const text = line.replace(/^\uFEFF/, '').replace(/\r$/, '');
  const delimiter = text.split(';').length > text.split(',').length ? ';' : ',';
  const names = text.split(delimiter).map((n) => n.replace(/^"(.*)"$/, '$1'));
  return looksLikeExportHeader(names, detectVersion(names).knownColumns) ? { names, delimiter } : null;
}

/** Field k of a line spans [start, end); quotes respected (the line is taken to start a record). */
export function fieldsOfLine(line: string, delimiter: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = 0;
  for (;;) {
    const start = i;
    if (line[i] === '"') {
      for (i++; i < line.length; i++) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') i++;
          else {
            i++;
            break;
          }
        }
      }
    }
    while (i < line.length && line[i] !== delimiter) i++;
    out.push({ start, end: i });
    if (i >= line.length) return out;
    i++;
  }
}

/** Where to cut `bytes` to show at most `max` of them: after the last line end within the limit. */
export function textCut(bytes: Uint8Array, max: number): number {
  if (bytes.length <= max) return bytes.length;
  const i = bytes.lastIndexOf(0x0a, Math.max(0, max - 1));
  return i < 0 ? 0 : i + 1;
}

/**
 * Text that Markdown shows as written: every ASCII punctuation character is backslash-escaped (so
 * nothing in it becomes a link, an image, HTML, emphasis or code, and no URL is linked by itself),
 * line breaks become spaces.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A Markdown code block showing `code` as written (its fence longer than any run of backticks in it). */
export function codeBlock(code: string, language: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${code}\n${fence}`;
}

export interface HoverField {
  readonly name: string;
  /** 1-based. */
  readonly column: number;
  readonly spec: ColumnSpec | undefined;
  readonly vc: VersionColumn | undefined;
  readonly version: string;
  /** The field as written on a data line; null on the header line. */
  readonly raw: string | null;
}

/**
 * The hover of a field: the column's name, type, whether the version lets it be empty, its meaning
 * from the catalog (written with Markdown code spans) and the value. What comes from the file (the
 * name, the value) is shown as text, never read as Markdown.
 */
export function fieldHoverMarkdown(f: HoverField): string {
  let md = `**${escapeMarkdown(f.name)}** · column ${f.column}`;
  if (f.spec) md += ` · ${f.spec.type}`;
  md += f.vc
    ? f.vc.nullable
      ? ` · may be empty in ${f.version}`
      : ` · never empty in ${f.version}`
    : ` · not part of ${f.version}`;
  md += `\n\n${f.spec ? f.spec.doc : 'Not a documented column of any template version.'}`;
  if (f.raw !== null) {
    md += '\n\n';
    md += f.raw === '' ? '*null (empty)*' : codeBlock(f.raw.length > 300 ? `${f.raw.slice(0, 299)}…` : f.raw, 'text');
  }
  return md;
}
