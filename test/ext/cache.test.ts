/** The export cache's held loads (AcquireOptions.start), with its real load worker, in a real VS Code. */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ExportCache, HOLD_MAX_MS, heldBack } from '../../src/host/cache/exportCache';

const ID = 'rc-export-tools.revenuecat-exports';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Whether `p` settles within `ms`. */
const settlesWithin = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.then(() => true), sleep(ms).then(() => false)]);

describe('held loads in the export cache', () => {
  let cache: ExportCache;
  let uri: vscode.Uri;
  before(() => {
    const ext = vscode.extensions.getExtension(ID)!;
    cache = new ExportCache(ext.extensionPath);
    uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'transactions_1735689600.csv.gz');
  });
  after(() => cache.dispose());

  it('a load held back does not begin until its holder needs it, while one nobody holds back finishes', async () => {
    let go!: () => void;
    const held = cache.acquire(uri, 'auto', { start: new Promise<void>((r) => (go = r)) });
    const free = cache.acquire(uri, 'v5');
    assert.equal(await settlesWithin(free.outcome, 20_000), true, 'the load that was not held finished');
    assert.equal(await settlesWithin(held.outcome, 500), false, 'the held one has not');
    assert.equal(held.watch?.rows ?? 0, 0, 'nor read a row');
    go();
    const o = await held.outcome;
    assert.ok(o.ok && o.value.table.rowCount === 2000, 'then it loads the whole file');
    held.release();
    free.release();
  });

  it('a holder that needs the load now starts one that others hold back', async () => {
    const waiting = cache.acquire(uri, 'v4', { start: new Promise<void>(() => {}) });
    assert.equal(await settlesWithin(waiting.outcome, 500), false);
    const now = cache.acquire(uri, 'v4');
    const o = await now.outcome;
    assert.ok(o.ok, 'loaded');
    assert.equal(await waiting.outcome, o, 'one load, shared');
    waiting.release();
    now.release();
  });

  it('a load held by holders that can wait begins on its own after HOLD_MAX_MS', async () => {
    const t0 = Date.now();
    const h = cache.acquire(uri, 'v2', { start: heldBack() });
    assert.equal(await settlesWithin(h.outcome, HOLD_MAX_MS / 2), false, 'not at once');
    const o = await h.outcome;
    assert.ok(Date.now() - t0 >= HOLD_MAX_MS, 'not before HOLD_MAX_MS');
    assert.equal(o.ok, true, 'then by itself, with nobody asking');
    h.release();
  });

  it('a held load given back before it began is cancelled without reading', async () => {
    const h = cache.acquire(uri, 'v3', { start: new Promise<void>(() => {}) });
    h.release();
    const o = await h.outcome;
    assert.equal(o.ok, false);
    assert.equal(!o.ok && o.error.code, 'cancelled');
  });
});
