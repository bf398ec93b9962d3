/**
 * The inputs a measure command asks for: a date (YYYY-MM-DD, the export's own date by default), a
 * range of days, or an attribute key picked from those seen in the file and then its value.
 * Escape anywhere cancels the command.
 */
import * as vscode from 'vscode';
import { DEFAULT_RANGE_DAYS, type DateSource, type Measure, type MeasureRequest } from '../../core/measures';
import { formatDay, parseDay, weekStart } from '../../core/measures/engine/dates';
import type { MeasureSource } from './measureSource';

const DATE_RULE = 'Write a date as YYYY-MM-DD, for example 2025-01-31';

function where(source: DateSource): string {
  return source === 'file name' ? "the export's date, from its file name" : `the export's ${source}`;
}

async function askDate(
  title: string,
  prompt: string,
  value: number | undefined,
  notBefore?: number,
): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value: value === undefined ? '' : formatDay(value),
    ignoreFocusOut: true,
    validateInput: (t) => {
      const d = parseDay(t);
      if (d === null) return DATE_RULE;
      if (notBefore !== undefined && d < notBefore) return `The range ends on or after ${formatDay(notBefore)}`;
      return null;
    },
  });
  return text === undefined ? undefined : parseDay(text)!;
}

async function askRange(
  title: string,
  to: number | undefined,
  from: number | undefined,
  hint: string,
): Promise<{ from: string; to: string } | undefined> {
  const first = await askDate(`${title} — first day (1/2)`, `First day of the range, YYYY-MM-DD`, from);
  if (first === undefined) return undefined;
  const last = await askDate(
    `${title} — last day (2/2)`,
    `Last day of the range, YYYY-MM-DD (${hint})`,
    to === undefined ? undefined : Math.max(to, first),
    first,
  );
  return last === undefined ? undefined : { from: formatDay(first), to: formatDay(last) };
}

async function askAttribute(title: string, source: MeasureSource): Promise<{ key: string; value: string } | undefined> {
  const keys = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Reading custom attribute keys' },
    () => source.keys(),
  );
  if (!keys.ok) {
    if (keys.kind !== 'cancelled') void vscode.window.showErrorMessage(keys.message);
    return undefined;
  }
  if (keys.value.length === 0) {
    void vscode.window.showInformationMessage('No transaction in this export has a custom subscriber attribute.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    keys.value.map((k) => ({ label: k.key, description: `${k.rows.toLocaleString('en-US')} rows` })),
    { title: `${title} — attribute`, placeHolder: 'Custom attribute key, as seen in the file', ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  const values = await source.values(picked.label);
  const seen = values.ok ? values.value : [];
  const value = await new Promise<string | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick();
    qp.title = `${title} — value of ${picked.label}`;
    qp.placeholder = 'Pick a value seen in the file, or type one';
    qp.ignoreFocusOut = true;
    const fromFile = seen.map((v) => ({ label: v.value, description: `${v.rows.toLocaleString('en-US')} rows` }));
    qp.items = fromFile;
    qp.onDidChangeValue((typed) => {
      qp.items =
        typed && !seen.some((v) => v.value === typed)
          ? [{ label: typed, description: 'as typed' }, ...fromFile]
          : fromFile;
    });
    let done = false;
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems[0]?.label ?? qp.value);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
  return value === undefined ? undefined : { key: picked.label, value };
}

const RANGE = /^\s*(\d{4}-\d{2}-\d{2})\s*(?:…|\.\.\.?|to|\s)\s*(\d{4}-\d{2}-\d{2})\s*$/;

/** Both ends of a range in one box ("2024-10-04 … 2025-01-01"); empty allowed when `optional`. */
async function askSpan(
  title: string,
  prompt: string,
  value: string,
  optional = false,
): Promise<{ from: string; to: string } | null | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (t) => {
      if (optional && t.trim() === '') return null;
      const m = RANGE.exec(t);
      if (!m) return 'Write the first and last day as YYYY-MM-DD … YYYY-MM-DD';
      const a = parseDay(m[1]);
      const b = parseDay(m[2]);
      if (a === null || b === null) return DATE_RULE;
      return a > b ? 'The first day comes after the last' : null;
    },
  });
  if (text === undefined) return undefined;
  if (text.trim() === '') return null;
  const m = RANGE.exec(text)!;
  return { from: m[1], to: m[2] };
}

async function askResolution(title: string): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Day', description: 'one row per day', value: 'day' },
      { label: 'Week', description: 'weeks from Monday', value: 'week' },
      { label: 'Month', description: 'calendar months', value: 'month' },
    ],
    { title: `${title} — resolution`, placeHolder: 'One row per…', ignoreFocusOut: true },
  );
  return pick?.value;
}

/**
 * The range and resolution of a series or a movement: the last 90 days up to the export's date are
 * proposed, then day, week or month.
 */
export async function askSeries(measure: Measure, source: MeasureSource): Promise<MeasureRequest | undefined> {
  const def = source.exportDate;
  const to = def?.day;
  const value = to === undefined ? '' : `${formatDay(to - (DEFAULT_RANGE_DAYS - 1))} … ${formatDay(to)}`;
  const hint = def ? `proposed: the ${DEFAULT_RANGE_DAYS} days up to ${where(def.source)}` : 'YYYY-MM-DD … YYYY-MM-DD';
  const span = await askSpan(`${measure.title} — range`, `First and last day (${hint})`, value);
  if (!span) return undefined;
  if (measure.takes === 'retention') return span;
  const resolution = await askResolution(measure.title);
  if (resolution === undefined) return undefined;
  if (measure.takes !== 'attribute') return { ...span, resolution };
  const attribute = await askAttribute(measure.title, source);
  return attribute && { ...span, resolution, ...attribute };
}

/** Asks for what `measure` takes; undefined when the user cancels. */
export async function askParams(measure: Measure, source: MeasureSource): Promise<MeasureRequest | undefined> {
  const def = source.exportDate;
  const defDay = def?.day;
  const hint = def ? `default: ${where(def.source)}` : 'the export has no date of its own';
  let kind = measure.takes;
  if (kind === 'movement' || kind === 'retention') return askSeries(measure, source);
  if (kind === 'since') {
    const from = await askDate(
      `${measure.title} — since`,
      'Subscriptions that started after this day, YYYY-MM-DD (proposed: a year before the export)',
      defDay === undefined ? undefined : defDay - 365,
    );
    return from === undefined ? undefined : { from: formatDay(from) };
  }
  if (kind === 'cohorts') {
    const span = await askSpan(
      `${measure.title} — first purchase dates`,
      'First and last day, YYYY-MM-DD … YYYY-MM-DD (empty: every first purchase date)',
      '',
      true,
    );
    return span === undefined ? undefined : (span ?? {});
  }
  if (kind === 'date-or-range') {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'On one date', range: false },
        { label: 'Each day of a range', range: true },
      ],
      { title: measure.title, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    kind = pick.range ? 'range' : 'date';
  }
  if (kind === 'range') {
    const from =
      defDay === undefined ? undefined : measure.name === 'weekly-revenue' ? weekStart(defDay) - 77 : defDay - 6;
    return askRange(measure.title, defDay, from, hint);
  }
  const date = await askDate(`${measure.title} — as of`, `Date, YYYY-MM-DD (${hint})`, defDay);
  if (date === undefined) return undefined;
  if (kind !== 'attribute') return { date: formatDay(date) };
  const attribute = await askAttribute(measure.title, source);
  return attribute && { date: formatDay(date), ...attribute };
}
