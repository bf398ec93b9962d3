/**
 * Which feed a delivery belongs to. The path decides first (In-App Currency files land under
 * `virtual_currency/<date>/virtual_currency_<timestamp>`), the header second: a column only one
 * feed has tells it, since a column selection can drop the others.
 */
import { CURRENCY_COLUMNS, CURRENCY_ONLY } from './currencyColumns';
import { COLUMNS } from './transactionColumns';
import type { Feed } from './templates';

const CURRENCY_NAMES = new Set(CURRENCY_COLUMNS.map((c) => c.name));
const TRANSACTIONS_ONLY = new Set(COLUMNS.map((c) => c.name).filter((n) => !CURRENCY_NAMES.has(n)));
const CURRENCY_ONLY_SET = new Set<string>(CURRENCY_ONLY);

/** The feed a path names: a `virtual_currency` folder or a `virtual_currency_` file or folder; null when it names none. */
export function feedFromPath(path: string): Feed | null {
  const segments = path.split(/[\\/]/);
  if (segments.some((s) => s === 'virtual_currency' || s.startsWith('virtual_currency_'))) return 'in-app-currency';
  if (segments.some((s) => /^transactions_/.test(s))) return 'transactions';
  return null;
}

/** The feed of a delivery with this header (and this path, when known). */
export function detectFeed(header: readonly string[], path?: string): Feed {
  const byPath = path ? feedFromPath(path) : null;
  if (byPath) return byPath;
  let currency = 0;
  let transactions = 0;
  for (const h of header) {
    if (CURRENCY_ONLY_SET.has(h)) currency++;
    else if (TRANSACTIONS_ONLY.has(h)) transactions++;
  }
  return currency > transactions ? 'in-app-currency' : 'transactions';
}
