import assert from 'node:assert/strict';
import { loadExport } from '../../src/core/load/load';
import { sortRows } from '../../src/core/view/sort';
import { ExportTable } from '../../src/core/load/table';
import { nodeGunzip } from '../../src/node/decodeNode';
import { generateExport } from '../gen/generator';
import { Rng } from '../gen/rng';
import { plainOrder } from '../support/sortOracle';

/**
 * Text sorts read the bytes without making strings; they must give exactly the order of comparing
 * the cells' strings with `<`. The cells here mix what makes that hard: quoting and `""`, shared
 * prefixes longer than a radix pass, prefixes of each other, non-ASCII text (accents, CJK, pairs of
 * UTF-16 surrogates, characters above the surrogates), invalid UTF-8, the same text quoted and not,
 * text after a closing quote.
 */
const PIECES: readonly (string | Buffer)[] = [
  'a',
  'b',
  'ab',
  'abc',
  'A',
  'Z',
  '0',
  '9',
  '~',
  '\x7f',
  ' ',
  '-',
  '$RCAnonymousID:',
  'GPA.3000-00',
  '0000000',
  'é',
  'ü',
  'Ł',
  'þ',
  'ÿ',
  '中文',
  '😀',
  '\uE000',
  '\uFF5E',
  '\uFFFD',
  '"',
  '""',
  ',',
  ';',
  '{"value": "x"}',
  Buffer.from([0xff]),
  Buffer.from([0xc3]),
  Buffer.from([0xe2, 0x82]),
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

/**
 * Beginnings many values share, longer than the units a pass or the kept units cover: attribute
 * JSON (doubled quotes once written), quotes inside text (written unquoted too: a quote inside an
 * unquoted field is text), non-ASCII.
 */
const PREFIXES = [
  '{"$email": {"value": "',
  '{"$email": {"value": "ann',
  '{"$ip": {"value": "1',
  'a"b"c"d"e"f"g"h"i"j"k"l"m"n',
  'x""y""z""w""v""u""t',
  'GPA.3000-0000-1624-3',
  'prefix shared by many of the rows/',
  'ééé€€€ shared',
  '"starts with a quote',
];

/** Text after a closing quote (a lone CR too); some of it ends in a quote, as a quoted field does. */
const STRAY = ['x', 'x"', '""', 'a"b"', '"', '\r', ' "q"'];

/** A CSV field holding these bytes: quoted when it must be, sometimes also when it need not. */
function field(bytes: Buffer, rng: Rng): Buffer {
  const s = bytes.toString('latin1');
  const must = /[,\n\r]/.test(s) || s.startsWith('"');
  if (must || rng.chance(s.includes('"') ? 0.5 : 0.2))
    return Buffer.concat([Buffer.from('"'), Buffer.from(s.replace(/"/g, '""'), 'latin1'), Buffer.from('"')]);
  return bytes;
}

/** Text columns early and late in the row, the one just before a JSON column, a JSON column (read from its kept byte ranges) and a text column after it. */
const COLUMNS = [
  'rc_original_app_user_id',
  'store_transaction_id',
  'reserved_subscriber_attributes',
  'custom_subscriber_attributes',
  'offer',
];

async function tableOf(rows: number, seed: number, shared = false): Promise<ExportTable> {
  const header = generateExport({ version: 'v5', rows: 1, seed }).text.toString('utf8').split('\n')[0].split(',');
  const rng = new Rng(seed);
  const value = () =>
    shared ? Buffer.concat([Buffer.from(PREFIXES[rng.int(PREFIXES.length)], 'utf8'), cellBytes(rng)]) : cellBytes(rng);
  const pool = Array.from({ length: 400 }, value); // values repeat, as ids and attributes do
  const lines: Buffer[] = [Buffer.from(header.join(','))];
  for (let r = 0; r < rows; r++) {
    const cells = header.map((name) => {
      if (!COLUMNS.includes(name)) return Buffer.from('x'); // something to misread if a row's end were missed
      if (rng.chance(0.05)) return Buffer.alloc(0); // NULL
      if (rng.chance(0.03)) return Buffer.from('""'); // the empty string
      const bytes = rng.chance(0.5) ? pool[rng.int(pool.length)] : value();
      const f = field(
        rng.chance(0.3) ? Buffer.concat([Buffer.from('prefix shared by many of the rows/'), bytes]) : bytes,
        rng,
      );
      // now and then text after the closing quote: the field then reads as written, quotes and all
      return f[0] === 0x22 && rng.chance(0.04)
        ? Buffer.concat([f, Buffer.from(STRAY[rng.int(STRAY.length)], 'latin1')])
        : f;
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
  const o = await loadExport(
    { name: 'x.csv', size: text.length, chunks: one() },
    { decompressor: nodeGunzip, validate: false },
  );
  assert.ok(o.ok);
  return new ExportTable(o.value.table);
}

describe('sorting rows by a text column', () => {
  for (const [rows, seed, shared] of [
    [3000, 5, false],
    [200, 6, false],
    [20, 7, false],
    [3000, 8, true],
    [600, 9, true],
  ] as const) {
    const what = shared ? 'values sharing long beginnings' : 'mixed values';
    it(`orders ${rows} rows of ${what} as their strings compare, for text and JSON columns, short rows included (seed ${seed})`, async () => {
      const t = await tableOf(rows, seed, shared);
      for (const name of COLUMNS) {
        const col = t.columnIndex(name);
        for (const descending of [false, true]) {
          assert.deepEqual(
            [...sortRows(t, col, descending)],
            plainOrder(t, col, descending),
            `${name} ${descending ? 'descending' : 'ascending'}`,
          );
        }
      }
    });
  }
});
