/**
 * The reference for measures part 2 (measures-2.md): RevenueCat's documented queries _6, _8, _10,
 * _11, _13 and _14 written for DuckDB with only the corrections the spec lists, and the series of
 * the point-in-time measures (one query per period, as of its last day; revenue summed over its
 * days). Dialect as in duckdb.ts; DATE_DIFF('week'|'month') spelled out as the spec defines them;
 * CURRENT_DATE is the as-of date; DATE_ADD(t, 'n months') is t + INTERVAL n MONTH.
 */
import { transactionMrrSql, type DuckRef } from './duckdb';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
export type Resolution = 'day' | 'week' | 'month';

/** Every day of [from, to] with the start of its period (clipped to from), as a table `days`. */
function daysSql(from: string, to: string, resolution: Resolution): string {
  const trunc = resolution === 'day' ? 'd' : `CAST(date_trunc('${resolution}', d) AS DATE)`;
  return `days AS (
    SELECT d AS date, greatest(${trunc}, DATE ${lit(from)}) AS period
    FROM (SELECT CAST(x AS DATE) AS d FROM range(TIMESTAMP ${lit(from)}, TIMESTAMP ${lit(to)} + INTERVAL 1 DAY, INTERVAL 1 DAY) t(x)))`;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const day = (v: unknown) =>
  v === null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v as string).slice(0, 10);

function keyed(rows: Record<string, unknown>[], fields: string[]): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const r of rows) out[day(r.period)!] = Object.fromEntries(fields.map((f) => [f, num(r[f])]));
  return out;
}

/** F of _10/_11, corrected: date() on both sides of the range test, the table name spelled once. */
function filtered(ref: DuckRef, from: string, to: string, extra = ''): string {
  return `filtered_subscription_transactions AS (
    SELECT *${extra} FROM m
    WHERE (CAST(start_time AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)}
        OR CAST(effective_end_time AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)})
      AND is_trial_period = 'false'
      AND date_diff('second', start_time, end_time)::DOUBLE > 0
      ${ref.own()})`;
}

/**
 * The shape _10 and _11 share: per day, what starts (new vs renewal) and what ends, over the days of
 * the range, summed per period. `of` is what a row adds: 1 for _10's counts, its MRR for _11's sums.
 */
async function movement(
  ref: DuckRef,
  from: string,
  to: string,
  res: Resolution,
  of: 'count' | 'mrr',
  names: readonly [string, string, string, string],
) {
  const [fresh, renewed, expired, churned] = names;
  const add = (when: string) =>
    of === 'count'
      ? `COUNT(CASE WHEN ${when} THEN 1 ELSE NULL END)`
      : `SUM(CASE WHEN ${when} THEN transaction_mrr ELSE NULL END)`;
  const extra = of === 'count' ? '' : `, ${transactionMrrSql()} AS transaction_mrr`;
  const rows = await ref.rows(`WITH ${filtered(ref, from, to, extra)},
    actives AS (
      SELECT CAST(start_time AS DATE) AS date,
        ${add(`renewal_number = 1 OR is_trial_conversion = 'true'`)} AS a_new,
        ${add(`renewal_number > 1 AND is_trial_conversion = 'false'`)} AS a_renewal
      FROM filtered_subscription_transactions GROUP BY 1),
    expirations AS (
      SELECT CAST(effective_end_time AS DATE) AS date, ${of === 'count' ? 'COUNT(*)' : 'SUM(transaction_mrr)'} AS e
      FROM filtered_subscription_transactions GROUP BY 1),
    ${daysSql(from, to, res)},
    daily AS (
      SELECT days.period, COALESCE(a.a_new, 0) AS a_new, COALESCE(a.a_renewal, 0) AS a_renewal, COALESCE(e.e, 0) AS e
      FROM days LEFT JOIN actives a ON a.date = days.date LEFT JOIN expirations e ON e.date = days.date)
    SELECT period, SUM(a_new) AS ${fresh}, SUM(a_renewal) AS ${renewed}, SUM(e) AS ${expired},
      SUM(e) - SUM(a_renewal) AS ${churned},
      SUM(a_new) - (SUM(e) - SUM(a_renewal)) AS movement
    FROM daily GROUP BY period ORDER BY period`);
  return keyed(rows, [...names, 'movement']);
}

/** scheduled-data-exports_10, corrected; every day reported, then summed per period. */
export async function activeSubscriptionsMovement(ref: DuckRef, from: string, to: string, res: Resolution) {
  return movement(ref, from, to, res, 'count', ['new_actives', 'renewals', 'expirations', 'churned_actives']);
}

