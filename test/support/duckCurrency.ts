/**
 * The reference for the In-App Currency measures: the feed's latest snapshot loaded by DuckDB,
 * reduced to one row per idempotency_key (latest updated_at, then the later row), and the two
 * measures as SQL (see src/core/measures/currencyBalance.ts and currencyFlow.ts).
 */
import type { DuckRef } from './duckdb';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function loadCurrency(ref: DuckRef, file: string): Promise<void> {
  await ref.rows('DROP TABLE IF EXISTS iac_raw; DROP TABLE IF EXISTS iac');
  await ref.rows(`CREATE TABLE iac_raw AS SELECT *, row_number() OVER () AS ord
    FROM read_csv(${lit(file)}, header=true, quote='"', escape='"', all_varchar=true, allow_quoted_nulls=false)`);
  await ref.rows(`CREATE TABLE iac AS SELECT rc_original_app_user_id, currency_code, transaction_type,
      CAST(adjustment_amount AS BIGINT) AS adjustment_amount, CAST(event_timestamp AS TIMESTAMP) AS event_timestamp
    FROM (SELECT *, row_number() OVER (PARTITION BY idempotency_key
                                       ORDER BY CAST(updated_at AS TIMESTAMP) DESC NULLS LAST, ord DESC) AS rn
          FROM iac_raw) WHERE rn = 1`);
}

export async function currencyRowCount(ref: DuckRef): Promise<number> {
  return Number((await ref.rows('SELECT count(*) AS n FROM iac'))[0].n);
}

export async function balances(ref: DuckRef, day: string): Promise<Record<string, number | null>> {
  const rows = await ref.rows(`SELECT rc_original_app_user_id || ' · ' || currency_code AS k,
      SUM(adjustment_amount) AS balance
    FROM iac WHERE CAST(event_timestamp AS DATE) <= DATE ${lit(day)}
      AND rc_original_app_user_id IS NOT NULL AND currency_code IS NOT NULL
    GROUP BY 1 ORDER BY 1`);
  return Object.fromEntries(rows.map((r) => [String(r.k), r.balance === null ? null : Number(r.balance)]));
}

export async function flow(
  ref: DuckRef,
  from: string,
  to: string,
): Promise<Record<string, Record<string, number | null>>> {
  const rows = await ref.rows(`SELECT strftime(CAST(event_timestamp AS DATE), '%Y-%m-%d') || ' · ' ||
        coalesce(currency_code, 'NULL') || ' · ' || coalesce(transaction_type, 'NULL') AS k,
      SUM(CASE WHEN adjustment_amount > 0 THEN adjustment_amount END) AS credits,
      SUM(CASE WHEN adjustment_amount < 0 THEN adjustment_amount END) AS debits
    FROM iac WHERE CAST(event_timestamp AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)}
    GROUP BY 1 ORDER BY 1`);
  const n = (x: unknown) => (x === null ? null : Number(x));
  return Object.fromEntries(rows.map((r) => [String(r.k), { credits: n(r.credits), debits: n(r.debits) }]));
}
