/**
 * `rc-export measure NAME [--date D] [--from D --to D] [--resolution day|week|month]
 * [--attribute key=value] [--format text|json|csv] FILE|DIR...`: one of RevenueCat's documented
 * sample measures over one export, or over several deliveries merged (a folder is searched for
 * export files). A point-in-time measure given a range is a series (its value as of each period's
 * last day). --format csv writes the result table (one row per period or per result row). Loading, merging and measuring run in the measure worker.
 * Exit codes: 0 the measure was computed, 1 it cannot be computed on these files (a column it needs
 * is missing), 2 a file cannot be read or the command line does not fit the measure.
 */
import * as path from 'node:path';
import { columnsFor, MEASURE_NAMES, measureByName, RESOLUTIONS, type MeasureRequest } from '../core/measures';
import { parseDay } from '../core/measures/engine/dates';
import type { MeasureResult } from '../core/measures/engine/types';
import { formatResult } from '../core/measures/engine/resultFormat';
import { resultTable, tableCsv } from '../core/measures/engine/resultFormat';
import type { Skipped } from '../core/delivery';
import { findDeliveries } from '../node/deliveries';
import { MeasureSession } from '../worker/measureClient';
import { UsageError, type ParsedArgs } from './args';

export const MEASURE_USAGE = `rc-export measure NAME [--date D] [--from D --to D] [--resolution day|week|month] [--attribute key=value] [--format text|json|csv] FILE|DIR...
      NAME is one of ${MEASURE_NAMES.join(', ')};
      dates are YYYY-MM-DD, by default the export's own date; a range makes a point-in-time measure a series
      (by default the 90 days up to that date); the deliveries in a folder are merged.`;

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** `measure --format json`: the result's fields in the contract's order, with what the CLI adds. */
function jsonResult(r: MeasureResult, skipped: Skipped[], ms: Record<'load' | 'merge' | 'measure', number>) {
  return {
    measure: r.measure,
    params: r.params,
    value: r.value,
    files: r.files,
    rows: r.rows,
    superseded: r.superseded,
    droppedForNull: r.droppedForNull,
    variant: r.variant,
    title: r.title,
    query: r.query,
    droppedForNullByColumn: r.droppedForNullByColumn,
    unreadable: r.unreadable,
    notes: r.notes,
    skipped,
    ms,
  };
}

function request(args: ParsedArgs): MeasureRequest {
  const text = (name: string): string | undefined => {
    const v = args.options.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    if (v !== undefined && name !== 'attribute' && name !== 'resolution' && parseDay(v) === null)
      throw new UsageError(`--${name} must be a date written YYYY-MM-DD, not ${JSON.stringify(v)}`);
    return v;
  };
  const attribute = text('attribute');
  let key: string | undefined;
  let value: string | undefined;
  if (attribute !== undefined) {
    const eq = attribute.indexOf('=');
    if (eq <= 0) throw new UsageError('--attribute takes key=value');
    key = attribute.slice(0, eq);
    value = attribute.slice(eq + 1);
  }
  const resolution = text('resolution');
  if (resolution !== undefined && !(RESOLUTIONS as readonly string[]).includes(resolution))
    throw new UsageError(`--resolution is day, week or month, not ${JSON.stringify(resolution)}`);
  return { date: text('date'), from: text('from'), to: text('to'), key, value, resolution };
}

export async function measureCommand(
  args: ParsedArgs,
  format: 'text' | 'json' | 'csv',
  maxBytes: number | undefined,
): Promise<number> {
  const [name, ...paths] = args.positional;
  const measure = name === undefined ? undefined : measureByName(name);
  if (!measure)
    throw new UsageError(
      name === undefined ? 'name a measure' : `unknown measure ${name}; one of ${MEASURE_NAMES.join(', ')}`,
    );
  const req = request(args);
  if (paths.length === 0) throw new UsageError('name at least one export file or folder');
  const fail = (code: number, error: { code: string; message: string }, file?: string | null) => {
    if (format === 'json')
      process.stdout.write(`${JSON.stringify({ measure: measure.name, ...(file ? { file } : {}), error }, null, 2)}\n`);
    else process.stderr.write(`rc-export measure: ${file ? `${file}: ` : ''}${error.message}\n`);
    return code;
  };
  const found = await findDeliveries(paths);
  if (!found.ok) return fail(2, found.error, found.path);
  // a measure reads its own feed's deliveries; the rest is listed, not fatal
  const feed = measure.feed ?? 'transactions';
  const feedName = feed === 'transactions' ? 'Transactions' : 'In-App Currency';
  const skipped: Skipped[] = [...found.skipped];
  const files = found.deliveries.filter((d) => {
    if (d.feed === feed) return true;
    skipped.push({
      path: d.path,
      reason:
        d.feed === 'transactions'
          ? 'Transactions feed: In-App Currency measures do not read it'
          : 'In-App Currency feed: transaction measures do not read it',
    });
    return false;
  });
  if (format === 'text')
    for (const s of skipped) process.stderr.write(`rc-export measure: skipped ${s.path}: ${s.reason}\n`);
  if (files.length === 0)
    return fail(2, {
      code: 'io',
      message: `no export files of the ${feedName} feed in ${paths.join(', ')}${skipped.length ? ` (${skipped.length} skipped)` : ''}`,
    });
  const opened = await MeasureSession.open(files, {
    workerPath: path.join(__dirname, 'measureWorker.js'),
    maxBytes,
    columns: columnsFor(measure.name) ?? undefined,
  });
  if (!opened.ok) return fail(2, opened.error, opened.file);
  try {
    const answer = await opened.session.measure(measure.name, req);
    if (!answer.ok) {
      return answer.kind === 'request'
        ? fail(2, { code: 'bad-request', message: answer.message })
        : fail(1, { code: 'cannot-measure', message: answer.message });
    }
    const r = answer.value;
    if (format === 'json') {
      const ms = { load: round(opened.info.loadMs), merge: round(opened.info.mergeMs), measure: round(r.ms) };
      const out = jsonResult(r, skipped, ms);
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else if (format === 'csv') {
      process.stdout.write(tableCsv(resultTable(r)));
    } else {
      process.stdout.write(`${formatResult(r, { loadMs: opened.info.loadMs, mergeMs: opened.info.mergeMs })}\n`);
    }
    return 0;
  } finally {
    opened.session.close();
  }
}
