/** Static pools and value formatting for the generator. Nothing here draws random numbers by itself. */
import type { Rng } from './rng';

export const DAY = 86400;
export const HOUR = 3600;

// --- formatting -------------------------------------------------------------------------------

const P2: string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' + i : String(i)));
const dayCache = new Map<number, string>();

/** `YYYY-MM-DD HH:MM:SS` (UTC) of integer unix seconds. */
export function fmtTs(sec: number): string {
  const d = Math.floor(sec / DAY);
  let s = sec - d * DAY;
  let ds = dayCache.get(d);
  if (ds === undefined) {
    ds = new Date(d * DAY * 1000).toISOString().slice(0, 10);
    dayCache.set(d, ds);
  }
  const h = Math.floor(s / HOUR);
  s -= h * HOUR;
  const m = Math.floor(s / 60);
  return ds + ' ' + P2[h] + ':' + P2[m] + ':' + P2[s - m * 60];
}

export function fmtTsOrNull(sec: number | null): string | null {
  return sec === null ? null : fmtTs(sec);
}

/** Up to 4 decimals, no trailing zeros: `9.99`, `0`, `0.1442`, `1500`. */
export function fmtNum(x: number): string {
  return String(Math.round(x * 10000) / 10000);
}

export function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Adds an ISO duration (P1W, P1M, P3M, P6M, P1Y) to unix seconds; months clamp to the month's last day. */
export function addDuration(sec: number, duration: Duration): number {
  if (duration === 'P1W') return sec + 7 * DAY;
  const months = duration === 'P1M' ? 1 : duration === 'P3M' ? 3 : duration === 'P6M' ? 6 : 12;
  const d = new Date(sec * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000;
}

// --- products ---------------------------------------------------------------------------------

export type Duration = 'P1W' | 'P1M' | 'P3M' | 'P6M' | 'P1Y';
/** What product_duration shows: the product's duration, or the spellings some stores use (30 days, a lifetime of 200 years). */
export type ShownDuration = Duration | 'P30D' | 'P200Y';
export type Store = 'app_store' | 'play_store' | 'stripe' | 'promotional';

export interface Entitlements {
  readonly braces: string; // {premium,pro}
  readonly json: string; // ["premium", "pro"]
  readonly single: string; // premium
}

export function entitlements(names: readonly string[]): Entitlements {
  return {
    braces: '{' + names.join(',') + '}',
    json: '[' + names.map((n) => JSON.stringify(n)).join(', ') + ']',
    single: names[0],
  };
}

export interface ProductKind {
  readonly key: string;
  readonly display: string;
  readonly duration: Duration | null; // null: non-renewing
  readonly usd: number;
  readonly trialDays: number; // 0: no trial offered
  readonly ent: Entitlements | null;
  readonly weight: number;
}

const PREMIUM = entitlements(['premium']);
const PRO = entitlements(['premium', 'pro']);

export const PRODUCTS: readonly ProductKind[] = [
  {
    key: 'premium_weekly',
    display: 'Premium Weekly',
    duration: 'P1W',
    usd: 2.99,
    trialDays: 3,
    ent: PREMIUM,
    weight: 10,
  },
  {
    key: 'premium_monthly',
    display: 'Premium Monthly',
    duration: 'P1M',
    usd: 9.99,
    trialDays: 7,
    ent: PREMIUM,
    weight: 34,
  },
  {
    key: 'premium_quarterly',
    display: 'Premium 3 Months',
    duration: 'P3M',
    usd: 24.99,
    trialDays: 0,
    ent: PREMIUM,
    weight: 5,
  },
  {
    key: 'premium_semiannual',
    display: 'Premium 6 Months',
    duration: 'P6M',
    usd: 44.99,
    trialDays: 0,
    ent: PREMIUM,
    weight: 4,
  },
  {
    key: 'premium_annual',
    display: 'Premium Annual',
    duration: 'P1Y',
    usd: 59.99,
    trialDays: 7,
    ent: PREMIUM,
    weight: 22,
  },
  { key: 'pro_monthly', display: 'Pro Monthly', duration: 'P1M', usd: 14.99, trialDays: 7, ent: PRO, weight: 7 },
  { key: 'pro_annual', display: 'Pro Annual', duration: 'P1Y', usd: 99.99, trialDays: 14, ent: PRO, weight: 5 },
  { key: 'lifetime', display: 'Lifetime Access', duration: null, usd: 149.99, trialDays: 0, ent: PREMIUM, weight: 6 },
  { key: 'coins_100', display: '100 Coins', duration: null, usd: 4.99, trialDays: 0, ent: null, weight: 7 },
];
export const PRODUCT_WEIGHTS: readonly (readonly [ProductKind, number])[] = PRODUCTS.map((p) => [p, p.weight]);
export const PROMO_PRODUCTS: readonly ProductKind[] = PRODUCTS.filter((p) => p.ent !== null && p.key !== 'pro_annual');

const STRIPE_IDS: Record<string, string> = {
  premium_weekly: 'prod_PmW8kQ2nA1xYzW',
  premium_monthly: 'prod_PmM3rT7vB2cDeM',
  premium_quarterly: 'prod_PmQ9sU1wC3fGhQ',
  premium_semiannual: 'prod_PmS4tV5xD4iJkS',
  premium_annual: 'prod_PmA6uW8yE5lMnA',
  pro_monthly: 'prod_PrM2vX9zF6oPqM',
  pro_annual: 'prod_PrA7wY3aG7rStA',
  lifetime: 'prod_LtL1xZ4bH8uVwL',
  coins_100: 'prod_Cn1yA5cI9xYzC',
};

/** The store's product identifier of a product kind. */
export function productId(store: Store, p: ProductKind): string {
  switch (store) {
    case 'app_store':
      return 'com.acme.reader.' + p.key.replace('_', '.');
    case 'play_store':
      return p.duration ? p.key + ':' + p.duration.toLowerCase() + '-autorenew' : p.key;
    case 'stripe':
      return STRIPE_IDS[p.key];
    case 'promotional':
      return 'rc_promo_' + (p.ent === PRO ? 'pro' : 'premium') + '_' + promoSuffix(p.duration);
  }
}

function promoSuffix(d: Duration | null): string {
  switch (d) {
    case 'P1W':
      return 'weekly';
    case 'P1M':
      return 'monthly';
    case 'P3M':
      return 'three_month';
    case 'P6M':
      return 'six_month';
    case 'P1Y':
      return 'yearly';
    default:
      return 'lifetime';
  }
}

// --- money and places -------------------------------------------------------------------------

export interface Country {
  readonly code: string;
  readonly currency: string;
  readonly tax: number;
  readonly weight: number;
}

export const COUNTRIES: readonly Country[] = [
  { code: 'US', currency: 'USD', tax: 0, weight: 34 },
  { code: 'GB', currency: 'GBP', tax: 0.1667, weight: 8 },
  { code: 'DE', currency: 'EUR', tax: 0.1597, weight: 8 },
  { code: 'FR', currency: 'EUR', tax: 0.1667, weight: 5 },
  { code: 'ES', currency: 'EUR', tax: 0.1736, weight: 3 },
  { code: 'IT', currency: 'EUR', tax: 0.1803, weight: 3 },
  { code: 'JP', currency: 'JPY', tax: 0.0909, weight: 6 },
  { code: 'BR', currency: 'BRL', tax: 0.1442, weight: 6 },
  { code: 'CA', currency: 'CAD', tax: 0.0476, weight: 5 },
  { code: 'AU', currency: 'AUD', tax: 0.0909, weight: 4 },
  { code: 'IN', currency: 'INR', tax: 0.1525, weight: 5 },
  { code: 'MX', currency: 'MXN', tax: 0.1379, weight: 3 },
  { code: 'CH', currency: 'CHF', tax: 0.0751, weight: 2 },
];
export const COUNTRY_WEIGHTS: readonly (readonly [Country, number])[] = COUNTRIES.map((c) => [c, c.weight]);

/** Units of the currency per US dollar (fixed rates; good enough for test data). */
export const RATES: Record<string, number> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  JPY: 150,
  BRL: 5.0,
  CAD: 1.36,
  AUD: 1.52,
  INR: 83,
  MXN: 17,
  CHF: 0.88,
};

