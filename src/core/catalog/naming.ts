/**
 * Delivery file names: `<base>/<YYYY-MM-DD>/transactions_<unix-seconds>.csv.gz`, and for the In-App
 * Currency feed `<base>/virtual_currency/<YYYY-MM-DD>/virtual_currency_<unix-seconds>…`.
 */

/** The export's timestamp (unix seconds) from its file name, or null when the name has none. */
export function exportTimeFromName(file: string): number | null {
  const m = /(?:transactions|virtual_currency)_(\d{10})(?!\d)/.exec(file);
  return m ? Number(m[1]) : null;
}
