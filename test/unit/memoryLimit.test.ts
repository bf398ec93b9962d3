/** The loading limit: by default what the machine's memory allows (a table's text is in segments: no 4 GiB cap). */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { HARD_MAX_BYTES, textTooLarge } from '../../src/core/load/builderOptions';
import { loadExportFile } from '../../src/node/loadFile';
import { loadLimit, memoryMaxBytes, MIN_LIMIT } from '../../src/node/memoryLimit';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

const GiB = 2 ** 30;

describe('the loading limit', () => {
  it('follows the memory of the machine, past 4 GiB on a large one, less on a small one', () => {
    assert.equal(memoryMaxBytes(24 * GiB), Math.floor((22 * GiB) / 1.6));
    assert.ok(memoryMaxBytes(24 * GiB) > 13 * GiB);
    assert.equal(memoryMaxBytes(2 ** 52), HARD_MAX_BYTES);
    assert.equal(memoryMaxBytes(8 * GiB), Math.floor((6 * GiB) / 1.6));
    assert.ok(memoryMaxBytes(8 * GiB) < memoryMaxBytes(12 * GiB));
    assert.equal(memoryMaxBytes(1 * GiB), MIN_LIMIT);
    assert.equal(loadLimit(undefined), memoryMaxBytes(os.totalmem()));
  });

  it('a limit asked for wins, up to the most a table can hold', () => {
    assert.equal(loadLimit(4096), 4096);
    assert.equal(loadLimit(8 * GiB), 8 * GiB);
    assert.equal(loadLimit(2 ** 50), HARD_MAX_BYTES);
  });

  it('says what to do: raise a limit below the most, nothing to raise at the most', async () => {
    assert.match(textTooLarge(HARD_MAX_BYTES).message, /the most one table can hold/);
    assert.doesNotMatch(textTooLarge(HARD_MAX_BYTES).message, /raise/);
    const g = generateExport({ version: 'v5', rows: 300, seed: 5 });
    const file = writeGz(tempDir(), g.fileName, g.text);
    const o = await loadExportFile(file, { maxBytes: 16 * 1024 });
    assert.ok(!o.ok);
    assert.equal(o.error.code, 'too-large');
    assert.match(o.error.message, /16\.0 KiB/);
    assert.match(o.error.message, /rcExport\.load\.maxBytes/);
    assert.match(o.error.message, /--max-bytes/);
  });
});
