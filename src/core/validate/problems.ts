/**
 * Problems found in an export, and the collector that keeps exact counts per rule and column while
 * storing only the first few problems of each rule (a file can have millions).
 */
import { RULE_IDS, ruleInfo, type RuleId, type Severity } from '../catalog/rules';

export interface Problem {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** 1-based data row (the first record after the header is 1); null for the header or a blank line. */
  readonly row: number | null;
  /** 1-based physical line where the record starts (the header is line 1). */
  readonly line: number;
  readonly column: string | null;
  readonly value: string | null;
  readonly message: string;
  /** Byte offset of the field (or record) in the decompressed text, for exact ranges. */
  readonly offset: number;
}

export interface ProblemTally {
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly column: string | null;
  readonly count: number;
  readonly firstRow: number | null;
  readonly firstLine: number;
  /** The first problem counted but not kept (its rule's quota was full); line 0 when all were kept. */
  readonly unkeptRow: number | null;
  readonly unkeptLine: number;
}

export interface ValidationReport {
  readonly problems: readonly Problem[];
  /** Exact counts per rule and column, including problems not kept in `problems`. */
  readonly tallies: readonly ProblemTally[];
  readonly counts: { readonly error: number; readonly warning: number; readonly information: number };
  readonly truncated: boolean;
}

const RULE_INDEX = new Map(RULE_IDS.map((id, i) => [id, i]));

function tallyKey(rule: RuleId, column: string | null): string {
  return column === null ? rule : `${rule}\u0000${column}`;
}

export class ProblemCollector {
  private kept: Problem[] = [];
  private readonly perRule = new Uint32Array(RULE_IDS.length);
  private readonly tallies = new Map<string, { -readonly [K in keyof ProblemTally]: ProblemTally[K] }>();
  private readonly severityOverride = new Map<RuleId, Severity>();
  /** Added to the offsets kept: where the bytes the rules read start in the whole text (a streamed load's window). */
  base = 0;

  /** @param maxPerRule problems kept per rule (counts stay exact); Infinity keeps all. */
  constructor(readonly maxPerRule: number) {}

  overrideSeverity(rule: RuleId, severity: Severity): void {
    this.severityOverride.set(rule, severity);
  }

  severityOf(rule: RuleId): Severity {
    return this.severityOverride.get(rule) ?? ruleInfo(rule).severity;
  }

  /**
   * Counts one problem. Returns true when the caller should build its message and `keep` it,
   * false when the rule's quota is full (the count is kept either way).
   */
  count(rule: RuleId, column: string | null, row: number | null, line: number): boolean {
    const key = tallyKey(rule, column);
    let t = this.tallies.get(key);
    if (!t) {
      t = {
        rule,
        severity: this.severityOf(rule),
        column,
        count: 0,
        firstRow: row,
        firstLine: line,
        unkeptRow: null,
        unkeptLine: 0,
      };
      this.tallies.set(key, t);
    }
    t.count++;
    // a summed rule keeps the first problem of each column, and only that
    if (t.count > 1 && ruleInfo(rule).summed) return false;
    const idx = RULE_INDEX.get(rule)!;
    if (this.perRule[idx]++ < this.maxPerRule) return true;
    if (t.unkeptLine === 0) {
      t.unkeptRow = row;
      t.unkeptLine = line;
    }
    return false;
  }

  /** Counts n more problems of a rule and column that count() has just counted once (its quota is full). */
  countMore(rule: RuleId, column: string | null, n: number): void {
    const t = this.tallies.get(tallyKey(rule, column));
    if (!t || n <= 0) return;
    t.count += n;
    this.perRule[RULE_INDEX.get(rule)!] += n;
  }

  keep(p: Omit<Problem, 'severity'>): void {
    this.kept.push({ ...p, offset: p.offset + this.base, severity: this.severityOf(p.rule) });
  }

  /** count + keep in one call, for places where building the message is cheap. */
  add(p: Omit<Problem, 'severity'>): void {
    if (this.count(p.rule, p.column, p.row, p.line)) this.keep(p);
  }

