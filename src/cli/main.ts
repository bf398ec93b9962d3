/**
 * rc-export: the extension's core for pipelines.
 *   rc-export info FILE...
 *   rc-export validate FILE... [--template v1..v7|auto] [--max-problems N] [--format text|json]
 *   rc-export measure NAME [--date D] [--from D --to D] [--resolution R] [--attribute key=value] [--format text|json|csv] FILE|DIR... (measureCmd.ts)
 * Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or the command was wrong.
 *
 * Room src/cli: the rc-export command line.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate, src/core/measures, src/core/measures/engine, src/node, src/worker.
 */
import * as path from 'node:path';
import { loadInWorker } from '../worker/loadClient';
import { isVersionId, VERSION_IDS } from '../core/catalog/templates';
import { parseArgs, UsageError } from './args';
import { fileInfo, formatInfo } from '../core/info';
import { MEASURE_USAGE, measureCommand } from './measureCmd';
import { fileReport, formatFailure, formatReport, type FileFailure, type FileReport } from './validateCmd';

const USAGE = `Usage:
  rc-export info FILE... [--format text|json]
  rc-export validate FILE... [--template auto|${VERSION_IDS.join('|')}] [--max-problems N] [--format text|json]
  ${MEASURE_USAGE}
  (all take --max-bytes N: the decompressed-size limit, default 2 GiB)

validate exits 0 when no file has errors, 1 when one has, 2 when a file cannot be read.
measure exits 0 with a result, 1 when the measure cannot be computed on the files, 2 when a file cannot be read.
--max-problems N lists at most N problems per file (default 100; 0 lists all); counts are always exact.`;

async function run(argv: string[]): Promise<number> {
  const args = parseArgs(
    argv,
    new Set(['template', 'max-problems', 'format', 'max-bytes', 'date', 'from', 'to', 'attribute', 'resolution']),
  );
  if (!args.command || args.command === 'help' || args.options.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return args.command ? 0 : 2;
  }
  const format = (args.options.get('format') ?? 'text') as string;
  if (format === 'csv' && args.command === 'measure') {
    // a measure's result table, for spreadsheets
  } else if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json${args.command === 'measure' ? ' or csv' : ''}, not ${format}`);
  if (args.positional.length === 0) throw new UsageError('name at least one file');
  const template = args.options.get('template');
  if (template !== undefined && (template === true || (template !== 'auto' && !isVersionId(template)))) {
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
  for (const o of ['date', 'from', 'to', 'attribute', 'resolution'])
    if (args.options.has(o)) throw new UsageError(`--${o} is an option of measure`);
  if (args.command !== 'info' && args.command !== 'validate') throw new UsageError(`unknown command ${args.command}`);
  const validate = args.command === 'validate';
  const results: Array<FileReport | FileFailure | ReturnType<typeof fileInfo>> = [];
  let exit = 0;
  for (const file of args.positional) {
    // the same loader as the editor: a worker thread, with the deep rules on a second one
    const outcome = await loadInWorker(file, {
      workerPath: path.join(__dirname, 'worker.js'),
      template: template,
      validate,
      maxPerRule: maxProblems === 0 ? Number.MAX_SAFE_INTEGER : maxProblems,
      maxBytes,
    });
    let result: FileReport | FileFailure | ReturnType<typeof fileInfo>;
    if (!outcome.ok) {
      result = { file, error: outcome.error };
      exit = 2;
    } else if (validate) {
      result = fileReport(file, outcome.value, maxProblems);
      if (result.counts.error > 0 && exit === 0) exit = 1;
    } else result = fileInfo(file, outcome.value);
    results.push(result);
    if (format === 'text') {
      const text =
        'error' in result ? formatFailure(result) : 'counts' in result ? formatReport(result) : formatInfo(result);
      process.stdout.write(`${text}\n`);
    }
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
