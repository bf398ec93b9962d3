/**
 * Cell rules: one small function per rule, run on a field of a column of the selected template
 * version. A rule reads the field's bytes or the value already parsed into the column's vector,
 * and reports through the context. The context object is reused for every cell (no allocation).
 */
import {
  BOOL_INVALID,
  fieldText,
  formatTimestamp,
  isDecimalText,
  parseBoolean,
  parseFloatBytes,
  parseIntegerBytes,
  parseTimestamp,
  shownField,
} from '../load/cells';
import { DICT_NULL } from '../load/dict';
import { parseTimestampLenient } from '../load/lenient';
import type { RuleId } from '../catalog/rules';
import type { VectorData } from '../load/table';
import {
  columnSpec,
  versionColumnFor,
  type ColumnSpec,
  type Encodings,
  type TemplateVersion,
  type VersionColumn,
} from '../catalog/templates';
import { parseEnrollments } from '../catalog/experiments';
import { checkAttributesText, checkStringArrayText, recognizeAttributes, recognizeStringArray } from './json';
import { shown, type ProblemCollector } from './problems';
import { SeenValues } from './seen';

export interface CellContext {
  bytes: Uint8Array;
  s: number;
  e: number;
  quoted: boolean;
  /** 0-based data row. */
  row: number;
  /** The row's entry in the vectors (row less the rows a streamed load has let go). */
  vrow: number;
  /** Where `bytes` starts in the whole text (a streamed load keeps only a window of it). */
  base: number;
  line: number;
  vector: VectorData | null;
  collector: ProblemCollector;
  encodings: Encodings;
  versionLabel: string;
}

export interface ColumnRules {
  readonly name: string;
  readonly spec: ColumnSpec;
  readonly vc: VersionColumn;
  readonly rules: readonly CellRule[];
}

export type CellRule = ((c: CellContext, col: ColumnRules) => void) & {
  /** For a dictionary column: whether the value of `code` passes the rule (its verdict is cached per code). */
  dictPasses?: (dict: readonly string[], code: number) => boolean;
};

export function report(c: CellContext, col: ColumnRules, rule: RuleId, message: (value: string) => string): void {
  if (!c.collector.count(rule, col.name, c.row + 1, c.line)) return;
  const value = shownField(c.bytes, c.s, c.e, c.quoted);
  c.collector.keep({
    rule,
    row: c.row + 1,
    line: c.line,
    column: col.name,
    value,
    message: message(value),
    offset: c.s,
  });
}

type Parse = (b: Uint8Array, s: number, e: number) => number;

/** The cell's parsed value: from the column's vector when the table keeps one, else from the bytes. */
function valueOf(c: CellContext, parse: Parse): number {
  if (c.vector) return c.vector.data[c.vrow];
  return c.quoted ? parse(c.bytes, c.s + 1, c.e - 1) : parse(c.bytes, c.s, c.e);
}

/** The cell's value in the documented form only, from its bytes (the vector also holds SQL-readable forms). */
function strictValue(c: CellContext, parse: Parse): number {
  return c.quoted ? parse(c.bytes, c.s + 1, c.e - 1) : parse(c.bytes, c.s, c.e);
}

const timestamp: CellRule = (c, col) => {
  if (!Number.isNaN(strictValue(c, parseTimestamp))) return;
  if (!Number.isNaN(strictValue(c, parseTimestampLenient)))
    report(
      c,
      col,
      'timestamp-format',
      (v) =>
        `${col.name}: ${shown(v)} is not written YYYY-MM-DD HH:MM:SS as documented; SQL loads and the measures read it as ${formatTimestamp(strictValue(c, parseTimestampLenient))}`,
    );
  else
    report(
      c,
      col,
      'type-error',
      (v) => `${col.name}: ${shown(v)} is not a timestamp; expected YYYY-MM-DD HH:MM:SS in UTC`,
    );
};

const float: CellRule = (c, col) => {
  if (Number.isNaN(strictValue(c, parseFloatBytes)))
    report(c, col, 'type-error', (v) =>
      isDecimalText(v)
        ? `${col.name}: ${shown(v)} is too large to be a number (the most is about 1.8e308)`
        : `${col.name}: ${shown(v)} is not a number; expected a decimal such as 9.99`,
    );
};

const integer: CellRule = (c, col) => {
  if (Number.isNaN(strictValue(c, parseIntegerBytes)))
    report(c, col, 'type-error', (v) =>
      /^[+-]?\d{16,}$/.test(v)
        ? `${col.name}: ${shown(v)} has more digits than a whole number here may have (15)`
        : `${col.name}: ${shown(v)} is not a whole number`,
    );
};

const fraction: CellRule = (c, col) => {
  const v = valueOf(c, parseFloatBytes);
  if (v < 0 || v > 1)
    report(
      c,
      col,
      'range-error',
      (t) => `${col.name}: ${t} is outside 0..1; percentages in exports are fractions (0.15 = 15%)`,
    );
};

