/**
 * Pure helpers for export text in editors (no `vscode`, unit-tested in Node): recognising an export
 * header line, the fields of a line, and where the text view cuts a huge file.
 */
import { detectVersion, looksLikeExportHeader } from '../../core/catalog/detect';

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
