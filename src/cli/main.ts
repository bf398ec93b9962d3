/**
 * rc-export: the extension's core for pipelines.
 *   rc-export info FILE|DIR...
 *   rc-export validate FILE|DIR... [--template v1..v7|auto] [--max-problems N] [--format text|json]
 *   rc-export measure NAME [--date D] [--from D --to D] [--attribute key=value] FILE|DIR... (measureCmd.ts)
 * Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or the command was wrong.
 *
 * Room src/cli: the rc-export command line.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/measures, src/core/measures/engine, src/node, src/worker.
 */
import * as path from 'node:path';
import { loadInWorker } from '../worker/loadClient';
import { VERSION_IDS } from '../core/catalog/templates';
import { parseArgs, UsageError } from './args';
import { fileInfo, formatInfo } from '../core/info';
import { MEASURE_USAGE, measureCommand } from './measureCmd';
import {
  fileReport,
  formatFailure,
  formatReport,
  formatSkipped,
  type FileFailure,
  type FileReport,
  type SkippedEntry,
} from './validateCmd';
import { findDeliveries } from '../node/deliveries';

const USAGE = `Usage:
  rc-export info FILE|DIR... [--format text|json]
  rc-export validate FILE|DIR... [--template auto|${VERSION_IDS.join('|')}] [--max-problems N] [--format text|json]
  ${MEASURE_USAGE}
  (all take --max-bytes N: the decompressed-size limit, default 2 GiB)
  A folder stands for the deliveries in it (CSV, gzip or Parquet, one file or a folder of parts);
  what is not a delivery is listed as skipped, with the reason.

validate exits 0 when no file has errors, 1 when one has, 2 when a file cannot be read.
measure exits 0 with a result, 1 when the measure cannot be computed on the files, 2 when a file cannot be read.
--max-problems N lists at most N problems per file (default 100; 0 lists all); counts are always exact.`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    new Set(['template', 'max-problems', 'format', 'max-bytes', 'date', 'from', 'to', 'attribute']),
  );
  if (!args.command || args.command === 'help' || args.options.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return args.command ? 0 : 2;
  }
  const format = (args.options.get('format') ?? 'text') as string;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${format}`);
  if (args.positional.length === 0) throw new UsageError('name at least one file');
  const template = args.options.get('template');
  if (
    template !== undefined &&
    (template === true || (template !== 'auto' && !VERSION_IDS.includes(template as never)))
  ) {
    throw new UsageError(`--template must be auto or one of ${VERSION_IDS.join(', ')}`);
  }
  const maxProblemsRaw = args.options.get('max-problems') ?? '100';
  const maxProblems = Number(maxProblemsRaw);
  if (!Number.isInteger(maxProblems) || maxProblems < 0)
    throw new UsageError('--max-problems must be a whole number (0 = all)');
  const maxBytesRaw = args.options.get('max-bytes');
  const maxBytes = maxBytesRaw === undefined ? undefined : Number(maxBytesRaw);
  if (maxBytes !== undefined && !(Number.isInteger(maxBytes) && maxBytes > 0))
    throw new UsageError('--max-bytes must be a positive number of bytes');

  if (args.command === 'measure') return measureCommand(args, format, maxBytes);
  for (const o of ['date', 'from', 'to', 'attribute'])
    if (args.options.has(o)) throw new UsageError(`--${o} is an option of measure`);
  if (args.command !== 'info' && args.command !== 'validate') throw new UsageError(`unknown command ${args.command}`);
  const validate = args.command === 'validate';
  const results: Array<FileReport | FileFailure | SkippedEntry | ReturnType<typeof fileInfo>> = [];
  let exit = 0;
  const print = (text: string) => format === 'text' && process.stdout.write(`${text}\n`);
  for (const given of args.positional) {
    // a folder stands for the deliveries in it; a file for itself
    const found = await findDeliveries([given]);
    if (!found.ok) {
      const failure: FileFailure = { file: found.path, error: found.error };
      results.push(failure);
      print(formatFailure(failure));
      exit = 2;
      continue;
    }
    for (const delivery of found.deliveries) {
      // the same loader as the editor: a worker thread, with the deep rules on a second one
      const outcome = await loadInWorker(delivery.path, {
        workerPath: path.join(__dirname, 'worker.js'),
        parts: delivery.parts.length === 1 && delivery.parts[0] === delivery.path ? undefined : [...delivery.parts],
        template: template,
        validate,
        maxPerRule: maxProblems === 0 ? Number.MAX_SAFE_INTEGER : maxProblems,
        maxBytes,
      });
      let result: FileReport | FileFailure | ReturnType<typeof fileInfo>;
      if (!outcome.ok) {
        result = { file: delivery.path, error: outcome.error };
        exit = 2;
      } else if (validate) {
        result = fileReport(delivery.path, outcome.value, maxProblems);
        if (result.counts.error > 0 && exit === 0) exit = 1;
      } else result = fileInfo(delivery.path, outcome.value);
      results.push(result);
      print('error' in result ? formatFailure(result) : 'counts' in result ? formatReport(result) : formatInfo(result));
    }
    for (const s of found.skipped) {
      results.push({ file: s.path, skipped: s.reason });
      print(formatSkipped(s));
    }
    if (found.deliveries.length === 0 && found.skipped.length === 0)
      print(`${given}\n  (no export files in this folder)`);
  }
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  }
  return exit;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`rc-export: ${e.message}\n\n${USAGE}\n`);
    } else {
      process.stderr.write(`rc-export: ${e instanceof Error ? e.stack : String(e)}\n`);
    }
    process.exitCode = 2;
  },
);
