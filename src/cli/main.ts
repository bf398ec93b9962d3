/**
 * rc-export: the extension's core for pipelines.
 *   rc-export info FILE|DIR...
 *   rc-export validate FILE|DIR... [--template v1..v7|auto] [--max-problems N] [--format text|json]
 *   rc-export measure NAME [--date D] [--from D --to D] [--resolution R] [--attribute key=value] [--format text|json|csv] FILE|DIR... (measureCmd.ts)
 * Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or the command was wrong.
 * Every failure is one line on stderr, or with --format json an `error` object on stdout (codes: args.ts).
 *
 * Room src/cli: the rc-export command line.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/measures, src/core/measures/engine, src/node, src/worker.
 */
import * as path from 'node:path';
import { loadInWorker } from '../worker/loadClient';
import { isVersionId, VERSION_IDS } from '../core/catalog/templates';
import { parseArgs, UsageError, wantsJson, wholeNumber } from './args';
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
import { validateStreamed } from '../node/loadFile';
import { openDeepChannel } from '../worker/deepClient';
import type { LoadOutcome } from '../core/load/load';
import type { Worker } from 'node:worker_threads';

const USAGE = `Usage:
  rc-export info FILE|DIR... [--format text|json]
  rc-export validate FILE|DIR... [--template auto|${VERSION_IDS.join('|')}] [--max-problems N] [--format text|json]
  ${MEASURE_USAGE}
  (all take --max-bytes N: the decompressed-size limit; by default what this machine's memory allows)
  A folder stands for the deliveries in it (CSV, gzip or Parquet, one file or a folder of parts);
  what is not a delivery is listed as skipped, with the reason.

validate exits 0 when no file has errors, 1 when one has, 2 when a file cannot be read.
measure exits 0 with a result, 1 when the measure cannot be computed on the files, 2 when a file cannot be read.
--max-problems N lists at most N problems per file (default 100; 0 lists all); counts are always exact.
A wrong command line exits 2; with --format json its error comes as JSON on stdout, like every other.
rc-export --help prints this text.`;

const VALUED = new Set([
  'template',
  'max-problems',
  'format',
  'max-bytes',
  'date',
  'from',
  'to',
  'attribute',
  'resolution',
]);
const SWITCHES = new Set(['help']);
const COMMANDS = new Set(['info', 'validate', 'measure']);

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, VALUED, SWITCHES);
  if (args.command === 'help' || args.options.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!args.command) throw new UsageError('name a command: info, validate or measure');
  if (!COMMANDS.has(args.command)) throw new UsageError(`unknown command ${args.command}`);
  const format = args.options.get('format') ?? 'text';
  // csv: a measure's result table, for spreadsheets
  const formats = args.command === 'measure' ? ['text', 'json', 'csv'] : ['text', 'json'];
  if (typeof format !== 'string' || !formats.includes(format))
    throw new UsageError(`--format must be ${formats.join(' or ')}, not ${String(format)}`);
  if (args.positional.length === 0) throw new UsageError('name at least one file');
  const template = args.options.get('template');
  if (template !== undefined && (template === true || (template !== 'auto' && !isVersionId(template)))) {
    throw new UsageError(`--template must be auto or one of ${VERSION_IDS.join(', ')}`);
  }
  const maxProblemsRaw = args.options.get('max-problems') ?? '100';
  const maxProblems = wholeNumber(String(maxProblemsRaw));
  if (Number.isNaN(maxProblems))
    throw new UsageError(`--max-problems must be a whole number (0 lists all), not ${JSON.stringify(maxProblemsRaw)}`);
  const maxBytesRaw = args.options.get('max-bytes');
  const maxBytes = maxBytesRaw === undefined ? undefined : wholeNumber(String(maxBytesRaw));
  if (maxBytes !== undefined && !(maxBytes > 0))
    throw new UsageError(`--max-bytes must be a positive number of bytes, not ${JSON.stringify(maxBytesRaw)}`);

  if (args.command === 'measure') return measureCommand(args, format as 'text' | 'json' | 'csv', maxBytes);
  for (const o of ['date', 'from', 'to', 'attribute', 'resolution'])
    if (args.options.has(o)) throw new UsageError(`--${o} is an option of measure`);
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
      const parts =
        delivery.parts.length === 1 && delivery.parts[0] === delivery.path ? undefined : [...delivery.parts];
      const maxPerRule = maxProblems === 0 ? Number.MAX_SAFE_INTEGER : maxProblems;
      // validate streams CSV: the text passes through, checked, and is let go (zlib inflates on
      // libuv's thread pool meanwhile); Parquet, and info, load the table as the editor does: in a
      // worker thread, with the deep rules on a second one. RC_EXPORT_VALIDATE=table validates the
      // table way too (tests and the bench compare the two).
      const outcome =
        validate && delivery.format !== 'parquet' && process.env.RC_EXPORT_VALIDATE !== 'table'
          ? await validateStreamedHere(delivery.path, parts ?? null, { template, maxPerRule, maxBytes })
          : await loadInWorker(delivery.path, {
              workerPath: path.join(__dirname, 'worker.js'),
              parts,
              template: template,
              validate,
              maxPerRule,
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

/**
 * The streamed validate on this thread, the deep rules (JSON, arrays, duplicates) on a second one,
 * while libuv's thread pool inflates: the work of a load on both cores.
 */
async function validateStreamedHere(
  file: string,
  parts: string[] | null,
  options: Parameters<typeof validateStreamed>[2],
): Promise<LoadOutcome> {
  const workers: Worker[] = [];
  try {
    const deep = openDeepChannel(workers, path.join(__dirname, 'deepWorker.js'));
    return await validateStreamed(file, parts, { ...options, deep });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A failure of the command itself (not of a file): as JSON on stdout with --format json, else on stderr. */
function failCommand(argv: readonly string[], code: 'usage' | 'internal', message: string): void {
  if (wantsJson(argv)) process.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  else if (code === 'usage') process.stderr.write(`rc-export: ${message}\n\n${USAGE}\n`);
  else process.stderr.write(`rc-export: ${message}\n`);
}

const argv = process.argv.slice(2);
run(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) failCommand(argv, 'usage', e.message);
    else {
      // a bug of ours: said in one line (the stack only when asked for, RC_EXPORT_DEBUG=1)
      const message = `internal error (a bug of rc-export, not of the file): ${e instanceof Error ? e.message : String(e)}`;
      failCommand(argv, 'internal', message);
      if (process.env.RC_EXPORT_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    }
    process.exitCode = 2;
  },
);
