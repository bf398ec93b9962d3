/** Reading generated exports back for the generator's tests: records, headers, and the invariants of a clean row. */
import { parse } from 'csv-parse/sync';
import { columnSpec, templateVersion, VERSION_IDS, type VersionId } from '../../src/core/catalog/templates';

export const V7_EXTRA = 'enrolled_experiments_by_layer';
/** The generator's default export time (2025-01-01). */
const E = 1735689600;

export function records(text: Buffer, delimiter: ',' | ';' = ','): string[][] {
  return parse(text, { delimiter, bom: true, relax_column_count: true }) as string[][];
}

export function expectedHeader(v: VersionId): string[] {
  const cols = templateVersion(v).columns;
  const names = cols.filter((c) => !c.optional).map((c) => c.name);
  return cols.some((c) => c.optional) ? [...names, V7_EXTRA] : names;
}

/** 1-based start line of every record (blank lines separately), from the raw text, quote-aware. */
export function recordLines(text: string): { starts: number[]; blanks: number[] } {
  const starts: number[] = [];
  const blanks: number[] = [];
  let line = 1;
  let inQuote = false;
  let atStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (atStart) {
      atStart = false;
      if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) blanks.push(line);
      else starts.push(line);
    }
    if (ch === '"') inQuote = !inQuote;
    else if (ch === '\n') {
      line++;
      if (!inQuote) atStart = true;
    }
  }
  return { starts, blanks };
}

export const TS = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{6})?$/;
export function isTs(s: string): boolean {
  const m = TS.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] && d.getUTCHours() === +m[4];
}
export const secs = (s: string): number => Date.parse(s.slice(0, 19).replace(' ', 'T') + 'Z') / 1000;

export function attrOk(s: string, reserved: boolean): boolean {
  try {
    const o: unknown = JSON.parse(s);
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return false;
    return Object.entries(o).every(([k, v]: [string, unknown]) => {
      const e = v as { value?: unknown; updated_at_ms?: unknown };
      return (
        k.startsWith('$') === reserved &&
        typeof e.value === 'string' &&
        Number.isInteger(e.updated_at_ms) &&
        (e.updated_at_ms as number) < E * 1000
      );
    });
  } catch {
    return false;
  }
}

type Problem = { col: string; msg: string };

/** Every invariant a clean row of version v must hold; returns the problems found. */
export function checkRow(v: VersionId, r: Map<string, string>): Problem[] {
  const out: Problem[] = [];
  const vi = VERSION_IDS.indexOf(v) + 1;
  const bad = (col: string, msg: string): void => {
    out.push({ col, msg: `${col}: ${msg} (${r.get(col)})` });
  };
  const get = (c: string): string => r.get(c) ?? '';
  const nullable = new Map(templateVersion(v).columns.map((c) => [c.name, c.nullable]));
  for (const [name, val] of r) {
    if (name === V7_EXTRA) {
      if (
        val !== '' &&
        !/^\{"default": \[\{"experiment_id": "prexp\w+", "variant": "[ab]", "enrolled_at": "[\d-]+ [\d:]+"\}\]\}$/.test(
          val,
        )
      )
        bad(name, 'json');
      continue;
    }
    const spec = columnSpec(name);
    if (!spec) {
      if (name !== 'mystery_column') bad(name, 'unknown column');
      continue;
    }
    if (val === '') {
      if (!nullable.get(name) && !(v === 'v1' && name === 'renewal_number')) bad(name, 'null');
      continue;
    }
    if (val.includes('\u0000') && spec.type === 'string') bad(name, 'NUL byte');
    switch (spec.type) {
      case 'timestamp':
        if (!isTs(val) || (val.length > 19 && name !== 'updated_at')) bad(name, 'timestamp');
        break;
      case 'boolean':
        if (!(vi >= 4 ? ['true', 'false'] : ['t', 'f']).includes(val)) bad(name, 'boolean');
        break;
      case 'float':
        if (!/^\d+(\.\d{1,4})?$/.test(val)) bad(name, 'float');
        break;
      case 'integer':
        if (!/^[1-9]\d*$/.test(val)) bad(name, 'integer');
        break;
      case 'array':
        if (vi >= 4 ? !/^\["[a-z]+"(, "[a-z]+")*\]$/.test(val) : !/^\{[a-z]+(,[a-z]+)*\}$/.test(val))
          bad(name, 'array');
        break;
      case 'json':
        if (!attrOk(val, name.startsWith('reserved'))) bad(name, 'json');
        break;
      default:
        if (spec.enumValues && !spec.enumValues.includes(val)) bad(name, 'enum');
        if (spec.format === 'country' && !/^[A-Z]{2}$/.test(val)) bad(name, 'country');
        if (spec.format === 'currency' && !/^[A-Z]{3}$/.test(val)) bad(name, 'currency');
        if (spec.format === 'duration' && !/^P1[WMY]$|^P[36]M$|^P30D$|^P200Y$/.test(val)) bad(name, 'duration');
    }
    if (spec.format === 'fraction' && !(Number(val) >= 0 && Number(val) <= 1)) bad(name, 'range');
  }
  const T = vi >= 4 ? 'true' : 't';
  const start = isTs(get('start_time')) ? get('start_time') : ''; // cross checks need a readable start
  const end = get('end_time');
  const refunded = get('refunded_at');
  if ((end === '') !== (get('is_auto_renewable') !== T)) bad('end_time', 'null iff not auto-renewable');
  if (start !== '' && !(secs(start) < E && secs(start) > E - 401 * 86400)) bad('start_time', 'window');
  if (end !== '' && start !== '' && end < start && get('store') !== 'play_store') bad('end_time', 'before start');
  if (r.has('effective_end_time')) {
    const grace = get('grace_period_end_time');
    const eff = get('effective_end_time');
    const want = refunded !== '' ? refunded : end !== '' && end < start ? end : grace > end ? grace : end;
    if (eff !== want) bad('effective_end_time', `want ${want}`);
  }
  if (r.has('updated_at') && start !== '' && get('updated_at') < start) bad('updated_at', 'before start');
  if (r.has('first_seen_time') && start !== '' && get('first_seen_time') > start) bad('first_seen_time', 'after start');
  if (!['0.7', '0.85'].includes(get('takehome_percentage'))) bad('takehome_percentage', 'value');
  if (refunded !== '' && get('price_in_usd') === '') bad('price_in_usd', 'null on a refunded row');
  if (vi >= 4 && refunded !== '' && get('price_in_usd') !== '0') bad('price_in_usd', 'refunded not 0');
  if (get('store') === 'promotional' && !['0', ''].includes(get('price_in_usd'))) bad('price_in_usd', 'promotional');
  if (get('ownership_type') === 'FAMILY_SHARED' && get('store') !== 'app_store') bad('ownership_type', 'family');
  // a lifetime purchase may show its 200 years; other non-renewing products have no duration
  if (r.has('product_duration') && get('is_auto_renewable') !== T && !['', 'P200Y'].includes(get('product_duration')))
    bad('product_duration', 'non-renewing');
  return out;
}

export function rowMaps(recs: string[][]): Map<string, string>[] {
  const header = recs[0];
  return recs
    .slice(1)
    .filter((x) => !(x.length === 1 && x[0] === ''))
    .map((x) => {
      const m = new Map<string, string>();
      header.forEach((h, i) => {
        if (!m.has(h) && i < x.length) m.set(h, x[i]);
      });
      return m;
    });
}
