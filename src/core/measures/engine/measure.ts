/**
 * The shape of a measure and the bookkeeping every measure shares: which rows each delivery gave,
 * how many were dropped for a NULL, and how the documented query was adapted to older templates.
 *
 * Room src/core/measures/engine: what every measure shares: columns, dates, the row filter, money, merge, result format.
 * May import: src/core, src/core/catalog, src/core/load, src/core/validate.
 */
import { select, type FilterSpec, type Selection } from './rowFilter';
import { snapshots, type SnapshotMeasure } from './snapshot';
import type { MeasureInput, MeasureName, MeasureParams, MeasureValue, Part } from './types';

/**
 * What a measure takes: one date (a series with a range), a range, either, an attribute and a date;
 * 'movement': a range cut into periods (default the 90 days up to A); 'since': a first day only;
 * 'cohorts': an optional range of first-purchase dates; 'retention': a range of cohort start dates.
 */
export type ParamKind =
  'date' | 'range' | 'date-or-range' | 'attribute' | 'movement' | 'since' | 'cohorts' | 'retention';

export interface Measure {
  readonly name: MeasureName;
  readonly title: string;
  /** RevenueCat's documented sample query this reproduces. */
  readonly query: string;
  readonly takes: ParamKind;
  /** params arrive complete: date (or from/to, or key/value) already resolved. */
  compute(input: MeasureInput, params: MeasureParams, tally: Tally): MeasureValue;
  /** Point-in-time measures: the per-row form that gives any number of days in one pass. */
  readonly snapshot?: SnapshotMeasure;
}

/** A point-in-time measure's compute for its one date. */
export function onDate(m: SnapshotMeasure): Measure['compute'] {
  return (input, p, tally) => snapshots(m, input, p, p.date!, p.date!, [p.date!], tally)[0];
}

export class Tally {
  droppedForNull = 0;
  readonly droppedForNullByColumn: Record<string, number> = {};
  private readonly notes = new Map<Part, string[]>();
  /** Corrections of the documented query, the same for every part. */
  private readonly corrections: string[] = [];

  correct(...what: string[]): void {
    for (const c of what) if (!this.corrections.includes(c)) this.corrections.push(c);
  }

  /** The shared filter over one part, with its drops and notes recorded. */
  select(part: Part, spec: FilterSpec): Selection {
    const s = select(part, spec);
    this.droppedForNull += s.droppedForNull;
    for (const [c, n] of Object.entries(s.droppedForNullByColumn))
      this.droppedForNullByColumn[c] = (this.droppedForNullByColumn[c] ?? 0) + n;
    for (const note of s.notes) this.note(part, note);
    return s;
  }

  note(part: Part, note: string): void {
    let list = this.notes.get(part);
    if (!list) this.notes.set(part, (list = []));
    if (!list.includes(note)) list.push(note);
  }

  /** "v5: as documented", or the adaptations per template version (deliveries alike are said once). */
  variant(parts: readonly Part[]): string {
    const lines: string[] = [];
    for (const p of parts) {
      const notes = [...this.corrections, ...(this.notes.get(p) ?? [])];
      const line = `${p.delivery.version}: ${notes.length ? notes.join('; ') : 'the documented query as written'}`;
      if (!lines.includes(line)) lines.push(line);
    }
    return lines.join(' | ');
  }
}
