/**
 * The loader's steps of `npm run bench`, in a bundle of their own so the peak RSS they report carries the
 * loader and little else: decompression alone (node:zlib, fflate), load, load+validate (through the
 * worker the extension uses, with the longest stall of this thread).
 *   node out/bench/loadSteps.js FILE STEP   → one line of JSON (a StepResult)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fflateGunzip } from '../src/core/load/decode';
import { nodeGunzip } from '../src/node/decodeNode';
import { loadInWorker } from '../src/worker/loadClient';
import { stepClock, type StepResult } from './step';

async function drain(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}

/** The longest gap between timer ticks of this thread while `work` runs. */
async function withStallMonitor<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    const value = await work();
    return { value, stallMs: Math.max(0, worst) };
  } finally {
    clearInterval(timer);
  }
}

async function step(file: string, name: string): Promise<StepResult> {
  const done = stepClock();
  const source = () => fs.createReadStream(file, { highWaterMark: 1 << 20 });
  switch (name) {
    case 'zlib':
      return done({ bytes: await drain(nodeGunzip(source())) });
    case 'fflate':
      return done({ bytes: await drain(fflateGunzip(source())) });
    case 'load':
    case 'load+validate': {
      const workerPath = path.join(__dirname, '..', '..', 'dist', 'worker.js');
      const { value, stallMs } = await withStallMonitor(() =>
        loadInWorker(file, { workerPath, validate: name === 'load+validate', maxPerRule: 1000 }),
      );
      if (!value.ok) throw new Error(value.error.message);
      const v = value.value.validation;
      return done({
        stallMs,
        rows: value.value.table.rowCount,
        bytes: value.value.table.textLength,
        problems: v ? v.counts.error + v.counts.warning + v.counts.information : undefined,
      });
    }
    default:
      throw new Error(`unknown step ${name}`);
  }
}

if (require.main === module) {
  const [file, name] = process.argv.slice(2);
  step(file, name).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e) => {
      process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
      process.exit(1);
    },
  );
}
