import assert from 'node:assert/strict';
import { loadExport } from '../../src/core/load';
import { sortRows } from '../../src/core/sort';
import { ExportTable } from '../../src/core/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import { generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';

/**
 * Text sorts read the bytes without making strings; they must give exactly the order of comparing
 * the cells' strings with `<`. The cells here mix what makes that hard: quoting and `""`, shared
 * prefixes longer than a radix pass, prefixes of each other, non-ASCII text (accents, CJK, pairs of
 * UTF-16 surrogates, characters above the surrogates), invalid UTF-8, the same text quoted and not.
 */
const PIECES: readonly (string | Buffer)[] = [
  'a', 'b', 'ab', 'abc', 'A', 'Z', '0', '9', '~', '\x7f', ' ', '-', '$RCAnonymousID:', 'GPA.3000-00', '0000000',
  'é', 'ü', 'Ł', 'þ', 'ÿ', '中文', '😀', '\uE000', '\uFF5E', '\uFFFD', '"', '""', ',', ';', '{"value": "x"}',
  Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]),
];

function cellBytes(rng: Rng): Buffer {
  const parts: Buffer[] = [];
  const n = rng.int(4);
  for (let i = 0; i <= n; i++) {
    const p = PIECES[rng.int(PIECES.length)];
    parts.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p);
  }
  return Buffer.concat(parts);
}

/** A CSV field holding these bytes: quoted when it must be, sometimes also when it need not. */
function field(bytes: Buffer, rng: Rng): Buffer {
  const s = bytes.toString('latin1');
  if (/[",;\n\r]/.test(s) || rng.chance(0.2)) return Buffer.concat([Buffer.from('"'), Buffer.from(s.replace(/"/g, '""'), 'latin1'), Buffer.from('"')]);
  return bytes;
}

/** A text column, a JSON column (read from its kept byte ranges) and a text column after it. */
const COLUMNS = ['store_transaction_id', 'custom_subscriber_attributes', 'offer'];

async function tableOf(rows: number, seed: number): Promise<ExportTable> {
  const header = generateExport({ version: 'v5', rows: 1, seed }).text.toString('utf8').split('\n')[0].split(',');
  const rng = new Rng(seed);
  const pool = Array.from({ length: 400 }, () => cellBytes(rng)); // values repeat, as ids and attributes do
  const lines: Buffer[] = [Buffer.from(header.join(','))];
  for (let r = 0; r < rows; r++) {
    const cells = header.map((name) => {
      if (!COLUMNS.includes(name)) return Buffer.from('x'); // something to misread if a row's end were missed
      if (rng.chance(0.05)) return Buffer.alloc(0); // NULL
      if (rng.chance(0.03)) return Buffer.from('""'); // the empty string
      const bytes = rng.chance(0.5) ? pool[rng.int(pool.length)] : cellBytes(rng);
      return field(rng.chance(0.3) ? Buffer.concat([Buffer.from('prefix shared by many of the rows/'), bytes]) : bytes, rng);
    });
    if (rng.chance(0.05)) cells.length = rng.int(cells.length); // a short row
    const line: Buffer[] = [];
    cells.forEach((c, k) => line.push(...(k ? [Buffer.from(','), c] : [c])));
    lines.push(Buffer.concat(line));
  }
  const text = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
  async function* one() {
    yield text;
  }
  const o = await loadExport({ name: 'x.csv', size: text.length, chunks: one() }, { decompressor: nodeGunzip, validate: false });
  assert.ok(o.ok);
  return new ExportTable(o.value.table);
}

function byStrings(t: ExportTable, col: number, descending: boolean): number[] {
  const text = [...Array(t.rowCount).keys()].map((r) => t.cell(r, col));
  return [...Array(t.rowCount).keys()].sort((a, b) => {
    const x = text[a];
    const y = text[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const d = x < y ? -1 : x > y ? 1 : 0;
    return (descending ? -d : d) || a - b;
  });
}

describe('sorting rows by a text column', () => {
  for (const [rows, seed] of [[3000, 5], [200, 6], [20, 7]]) {
    it(`orders ${rows} rows as their strings compare, for text and JSON columns, short rows included (seed ${seed})`, async () => {
      const t = await tableOf(rows, seed);
      for (const name of COLUMNS) {
        const col = t.columnIndex(name);
        for (const descending of [false, true]) {
          assert.deepEqual([...sortRows(t, col, descending)], byStrings(t, col, descending), `${name} ${descending ? 'descending' : 'ascending'}`);
        }
      }
    });
  }
});
