/**
 * `rc-export validate` streams CSV (src/core/stream/window.ts): the text passes through a window of
 * about a chunk, and the rules keep their own copies of what they need. Its output must be the same,
 * byte for byte, as the table-based validate's (RC_EXPORT_VALIDATE=table), as text and as JSON, on
 * every version, the In-App Currency feed, column selections, split deliveries, folders and hostile
 * files. The files are several megabytes of text, so the window moves many times in each.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { RuleId } from '../../src/core/catalog/rules';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { currencyColumns, currencyCsv } from '../gen/currency';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';
import { V5_HEADER } from '../support/hostile';
import { readCsv, writeCsv } from '../support/rewrite';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

function run(table: boolean, args: string[]) {
  const env = { ...process.env, RC_EXPORT_VALIDATE: table ? 'table' : 'stream' };
  const r = spawnSync(process.execPath, [CLI, 'validate', ...args], { env, timeout: 120_000, maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr.toString() };
}

/** Both ways, text and JSON with all problems listed: the same bytes, stderr and exit code. */
function sameBothWays(target: string, ...extra: string[]): string {
  return compare(target, ['0'], extra);
}

function compare(target: string, maxes: string[], extra: string[]): string {
  let json = '';
  for (const format of ['text', 'json'])
    for (const max of maxes) {
      const args = [target, '--format', format, '--max-problems', max, ...extra];
      const streamed = run(false, args);
      const table = run(true, args);
      assert.equal(streamed.code, table.code, `exit code, ${args.join(' ')}: ${streamed.err}`);
      assert.equal(streamed.err, table.err, `stderr, ${args.join(' ')}`);
      if (!streamed.out.equals(table.out)) {
        const a = streamed.out.toString().split('\n');
        const b = table.out.toString().split('\n');
        const at = a.findIndex((line, i) => line !== b[i]);
        assert.fail(
          `${args.join(' ')}: first difference on line ${at + 1}:\n  streamed: ${a[at]}\n  table:    ${b[at]}`,
        );
      }
      if (format === 'json' && max === '0') json = streamed.out.toString();
    }
  return json;
}

/** Every rule the generator plants, and a cell problem on every 40th row. */
const PLANTED: RuleId[] = [
  'extra-cell',
  'missing-cell',
  'blank-row',
  'required-value',
  'type-error',
  'boolean-encoding',
  'array-encoding',
  'json-error',
  'attribute-shape',
  'enum-value',
  'sample-encoding',
  'timestamp-format',
  'experiments-shape',
  'duration-format',
  'currency-format',
  'country-format',
  'range-error',
  'encoding-error',
  'effective-end-time',
  'end-time-renewable',
  'refund-price',
  'updated-before-start',
  'end-before-start',
  'play-store-invalidated',
  'duplicate-transaction',
];