/** scheduled-data-exports_11, corrected as _10, price = price_in_usd. */
export async function mrrMovement(ref: DuckRef, from: string, to: string, res: Resolution) {
  return movement(ref, from, to, res, 'mrr', ['new_mrr', 'renewal_mrr', 'expired_mrr', 'churned_mrr']);
}

/** scheduled-data-exports_13, corrected: CURRENT_DATE = A, a trial counted once, days before A. */
export async function trialConversionRate(ref: DuckRef, from: string, to: string, asOf: string, res: Resolution) {
  const last = `least(DATE ${lit(to)}, DATE ${lit(asOf)} - 1)`;
  const lastDay = day((await ref.rows(`SELECT strftime(${last}, '%Y-%m-%d') AS d`))[0].d)!;
  if (lastDay < from) return {};
  const rows = await ref.rows(`WITH trials AS (
      SELECT rc_original_app_user_id, CAST(effective_end_time AS DATE) AS end_time FROM m WHERE is_trial_period),
    conversions AS (SELECT DISTINCT rc_original_app_user_id FROM m WHERE is_trial_conversion),
    per_day AS (
      SELECT t.end_time AS date, COUNT(*) AS trials_ending, COUNT(c.rc_original_app_user_id) AS conversions
      FROM trials AS t LEFT JOIN conversions AS c ON c.rc_original_app_user_id = t.rc_original_app_user_id
      WHERE t.end_time < DATE ${lit(asOf)}
      GROUP BY 1),
    ${daysSql(from, lastDay, res)}
    SELECT period, COALESCE(SUM(trials_ending), 0) AS trials_ending, COALESCE(SUM(conversions), 0) AS conversions,
      SUM(conversions)::DOUBLE / NULLIF(SUM(trials_ending), 0)::DOUBLE AS cvr
    FROM days LEFT JOIN per_day p ON p.date = days.date GROUP BY period ORDER BY period`);
  return keyed(rows, ['trials_ending', 'conversions', 'cvr']);
}

/** scheduled-data-exports_6, corrected: a named CTE, GROUP BY 1, 2. */
export async function realizedLtvSegments(ref: DuckRef, from: string) {
  const rows = await ref.rows(`WITH subscriptions AS (
      SELECT MIN(start_time) AS subscription_start_time, original_store_transaction_id,
        MAX(is_trial_period) AS had_a_trial, SUM(price_in_usd) AS realized_ltv
      FROM m
      WHERE CAST(start_time AS DATE) > DATE ${lit(from)}
        ${ref.own()}
      GROUP BY original_store_transaction_id)
    SELECT strftime(date_trunc('month', subscription_start_time), '%Y-%m-%d') AS subscription_start_month,
      had_a_trial, COUNT(*) AS subscriptions, SUM(realized_ltv) AS realized_ltv,
      SUM(realized_ltv) / COUNT(*) AS realized_ltv_per_subscription
    FROM subscriptions GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST`);
  return rows.map((r) => ({
    subscription_start_month: String(r.subscription_start_month),
    had_a_trial: r.had_a_trial === null ? null : Boolean(r.had_a_trial),
    subscriptions: Number(r.subscriptions),
    realized_ltv: num(r.realized_ltv),
    realized_ltv_per_subscription: num(r.realized_ltv_per_subscription),
  }));
}

const WINDOWS: [string, string][] = [
  ['7_days', 'INTERVAL 7 DAY'],
  ['30_days', 'INTERVAL 30 DAY'],
  ['6_months', 'INTERVAL 6 MONTH'],
  ['12_months', 'INTERVAL 12 MONTH'],
  ['24_months', 'INTERVAL 24 MONTH'],
];

/** scheduled-data-exports_8, corrected: price_in_usd > 0, 24 months for avg_ltv_24_months. */
export async function realizedLtvPerPayingCustomer(ref: DuckRef, from?: string, to?: string) {
  const sums = WINDOWS.map(
    ([, i]) => `SUM(CASE WHEN fpd.first_purchase_date + ${i} > start_time THEN price_in_usd ELSE 0 END)`,
  );
  const customers = 'COUNT(DISTINCT ft.rc_original_app_user_id)';
  const range = from !== undefined ? `AND first_purchase_date BETWEEN ${lit(from)} AND ${lit(to!)}` : '';
  const rows = await ref.rows(`WITH filtered_transactions AS (
      SELECT * FROM m
      WHERE is_trial_period = 'false' ${ref.own()}
        AND refunded_at IS NULL AND price_in_usd > 0),
    first_purchase_dates AS (
      SELECT rc_original_app_user_id, MIN(start_time) AS first_purchase_date FROM filtered_transactions GROUP BY 1)
    SELECT * FROM (
      SELECT strftime(CAST(fpd.first_purchase_date AS DATE), '%Y-%m-%d') AS first_purchase_date,
        ${customers} AS paying_customers,
        ${WINDOWS.map(([w], i) => `dec2(${sums[i]}) AS total_ltv_${w}`).join(', ')},
        dec2(SUM(price_in_usd)) AS total_ltv_unbounded,
        ${WINDOWS.map(([w], i) => `dec2(${sums[i]} / ${customers}) AS avg_ltv_${w}`).join(', ')},
        dec2(SUM(price_in_usd) / ${customers}) AS avg_ltv_unbounded
      FROM filtered_transactions ft
      LEFT JOIN first_purchase_dates fpd ON fpd.rc_original_app_user_id = ft.rc_original_app_user_id
      GROUP BY 1)
    WHERE first_purchase_date IS NOT NULL ${range}
    ORDER BY 1`);
  return rows.map((r) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, k === 'first_purchase_date' ? String(v) : (num(v) as number)]),
    ),
  );
}

