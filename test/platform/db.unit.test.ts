import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { requestScope } from '../../shared/context';
import { all, batch, first, isUniqueViolation, run } from '../../shared/db';

it('binds values instead of splicing them', async () => {
  const evil = "x' OR '1'='1";
  const row = await first<{ v: string }>(env.DB, sql`SELECT ${evil} AS v`);
  expect(row?.v).toBe(evil);
  expect(await first(env.DB, sql`SELECT 1 AS one FROM users WHERE email = ${evil}`)).toBeNull();
});

it('counts queries and D1 rows for the request log', async () => {
  const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
  await requestScope.run({ requestId: 't', cost }, async () => {
    await run(env.DB, sql`INSERT INTO users (email, password_hash, created_at, updated_at) VALUES ('cost@example.com', 'x', 0, 0)`);
    await all(env.DB, sql`SELECT id FROM users`);
    // A batch is one round trip (one query) of several statements.
    await batch(env.DB, [sql`SELECT 1`, sql`SELECT 2`, sql`SELECT 3`]);
  });
  expect(cost.queries).toBe(3);
  expect(cost.statements).toBe(5);
  expect(cost.rowsWritten).toBeGreaterThanOrEqual(1);
  expect(cost.rowsRead).toBeGreaterThanOrEqual(1);
});

it('batch() is atomic: one failing statement rolls back the others', async () => {
  await run(env.DB, sql`INSERT INTO users (email, password_hash, created_at, updated_at) VALUES ('dup@example.com', 'x', 0, 0)`);
  const error = await batch(env.DB, [
    sql`INSERT INTO users (email, password_hash, created_at, updated_at) VALUES ('fresh@example.com', 'x', 0, 0)`,
    sql`INSERT INTO users (email, password_hash, created_at, updated_at) VALUES ('DUP@example.com', 'x', 0, 0)`,
  ]).catch((e: unknown) => e);
  expect(isUniqueViolation(error, 'email')).toBe(true);
  expect(await first(env.DB, sql`SELECT 1 AS one FROM users WHERE email = 'fresh@example.com'`)).toBeNull();
});