const positive: CellRule = (c, col) => {
  const v = valueOf(c, parseIntegerBytes);
  if (v < 1) report(c, col, 'range-error', (t) => `${col.name}: ${t} is below 1; renewal numbers start at 1`);
};

/** True/False: how RevenueCat's example data file writes booleans. */
function isSampleBoolean(b: Uint8Array, s: number, e: number): boolean {
  const len = e - s;
  return (
    (len === 4 && b[s] === 0x54 && b[s + 1] === 0x72 && b[s + 2] === 0x75 && b[s + 3] === 0x65) ||
    (len === 5 && b[s] === 0x46 && b[s + 1] === 0x61 && b[s + 2] === 0x6c && b[s + 3] === 0x73 && b[s + 4] === 0x65)
  );
}

const boolean: CellRule = (c, col) => {
  const code = strictValue(c, parseBoolean);
  if (c.quoted ? isSampleBoolean(c.bytes, c.s + 1, c.e - 1) : isSampleBoolean(c.bytes, c.s, c.e)) {
    report(
      c,
      col,
      'sample-encoding',
      (v) =>
        `${col.name}: ${shown(v)} is how RevenueCat's example data file writes booleans; deliveries write ${c.encodings.booleans === 'tf' ? 't/f' : 'true/false'} (the measures read it as a boolean)`,
    );
    return;
  }
  if (code === BOOL_INVALID) {
    const expect = c.encodings.booleans === 'tf' ? '`t` or `f`' : '`true` or `false`';
    report(
      c,
      col,
      'type-error',
      (v) => `${col.name}: ${shown(v)} is not a boolean; ${c.versionLabel} writes ${expect}`,
    );
    return;
  }
  const short = c.e - c.s - (c.quoted ? 2 : 0) === 1;
  if (short !== (c.encodings.booleans === 'tf')) {
    report(c, col, 'boolean-encoding', (v) =>
      short
        ? `${col.name}: ${shown(v)} is the v1–v3 boolean encoding; ${c.versionLabel} writes true/false`
        : `${col.name}: ${shown(v)} is the v4+ boolean encoding; ${c.versionLabel} writes t/f`,
    );
  }
};

/** Text rules for string columns, cached per dictionary code when the column has a dict vector. */
function textRule(check: (text: string) => string | null, ruleId: RuleId, name: string): CellRule {
  // verdict per code: undefined until checked, null when the value passes
  const verdicts: (string | null | undefined)[] = [];
  const verdict = (dict: readonly string[], code: number): string | null => {
    let message = verdicts[code];
    if (message === undefined) {
      message = check(dict[code]);
      verdicts[code] = message;
    }
    return message;
  };
  const rule: CellRule = (c, col) => {
    const v = c.vector;
    let message: string | null | undefined;
    if (v && v.kind === 'dict') {
      const code = v.data[c.vrow];
      if (code === DICT_NULL) return;
      message = verdict(v.dict!, code);
    } else {
      // (a value longer than shownField's cut is none of the short codes these rules accept)
      message = check(shownField(c.bytes, c.s, c.e, c.quoted));
    }
    if (message !== null) report(c, col, ruleId, () => `${name}: ${message}`);
  };
  rule.dictPasses = (dict, code) => code === DICT_NULL || verdict(dict, code) === null;
  return rule;
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+S)?)?$/;

function formatRule(spec: ColumnSpec): CellRule | null {
  switch (spec.format) {
    case 'country':
      return textRule(
        (t) => (/^[A-Z]{2}$/.test(t) ? null : `${shown(t)} is not a two-letter ISO 3166-1 country code`),
        'country-format',
        spec.name,
      );
    case 'currency':
      return textRule(
        (t) => (/^[A-Z]{3}$/.test(t) ? null : `${shown(t)} is not a three-letter ISO 4217 currency code`),
        'currency-format',
        spec.name,
      );
    case 'duration':
      return textRule(
        (t) => (DURATION.test(t) ? null : `${shown(t)} is not an ISO 8601 duration such as P1M or P1Y`),
        'duration-format',
        spec.name,
      );
    default:
      return null;
  }
}

function enumRule(spec: ColumnSpec): CellRule {
  const allowed = new Set(spec.enumValues);
  const list = spec.enumValues!.join(', ');
  return textRule(
    (t) => (allowed.has(t) ? null : `${shown(t)} is not one of the documented values (${list})`),
    'enum-value',
    spec.name,
  );
}

