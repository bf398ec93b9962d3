/**
 * A subscription of the transaction model (model.ts): its store, product, customer and the draws
 * that shape its transactions. A finished subscription may be followed by another of the same
 * customer (`again`): a resubscription to the same product, or a second product.
 */
import type { Ctx, Plain } from './model';
import type { Rng } from './rng';
import {
  DAY,
  type ProductKind,
  type ShownDuration,
  type Store,
  COUNTRY_WEIGHTS,
  EXPERIMENTS,
  OFFERINGS,
  PRODUCT_WEIGHTS,
  PRODUCTS,
  PROMO_PRODUCTS,
  attrJson,
  customEntries,
  productId,
  reservedEntries,
  round4,
  userId,
} from './values';

export interface Sub {
  readonly rng: Rng;
  readonly plain: Plain | null;
  readonly store: Store;
  readonly product: ProductKind;
  readonly prodId: string;
  readonly displayName: string | null;
  readonly shownDuration: ShownDuration | null;
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

/** The customer's next subscription after `prev` ended: the same product again, or another one. */
export interface Again {
  readonly prev: Sub;
  readonly sameProduct: boolean;
  /** Seconds after the previous subscription's last start. */
  readonly gap: number;
}

/** How product_duration shows the product: some Play monthly products as P30D, some lifetime purchases as P200Y. */
function shown(
  store: Store,
  product: ProductKind,
  counter: number,
  rng: Rng,
  plain: Plain | null,
): ShownDuration | null {
  const d = store === 'stripe' && !plain && rng.chance(0.2) ? null : product.duration;
  if (plain) return d;
  if (d === 'P1M' && store === 'play_store' && counter % 3 === 0) return 'P30D';
  if (product.key === 'lifetime' && counter % 2 === 0) return 'P200Y';
  return d;
}

export function newSub(ctx: Ctx, rng: Rng, plain: Plain | null, again?: Again): Sub {
  const E = ctx.exportTime;
  const prev = again?.prev;
  const store: Store = prev?.store ?? plain?.store ?? (plain ? rng.weighted(STORES.slice(0, 3)) : rng.weighted(STORES));
  let product = store === 'promotional' ? rng.pick(PROMO_PRODUCTS) : rng.weighted(PRODUCT_WEIGHTS);
  if (plain && product.duration === null) product = PRODUCTS[1];
  if (prev && again.sameProduct) product = prev.product;
  const c = rng.weighted(COUNTRY_WEIGHTS);
  const countryKnown = plain !== null || rng.chance(0.97);
  const start = prev ? prev.nextStart + again.gap : E - 60 - rng.int(WINDOW);
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
    shownDuration: shown(store, product, counter, rng, plain),
    currency: prev?.currency ?? c.currency,
    country: prev ? prev.country : countryKnown ? c.code : null,
    countrySource: prev ? prev.countrySource : countryKnown ? (rng.chance(0.8) ? 'from_sdk' : 'estimated') : null,
    tax: prev ? prev.tax : store === 'promotional' ? 0 : c.tax,
    commission: prev ? prev.commission : round4(rate * (1 - c.tax)),
    takehome: prev ? prev.takehome : small || store === 'stripe' ? 0.85 : 0.7,
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
    user: prev?.user ?? {
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