  /**
   * Adds what another collector found (problems counted there are not counted here). Each side kept
   * the first problems of each rule in its own share of the cells; where both kept some of one rule,
   * the rule keeps its first maxPerRule by position, as if one collector had seen every cell in order.
   */
  merge(other: { readonly problems: readonly Problem[]; readonly tallies: readonly ProblemTally[] }): void {
    const mine = new Set(this.kept.map((p) => p.rule));
    const shared = new Set(other.problems.filter((p) => mine.has(p.rule)).map((p) => p.rule));
    for (const p of other.problems) this.kept.push(p);
    const dropped: Problem[] = [];
    for (const rule of shared) {
      const all = this.kept.filter((p) => p.rule === rule);
      if (all.length <= this.maxPerRule) continue;
      const drop = new Set(all.sort((a, b) => a.line - b.line || a.offset - b.offset).slice(this.maxPerRule));
      this.kept = this.kept.filter((p) => !drop.has(p));
      dropped.push(...drop);
    }
    this.mergeTallies(other.tallies);
    // a problem kept by one side but dropped here is now the first unkept of its column if it comes earlier
    for (const p of dropped) {
      const t = this.tallies.get(tallyKey(p.rule, p.column));
      if (t && (!t.unkeptLine || p.line < t.unkeptLine)) Object.assign(t, { unkeptRow: p.row, unkeptLine: p.line });
    }
  }

  private mergeTallies(tallies: readonly ProblemTally[]): void {
    for (const t of tallies) {
      const key = tallyKey(t.rule, t.column);
      const mine = this.tallies.get(key);
      if (!mine) this.tallies.set(key, { ...t });
      else {
        mine.count += t.count;
        if (t.firstLine < mine.firstLine) Object.assign(mine, { firstRow: t.firstRow, firstLine: t.firstLine });
        if (t.unkeptLine && (!mine.unkeptLine || t.unkeptLine < mine.unkeptLine))
          Object.assign(mine, { unkeptRow: t.unkeptRow, unkeptLine: t.unkeptLine });
      }
    }
  }

  report(): ValidationReport {
    const { kept, tallies } = this.summed();
    const counts = { error: 0, warning: 0, information: 0 };
    let total = 0;
    for (const t of tallies) {
      counts[t.severity] += t.count;
      total += t.count;
    }
    const order: Record<Severity, number> = { error: 0, warning: 1, information: 2 };
    const problems = [...kept].sort(
      (a, b) => a.line - b.line || a.offset - b.offset || order[a.severity] - order[b.severity],
    );
    return { problems, tallies, counts, truncated: total > problems.length };
  }

  /** What was found, as counted (summed rules not yet summed): for another collector to merge. */
  raw(): { problems: Problem[]; tallies: ProblemTally[] } {
    return { problems: [...this.kept], tallies: [...this.tallies.values()].map((t) => ({ ...t })) };
  }

  /** Summed rules (enum values, sample-file encodings) as one problem per column, its message saying how many. */
  private summed(): { kept: Problem[]; tallies: ProblemTally[] } {
    const first = new Map<string, Problem>();
    const kept: Problem[] = [];
    for (const p of this.kept) {
      if (!ruleInfo(p.rule).summed) {
        kept.push(p);
        continue;
      }
      const k = tallyKey(p.rule, p.column);
      const seen = first.get(k);
      if (!seen || p.line < seen.line) first.set(k, p);
    }
    const tallies: ProblemTally[] = [];
    for (const [k, t] of this.tallies) {
      const p = first.get(k);
      if (!ruleInfo(t.rule).summed || !p) {
        tallies.push({ ...t });
        continue;
      }
      const rows = t.count === 1 ? 'one row' : `${t.count.toLocaleString('en-US')} rows`;
      kept.push({ ...p, message: `${p.message} (${rows} in ${t.column ?? 'the file'}, the first at row ${p.row})` });
      tallies.push({ ...t, count: 1, firstRow: p.row, firstLine: p.line, unkeptRow: null, unkeptLine: 0 });
    }
    return { kept, tallies };
  }
}

/** Shortens a value for a message. */
export function shown(value: string, max = 60): string {
  const v = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return JSON.stringify(v);
}