const array: CellRule = (c, col) => {
  const { bytes: b, s, e, quoted } = c;
  const first = b[quoted ? s + 1 : s];
  const last = b[quoted ? e - 2 : e - 1];
  if (c.encodings.arrays === 'braces') {
    if (first === 0x7b && last === 0x7d) return;
    report(c, col, 'array-encoding', (v) =>
      first === 0x5b
        ? `${col.name}: ${shown(v)} is a JSON array, the v4+ encoding; ${c.versionLabel} writes {a,b}`
        : `${col.name}: ${shown(v)} is not an array; ${c.versionLabel} writes {a,b}`,
    );
    return;
  }
  if (recognizeStringArray(b, s, e, quoted)) return;
  const braces = first === 0x7b && last === 0x7d;
  const text = braces || e - s > MAX_JSON_BYTES ? null : fieldText(b, s, e, quoted);
  if (text !== null && /^\[\s*'/.test(text)) {
    report(c, col, 'sample-encoding', (v) => `${col.name}: ${shown(v)} ${PYTHON_LIST}`);
    return;
  }
  const problem = braces ? 'it uses the v1–v3 {a,b} encoding' : text === null ? TOO_LONG : checkStringArrayText(text);
  if (problem !== null) {
    report(
      c,
      col,
      'array-encoding',
      (v) =>
        `${col.name}: ${shown(v)} is not a JSON array of strings (${problem}); ${c.versionLabel} writes ["a", "b"]`,
    );
  }
};

/** v7's enrolled_experiments_by_layer against its documented shape. */
const experiments: CellRule = (c, col) => {
  const r =
    c.e - c.s > MAX_JSON_BYTES
      ? { ok: false as const, detail: TOO_LONG }
      : parseEnrollments(fieldText(c.bytes, c.s, c.e, c.quoted));
  if (!r.ok)
    report(
      c,
      col,
      'experiments-shape',
      (v) =>
        `${col.name}: ${shown(v)} is not an object of layers, each a list of {"experiment_id", "variant", "enrolled_at"} (${r.detail})`,
    );
};

/** JSON longer than this is not parsed: no attribute or entitlement cell comes near it. */
const MAX_JSON_BYTES = 2 ** 20;
const TOO_LONG = 'it is longer than 1 MiB, past what is read as JSON';
const PYTHON_LIST =
  'is a Python-style list: RevenueCat\'s example data writes lists that way; deliveries write JSON arrays such as ["a", "b"]';

/** The attribute JSON rule; each instance remembers the values it found valid (see seen.ts). */
function attributesRule(): CellRule {
  const seen = new SeenValues();
  return (c, col) => {
    if (seen.has(c.bytes, c.s, c.e, c.quoted, c.base)) return;
    if (recognizeAttributes(c.bytes, c.s, c.e, c.quoted)) {
      seen.add(c.s, c.e, c.quoted);
      return;
    }
    const r: ReturnType<typeof checkAttributesText> =
      c.e - c.s > MAX_JSON_BYTES
        ? { ok: false, rule: 'json-error', detail: TOO_LONG }
        : checkAttributesText(fieldText(c.bytes, c.s, c.e, c.quoted));
    if (!r.ok) {
      const what =
        r.rule === 'json-error' ? 'is not valid JSON' : 'is not an object of {"value", "updated_at_ms"} entries';
      report(c, col, r.rule, (v) => `${col.name}: ${shown(v)} ${what} (${r.detail})`);
    } else seen.add(c.s, c.e, c.quoted);
  };
}

/** The rules that apply to a column in a version, in the order they run. */
export function rulesFor(spec: ColumnSpec, encodings: Encodings): CellRule[] {
  const rules: CellRule[] = [];
  switch (spec.type) {
    case 'timestamp':
      rules.push(timestamp);
      break;
    case 'float':
      rules.push(float);
      if (spec.format === 'fraction') rules.push(fraction);
      break;
    case 'integer':
      rules.push(integer);
      if (spec.format === 'positive') rules.push(positive);
      break;
    case 'boolean':
      rules.push(boolean);
      break;
    case 'array':
      rules.push(array);
      break;
    case 'json':
      if (spec.format === 'experiments') rules.push(experiments);
      else if (encodings.attributes !== 'text') rules.push(attributesRule());
      break;
    case 'string': {
      const f = formatRule(spec);
      if (f) rules.push(f);
      if (spec.enumValues) rules.push(enumRule(spec));
      break;
    }
  }
  return rules;
}

/** The rules of a header column in a version; null for a column the version does not have. */
export function columnRules(name: string, version: TemplateVersion): ColumnRules | null {
  const vc = versionColumnFor(version, name);
  const spec = vc && columnSpec(vc.name, version.feed);
  return vc && spec ? { name, vc, spec, rules: rulesFor(spec, version.encodings) } : null;
}

/** A cell context to reuse for every cell of a pass. */
export function newCellContext(collector: ProblemCollector, version: TemplateVersion): CellContext {
  return {
    bytes: new Uint8Array(0),
    s: 0,
    e: 0,
    quoted: false,
    row: 0,
    vrow: 0,
    base: 0,
    line: 0,
    vector: null,
    collector,
    encodings: version.encodings,
    versionLabel: version.id,
  };
}
