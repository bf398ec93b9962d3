/**
 * A delivery of more than 6 GB of text loads in the real extension host through the export cache (the
 * loading path the editor and the Problems panel use), its text in segments of shared memory: every
 * row counted, the last segment's rows read right, and the host's JavaScript heap never past 100 MB
 * while it loads (shared memory is not heap).
 *
 * The file: the test generator's 1M-row v5 export (test/gen, in a child process), its rows written
 * as one gzip member and that member repeated, after a member holding the header. Made once per run,
 * in a temp folder removed at the end.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExportCache } from '../../src/host/cache/exportCache';
import { ExportTable, segmentOf } from '../../src/core/load/table';

const ID = 'rc-export-tools.revenuecat-exports';
const ROWS = 1_000_000;
const COPIES = 9;
const HEAP_MAX = 100 * 2 ** 20;

/** Run in a child process: the rows of `src` gzipped once, written `copies` times after the header. */
const REPEAT = `
const zlib = require('node:zlib');
const fs = require('node:fs');
const [src, dst, copies] = process.argv.slice(1);
const text = zlib.gunzipSync(fs.readFileSync(src));
const cut = text.indexOf(10) + 1;
const body = zlib.gzipSync(text.subarray(cut), { level: 1 });
const fd = fs.openSync(dst, 'w');
fs.writeSync(fd, zlib.gzipSync(text.subarray(0, cut)));
for (let i = 0; i < Number(copies); i++) fs.writeSync(fd, body);
fs.closeSync(fd);
const last = text.subarray(text.lastIndexOf(10, text.length - 2) + 1, text.length - 1).toString('utf8');
process.stdout.write(JSON.stringify({ text: cut + (text.length - cut) * Number(copies), last }));
`;

describe('a delivery of more than 6 GB of text', function () {
  this.timeout(30 * 60_000);
  let dir: string;
  let file: string;
  let made: { text: number; last: string };
  let cache: ExportCache;

  before(function () {
    this.timeout(10 * 60_000);
    const ext = vscode.extensions.getExtension(ID)!;
    cache = new ExportCache(ext.extensionPath);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-export-big-'));
    const small = path.join(dir, 'one.csv.gz');
    file = path.join(dir, 'transactions_1735689600.csv.gz');
    // (in the desktop VS Code's extension host, process.execPath is Electron: run it as Node)
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    const gen = path.join(__dirname, '..', 'gen', 'cli.js');
    const t0 = Date.now();
    execFileSync(process.execPath, [gen, '--version', 'v5', '--rows', String(ROWS), '--seed', '19', '--out', small], {
      env,
      stdio: 'ignore',
    });
    made = JSON.parse(
      execFileSync(process.execPath, ['-e', REPEAT, small, file, String(COPIES)], {
        env,
        maxBuffer: 1 << 20,
      }).toString(),
    );
    fs.rmSync(small);
    console.log(`RC_METRIC big export made: ${(made.text / 1e9).toFixed(2)} GB of text in ${Date.now() - t0} ms`);
  });

  after(() => {
    cache?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads in segments, every row counted, with the host heap under 100 MB throughout', async () => {
    assert.ok(made.text > 6e9, `${made.text} bytes of text`);
    const uri = vscode.Uri.file(file);
    let heap = process.memoryUsage().heapUsed;
    const sample = setInterval(() => (heap = Math.max(heap, process.memoryUsage().heapUsed)), 25);
    const t0 = Date.now();
    const handle = cache.acquire(uri, 'auto');
    let outcome;
    try {
      outcome = await handle.outcome;
    } finally {
      clearInterval(sample);
    }
    heap = Math.max(heap, process.memoryUsage().heapUsed);
    const ms = Date.now() - t0;
    try {
      assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.error.code}: ${outcome.error.message}`);
      const data = outcome.value.table;
      console.log(
        `RC_METRIC big export loaded: ${data.rowCount} rows, ${data.segments.length} segments, ${ms} ms, host heap at most ${(heap / 2 ** 20).toFixed(1)} MB`,
      );
      assert.equal(data.rowCount, ROWS * COPIES);
      assert.equal(data.textLength, made.text);
      assert.ok(data.segments.length >= 3, `${data.segments.length} segments`);
      assert.ok(heap < HEAP_MAX, `host heap ${(heap / 2 ** 20).toFixed(1)} MB`);
      // the last row, in the last segment, reads as written, and as the same row of the first copy
      const t = new ExportTable(data);
      const last = t.rowCount - 1;
      assert.equal(segmentOf(data, last), data.segments.length - 1);
      const b = t.rowBytes(last);
      assert.equal(Buffer.from(b.subarray(data.rowStarts[last], b.length - 1)).toString('utf8'), made.last);
      assert.deepEqual(t.row(last), t.row(ROWS - 1));
      const id = t.columnIndex('store_transaction_id');
      assert.ok(t.cell(last, id), 'a transaction id');
      assert.equal(t.cell(last, id), t.cell(ROWS - 1, id));
      assert.equal(t.line(last), ROWS * COPIES + 1);
      // every copy after the first repeats the first one's transactions
      const dupes = outcome.value.validation?.tallies.find((x) => x.rule === 'duplicate-transaction');
      assert.equal(dupes?.count, ROWS * (COPIES - 1));
    } finally {
      handle.release();
    }
  });
});
