/**
 * The reference for the measures: RevenueCat's documented sample queries (research-notes §3.6),
 * translated by hand to DuckDB SQL with their NULL logic kept, run by DuckDB over the same files.
 * Translation: date(x) → CAST(x AS DATE); DATE_DIFF('s'|day, …) → date_diff('second'|'day', …);
 * ::float (Redshift's float8) → ::DOUBLE; json_extract_path_text(c, '[k].value') →
 * json_extract_string(c, '$."k".value'); `price` → price_in_usd; x::DECIMAL(18,2) → dec2(x), which
 * writes the double with 15 significant digits first as PostgreSQL's float8 → numeric cast does
 * (DuckDB's own cast rounds the binary value). Older templates get the documented variants:
 * end_time for a missing effective_end_time, no ownership_type condition without the column, NULL
 * for other missing columns (v1's unsubscribe_registered_at stands for unsubscribe_detected_at).
 */
import * as fs from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface RefFile {
  readonly path: string;
  readonly delimiter: ',' | ';';
  /** Delivery timestamp (unix seconds) for merging. */
  readonly delivery: number;
}

const TYPES: Record<string, string> = {
  start_time: 'TIMESTAMP',
  end_time: 'TIMESTAMP',
  effective_end_time: 'TIMESTAMP',
  grace_period_end_time: 'TIMESTAMP',
  updated_at: 'TIMESTAMP',
  unsubscribe_detected_at: 'TIMESTAMP',
  store: 'VARCHAR',
  ownership_type: 'VARCHAR',
  product_duration: 'VARCHAR',
  store_transaction_id: 'VARCHAR',
  custom_subscriber_attributes: 'VARCHAR',
  is_trial_period: 'BOOLEAN',
  is_sandbox: 'BOOLEAN',
  is_in_intro_offer_period: 'BOOLEAN',
  price_in_usd: 'DOUBLE',
  purchase_price_in_usd: 'DOUBLE',
  tax_percentage: 'DOUBLE',
  commission_percentage: 'DOUBLE',
  renewal_number: 'BIGINT',
  is_trial_conversion: 'BOOLEAN',
  rc_original_app_user_id: 'VARCHAR',
  original_store_transaction_id: 'VARCHAR',
  product_identifier: 'VARCHAR',
  refunded_at: 'TIMESTAMP',
  billing_issues_detected_at: 'TIMESTAMP',
};

