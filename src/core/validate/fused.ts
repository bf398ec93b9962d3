/**
 * Validation fused into the load: what the typed value of a cell already says about it. The loader
 * types each cell and, with the codes below, knows at once whether the cell's rules could find
 * anything; only the rows where some cell could (or that hold a required cell left empty) are
 * walked again by the validator, which then runs the rules on them exactly as before.
 */
import type { ColumnSpec } from '../catalog/templates';
import type { VectorData } from '../load/table';
import type { ColumnRules } from './cellRules';

/** Per column (LoadChecks.check): a value is required (an empty cell is a problem). */
export const CHECK_REQUIRED = 1;
/** Per column: the column has rules, which run on a cell unless its typed value accepts it (shortcut). */
export const CHECK_RULES = 2;

/** What the loader checks per cell as it types it (see Validator.loadChecks). */
export interface LoadChecks {
  /** CHECK_* bits per header column; 0 for a column with nothing to check. */
  readonly check: Uint8Array;
  /** vectorShortcut of each column's spec (ACCEPT_OTHER where none). */
  readonly shortcut: Uint8Array;
  /** Booleans are written t/f in this version (true/false otherwise). */
  readonly shortBooleans: boolean;
  /** For a dictionary column with rules: whether a code's value passes all of them (false when unsure). */
  dictPasses(column: number, dict: readonly string[], code: number): boolean;
  /** The loader stopped keeping a vector for a column (a dictionary outgrew its codes). */
  vectorDropped(column: number): void;
}

/**
 * What the typed value already says about a cell, so the loader can skip calling the rules of most
 * cells: a column's rules all pass when its vector value is accepted below, and are run (to decide
 * and word the problem) otherwise. NUMBER: any parsed number; FRACTION: 0..1; POSITIVE: >= 1;
 * BOOL: true/false written in the version's encoding (lower case); TIME: a timestamp in the documented form. OTHER: no shortcut, the rules always run.
 */
export const ACCEPT_OTHER = 0;
export const ACCEPT_NUMBER = 1;
export const ACCEPT_FRACTION = 2;
export const ACCEPT_POSITIVE = 3;
export const ACCEPT_BOOL = 4;
/** A parsed timestamp written in the documented form. */
export const ACCEPT_TIME = 5;

export function vectorShortcut(spec: ColumnSpec): number {
  switch (spec.type) {
    case 'timestamp':
      return spec.format ? ACCEPT_OTHER : ACCEPT_TIME;
    case 'float':
      return spec.format === 'fraction' ? ACCEPT_FRACTION : spec.format ? ACCEPT_OTHER : ACCEPT_NUMBER;
    case 'integer':
      return spec.format === 'positive' ? ACCEPT_POSITIVE : spec.format ? ACCEPT_OTHER : ACCEPT_NUMBER;
    case 'boolean':
      return ACCEPT_BOOL;
    default:
      return ACCEPT_OTHER;
  }
}

/** The validator's side of the fused checks: per column what to check, and the columns the loader does not type. */
export class FusedChecks implements LoadChecks {
  readonly check: Uint8Array;
  /** The active columns without a vector: the loader cannot check them, so the validator does (plainDirty). */
  private readonly plain: number[] = [];
  /** Per dictionary column with rules: 1 when a code's value passes them, 2 when not (0: not asked yet). */
  private readonly verdicts: (Uint8Array | undefined)[] = [];

  constructor(
    private readonly columns: readonly (ColumnRules | null)[],
    active: Int32Array,
    readonly shortcut: Uint8Array,
    readonly shortBooleans: boolean,
    vectors: readonly (VectorData | null)[],
  ) {
    this.check = new Uint8Array(columns.length);
    for (const k of active) {
      const c = columns[k]!;
      this.check[k] = (c.vc.nullable ? 0 : CHECK_REQUIRED) | (c.rules.length ? CHECK_RULES : 0);
      if (!vectors[k]) this.plain.push(k);
    }
  }

  dictPasses(k: number, dict: readonly string[], code: number): boolean {
    const verdicts = (this.verdicts[k] ??= new Uint8Array(0x10000));
    if (verdicts[code] === 0) {
      const rules = this.columns[k]?.rules ?? [];
      verdicts[code] = rules.every((r) => r.dictPasses?.(dict, code) === true) ? 1 : 2;
    }
    return verdicts[code] === 1;
  }

  vectorDropped(k: number): void {
    if (this.check[k] !== 0 && !this.plain.includes(k)) this.plain.push(k);
  }

  /** Whether a cell of an untyped column among the row's first n fields gives the rules work. */
  plainDirty(starts: Float64Array, ends: Float64Array, n: number): boolean {
    const plain = this.plain;
    for (let j = 0; j < plain.length; j++) {
      const k = plain[j];
      if (k < n && (this.check[k] & (starts[k] === ends[k] ? CHECK_REQUIRED : CHECK_RULES)) !== 0) return true;
    }
    return false;
  }
}

/** Nothing to check (a load without validation): every column's bits are 0. */
export function noChecks(columns: number): LoadChecks {
  return {
    check: new Uint8Array(columns),
    shortcut: new Uint8Array(columns),
    shortBooleans: false,
    dictPasses: () => false,
    vectorDropped: () => undefined,
  };
}

/** Whether a number read in the documented form (so no blanks around it) passes the rules its shortcut stands for. */
export function acceptsNumber(shortcut: number, v: number): boolean {
  return shortcut === ACCEPT_FRACTION
    ? v >= 0 && v <= 1
    : shortcut === ACCEPT_POSITIVE
      ? v >= 1
      : shortcut === ACCEPT_NUMBER || shortcut === ACCEPT_TIME;
}
