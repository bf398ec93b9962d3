/** `rc-export validate`: the validator's report per file, as text or JSON. */
import type { LoadError } from '../core/errors';
import type { Loaded } from '../core/load/load';
import type { Problem } from '../core/validate/problems';

export interface FileReport {
  file: string;
  template: string;
  templateSource: 'detected' | 'option';
  delimiter: string;
  rows: number;
  counts: { error: number; warning: number; information: number };
  problems: Array<Pick<Problem, 'rule' | 'severity' | 'row' | 'line' | 'column' | 'value' | 'message'>>;
}

export interface FileFailure {
  file: string;
  error: LoadError;
}

/** maxProblems 0 lists every problem. */
export function fileReport(file: string, loaded: Loaded, maxProblems: number): FileReport {
  const v = loaded.validation!;
  const all = v.problems;
  const listed = maxProblems > 0 ? all.slice(0, maxProblems) : all;
  return {
    file,
    template: loaded.info.version.id,
    templateSource: loaded.info.templateSource,
    delimiter: loaded.info.delimiter,
    rows: loaded.table.rowCount,
    counts: { ...v.counts },
    problems: listed.map(({ rule, severity, row, line, column, value, message }) => ({
      rule,
      severity,
      row,
      line,
      column,
      value,
      message,
    })),
  };
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

export function formatReport(r: FileReport): string {
  const out = [
    `${r.file}  ${r.template} (${r.templateSource}) · delimiter ${JSON.stringify(r.delimiter)} · ${plural(r.rows, 'row')}`,
  ];
  for (const p of r.problems) {
    const where = `line ${p.line}${p.row !== null ? `, row ${p.row}` : ''}`;
    out.push(`  ${where.padEnd(22)} ${p.severity.padEnd(11)} ${p.rule.padEnd(22)} ${p.message}`);
  }
  const total = r.counts.error + r.counts.warning + r.counts.information;
  if (total > r.problems.length)
    out.push(`  … ${plural(total - r.problems.length, 'more problem')} (--max-problems 0 lists all)`);
  const mark = r.counts.error ? '✖' : '✔';
  out.push(
    `  ${mark} ${plural(r.counts.error, 'error')}, ${plural(r.counts.warning, 'warning')}, ${r.counts.information.toLocaleString('en-US')} information`,
  );
  return out.join('\n');
}

export function formatFailure(f: FileFailure): string {
  const detail = f.error.detail ? `\n${f.error.detail}` : '';
  return `${f.file}\n  ✖ cannot read (${f.error.code}): ${f.error.message}${detail}`;
}

/** A path the folder walk left out, and why (listed, not an error). */
export interface SkippedEntry {
  file: string;
  skipped: string;
}

export function formatSkipped(s: { path: string; reason: string }): string {
  return `${s.path}\n  skipped: ${s.reason}`;
}