const STAND_INS: Record<string, string> = {
  effective_end_time: 'end_time',
  unsubscribe_detected_at: 'unsubscribe_registered_at',
};

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class DuckRef {
  /** The files have an ownership_type column (v3 on); store and is_sandbox may be deselected. */
  hasOwnership = true;
  hasStore = true;
  hasSandbox = true;
  rawRows = 0;

  private constructor(private readonly con: DuckDBConnection) {}

  static async open(): Promise<DuckRef> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`CREATE MACRO dec2(x) AS round(CAST(printf('%.15g', x) AS DECIMAL(38, 18)), 2)`);
    return new DuckRef(con);
  }

  close(): void {
    this.con.closeSync();
  }

  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const r = await this.con.runAndReadAll(sql);
    return r.getRowObjectsJS();
  }

  /** Loads the files as the table `m`: one file as it is, several merged in SQL. */
  async load(files: readonly RefFile[]): Promise<void> {
    await this.con.run('DROP TABLE IF EXISTS raw; DROP TABLE IF EXISTS rc; DROP TABLE IF EXISTS m');
    const reads = files.map(
      (f) =>
        `SELECT *, ${f.delivery} AS delivery FROM read_csv(${lit(f.path)}, delim=${lit(f.delimiter)}, header=true, quote='"', escape='"', all_varchar=true, allow_quoted_nulls=false)`,
    );
    await this.con.run(`CREATE TABLE raw AS ${reads.join(' UNION ALL BY NAME ')}`);
    const columns = new Set((await this.rows('DESCRIBE raw')).map((r) => String(r.column_name)));
    this.hasOwnership = columns.has('ownership_type');
    // a column selection without store or is_sandbox: the query drops that condition, as the engine does
    this.hasStore = columns.has('store');
    this.hasSandbox = columns.has('is_sandbox');
    const select = Object.entries(TYPES).map(([name, type]) => {
      const source = columns.has(name)
        ? name
        : STAND_INS[name] && columns.has(STAND_INS[name])
          ? STAND_INS[name]
          : null;
      return source ? `CAST(${source} AS ${type}) AS ${name}` : `CAST(NULL AS ${type}) AS ${name}`;
    });
    await this.con.run(
      `CREATE TABLE rc AS SELECT ${select.join(', ')}, delivery, row_number() OVER () AS ord FROM raw`,
    );
    this.rawRows = Number((await this.rows('SELECT count(*) AS n FROM rc'))[0].n);
    // one key rule for one file and several: the latest version of each transaction
    // (the row order breaks the last ties, as the engine keeps the later row of one file)
    await this.con.run(`CREATE TABLE m AS SELECT * EXCLUDE (rn, ord) FROM (
        SELECT *, row_number() OVER (PARTITION BY store_transaction_id, renewal_number
                                     ORDER BY updated_at DESC NULLS LAST, delivery DESC, ord DESC) AS rn FROM rc) WHERE rn = 1`);
  }

  async count(): Promise<number> {
    return Number((await this.rows('SELECT count(*) AS n FROM m'))[0].n);
  }

  /** The documented `!=` exclusions, for the columns the delivery has. */
  own(): string {
    return `${this.hasOwnership ? `AND ownership_type != 'FAMILY_SHARED'` : ''}
      ${this.hasStore ? `AND store != 'promotional'` : ''} ${this.hasSandbox ? `AND is_sandbox != 'true'` : ''}`;
  }

  /** The `!=` conditions with a NULL read as passing: what the documented query drops for NULLs. */
  private lenient(): string {
    return `${this.hasOwnership ? `AND coalesce(ownership_type != 'FAMILY_SHARED', true)` : ''}
      ${this.hasStore ? `AND coalesce(store != 'promotional', true)` : ''}
      ${this.hasSandbox ? `AND coalesce(is_sandbox != 'true', true)` : ''}`;
  }

  /** The WHERE of _1/_2/_4/_9/_12 (and _7 with the effective end in DATE_DIFF). */
  where(d: string, trial: boolean, span = 'end_time', strict = true): string {
    return `WHERE CAST(effective_end_time AS DATE) > DATE ${lit(d)}
      AND CAST(start_time AS DATE) <= DATE ${lit(d)}
      AND is_trial_period = ${trial ? "'true'" : "'false'"}
      AND date_diff('second', start_time, ${span})::DOUBLE > 0
      ${strict ? this.own() : this.lenient()}`;
  }

  private async one(sql: string): Promise<unknown> {
    return Object.values((await this.rows(sql))[0])[0];
  }

  /** scheduled-data-exports_2 (trial false) / _1 (trial true). */
  async active(d: string, trial: boolean): Promise<number> {
    return Number(await this.one(`SELECT COUNT(*) FROM m ${this.where(d, trial)}`));
  }

  /** Rows the strict query drops that the lenient one keeps. */
  async droppedForNull(d: string, trial: boolean, span = 'end_time'): Promise<number> {
    const lenient = Number(await this.one(`SELECT COUNT(*) FROM m ${this.where(d, trial, span, false)}`));
    const strict = Number(await this.one(`SELECT COUNT(*) FROM m ${this.where(d, trial, span)}`));
    return lenient - strict;
  }

  /** scheduled-data-exports_3. */
  async revenue(d: string): Promise<Record<string, number | null>> {
    const r = (
      await this.rows(`SELECT
        SUM(purchase_price_in_usd) AS gross_revenue,
        SUM(price_in_usd) AS revenue_net_of_refunds,
        SUM(price_in_usd * (1 - tax_percentage)) AS revenue_net_of_taxes,
        SUM(price_in_usd * (1 - tax_percentage - commission_percentage)) AS proceeds
      FROM m
      WHERE CAST(start_time AS DATE) = DATE ${lit(d)}
        AND is_trial_period = 'false'
        ${this.own()}`)
    )[0];
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : Number(v)]));
  }

  /** scheduled-data-exports_4. */
  async withAttribute(d: string, key: string, value: string): Promise<number> {
    const path = `$.${JSON.stringify(key)}.value`;
    return Number(
      await this.one(`SELECT COUNT(*) FROM m ${this.where(d, false)}
      AND json_extract_string(custom_subscriber_attributes, ${lit(path)}) = ${lit(value)}`),
    );
  }

  /** scheduled-data-exports_5. */
  async weeklyRevenue(from: string, to: string): Promise<Record<string, number | null>> {
    const rows = await this
      .rows(`SELECT strftime(date_trunc('week', start_time), '%Y-%m-%d') AS week, SUM(price_in_usd) AS total_revenue
      FROM m
      WHERE CAST(start_time AS DATE) BETWEEN DATE ${lit(from)} AND DATE ${lit(to)}
        AND is_trial_period = 'false'
        ${this.own()}
      GROUP BY week ORDER BY week`);
    return Object.fromEntries(
      rows.map((r) => [String(r.week), r.total_revenue === null ? null : Number(r.total_revenue)]),
    );
  }

  /** scheduled-data-exports_7. */
  async trialsByGrace(d: string): Promise<Record<string, number>> {
    const rows = await this.rows(`SELECT
        CASE WHEN grace_period_end_time IS NOT NULL THEN 'in_grace_period' ELSE 'in_trial_period' END AS period_type,
        COUNT(*) AS active_trials
      FROM m ${this.where(d, true, 'effective_end_time')}
      GROUP BY period_type`);
    return Object.fromEntries(rows.map((r) => [String(r.period_type), Number(r.active_trials)]));
  }

  /** scheduled-data-exports_9. */
  async byAutoRenew(d: string): Promise<Record<string, number>> {
    const rows = await this.rows(`SELECT
        CASE WHEN unsubscribe_detected_at IS NOT NULL THEN 'Set to cancel' ELSE 'Set to renew' END AS auto_renew_status,
        COUNT(*) AS active_subscriptions
      FROM m ${this.where(d, false)}
      GROUP BY 1`);
    return Object.fromEntries(rows.map((r) => [String(r.auto_renew_status), Number(r.active_subscriptions)]));
  }

  /** scheduled-data-exports_12, with the target date as a parameter and price = price_in_usd. */
  async mrr(d: string): Promise<number | null> {
    const v = await this.one(`SELECT SUM(${transactionMrrSql()}) AS active_mrr
      FROM m ${this.where(d, false)}`);
    return v === null ? null : Number(v);
  }
}