/** period_number as written, for the duration in `c` and the cohort's first day in `f`. */
function periodSql(c: string, f: string): string {
  const days = `date_diff('day', ${f}, CAST(start_time AS DATE))`;
  const round = (n: number) => `CAST(ROUND(${days} / CAST(${n} AS DECIMAL(18,3))) AS INTEGER)`;
  const months = `((year(start_time) * 12 + month(start_time)) - (year(${f}) * 12 + month(${f})))`;
  return `CASE
    WHEN ${c} = 'P1D' THEN ${days}
    WHEN ${c} = 'P1W' THEN date_diff('day', CAST(date_trunc('week', ${f}) AS DATE), CAST(date_trunc('week', start_time) AS DATE)) // 7
    WHEN ${c} = 'P1M' THEN ${round(30)}
    WHEN ${c} = 'P2M' THEN ${round(60)}
    WHEN ${c} = 'P3M' THEN ${round(90)}
    WHEN ${c} = 'P6M' THEN ${round(180)}
    WHEN ${c} = 'P1Y' THEN CAST(ROUND(${months} / CAST(12 AS DECIMAL(18,3))) AS INTEGER)
  END`;
}

/** scheduled-data-exports_14 as written, CURRENT_DATE = A, the cohorts of [from, to]. */
export async function subscriptionRetention(ref: DuckRef, from: string, to: string, asOf: string) {
  const joined = `FROM filtered_transactions ft
    INNER JOIN subs ON subs.rc_original_app_user_id = ft.rc_original_app_user_id AND subs.product_identifier = ft.product_identifier
    INNER JOIN calculated_product_duration cpd ON cpd.rc_original_app_user_id = ft.rc_original_app_user_id AND cpd.product_identifier = ft.product_identifier`;
  const period = periodSql('cpd.calculated_product_duration', 'subs.first_start_time');
  const a = `TIMESTAMP ${lit(asOf)}`;
  const rows = await ref.rows(`WITH filtered_transactions AS (
      SELECT * FROM m
      WHERE end_time IS NOT NULL
        AND NOT (billing_issues_detected_at IS NOT NULL AND (store = 'play_store' OR store = 'stripe'))
        AND is_sandbox <> 'true' AND is_trial_period = 'false' AND is_in_intro_offer_period = 'false'
        ${ref.hasOwnership ? "AND ownership_type = 'PURCHASED'" : ''}),
    subs AS (
      SELECT ft.rc_original_app_user_id, product_identifier, product_duration,
        CAST(MIN(ft.start_time) AS DATE) AS first_start_time,
        MAX(date_diff('day', start_time, end_time)) AS max_transaction_duration
      FROM filtered_transactions ft GROUP BY 1, 2, 3),
    calculated_product_duration AS (
      SELECT rc_original_app_user_id, product_identifier,
        CASE WHEN product_duration IS NOT NULL THEN
          CASE WHEN product_duration = 'P7D' THEN 'P1W' WHEN product_duration = 'P30D' THEN 'P1M'
            WHEN product_duration = 'P4W' THEN 'P1M' WHEN product_duration = 'P12M' THEN 'P1Y'
            WHEN product_duration = 'P200Y' THEN 'lifetime' WHEN product_duration = 'P999Y' THEN 'lifetime'
            ELSE product_duration END
        ELSE
          CASE WHEN max_transaction_duration BETWEEN 0 AND 1 THEN 'P1D' WHEN max_transaction_duration = 3 THEN 'P3D'
            WHEN max_transaction_duration BETWEEN 6 AND 8 THEN 'P1W' WHEN max_transaction_duration BETWEEN 12 AND 16 THEN 'P2W'
            WHEN max_transaction_duration BETWEEN 27 AND 37 THEN 'P1M' WHEN max_transaction_duration BETWEEN 58 AND 62 THEN 'P2M'
            WHEN max_transaction_duration BETWEEN 88 AND 95 THEN 'P3M' WHEN max_transaction_duration BETWEEN 179 AND 185 THEN 'P6M'
            WHEN max_transaction_duration BETWEEN 363 AND 375 THEN 'P1Y' ELSE NULL END
        END AS calculated_product_duration
      FROM subs s GROUP BY 1, 2, 3),
    retention AS (
      SELECT first_start_time, product_identifier, calculated_product_duration, period_number, count(1) AS subscriptions
      FROM (SELECT subs.first_start_time, subs.product_identifier, cpd.calculated_product_duration, ${period} AS period_number
            ${joined})
      WHERE period_number IS NOT NULL GROUP BY 1, 2, 3, 4),
    pending_retention AS (
      SELECT first_start_time, product_identifier, calculated_product_duration, period_number + 1 AS period_number,
        count(1) AS subscriptions
      FROM (SELECT subs.first_start_time, subs.product_identifier, cpd.calculated_product_duration, ${period} AS period_number
            ${joined}
            WHERE unsubscribe_detected_at IS NULL
              AND ((calculated_product_duration = 'P1D' AND start_time + INTERVAL 1 DAY > ${a})
                OR (calculated_product_duration = 'P1W' AND start_time + INTERVAL 7 DAY > ${a})
                OR (calculated_product_duration = 'P1M' AND start_time + INTERVAL 1 MONTH > ${a})
                OR (calculated_product_duration = 'P2M' AND start_time + INTERVAL 2 MONTH > ${a})
                OR (calculated_product_duration = 'P3M' AND start_time + INTERVAL 3 MONTH > ${a})
                OR (calculated_product_duration = 'P6M' AND start_time + INTERVAL 6 MONTH > ${a})
                OR (calculated_product_duration = 'P1Y' AND start_time + INTERVAL 1 YEAR > ${a})))
      WHERE period_number IS NOT NULL GROUP BY 1, 2, 3, 4)
    SELECT * FROM (
      SELECT COALESCE(retention.first_start_time, pending_retention.first_start_time) AS first_start_date,
        COALESCE(retention.calculated_product_duration, pending_retention.calculated_product_duration) AS product_duration,
        COALESCE(retention.product_identifier, pending_retention.product_identifier) AS product_identifier,
        COALESCE(retention.period_number, pending_retention.period_number) AS period_number,
        COALESCE(retention.subscriptions, 0) + COALESCE(pending_retention.subscriptions, 0) AS subscriptions
      FROM retention FULL OUTER JOIN pending_retention ON
        pending_retention.first_start_time = retention.first_start_time AND
        pending_retention.calculated_product_duration = retention.calculated_product_duration AND
        pending_retention.product_identifier = retention.product_identifier AND
        pending_retention.period_number = retention.period_number)
    WHERE first_start_date BETWEEN DATE ${lit(from)} AND DATE ${lit(to)}
    ORDER BY product_identifier, first_start_date, period_number, product_duration`);
  return rows.map((r) => {
    const n = Number(r.period_number);
    const c = String(r.product_duration);
    const word: Record<string, [string, number]> = {
      P1Y: ['Year', 1],
      P6M: ['Month', 6],
      P3M: ['Month', 3],
      P2M: ['Month', 2],
      P1M: ['Month', 1],
      P1W: ['Week', 1],
      P1D: ['Day', 1],
    };
    const [w, k] = word[c] ?? ['Period', 1];
    return {
      first_start_date: day(r.first_start_date)!,
      product_duration: c,
      product_identifier: String(r.product_identifier),
      period_number: n,
      period_name: n === 0 ? 'Subscriptions' : `${w} ${k * n}`,
      subscriptions: Number(r.subscriptions),
    };
  });
}

/** _3 over a span of days (a period of a revenue series): the four sums. */
export async function revenueBetween(ref: DuckRef, first: string, last: string) {
  const r = (
    await ref.rows(`SELECT SUM(purchase_price_in_usd) AS gross_revenue, SUM(price_in_usd) AS revenue_net_of_refunds,
        SUM(price_in_usd * (1 - tax_percentage)) AS revenue_net_of_taxes,
        SUM(price_in_usd * (1 - tax_percentage - commission_percentage)) AS proceeds
      FROM m WHERE CAST(start_time AS DATE) BETWEEN DATE ${lit(first)} AND DATE ${lit(last)}
        AND is_trial_period = 'false' ${ref.own()}`)
  )[0];
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)]));
}
