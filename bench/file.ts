/** The bench's export: a v5 file of `rows` rows, built once and kept in .bench-cache/. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeExport } from '../test/gen/generator';

export const root = path.join(__dirname, '..', '..');
export const cacheDir = path.join(root, '.bench-cache');

/** @param every when given, the same export with a problem on every `every`-th row */
export function benchFilePath(rows: number, every?: number): string {
  return path.join(cacheDir, `transactions_1735689600-v5-${rows}${every ? `-every${every}` : ''}.csv.gz`);
}

/** The path of the bench file, building it first when it is not there yet. */
export async function benchFile(rows: number, every?: number): Promise<string> {
  const file = benchFilePath(rows, every);
  fs.mkdirSync(cacheDir, { recursive: true });
  if (!fs.existsSync(file)) {
    const what = every ? `, a problem on every ${every}th row` : '';
    process.stdout.write(`building ${rows.toLocaleString('en-US')}-row v5 export${what} (cached in .bench-cache/) …\n`);
    const t = performance.now();
    await writeExport(`${file}.tmp`, { version: 'v5', rows, seed: 20250101, ...(every ? { scatter: { every } } : {}) });
    fs.renameSync(`${file}.tmp`, file);
    process.stdout.write(`  built in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  return file;
}

/** The WHERE of RevenueCat's documented Active Subscriptions query (scheduled-data-exports_2) as of day `d`. */
export const ACTIVE_SUBSCRIPTIONS_WHERE = (d: string) => `WHERE date(effective_end_time) > DATE '${d}'
  AND date(start_time) <= DATE '${d}'
  AND is_trial_period = 'false'
  AND date_diff('second', start_time, end_time)::DOUBLE > 0
  AND ownership_type != 'FAMILY_SHARED'
  AND store != 'promotional'
  AND is_sandbox != 'true'`;
