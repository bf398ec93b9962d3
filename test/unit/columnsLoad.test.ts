/**
 * A columns-only load (src/core/stream): a measure's load keeps the fields of the columns it reads
 * and nothing else. Checked against the whole load of the same file: every measure's whole result,
 * every kept cell, vector, key and line number, the same failures; with the text cut into chunks
 * of every size, records longer than the loader's buffer, and the odd text a file may hold.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { columnsFor, MEASURES, mergeDeliveries, runMeasure, type MeasureRequest } from '../../src/core/measures';
import { VERSION_IDS } from '../../src/core/catalog/templates';
import { loadExport, type LoadOutcome } from '../../src/core/load/load';
import { ExportTable, type TableData } from '../../src/core/load/table';
import { ColumnsFeeder } from '../../src/core/stream/columns';
import { nodeGunzip } from '../../src/node/decodeNode';
import { loadDeliveries, loadMerged } from '../../src/node/deliveries';
import { loadExportFile } from '../../src/node/loadFile';
import { DEFAULT_EXPORT_TIME, generateExport } from '../gen/generator';
import { tempDir, writeGz, writeRaw } from '../support/files';

const DAY = 86400;
const fmt = (d: number) => new Date(d * DAY * 1000).toISOString().slice(0, 10);
const EXPORT_DAY = Math.floor(DEFAULT_EXPORT_TIME / DAY);
const REQUESTS: MeasureRequest[] = [
  {},
  { date: fmt(EXPORT_DAY - 60) },
  { from: fmt(EXPORT_DAY - 200), to: fmt(EXPORT_DAY), resolution: 'month' },
];
const TRANSACTION_MEASURES = MEASURES.filter((m) => (m.feed ?? 'transactions') === 'transactions' && m.reads);

/** A result without its time, or the failure's text. */
function outcome(name: string, input: ReturnType<typeof mergeDeliveries>, req: MeasureRequest): unknown {
  try {
    const r = runMeasure(name as never, input, {
      ...req,
      ...(name === 'active-subscriptions-with-attribute' ? { key: 'plan_tier', value: 'gold' } : {}),
    });
    return { ...r, ms: 0 };
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** Each column of `narrow` read as the same column of `whole`: cells, vectors, keys, lines. */
function sameColumns(narrow: TableData, whole: TableData, label: string): void {
  const n = new ExportTable(narrow);
  const w = new ExportTable(whole);
  assert.equal(n.rowCount, w.rowCount, `${label}: rows`);
  assert.ok(narrow.header.length < whole.header.length, `${label}: fewer columns`);
  for (let c = 0; c < narrow.header.length; c++) {
    const wc = w.columnIndex(narrow.header[c]);
    assert.equal(narrow.types[c], whole.types[wc]);
    const nv = narrow.vectors[c];
    const wv = whole.vectors[wc];
    assert.equal(nv?.kind, wv?.kind, `${label}: vector of ${narrow.header[c]}`);
    if (nv && wv && nv.kind !== 'span') assert.deepEqual([...nv.data], [...wv.data], `${label}: ${narrow.header[c]}`);
    if (nv?.dict) assert.deepEqual(nv.dict, wv!.dict);
    const nk = narrow.textKeys?.[c];
    const wk = whole.textKeys?.[wc];
    assert.equal(!nk, !wk, `${label}: keys of ${narrow.header[c]}`);
    if (nk && wk) {
      assert.equal(nk.count, wk.count);
      assert.deepEqual([...nk.codes], [...wk.codes]);
    }
    // a typed column keeps the text of the cells its vector does not hold (at least those no SQL load reads)
    const typed = nv !== null && nv.kind !== 'dict' && nv.kind !== 'span';
    const unreadable = new Set(whole.unreadable?.[narrow.header[c]] ?? []);
    for (let r = 0; r < n.rowCount; r++) {
      const text = n.cell(r, c);
      if (!typed || unreadable.has(r) || text !== null)
        assert.equal(text, w.cell(r, wc), `${label}: row ${r} ${narrow.header[c]}`);
      if (nv?.kind === 'span') {
        const s = nv.data[2 * r];
        const e = nv.data[2 * r + 1];
        const ws = wv!.data[2 * r];
        const we = wv!.data[2 * r + 1];
        assert.deepEqual(
          narrow.segments[0].subarray(s, e),
          whole.segments[0].subarray(ws, we),
          `${label}: span of row ${r}`,
        );
      }
    }
  }
  for (let r = 0; r < n.rowCount; r++) assert.equal(n.line(r), w.line(r), `${label}: line of row ${r}`);
  for (const [name, rows] of Object.entries(narrow.unreadable ?? {})) assert.deepEqual(rows, whole.unreadable?.[name]);
  for (const name of narrow.header)
    assert.deepEqual(narrow.unreadable?.[name] ?? [], whole.unreadable?.[name] ?? [], `${label}: unreadable ${name}`);
}

/** Loads text through the columns-only feeder, given to it in pieces of these sizes (cycled). */
async function loadInPieces(text: Uint8Array, sizes: number[], columns: readonly string[]): Promise<LoadOutcome> {
  async function* pieces() {
    for (let at = 0, i = 0; at < text.length; i++) {
      const n = sizes[i % sizes.length];
      yield text.subarray(at, at + n);
      at += n;
    }
  }
  const only = new Set(columns);
  return loadExport(
    { name: 'transactions.csv', size: text.length, chunks: pieces(), text: true },
    { decompressor: nodeGunzip, validate: false, columns, feeder: (b, o) => new ColumnsFeeder(b, only, o) },
  );
}

async function loadWhole(text: Uint8Array): Promise<LoadOutcome> {
  async function* one() {
    yield text;
  }
  return loadExport(
    { name: 'transactions.csv', size: text.length, chunks: one(), text: true },
    { decompressor: nodeGunzip, validate: false },
  );
}

describe('columns-only loads (a measure keeps the columns it reads)', function () {
  this.timeout(300_000);
  const dir = tempDir();
  let withUnreadable = 0;
  const sub = (name: string) => {
    const d = path.join(dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };

  for (const version of VERSION_IDS) {
    for (const delimiter of [',', ';'] as const) {
      it(`${version}, delimiter ${delimiter}: every measure gives the whole load's result`, async () => {
        const seed = 70 + VERSION_IDS.indexOf(version) * 2 + (delimiter === ';' ? 1 : 0);
        const g = generateExport({
          version,
          rows: 3000,
          seed,
          delimiter,
          multiline: delimiter === ';',
          crlf: version === 'v3',
          bom: version === 'v4',
          finalNewline: version !== 'v5',
          inject: ['type-error', 'timestamp-format', 'boolean-encoding', 'missing-cell', 'extra-cell', 'blank-row'],
        });
        const file = writeGz(sub(`${version}-${delimiter === ';' ? 'semi' : 'comma'}`), g.fileName, g.text);
        const whole = await loadDeliveries([file]);
        assert.ok(whole.ok);
        const all = mergeDeliveries(whole.deliveries);
        for (const m of TRANSACTION_MEASURES) {
          const columns = columnsFor(m.name)!;
          const narrow = await loadDeliveries([file], { columns });
          assert.ok(narrow.ok, m.name);
          const t = narrow.deliveries[0].table.data;
          assert.ok(t.textLength < whole.deliveries[0].table.data.textLength / 2, `${m.name}: a fraction of the text`);
          sameColumns(t, whole.deliveries[0].table.data, `${version}${delimiter} ${m.name}`);
          const input = mergeDeliveries(narrow.deliveries);
          // as the CLI loads: merged as they come
          const merged = await loadMerged([file], { columns });
          assert.ok(merged.ok);
          for (const req of REQUESTS) {
            const want = outcome(m.name, all, req);
            if (Object.keys((want as { unreadable?: object }).unreadable ?? {}).length) withUnreadable++;
            assert.deepEqual(
              outcome(m.name, input, req),
              want,
              `${version}${delimiter} ${m.name} ${JSON.stringify(req)}`,
            );
            assert.deepEqual(outcome(m.name, merged.input, req), want, `${m.name} merged`);
          }
        }
      });
    }
  }

  it('the generated files had cells no SQL load reads, which the results name', () => {
    assert.ok(withUnreadable > 0);
  });

  it('the text cut anywhere, and records longer than the buffer: the same table', async () => {
    const g = generateExport({ version: 'v6', rows: 400, seed: 5, multiline: true });
    // first, one record with a quoted field of 3 MB (line breaks and quotes in it), past the reused buffer
    const lines = g.text.toString('utf8').split('\n');
    const cols = lines[0].split(',');
    const field: Record<string, string> = {
      store_transaction_id: 'huge1',
      start_time: '2024-01-01 00:00:00',
      custom_subscriber_attributes: `"{""note"": {""value"": ""${'x\n""y'.repeat(600_000)}"", ""updated_at_ms"": 1}}"`,
    };
    const long = cols.map((c) => field[c] ?? '').join(',');
    const bytes = Buffer.from([lines[0], long, ...lines.slice(1)].join('\n'));
    const want = await loadWhole(bytes);
    assert.ok(want.ok, want.ok ? '' : want.error.message);
    const columns = columnsFor('active-subscriptions-with-attribute')!;
    for (const sizes of [[1], [7, 3], [4096], [1 << 20], [65_537, 1, 999_999]]) {
      const got = await loadInPieces(bytes, sizes, columns);
      assert.ok(got.ok, String(sizes));
      sameColumns(got.value.table, want.value.table, `pieces ${sizes.join('/')}`);
    }
  });

  it('odd text: ragged rows, blank lines, CR LF, stray and unclosed quotes, no last line break', async () => {
    const head =
      'rc_original_app_user_id,store_transaction_id,start_time,end_time,renewal_number,updated_at,custom_subscriber_attributes,store';
    const rows = [
      'u1,t1,2024-01-01 00:00:00,2024-02-01 00:00:00,1,2024-01-01 00:00:00,"{""a"": {""value"": ""x"", ""updated_at_ms"": 1}}",app_store',
      '',
      'u2,"t""2",2024-01-02 00:00:00,,2,2024-01-02 00:00:00,,play_store\r',
      'u3,t3',
      'u4,t4,2024-01-03 00:00:00,2024-02-03 00:00:00,1,2024-01-03,{},amazon,extra,more',
      '"u5"x,"t5"y,not a time,2024-02-04,one,,"{',
      '}",stripe',
      '',
      '',
      'justone',
      'u6,"t6","2024-01-05 00:00:00",2024-02-05 00:00:00,"3",2024-01-05 00:00:00,"{}","app_store"',
      'u8,"",2024-01-07 00:00:00,"",,"","""""","play""_store"',
      'u9,t9,2024-01-08 00:00:00,,1,,{},app_store\r,extra\r',
      'u7,t7,2024-01-06 00:00:00,2024-02-06 00:00:00,1,2024-01-06 00:00:00,"{""unclosed',
    ];
    const columns = ['store_transaction_id', 'start_time', 'renewal_number', 'custom_subscriber_attributes', 'store'];
    for (const text of [
      [head, ...rows].join('\n'),
      [head, ...rows].join('\n') + '\n\n',
      [head, ...rows.slice(0, -1)].join('\r\n') + '\r\n',
      [head, ...rows.slice(0, -1)].join('\n'),
    ]) {
      const bytes = Buffer.from(text);
      const want = await loadWhole(bytes);
      assert.ok(want.ok);
      for (const sizes of [[1], [3, 5], [1 << 16]]) {
        const got = await loadInPieces(bytes, sizes, columns);
        assert.ok(got.ok);
        sameColumns(got.value.table, want.value.table, `odd text ${sizes.join('/')}`);
        // the text of a time the vector holds is not kept; one no SQL load reads is
        const t = new ExportTable(got.value.table);
        const start = t.columnIndex('start_time');
        assert.equal(t.cell(0, start), null);
        assert.equal(t.cell(4, start), 'not a time');
        assert.equal(got.value.table.lineShifts.rows.length, want.value.table.lineShifts.rows.length);
      }
    }
  });

  it('the same failures as a whole load, and the same loading limit', async () => {
    const columns = columnsFor('active-subscriptions')!;
    const g = generateExport({ version: 'v5', rows: 300, seed: 9 });
    const cases: [string, Uint8Array, number?][] = [
      ['header only', Buffer.from(g.text.toString('utf8').split('\n')[0])],
      ['not an export', Buffer.from('a,b,c\n1,2,3\n')],
      ['binary', Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 1, 2, 10, 0, 0])],
      ['limit', g.text, 10_000],
      ['no line break', Buffer.alloc(70_000, 0x61)],
    ];
    for (const [label, bytes, maxBytes] of cases) {
      const file = writeRaw(sub('fail'), `${label.replace(/ /g, '-')}.csv.gz`, zlib.gzipSync(bytes));
      const a = await loadExportFile(file, { validate: false, maxBytes });
      const b = await loadExportFile(file, { validate: false, maxBytes, columns });
      assert.equal(b.ok, a.ok, label);
      if (!a.ok && !b.ok) assert.deepEqual(b.error, a.error, label);
      if (a.ok && b.ok) assert.equal(b.value.table.rowCount, a.value.table.rowCount, label);
    }
    const cut = zlib.gzipSync(g.text).subarray(0, 2000);
    const file = writeRaw(sub('fail'), 'cut.csv.gz', cut);
    const a = await loadExportFile(file, { validate: false });
    const b = await loadExportFile(file, { validate: false, columns });
    assert.ok(!a.ok && !b.ok);
    assert.deepEqual(b.error, a.error);
  });
});
