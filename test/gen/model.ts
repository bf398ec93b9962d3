/**
 * The transaction model: customers, subscriptions and their periods, independent of any template
 * version. Encoders (encode.ts) turn a Txn into the cells of one version.
 */
import { Rng } from './rng';
import { newSub, type Sub } from './subscription';
import {
  DAY,
  HOUR,
  type Entitlements,
  type ShownDuration,
  type Store,
  addDuration,
  halfPrice,
  localPrice,
  toUsd,
} from './values';

export interface Txn {
  userId: string;
  alias: string;
  country: string | null;
  countrySource: string | null;
  product: string;
  displayName: string | null;
  duration: ShownDuration | null;
  start: number;
  end: number | null;
  grace: number | null;
  effective: number | null;
  store: Store;
  autoRenew: boolean;
  trial: boolean;
  intro: boolean;
  sandbox: boolean;
  /** Gross prices; price_in_usd / price_in_purchased_currency are derived from them and refundedAt. */
  grossUsd: number | null;
  grossLocal: number | null;
  currency: string | null;
  takehome: number;
  tax: number;
  commission: number;
  txId: string;
  origTxId: string;
  refundedAt: number | null;
  unsubAt: number | null;
  billingAt: number | null;
  ent: Entitlements | null;
  renewal: number;
  /** v1 only: write renewal_number empty (never on Stripe rows, whose ids repeat). */
  v1NullRenewal: boolean;
  /** v1–v3: a refunded row shows price 0 rather than the price. */
  oldRefundZero: boolean;
  conversion: boolean;
  offering: string | null;
  ownership: string | null;
  reserved: string | null;
  custom: string | null;
  platform: string | null;
  expId: string | null;
  expVariant: string | null;
  updatedAt: number;
  updatedFrac: string;
  offer: string | null;
  offerType: string | null;
  firstSeen: number;
  autoResume: number | null;
}

export interface Ctx {
  readonly exportTime: number;
  readonly multiline: boolean;
  /** Shared id counter: every transaction id embeds a fresh value, so ids never collide. */
  nextId: number;
}

/** Forces a subscription into a plain shape (used for rows that carry an injected violation). */
export interface Plain {
  readonly store?: Store;
  readonly refund: boolean;
}

function txIdFor(ctx: Ctx, s: Sub): string {
  switch (s.store) {
    case 'app_store':
      return s.renewal === 1 ? s.baseId : String(200000000000000 + ctx.nextId++ * 1000 + s.rng.int(1000));
    case 'play_store':
      return s.renewal === 1 ? s.baseId : s.baseId + '..' + (s.renewal - 2);
    default:
      return s.baseId;
  }
}

