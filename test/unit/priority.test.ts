/** Loads for the editor run their threads at a lower priority (Linux): the editor read its first rows on the spot. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadInWorker } from '../../src/worker/loadClient';
import { BACKGROUND_NICE } from '../../src/worker/priority';
import { generateExport } from '../gen/generator';
import { tempDir, writeGz } from '../support/files';

/** Nice values of this process's threads, from /proc. */
function threadNices(): number[] {
  return fs.readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

/** Loads `file` and notes the threads' nice values after each first-rows snapshot and progress report. */
async function niceWhileLoading(file: string, background: boolean): Promise<number[]> {
  const seen = new Set<number>();
  const look = () => setImmediate(() => threadNices().forEach((n) => seen.add(n)));
  const worker = path.join(__dirname, '..', '..', '..', 'dist', 'worker.js');
  const o = await loadInWorker(file, { workerPath: worker, background, onFirstRows: look, onProgress: look });
  assert.ok(o.ok);
  return [...seen];
}

describe('loading threads and the UI', function () {
  if (process.platform !== 'linux') return;
  const file = writeGz(
    tempDir(),
    'transactions_1735689600.csv.gz',
    generateExport({ version: 'v5', rows: 20_000, seed: 43 }).text,
  );

  // (this one first: the threads of a background load may outlive it for a moment)
  it('a load that is not for the editor keeps its priority', async () => {
    const seen = await niceWhileLoading(file, false);
    assert.ok(
      seen.length > 0 && !seen.includes(BACKGROUND_NICE),
      `thread nice values while loading: ${seen.join(' ')}`,
    );
  });

  it('a background load lowers its threads, and only them', async () => {
    const mine = os.getPriority(0);
    const seen = await niceWhileLoading(file, true);
    assert.equal(os.getPriority(0), mine, 'the calling thread keeps its priority');
    assert.ok(seen.includes(BACKGROUND_NICE), `thread nice values while loading: ${seen.join(' ')}`);
  });
});
