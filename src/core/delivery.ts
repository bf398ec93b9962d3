/**
 * A delivery: what RevenueCat writes in one run of one feed. One file (a CSV or gzip-compressed CSV
 * delivery), or several parts in a folder (a split CSV delivery, or a Parquet delivery, which always
 * comes in parts). Its date and time come from its path as the documentation lays deliveries out,
 * its feed from its path or else its header (catalog/feed.ts), its format from its bytes, never from
 * a file's extension:
 *
 *   <base>/<YYYY-MM-DD>/transactions_<unix-seconds>.<ext>
 *   <base>/virtual_currency/<YYYY-MM-DD>/virtual_currency_<unix-seconds>.<ext>
 *   split or Parquet: the parts are the data files in a transactions_… / virtual_currency_… folder,
 *   or in a dated folder (their names are not documented).
 */
import type { DeliveryFormat } from './load/load';
import { isGzip, isParquet } from './load/decode';
import type { Feed } from './catalog/templates';

export type { Feed } from './catalog/templates';

export interface DeliveryRef {
  /** The delivery's path: its file, or its folder for a delivery of parts. */
  readonly path: string;
  /** The files it is read from, in order (one for a single-file delivery). */
  readonly parts: readonly string[];
  readonly feed: Feed;
  /** YYYY-MM-DD of the dated folder it is in, when it is in one. */
  readonly date: string | null;
  /** Unix seconds from its name (`transactions_<ts>`), when it has one. */
  readonly time: number | null;
  readonly format: DeliveryFormat;
}

/** A path that the walk left out, and why. */
export interface Skipped {
  readonly path: string;
  readonly reason: string;
}

/** What a part's first bytes say it is: gzip, Parquet, or (any other bytes) text. */
export function sniffFormat(head: Uint8Array): DeliveryFormat {
  if (isGzip(head)) return 'csv.gz';
  if (isParquet(head)) return 'parquet';
  return 'csv';
}

const segments = (p: string) => p.split(/[\\/]+/).filter(Boolean);

const DATED = /^\d{4}-\d{2}-\d{2}$/;

export function isDatedFolder(name: string): boolean {
  return DATED.test(name);
}

/** A folder or file named for one delivery: `transactions_<…>` or `virtual_currency_<…>`. */
export function isDeliveryName(name: string): boolean {
  return /^(transactions|virtual_currency)_./.test(name);
}

/** The date of the innermost dated folder on the path. */
export function dateOfPath(p: string): string | null {
  const s = segments(p).filter(isDatedFolder);
  return s.length ? s[s.length - 1] : null;
}

/** The delivery time in a `transactions_<unix-seconds>` or `virtual_currency_<unix-seconds>` name. */
export function timeOfPath(p: string): number | null {
  const s = segments(p);
  for (let i = s.length - 1; i >= 0; i--) {
    const m = /^(?:transactions|virtual_currency)_(\d{10})(?!\d)/.exec(s[i]);
    if (m) return Number(m[1]);
  }
  return null;
}
