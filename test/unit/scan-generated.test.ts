import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { fieldText } from '../../src/core/load/cells';
import { hasBom } from '../../src/core/catalog/detect';
import { RecordScanner } from '../../src/core/load/scan';
import type { VersionId } from '../../src/core/catalog/templates';
import { generateExport, type GenOptions } from '../gen/generator';

/** Every record of a document as our scanner reads it, fed in chunks of `chunk` bytes. */
function scanAll(text: Buffer, delimiter: string, chunk: number): string[][] {
  const out: string[][] = [];
  const sc = new RecordScanner(delimiter.charCodeAt(0), hasBom(text) ? 3 : 0);
  const sink = {
    record(s: RecordScanner, _start: number, _line: number, n: number) {
      const rec: string[] = [];
      for (let k = 0; k < n; k++) rec.push(fieldText(text, s.starts[k], s.ends[k], s.quoted[k] === 1));
      out.push(rec);
    },
  };
  for (let end = chunk; end < text.length; end += chunk) sc.scan(text, end, false, sink);
  sc.scan(text, text.length, true, sink);
  return out;
}

describe('scanner vs csv-parse on generated exports', () => {
  const versions: VersionId[] = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7'];
  const variants: Partial<GenOptions>[] = [
    { delimiter: ',' },
    { delimiter: ';', crlf: true, bom: true },
    { delimiter: ',', multiline: true, finalNewline: false, crlf: true },
    { delimiter: ';', multiline: true, columnOrder: 'physical' },
  ];
  for (const version of versions) {
    it(`${version}: identical records in every variant, fed in odd-sized chunks`, () => {
      for (const [i, variant] of variants.entries()) {
        const g = generateExport({ version, rows: 700, seed: 100 + i, ...variant });
        const delimiter = variant.delimiter ?? ',';
        const reference = parse(g.text, { delimiter, bom: true, relax_column_count: true }) as string[][];
        const ours = scanAll(g.text, delimiter, 4093);
        assert.equal(ours.length, reference.length, JSON.stringify(variant));
        assert.deepEqual(ours, reference, JSON.stringify(variant));
      }
    });
  }
});
