/** Validating an already loaded table again, for example against another template version. */
import { RecordScanner, type RecordScanner as Scanner } from '../load/scan';
import type { TableData } from '../load/table';
import type { TemplateVersion } from '../catalog/templates';
import type { ValidationReport } from './problems';
import { plainAscii } from './textBytes';
import { Validator, type ValidatorOptions } from './validator';

export function validateTable(
  table: TableData,
  version: TemplateVersion,
  options: ValidatorOptions = {},
): ValidationReport {
  // the segment being read, as the validator sees it
  let live = { bytes: table.segments[0], vectors: table.vectors, base: 0, rowBase: 0, segment: 0 };
  const validator = new Validator(table.header, version, () => live, options);
  const scanner = new RecordScanner(table.delimiter.charCodeAt(0), table.dataStart, 2);
  let row = 0;
  scanner.keep = table.header.length + 1;
  table.segments.forEach((b, g) => {
    if (!plainAscii(b)) validator.suspect(table.segmentStarts[g], table.segmentStarts[g] + b.length);
  });
  const sink = {
    blankLines(start: number, _end: number, line: number, count: number) {
      validator.blankLines(start, line, count);
    },
    record(sc: Scanner, start: number, line: number, n: number, flags: number) {
      if (n === 1 && sc.starts[0] === sc.ends[0] && sc.quoted[0] === 0) {
        validator.blankLine(line, start);
        return;
      }
      validator.record(sc, row++, line, n, flags, start);
    },
  };
  table.segments.forEach((b, g) => {
    if (g > 0) {
      validator.flushDeferred();
      live = { ...live, bytes: b, base: table.segmentStarts[g], segment: g };
      scanner.pos = 0;
    }
    scanner.scan(b, b.length, true, sink);
  });
  return validator.report(row, table.dataStart);
}