/** The store's price point in a currency for a USD price (x.99 endings, whole yen/rupees). */
export function localPrice(usd: number, currency: string): number {
  const raw = usd * RATES[currency];
  if (currency === 'USD') return usd;
  if (currency === 'JPY') return Math.max(100, Math.round(raw / 100) * 100);
  if (currency === 'INR') return Math.max(9, Math.round(raw / 10) * 10 - 1);
  return Math.ceil(raw) - 0.01;
}

export function halfPrice(local: number, currency: string): number {
  return currency === 'JPY' || currency === 'INR' ? Math.round(local / 2) : Math.round(local * 50) / 100;
}

export function toUsd(local: number, currency: string): number {
  return round4(local / RATES[currency]);
}

// --- people -----------------------------------------------------------------------------------

export const OFFERINGS: readonly (readonly [string | null, number])[] = [
  ['default', 50],
  ['annual_first', 12],
  ['sale_offering', 10],
  ['onboarding_v2', 10],
  [null, 18],
];
export const EXPERIMENTS: readonly string[] = ['prexp1a2b3c4', 'prexp9f8e7d6', 'prexp5c4b3a2'];

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Grace', 'Hiro', 'Inés', 'Jonas', 'Kofi', 'Lena'];
const LAST = ['Silva', 'Okafor', 'Müller', "O'Brien", 'Tanaka', 'Rossi', 'Dubois', 'Kowalski', 'Nguyen', 'Smith'];
const CAMPAIGNS = [
  'spring_sale;email',
  'black friday, 2024',
  'tiktok_q3',
  'brand',
  'retarget;ios;v2',
  'Summer "Mega" Sale',
];
const MEDIA = ['Facebook Ads', 'Google Ads', 'Organic', 'tiktokglobal_int', 'Apple Search Ads'];
const REFERRERS = [
  'friend "Bob"',
  'https://example.com/?a=1;b=2',
  'newsletter',
  'podcast, episode 12',
  'app_store_search',
];

