/**
 * Parquet deliveries for tests, written by DuckDB from a generated CSV export: the rows in the CSV's
 * order, cut into several part files (`part-00000.parquet`, …) with Snappy compression, either every
 * column a string (as read from the CSV) or typed the way a warehouse would type them (TIMESTAMP,
 * BOOLEAN, DOUBLE, BIGINT by the catalog's column types).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnSpec } from '../../src/core/catalog/templates';
import type { ParquetPart } from '../../src/core/parquet';

/** A Parquet file on disk as the reader takes a part: its name and its bytes, sliced on demand. */
export function parquetPart(file: string): ParquetPart {
  const b = fs.readFileSync(file);
  return {
    name: path.basename(file),
    source: {
      byteLength: b.length,
      slice: (s: number, e?: number) => b.buffer.slice(b.byteOffset + s, b.byteOffset + (e ?? b.length)),
    },
  };
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

const SQL_TYPE: Record<string, string> = {
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
  float: 'DOUBLE',
  integer: 'BIGINT',
};

export async function duckConnection(): Promise<{ con: DuckDBConnection; close: () => void }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run('SET threads = 1');
  return { con, close: () => con.closeSync() };
}

export interface ParquetOptions {
  /** The CSV export (plain or gzip) the rows come from. */
  readonly csv: string;
  readonly delimiter?: ',' | ';';
  /** Folder the parts go to (made if missing). */
  readonly dir: string;
  readonly parts: number;
  readonly typed: boolean;
  /** Rows per row group (several per part streams them). */
  readonly rowGroup?: number;
}

/** Writes the parts; returns their paths in order. */
export async function writeParquetDelivery(con: DuckDBConnection, o: ParquetOptions): Promise<string[]> {
  fs.mkdirSync(o.dir, { recursive: true });
  await con.run('DROP TABLE IF EXISTS pq_src');
  await con.run(
    `CREATE TABLE pq_src AS SELECT row_number() OVER () AS pq_rn, * FROM read_csv(${lit(o.csv)}, delim=${lit(o.delimiter ?? ',')}, header=true, quote='"', escape='"', all_varchar=true, allow_quoted_nulls=false)`,
  );
  const names = (await con.runAndReadAll('DESCRIBE pq_src')).getRowObjectsJS().map((r) => r.column_name as string);
  const columns = names.filter((n) => n !== 'pq_rn');
  const select = columns
    .map((c) => {
      const t = o.typed ? SQL_TYPE[columnSpec(c)?.type ?? ''] : undefined;
      return t ? `CAST(${ident(c)} AS ${t}) AS ${ident(c)}` : ident(c);
    })
    .join(', ');
  const total = Number((await con.runAndReadAll('SELECT count(*) AS n FROM pq_src')).getRowObjectsJS()[0].n);
  const per = Math.ceil(total / o.parts);
  const out: string[] = [];
  for (let p = 0; p < o.parts; p++) {
    const file = path.join(o.dir, `part-${String(p).padStart(5, '0')}.parquet`);
    await con.run(
      `COPY (SELECT ${select} FROM pq_src WHERE pq_rn > ${p * per} AND pq_rn <= ${(p + 1) * per} ORDER BY pq_rn) TO ${lit(file)} (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${o.rowGroup ?? 250})`,
    );
    out.push(file);
  }
  await con.run('DROP TABLE pq_src');
  return out;
}