describe('rc-export validate, streamed: the same bytes as the table-based validate', function () {
  this.timeout(600_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const version of VERSION_IDS) {
    it(`${version}: every planted rule, problems in every window`, () => {
      const text = generateExport({
        version,
        rows: version === 'v1' ? 15000 : 6000,
        seed: 11,
        inject: PLANTED,
        scatter: { every: 40 },
        multiline: version === 'v5',
        crlf: version === 'v3',
        delimiter: version === 'v6' ? ';' : ',',
        bom: version === 'v4',
      }).text;
      assert.ok(text.length > 3 << 20, 'several windows of text');
      const file = writeGz(dir, `transactions_${version}.csv.gz`, text);
      const json = JSON.parse(compare(file, version === 'v5' ? ['0', '100'] : ['0'], []));
      assert.ok(json.problems.length > 100, 'problems to compare');
      assert.equal(json.rows, version === 'v1' ? 15000 : 6000);
      // a template named on the command line, not detected
      if (version === 'v5') sameBothWays(file, '--template', 'v4');
      // plain CSV streams too
      if (version === 'v7') sameBothWays(writeRaw(dir, 'transactions_v7.csv', text));
    });
  }

  it('the duplicate rule and the remembered JSON values across windows', () => {
    // more rows than one batch of the deep rules' thread (16,384): the ids and values cross batches too
    const a = generateExport({ version: 'v5', rows: 10000, seed: 21 }).text.toString();
    const [head, ...rows] = a.split('\n');
    // the whole file again: every row a duplicate of one several windows back
    const file = writeGz(dir, 'transactions_dup.csv.gz', [head, ...rows.filter(Boolean), ...rows].join('\n'));
    const json = JSON.parse(sameBothWays(file));
    assert.equal(json.counts.error, 10000);
  });

  it('the In-App Currency feed', () => {
    const sub = path.join(dir, 'virtual_currency', '2025-01-01');
    fs.mkdirSync(sub, { recursive: true });
    const file = writeGz(sub, 'virtual_currency_1735689600.csv.gz', currencyCsv({ rows: 40000, seed: 5 }));
    sameBothWays(file);
    // a column selection of the feed
    const cols = currencyColumns().filter((_, k) => k % 3 !== 1);
    sameBothWays(writeGz(sub, 'virtual_currency_1735776000.csv.gz', currencyCsv({ rows: 30000, seed: 6 }, cols)));
  });

  it('column selections', () => {
    const g = generateExport({ version: 'v6', rows: 5000, seed: 31, inject: ['type-error', 'enum-value'] });
    const csv = readCsv(g.text, ',');
    const keep = csv.header.map((_, k) => k).filter((k) => k % 4 !== 2);
    const narrow = { header: keep.map((k) => csv.header[k]), rows: csv.rows.map((r) => keep.map((k) => r[k])) };
    sameBothWays(writeGz(dir, 'transactions_narrow.csv.gz', writeCsv(narrow, ',')));
  });

  it('split deliveries and folders of deliveries', () => {
    const root = path.join(dir, 'bucket');
    const day = path.join(root, '2025-03-01');
    fs.mkdirSync(day, { recursive: true });
    const a = generateExport({ version: 'v5', rows: 3000, seed: 41, inject: ['duplicate-transaction', 'type-error'] });
    const b = generateExport({ version: 'v5', rows: 3000, seed: 42, inject: ['blank-row', 'missing-cell'] });
    writeGz(day, 'part-0.data', a.text);
    writeGz(day, 'part-1.data', b.text);
    writeGz(root, 'transactions_1740787200.csv.gz', b.text);
    writeRaw(root, 'notes.csv', 'Just, A, Note\nno header of names\n');
    sameBothWays(root);
    sameBothWays(day);
  });

  it('hostile files: truncated and corrupt gzip, ragged rows, open quotes, a bomb, not an export', () => {
    const text = generateExport({ version: 'v5', rows: 5000, seed: 51, inject: ['unterminated-quote'] }).text;
    const gz = zlib.gzipSync(text);
    sameBothWays(writeRaw(dir, 'truncated.csv.gz', gz.subarray(0, Math.floor(gz.length * 0.6))));
    const corrupt = Buffer.from(gz);
    for (let i = Math.floor(gz.length / 2); i < gz.length / 2 + 64; i++) corrupt[i] ^= 0x5a;
    sameBothWays(writeRaw(dir, 'corrupt.csv.gz', corrupt));
    sameBothWays(writeGz(dir, 'open-quote.csv.gz', text));
    // ragged: rows cut short and rows too long, a field of 3 MB (longer than the window), NUL and Latin-1 bytes
    const lines = text.toString().split('\n');
    for (let r = 5; r < lines.length - 1; r += 97)
      lines[r] = lines[r]
        .split(',')
        .slice(0, 7 + (r % 11))
        .join(',');
    for (let r = 9; r < lines.length - 1; r += 89) lines[r] += ',extra,"more"';
    lines[2000] = lines[2000].replace(/,/, `,"${'x'.repeat(3 << 20)}",`);
    const ragged = Buffer.concat([Buffer.from(lines.join('\n')), Buffer.from([0x0a, 0x61, 0x00, 0xe9, 0x2c, 0x0a])]);
    sameBothWays(writeGz(dir, 'ragged.csv.gz', ragged));
    // a bomb: 45 MB of text in 0.2 MB of gzip, beyond a limit of 30 MB; and rows too short to be transactions
    const rows = lines.slice(1, 200).join('\n') + '\n';
    const bomb = zlib.gzipSync(Buffer.concat([Buffer.from(V5_HEADER), Buffer.alloc(45 << 20, rows)]));
    sameBothWays(writeRaw(dir, 'bomb.csv.gz', bomb), '--max-bytes', String(30 << 20));
    const short = zlib.gzipSync(Buffer.concat([Buffer.from(V5_HEADER), Buffer.alloc(8 << 20, '1,2\n')]));
    sameBothWays(writeRaw(dir, 'short-rows.csv.gz', short));
    sameBothWays(writeGz(dir, 'not-an-export.csv.gz', 'hello\nworld\n'));
    sameBothWays(writeRaw(dir, 'binary.csv.gz', Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8])));
    sameBothWays(writeGz(dir, 'empty.csv.gz', ''));
  });
});
