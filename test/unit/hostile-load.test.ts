/**
 * Hostile files (issue 18): every input answers in time linear in its size and in memory that
 * follows its text. Growth is measured between two sizes (8× apart) rather than against absolute
 * times, so a busy machine slows both alike; a scanner that starts a long record over on every new
 * piece of data (the old one) grows with the square of the size and fails by far.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadExportFile } from '../../src/node/loadFile';
import { tempDir, writeRaw } from '../support/files';
import { bestMs, exportBytes, loadBytes } from '../support/hostile';

const SAMPLE = path.join(__dirname, '..', '..', '..', 'samples', 'transactions_1735689600.csv.gz');
const MB = 2 ** 20;

/** Records whose size grows with n, each one record (or one run of records) long. */
const SHAPES: Array<[name: string, body: (n: number) => string]> = [
  ['one long unquoted field', (n) => `${'a'.repeat(n)}\n`],
  ['one long quoted field with doubled quotes and newlines', (n) => `"${'ab""\n'.repeat(n / 5)}"\n`],
  ['a quote never closed', (n) => `"${'a'.repeat(n)}`],
  ['text after a closing quote', (n) => `"x"${'y'.repeat(n)}\n`],
  ['a record of delimiters only', (n) => `${','.repeat(n)}\n`],
  ['blank lines', (n) => '\n'.repeat(n)],
  ['blank CRLF lines', (n) => '\r\n'.repeat(n / 2)],
];

describe('hostile inputs: bounded time and memory', function () {
  this.timeout(240_000);
  const dir = tempDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a 200-byte cut of a gzip export allocates kilobytes, whatever its last four bytes claim', async () => {
    // the gzip trailer's ISIZE is read from bytes that are no trailer here: ~2 GiB on this sample
    const file = writeRaw(dir, 'cut.csv.gz', fs.readFileSync(SAMPLE).subarray(0, 200));
    let allocated = 0;
    const o = await loadExportFile(file, {
      allocate: (n) => {
        allocated += n;
        return new ArrayBuffer(n);
      },
    });
    assert.equal(o.ok ? 'ok' : o.error.code, 'gzip-truncated');
    assert.ok(allocated < MB, `allocated ${allocated.toLocaleString('en-US')} bytes`);
  });

  for (const [name, body] of SHAPES) {
    it(`${name}: time linear in the size (4 → 32 MB), memory a small multiple of the text`, async () => {
      const small = exportBytes(body(4 * MB));
      const large = exportBytes(body(32 * MB));
      const t1 = await bestMs(3, () => loadBytes(small));
      const t8 = await bestMs(3, () => loadBytes(large));
      const { outcome, allocated } = await loadBytes(large);
      assert.ok(outcome.ok || outcome.error.code !== 'internal', JSON.stringify(!outcome.ok && outcome.error));
      // linear: 8×; the square of the size: 64× (the slack absorbs a busy machine's noise on small times)
      assert.ok(t8 < 24 * t1 + 300, `4 MB: ${t1.toFixed(0)} ms, 32 MB: ${t8.toFixed(0)} ms`);
      assert.ok(allocated < 3 * large.length + 80 * MB, `allocated ${allocated} for ${large.length} bytes`);
    });
  }

  it('a blank line costs what a byte of a row costs, and each is still counted', async () => {
    const n = 16 * MB;
    const blanks = exportBytes('\n'.repeat(n));
    const rows = exportBytes(`${'a'.repeat(1023)}\n`, n / 1024);
    const tb = await bestMs(2, () => loadBytes(blanks));
    const tr = await bestMs(2, () => loadBytes(rows));
    assert.ok(tb < 6 * tr + 300, `blank lines ${tb.toFixed(0)} ms, the same bytes in 1 KB rows ${tr.toFixed(0)} ms`);
    const { outcome } = await loadBytes(blanks, { maxPerRule: 5 });
    assert.ok(outcome.ok);
    const v = outcome.value.validation!;
    assert.equal(v.tallies.find((t) => t.rule === 'blank-row')?.count, n);
    const kept = v.problems.filter((p) => p.rule === 'blank-row');
    assert.deepEqual(
      kept.map((p) => [p.line, p.offset]),
      [2, 3, 4, 5, 6].map((line, k) => [line, blanks.length - n + k]),
    );
  });

  it('rows too short to be transactions stop with too-large before their index outgrows the text', async () => {
    // 1M one-character rows: 2 MB of text; at ~150 bytes of index a row they would need 150 MB
    const tiny = exportBytes('a\n', 2 ** 20);
    const { outcome, allocated } = await loadBytes(tiny);
    assert.equal(outcome.ok ? 'ok' : outcome.error.code, 'too-large');
    assert.match(!outcome.ok ? outcome.error.message : '', /bytes a row: far too short for transactions/);
    assert.ok(allocated < 100 * MB, `allocated ${(allocated / MB).toFixed(0)} MB`);
  });

  it('a record of millions of delimiters keeps the fields the header needs, and counts them all', async () => {
    const { outcome } = await loadBytes(exportBytes(`${','.repeat(3_000_000)}\n`));
    assert.ok(outcome.ok);
    const p = outcome.value.validation!.problems.find((x) => x.rule === 'extra-cell');
    assert.match(p?.message ?? '', /has 3000001 fields; the header has 44/);
  });
});