/** The per-transaction MRR of _11 and _12 (price = price_in_usd), NULL without an effective end. */
export function transactionMrrSql(): string {
  const days = `date_diff('day', start_time, end_time)`;
  const formula = `dec2((28 / (date_diff('second', start_time, end_time)::DOUBLE / (24 * 3600))) * price_in_usd)`;
  return `
        CASE WHEN effective_end_time IS NOT NULL THEN
          CASE
            WHEN (is_in_intro_offer_period = 'true' OR product_duration IS NULL) THEN
            CASE
              WHEN ${days} BETWEEN 0 AND 1 THEN dec2(30 * price_in_usd)
              WHEN ${days} = 3 THEN dec2(10 * price_in_usd)
              WHEN ${days} BETWEEN 6 AND 8 THEN dec2(4 * price_in_usd)
              WHEN ${days} BETWEEN 12 AND 16 THEN dec2(2 * price_in_usd)
              WHEN ${days} BETWEEN 27 AND 33 THEN dec2(1 * price_in_usd)
              WHEN ${days} BETWEEN 58 AND 62 THEN dec2(0.5 * price_in_usd)
              WHEN ${days} BETWEEN 88 AND 95 THEN dec2(0.333333 * price_in_usd)
              WHEN ${days} BETWEEN 179 AND 185 THEN dec2(0.1666666 * price_in_usd)
              WHEN ${days} BETWEEN 363 AND 375 THEN dec2(0.08333 * price_in_usd)
              ELSE ${formula}
            END
            WHEN product_duration = 'P1D' THEN dec2(30 * price_in_usd)
            WHEN product_duration = 'P3D' THEN dec2(10 * price_in_usd)
            WHEN product_duration = 'P7D' THEN dec2(4 * price_in_usd)
            WHEN product_duration = 'P1W' THEN dec2(4 * price_in_usd)
            WHEN product_duration = 'P2W' THEN dec2(2 * price_in_usd)
            WHEN product_duration = 'P4W' THEN dec2(1 * price_in_usd)
            WHEN product_duration = 'P1M' THEN dec2(1 * price_in_usd)
            WHEN product_duration = 'P2M' THEN dec2(0.5 * price_in_usd)
            WHEN product_duration = 'P3M' THEN dec2(0.333333 * price_in_usd)
            WHEN product_duration = 'P6M' THEN dec2(0.1666666 * price_in_usd)
            WHEN product_duration = 'P12M' THEN dec2(0.08333 * price_in_usd)
            WHEN product_duration = 'P1Y' THEN dec2(0.08333 * price_in_usd)
            ELSE ${formula}
          END
        END`;
}

/** Mocha hooks for a suite checked against DuckDB: opens it before the suite (handing it to `use`),
 *  and afterwards closes it and removes the suite's folder of generated files. */
export function duckRefForSuite(dir: string, use: (ref: DuckRef) => void): void {
  let ref: DuckRef | undefined;
  before(async () => {
    ref = await DuckRef.open();
    use(ref);
  });
  after(() => {
    ref?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
