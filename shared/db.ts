/**
 * The one way Sixfold talks to D1.
 *
 * SQL is written out in full with drizzle-orm's `sql` tagged template (values are
 * always bound, never spliced) and compiled here to D1 prepared statements.
 * drizzle's own `db.batch()` rejects raw `sql` items, so multi-statement writes go
 * through `batch()` below, which hands the statements to `D1Database.batch()`:
 * D1 runs them in one implicit transaction (D1 has no BEGIN), and a failing
 * statement rolls back the whole batch.
 *
 * Every call records D1's `meta.rows_read` / `rows_written` into the request's
 * cost counters (see context.ts), which the request log line reports: a batch is
 * one query (one round trip) of several statements.
 */
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { recordD1Cost } from './context';

const dialect = new SQLiteAsyncDialect();

/** Compiles a `sql` template into a bound D1 statement (for `batch`, or custom use). */
export function statement(db: D1Database, query: SQL): D1PreparedStatement {
  const { sql, params } = dialect.sqlToQuery(query);
  return db.prepare(sql).bind(...(params as unknown[]));
}

/** The first row, or null. */
export async function first<T>(db: D1Database, query: SQL): Promise<T | null> {
  const result = await statement(db, query).all<T>();
  recordD1Cost([result.meta]);
  return result.results[0] ?? null;
}

/** All rows. */
export async function all<T>(db: D1Database, query: SQL): Promise<T[]> {
  const result = await statement(db, query).all<T>();
  recordD1Cost([result.meta]);
  return result.results;
}

/** Runs a write; returns D1's metadata (`changes`, `last_row_id`, `rows_read`, …). */
export async function run(db: D1Database, query: SQL): Promise<D1Meta> {
  const result = await statement(db, query).run();
  recordD1Cost([result.meta]);
  return result.meta;
}

/** Runs the statements atomically, in order, and returns each one's result. */
export async function batch<T = Record<string, unknown>>(db: D1Database, queries: SQL[]): Promise<D1Result<T>[]> {
  const results = await db.batch<T>(queries.map((q) => statement(db, q)));
  recordD1Cost(results.map((r) => r.meta));
  return results;
}

/**
 * The message a trigger raised with `RAISE(ABORT, '<code>')`, if this error is one.
 * D1 wraps it as e.g. "D1_ERROR: last_admin: SQLITE_CONSTRAINT (extended: …)".
 */
export function raisedCode(error: unknown, code: string): boolean {
  return error instanceof Error && error.message.includes(`${code}`) && /CONSTRAINT/i.test(error.message);
}

/** True if the error is a UNIQUE constraint violation (optionally on a given column). */
export function isUniqueViolation(error: unknown, column?: string): boolean {
  if (!(error instanceof Error) || !/UNIQUE constraint failed/i.test(error.message)) return false;
  return column === undefined || error.message.includes(column);
}