export type AttrEntry = readonly [key: string, value: string, ms: number];

/** `{"<key>": {"value": "<string>", "updated_at_ms": <int>}, ...}`; `pretty` puts newlines between members. */
export function attrJson(entries: readonly AttrEntry[], pretty: boolean): string {
  if (entries.length === 0) return '{}';
  const parts = entries.map(
    ([k, v, ms]) => JSON.stringify(k) + ': {"value": ' + JSON.stringify(v) + ', "updated_at_ms": ' + ms + '}',
  );
  return pretty ? '{\n  ' + parts.join(',\n  ') + '\n}' : '{' + parts.join(', ') + '}';
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function uuid(rng: Rng): string {
  return rng.hex(8) + '-' + rng.hex(4) + '-' + rng.hex(4) + '-' + rng.hex(4) + '-' + rng.hex(12);
}

export function reservedEntries(rng: Rng, store: Store, baseMs: number, capMs: number): AttrEntry[] {
  const out: AttrEntry[] = [];
  const ms = (): number => baseMs + rng.int(Math.max(1, Math.min(30 * DAY * 1000, capMs - baseMs)));
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  if (rng.chance(0.6)) out.push(['$email', ascii(first) + '.' + ascii(last) + rng.int(100) + '@example.com', ms()]);
  if (rng.chance(0.35))
    out.push([
      '$displayName',
      rng.chance(0.3) ? last + ', ' + first : rng.chance(0.2) ? '"' + first + '" ' + last : first + ' ' + last,
      ms(),
    ]);
  if (rng.chance(0.7))
    out.push(['$ip', rng.range(11, 223) + '.' + rng.int(256) + '.' + rng.int(256) + '.' + rng.range(1, 254), ms()]);
  if (store === 'app_store' && rng.chance(0.5))
    out.push(['$attConsentStatus', rng.pick(['authorized', 'denied', 'notDetermined']), ms()]);
  if (store === 'app_store' && rng.chance(0.3)) out.push(['$idfv', uuid(rng).toUpperCase(), ms()]);
  if (store === 'play_store' && rng.chance(0.5)) out.push(['$gpsAdId', uuid(rng), ms()]);
  if (rng.chance(0.2)) out.push(['$mediaSource', rng.pick(MEDIA), ms()]);
  if (rng.chance(0.2)) out.push(['$campaign', rng.pick(CAMPAIGNS), ms()]);
  return out;
}

export function customEntries(rng: Rng, baseMs: number, capMs: number): AttrEntry[] {
  const out: AttrEntry[] = [];
  const ms = (): number => baseMs + rng.int(Math.max(1, Math.min(30 * DAY * 1000, capMs - baseMs)));
  if (rng.chance(0.6)) out.push(['plan_tier', rng.pick(['gold', 'silver', 'bronze']), ms()]);
  if (rng.chance(0.35)) out.push(['utm_campaign', rng.pick(CAMPAIGNS), ms()]);
  if (rng.chance(0.3)) out.push(['referrer', rng.pick(REFERRERS), ms()]);
  if (rng.chance(0.2)) out.push(['feature_setting', String(rng.range(1, 3)), ms()]);
  if (rng.chance(0.1)) out.push(['survey_response', rng.pick(['loved it', 'too expensive; maybe later', 'n/a']), ms()]);
  return out;
}

export function userId(rng: Rng, counter: number): string {
  return rng.chance(0.4) ? '$RCAnonymousID:' + rng.hex(32) : 'user_' + (100000 + counter * 7 + rng.int(7));
}
