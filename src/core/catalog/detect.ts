/**
 * What a file's header says: the delimiter, a BOM, and which template version it matches best,
 * with what differs from that version (missing, unknown, duplicate and reordered columns).
 */
import { detectFeed } from './feed';
import {
  CURRENCY_TEMPLATE,
  isTemplateId,
  templateVersion,
  versionColumnFor,
  VERSIONS,
  type Feed,
  type TemplateId,
  type TemplateVersion,
} from './templates';

export const BOM = [0xef, 0xbb, 0xbf] as const;

export function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === BOM[0] && b[1] === BOM[1] && b[2] === BOM[2];
}

/**
 * The header holds only `[a-z_]` names and the delimiter, so the delimiter is whichever of `;` and
 * `,` occurs in the first line (the more frequent one if both do). `,` when neither does.
 */
export function sniffDelimiter(b: Uint8Array, start: number, end: number): ',' | ';' {
  let commas = 0;
  let semis = 0;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c === 0x0a) break;
    if (c === 0x2c) commas++;
    else if (c === 0x3b) semis++;
  }
  return semis > commas ? ';' : ',';
}

export interface HeaderReport {
  /** The feed the delivery belongs to (from its path, else its header). */
  readonly feed: Feed;
  /** The version this header matches best ('iac' for the In-App Currency feed). */
  readonly detected: TemplateId;
  /** Columns of the detected version not in the header. */
  readonly missing: readonly string[];
  /** Header columns the detected version does not have. */
  readonly unknown: readonly string[];
  readonly duplicates: readonly string[];
  /** The first column out of documented order, or null when the order is the documented one. */
  readonly firstOutOfOrder: string | null;
  /** How many header names are catalog columns of any version. */
  readonly knownColumns: number;
  /** The header is a selection of the version's columns (more than a couple are absent). */
  readonly selection: boolean;
  readonly note: string;
}

/** How `header` compares with `version`'s documented columns. */
export function compareHeader(header: readonly string[], version: TemplateVersion) {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const unknown: string[] = [];
  const expectedIndex: number[] = [];
  for (const name of header) {
    if (seen.has(name)) duplicates.push(name);
    seen.add(name);
    const vc = versionColumnFor(version, name);
    if (!vc) unknown.push(name);
    else expectedIndex.push(version.columns.indexOf(vc));
  }
  const missing = version.columns
    .filter((c) => !c.optional && !seen.has(c.name) && !(c.aliases ?? []).some((a) => seen.has(a)))
    .map((c) => c.name);
  let firstOutOfOrder: string | null = null;
  for (let k = 1; k < expectedIndex.length; k++) {
    if (expectedIndex[k] < expectedIndex[k - 1]) {
      firstOutOfOrder = version.columns[expectedIndex[k]].name;
      break;
    }
  }
  return { missing, unknown, duplicates, firstOutOfOrder };
}

/** A file that lacks at most this many of its version's columns is that version, damaged; beyond, a selection. */
const DAMAGED_MAX = 2;

/**
 * Picks the template of a header. The feed comes first (detectFeed). For Transactions, the versions
 * whose columns include every catalog column of the header are the candidates (so a file that shows
 * one v5-only column is at least v5, one with experiment_id at most v6, one with
 * enrolled_experiments_by_layer v7). A header that lacks at most a couple of a candidate's columns is
 * that candidate (fewest missing; ties go to the older version). Anything sparser is a column
 * selection, which RevenueCat offers on current deliveries: the newest candidate. v6 has v5's
 * columns, so a header alone never says v6.
 */
export function detectVersion(header: readonly string[], path?: string): HeaderReport {
  const feed = detectFeed(header, path);
  if (feed === 'in-app-currency') {
    const cmp = compareHeader(header, CURRENCY_TEMPLATE);
    const known = header.length - cmp.unknown.length;
    const notes = cmp.missing.length
      ? [`a selection of ${known} of the feed's ${CURRENCY_TEMPLATE.columns.length} columns`]
      : [];
    if (cmp.unknown.length) notes.push(`unknown ${cmp.unknown.join(', ')}`);
    return {
      feed,
      detected: 'iac',
      ...cmp,
      knownColumns: known,
      selection: cmp.missing.length > 0,
      note: notes.join('; '),
    };
  }
  const known = header.filter((h) => VERSIONS.some((v) => versionColumnFor(v, h) !== undefined));
  const scored = VERSIONS.filter((v) => v.id !== 'v6').map((v) => {
    const cmp = compareHeader(header, v);
    const covers = known.every((h) => versionColumnFor(v, h) !== undefined);
    return { v, cmp, covers };
  });
  const candidates = scored.some((s) => s.covers) ? scored.filter((s) => s.covers) : scored;
  // A missing column weighs most; an unknown one less (half where the version expects new columns).
  const score = (c: (typeof scored)[number]) =>
    c.cmp.missing.length * 2 + c.cmp.unknown.length * (c.v.toleratesUnknownColumns ? 0.5 : 1);
  let best = candidates[0];
  for (const c of candidates) if (score(c) < score(best)) best = c;
  const selection = best.cmp.missing.length > DAMAGED_MAX && candidates.some((c) => c.covers);
  if (selection) best = candidates[candidates.length - 1];
  const id = best.v.id;
  const notes: string[] = [];
  if (selection) notes.push(`a selection of ${known.length} columns, read as the newest version that has them all`);
  if (id === 'v5') notes.push('v6 has the same columns as v5; choose v6 explicitly if your export uses it');
  if (best.cmp.missing.length && !selection) notes.push(`missing ${best.cmp.missing.join(', ')}`);
  if (best.cmp.unknown.length) notes.push(`unknown ${best.cmp.unknown.join(', ')}`);
  return {
    feed,
    detected: id,
    ...best.cmp,
    knownColumns: known.length,
    selection,
    note: notes.join('; '),
  };
}

/**
 * An explicit choice (`v1`..`v7`, `iac`) or `auto`; returns the version to validate against. A
 * choice made for the other feed (a Transactions version for an In-App Currency file) does not apply.
 */
export function chooseVersion(
  choice: string | undefined,
  report: HeaderReport,
): { version: TemplateVersion; source: 'detected' | 'option' } {
  if (choice && choice !== 'auto') {
    if (!isTemplateId(choice)) throw new RangeError(`unknown template version "${choice}" (use v1..v7 or auto)`);
    const chosen = templateVersion(choice);
    if (chosen.feed === report.feed) return { version: chosen, source: 'option' };
  }
  return { version: templateVersion(report.detected), source: 'detected' };
}

/** A header line is an export's when its names look like column names and enough are known ones. */
export function looksLikeExportHeader(header: readonly string[], knownColumns: number): boolean {
  const nameLike = header.filter((h) => /^[a-z_][a-z0-9_]*$/.test(h)).length;
  return knownColumns >= 3 && nameLike >= header.length * 0.8;
}
