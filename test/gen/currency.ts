/**
 * Deterministic generator of In-App Currency feed deliveries (test data): customers whose balances
 * of one or two currencies move by purchases, grants, deductions, refunds and expirations, each
 * adjustment with its running balance (never below 0) and an idempotency_key. A snapshot repeats
 * some adjustments with a later updated_at, as a re-delivered row would be. Same options, same text.
 */
import { CURRENCY_COLUMNS } from '../../src/core/catalog/templates';
import { field, needsQuoting } from './encode';
import { Rng } from './rng';
import { DAY, fmtNum, fmtTs } from './values';

export interface CurrencyOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Unix seconds of the snapshot; every event is within 120 days before it. */
  readonly exportTime?: number;
  /** Share of rows repeated later in the file with a newer updated_at (default 0.05). */
  readonly repeats?: number;
  readonly delimiter?: ',' | ';';
}

const TYPES_CREDIT = ['PURCHASE', 'GRANT'] as const;
const TYPES_DEBIT = ['DEDUCTION', 'REFUND_REMOVAL', 'expiration'] as const;
const STORES = ['app_store', 'play_store', 'stripe', 'rc_billing', 'amazon'];
const CURRENCIES = ['coins', 'gems'];

type Row = Record<string, string | null>;

export function currencyColumns(): string[] {
  return CURRENCY_COLUMNS.map((c) => c.name);
}

/** The rows of a snapshot, as cell texts by column (null: NULL). */
export function currencyRows(o: CurrencyOptions): Row[] {
  const rng = new Rng(o.seed ?? 1);
  const end = o.exportTime ?? 1790000000;
  const rows: Row[] = [];
  const balances = new Map<string, number>();
  let clock = end - 120 * DAY;
  // events spread over the 120 days (the mean step is the span over the rows)
  const step = Math.max(2, Math.floor((2 * 120 * DAY) / Math.max(1, o.rows)));
  for (let i = 0; rows.length < o.rows; i++) {
    clock += rng.int(step) + 1;
    const user = `user_${rng.int(Math.max(3, Math.floor(o.rows / 8)))}`;
    const currency = CURRENCIES[rng.int(CURRENCIES.length)];
    const key = `${user}|${currency}`;
    const balance = balances.get(key) ?? 0;
    const credit = balance === 0 || rng.chance(0.55);
    // 'other' moves the balance either way
    const type = rng.chance(0.12) ? 'other' : credit ? rng.pick(TYPES_CREDIT) : rng.pick(TYPES_DEBIT);
    const amount = credit ? 10 * (rng.int(20) + 1) : -Math.min(balance, 5 * (rng.int(10) + 1));
    balances.set(key, balance + amount);
    const purchase = type === 'PURCHASE';
    const refund = type === 'REFUND_REMOVAL' && rng.chance(0.7);
    const price = purchase ? (rng.int(5000) + 99) / 100 : null;
    const store = purchase || refund ? rng.pick(STORES) : rng.chance(0.2) ? null : rng.pick(STORES);
    const row: Row = {
      rc_original_app_user_id: user,
      rc_last_seen_app_user_id_alias: rng.chance(0.3) ? `${user}_alias` : user,
      transaction_type: type,
      currency_code: currency,
      adjustment_amount: String(amount),
      updated_balance: String(balance + amount),
      event_timestamp: fmtTs(clock),
      updated_at: fmtTs(clock + rng.int(3600)),
      idempotency_key: `idem_${i}_${rng.hex(8)}`,
      store,
      is_sandbox: rng.chance(0.05) ? 'true' : 'false',
      store_transaction_id: purchase || refund ? `txn_${rng.hex(12)}` : null,
      product_identifier: purchase ? `${currency}_pack_${rng.int(3) + 1}` : null,
      price_in_usd: price === null ? null : fmtNum(price),
      purchase_price_in_usd: price === null ? null : fmtNum(price * 1.1),
      price_in_purchased_currency: price === null ? null : fmtNum(price * 0.9),
      purchase_price_in_purchased_currency: price === null ? null : fmtNum(price * 0.99),
      purchased_currency: price === null ? null : 'EUR',
      refund_amount_usd: refund ? fmtNum((rng.int(2000) + 99) / 100) : null,
      refund_amount_in_purchased_currency: refund ? fmtNum((rng.int(2000) + 99) / 100) : null,
      refund_type: refund ? (rng.chance(0.6) ? 'FULL' : 'PARTIAL') : null,
    };
    rows.push(row);
    // a re-delivered adjustment: same key, a later updated_at, its other cells as before
    if (rows.length < o.rows && rng.chance(o.repeats ?? 0.05)) {
      rows.push({ ...row, updated_at: fmtTs(clock + 3600 + rng.int(DAY)) });
    }
  }
  return rows;
}

/** A snapshot's CSV text with the given columns (default: the feed's 21, in catalog order). */
export function currencyCsv(o: CurrencyOptions, columns: readonly string[] = currencyColumns()): string {
  const d = o.delimiter ?? ',';
  const re = needsQuoting(d);
  const lines = [columns.join(d)];
  for (const r of currencyRows(o)) lines.push(columns.map((c) => field(r[c] ?? null, false, re)).join(d));
  return `${lines.join('\n')}\n`;
}
