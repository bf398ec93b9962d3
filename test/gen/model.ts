/**
 * The transaction model: customers, subscriptions and their periods, independent of any template
 * version. Encoders (encode.ts) turn a Txn into the cells of one version.
 */
import { Rng } from './rng';
import {
  DAY,
  HOUR,
  type Duration,
  type Entitlements,
  type ProductKind,
  type Store,
  COUNTRY_WEIGHTS,
  EXPERIMENTS,
  OFFERINGS,
  PRODUCT_WEIGHTS,
  PRODUCTS,
  PROMO_PRODUCTS,
  addDuration,
  attrJson,
  customEntries,
  halfPrice,
  localPrice,
  productId,
  reservedEntries,
  round4,
  toUsd,
  userId,
} from './values';

export interface Txn {
  userId: string;
  alias: string;
  country: string | null;
  countrySource: string | null;
  product: string;
  displayName: string | null;
  duration: Duration | null;
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

interface Sub {
  readonly rng: Rng;
  readonly plain: Plain | null;
  readonly store: Store;
  readonly product: ProductKind;
  readonly prodId: string;
  readonly displayName: string | null;
  readonly shownDuration: Duration | null;
  readonly currency: string;
  readonly country: string | null;
  readonly countrySource: string | null;
  readonly tax: number;
  readonly commission: number;
  readonly takehome: number;
  readonly sandbox: boolean;
  readonly ownership: string | null;
  readonly platform: string | null;
  readonly priceKnown: boolean;
  readonly trial: boolean;
  readonly convert: boolean;
  readonly intro: boolean;
  readonly offerCode: string | null;
  readonly unsubRate: number;
  readonly user: {
    id: string;
    alias: string;
    firstSeen: number;
    reserved: string | null;
    custom: string | null;
    offering: string | null;
    expId: string | null;
    expVariant: string | null;
  };
  readonly baseId: string;
  renewal: number;
  nextStart: number;
  done: boolean;
  origTxId: string;
}

const STORES: readonly (readonly [Store, number])[] = [
  ['app_store', 45],
  ['play_store', 30],
  ['stripe', 17],
  ['promotional', 8],
];
const WINDOW = 400 * DAY;

function newSub(ctx: Ctx, rng: Rng, plain: Plain | null): Sub {
  const E = ctx.exportTime;
  const store: Store = plain?.store ?? (plain ? rng.weighted(STORES.slice(0, 3)) : rng.weighted(STORES));
  let product = store === 'promotional' ? rng.pick(PROMO_PRODUCTS) : rng.weighted(PRODUCT_WEIGHTS);
  if (plain && product.duration === null) product = PRODUCTS[1];
  const c = rng.weighted(COUNTRY_WEIGHTS);
  const countryKnown = plain !== null || rng.chance(0.97);
  const start = E - 60 - rng.int(WINDOW);
  const firstSeen = start - rng.int(30 * DAY) - (rng.chance(0.2) ? rng.int(300 * DAY) : 0);
  const counter = ctx.nextId++;
  const multilineDraw = rng.chance(0.12);
  const attrNull = rng.next();
  const capMs = (E - 1) * 1000;
  const res = reservedEntries(rng, store, firstSeen * 1000, capMs);
  const cus = customEntries(rng, firstSeen * 1000, capMs);
  if (plain && cus.length === 0) cus.push(['plan_tier', 'gold', firstSeen * 1000 + 1]);
  const pretty = ctx.multiline && multilineDraw && !plain;
  const id = userId(rng, counter);
  const small = rng.chance(0.35);
  const rate = store === 'stripe' ? 0.029 : store === 'promotional' ? 0 : small ? 0.15 : 0.3;
  const hasExp = rng.chance(0.15);
  const trial = !plain && store !== 'promotional' && product.trialDays > 0 && rng.chance(0.4);
  return {
    rng,
    plain,
    store,
    product,
    prodId: productId(store, product),
    displayName: rng.chance(0.9) ? product.display : null,
    shownDuration: store === 'stripe' && !plain && rng.chance(0.2) ? null : product.duration,
    currency: c.currency,
    country: countryKnown ? c.code : null,
    countrySource: countryKnown ? (rng.chance(0.8) ? 'from_sdk' : 'estimated') : null,
    tax: store === 'promotional' ? 0 : c.tax,
    commission: round4(rate * (1 - c.tax)),
    takehome: small || store === 'stripe' ? 0.85 : 0.7,
    sandbox: !plain && rng.chance(0.03),
    ownership:
      store === 'app_store'
        ? !plain && rng.chance(0.06)
          ? 'FAMILY_SHARED'
          : 'PURCHASED'
        : store === 'promotional'
          ? null
          : rng.chance(store === 'play_store' ? 0.7 : 0.4) || plain
            ? 'PURCHASED'
            : null,
    platform:
      rng.chance(0.03) && !plain
        ? null
        : store === 'app_store'
          ? rng.chance(0.05)
            ? 'macOS'
            : 'iOS'
          : store === 'play_store'
            ? 'android'
            : store === 'stripe'
              ? rng.pick(['web', 'web', 'iOS', 'android'])
              : rng.pick(['iOS', 'android']),
    priceKnown: plain !== null || store === 'promotional' || rng.chance(0.99),
    trial,
    convert: trial && rng.chance(0.55),
    intro: !plain && !trial && store !== 'promotional' && product.duration !== null && rng.chance(0.08),
    offerCode:
      !plain && store === 'app_store' && product.duration !== null && rng.chance(0.04)
        ? rng.pick(['SPRING24', 'WINTER25', 'PODCAST50'])
        : null,
    unsubRate:
      product.duration === 'P1W' ? 0.07 : product.duration === 'P1M' ? 0.09 : product.duration === 'P1Y' ? 0.25 : 0.15,
    user: {
      id,
      alias: rng.chance(0.75) ? id : '$RCAnonymousID:' + rng.hex(32),
      firstSeen,
      reserved: !plain && attrNull < 0.08 ? null : attrJson(!plain && attrNull < 0.14 ? [] : res, false),
      custom: !plain && attrNull < 0.08 ? null : attrJson(!plain && attrNull < 0.2 ? [] : cus, pretty),
      offering: store === 'promotional' ? null : rng.weighted(OFFERINGS),
      expId: hasExp ? rng.pick(EXPERIMENTS) : null,
      expVariant: hasExp ? (rng.chance(0.5) ? 'a' : 'b') : null,
    },
    baseId: baseId(rng, store, counter),
    renewal: 0,
    nextStart: start,
    done: false,
    origTxId: '',
  };
}

function baseId(rng: Rng, store: Store, counter: number): string {
  switch (store) {
    case 'app_store':
      return String(200000000000000 + counter * 1000);
    case 'play_store': {
      const d = String(3000000000000000 + counter * 7919 + rng.int(7919)).padStart(17, '0');
      return 'GPA.' + d.slice(1, 5) + '-' + d.slice(5, 9) + '-' + d.slice(9, 13) + '-' + d.slice(13, 17) + rng.int(10);
    }
    case 'stripe':
      return 'sub_1' + counter.toString(36).padStart(6, '0') + rng.alnum(8);
    case 'promotional':
      return counter.toString(16).padStart(8, '0') + rng.hex(24);
  }
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
      const t = nextTxn(this.ctx, this.pool[i]);
      if (t) return t;
      this.pool[i] = newSub(this.ctx, this.subRng(), null);
    }
  }
}

/** A one-transaction subscription of the plain shape: paid, auto-renewable, complete, not in any quirk. */
export function plainTxn(ctx: Ctx, rng: Rng, plain: Plain): Txn {
  return nextTxn(ctx, newSub(ctx, rng, plain))!;
}