/** The next transaction of a subscription, or null when it has no more (before the export time). */
function nextTxn(ctx: Ctx, s: Sub): Txn | null {
  const E = ctx.exportTime;
  if (s.done || s.nextStart >= E) return null;
  const rng = s.rng;
  const plain = s.plain;
  s.renewal++;
  const start = s.nextStart;
  const renewable = s.product.duration !== null;
  const trial = s.trial && s.renewal === 1;
  const conversion = s.trial && s.renewal === 2;
  const firstPaid = s.renewal === (s.trial ? 2 : 1);
  const intro = s.intro && firstPaid;
  const offerCode = firstPaid ? s.offerCode : null;
  const winback = !plain && !firstPaid && (s.store === 'app_store' || s.store === 'play_store') && rng.chance(0.02);
  let end: number | null = !renewable
    ? null
    : trial
      ? start + s.product.trialDays * DAY
      : addDuration(start, s.product.duration);

  let local: number | null = null;
  let usd: number | null = null;
  let currency: string | null = s.currency;
  if (s.store === 'promotional' || trial || offerCode) {
    local = 0;
    usd = 0;
  } else if (s.priceKnown) {
    const full = localPrice(s.product.usd, s.currency);
    local = intro || winback ? halfPrice(full, s.currency) : full;
    usd = s.currency === 'USD' ? local : toUsd(local, s.currency);
  } else {
    currency = null;
  }

  let grace: number | null = null;
  let refundedAt: number | null = null;
  let unsubAt: number | null = null;
  let billingAt: number | null = null;
  let effective: number | null = end;
  let next: number | null = end;
  const horizon = Math.min(end ?? E, E); // events happen before the period end and before the export
  if (plain) {
    if (plain.refund) {
      refundedAt = start + 1 + rng.int(Math.max(1, horizon - start - 1));
      effective = refundedAt;
    }
    s.done = true;
  } else if (s.store === 'play_store' && !trial && end !== null && rng.chance(0.04)) {
    end = start - rng.range(HOUR, 2 * DAY); // Google Play invalidated the transaction
    effective = end;
    s.done = true;
  } else {
    if (usd !== null && usd > 0 && horizon > start + 60 && rng.chance(0.02)) {
      refundedAt = start + 60 + rng.int(horizon - start - 60);
      effective = refundedAt;
      if (rng.chance(0.8) || !renewable) s.done = true;
    } else if (trial && !s.convert && !(end! < E - 2 * HOUR && rng.chance(0.25))) {
      if (horizon > start + 60 && rng.chance(0.85)) unsubAt = start + 60 + rng.int(horizon - start - 60);
      s.done = true;
    } else if (renewable && !trial && horizon > start + 60 && rng.chance(s.unsubRate)) {
      unsubAt = start + 60 + rng.int(horizon - start - 60);
      s.done = true;
    } else if (renewable && end! < E - 2 * HOUR && ((trial && !s.convert) || rng.chance(0.07))) {
      // billing issue at the period's end (a failed trial conversion included), grace on some
      billingAt = end! + rng.int(2 * HOUR);
      const graceLen = rng.chance(trial ? 0.8 : 0.5) ? rng.range(6, 16) * DAY : 0;
      if (graceLen > 0) {
        grace = end! + graceLen;
        effective = grace;
      }
      if (!(trial && !s.convert) && rng.chance(0.5))
        next = billingAt + rng.range(HOUR, graceLen > 0 ? graceLen : 2 * DAY);
      else s.done = true;
    }
    if (!renewable || s.store === 'promotional') s.done = true;
  }
  if (next !== null) s.nextStart = next;
  if (s.renewal === 1) s.origTxId = s.baseId;

  let latest = start;
  for (const t of [refundedAt, unsubAt, billingAt]) if (t !== null && t > latest) latest = t;
  const updatedAt = Math.max(latest, Math.min(latest + rng.int(HOUR), E - 1));
  const fraction = rng.chance(0.3) ? '.' + String(rng.int(1000000)).padStart(6, '0') : '';
  const u = s.user;
  return {
    userId: u.id,
    alias: u.alias,
    country: s.country,
    countrySource: s.countrySource,
    product: s.prodId,
    displayName: s.displayName,
    duration: s.shownDuration,
    start,
    end,
    grace,
    effective,
    store: s.store,
    autoRenew: renewable,
    trial,
    intro,
    sandbox: s.sandbox,
    grossUsd: usd,
    grossLocal: local,
    currency,
    takehome: s.takehome,
    tax: s.tax,
    commission: s.commission,
    txId: txIdFor(ctx, s),
    origTxId: s.origTxId,
    refundedAt,
    unsubAt,
    billingAt,
    ent: s.product.ent && (plain || rng.chance(0.97)) ? s.product.ent : null,
    renewal: s.renewal,
    v1NullRenewal: !plain && s.store !== 'stripe' && rng.chance(0.01),
    oldRefundZero: rng.chance(0.5),
    conversion,
    offering: u.offering,
    ownership: s.ownership,
    reserved: u.reserved,
    custom: u.custom,
    platform: s.platform,
    expId: u.expId,
    expVariant: u.expVariant,
    updatedAt,
    updatedFrac: fraction,
    offer: offerCode ?? (winback ? 'winback_50_off' : null),
    offerType: offerCode ? 'offer_code' : winback ? 'promotional_offer' : null,
    firstSeen: u.firstSeen,
    autoResume:
      s.store === 'play_store' && end !== null && end > start && !plain && rng.chance(0.02)
        ? end + rng.range(7, 30) * DAY
        : null,
  };
}

/** The clean row stream: a pool of interleaved subscriptions, replaced as they finish. */
export class TxnStream {
  private readonly pool: Sub[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly rng: Rng,
    poolSize = 12,
  ) {
    for (let i = 0; i < poolSize; i++) this.pool.push(newSub(ctx, this.subRng(), null));
  }

  private subRng(): Rng {
    return new Rng(Math.floor(this.rng.next() * 4294967296));
  }

  next(): Txn {
    for (;;) {
      const i = this.rng.int(this.pool.length);
      const s = this.pool[i];
      const t = nextTxn(this.ctx, s);
      if (t) return t;
      // a finished paid subscription: a third of its customers come back, to it or to another product
      const r = s.rng;
      const again =
        s.plain === null && s.store !== 'promotional' && s.renewal > 0 && r.chance(0.33)
          ? { prev: s, sameProduct: r.chance(0.6), gap: r.range(1, 90) * DAY }
          : undefined;
      this.pool[i] = newSub(this.ctx, this.subRng(), null, again);
    }
  }
}

/** A one-transaction subscription of the plain shape: paid, auto-renewable, complete, not in any quirk. */
export function plainTxn(ctx: Ctx, rng: Rng, plain: Plain): Txn {
  return nextTxn(ctx, newSub(ctx, rng, plain))!;
}
