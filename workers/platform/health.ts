/**
 * What /healthz checks: D1 reachable and migrated, the one dependency every page
 * needs. Takes the database, not a context, so it is the same check for the JSON
 * answer and the status page.
 */
import { sql } from 'drizzle-orm';
import { first } from '../../shared/db';

export type D1Check = { status: 'ok'; latency_ms: number; latest_migration: string | null } | { status: 'error'; error: string };

export type Health = { ok: boolean; checks: { d1: D1Check } };

export async function checkHealth(db: D1Database): Promise<Health> {
  const started = performance.now();
  let d1: D1Check;
  try {
    const row = await first<{ name: string }>(db, sql`SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1`);
    d1 = { status: 'ok', latency_ms: Math.round(performance.now() - started), latest_migration: row?.name ?? null };
  } catch (error) {
    // Reported, not thrown: a monitor needs the 503 with the reason, not an error page.
    const message = error instanceof Error ? error.message : String(error);
    d1 = {
      status: 'error',
      error: /no such table/i.test(message) ? 'Migrations have not been applied (wrangler d1 migrations apply DB).' : 'D1 query failed.',
    };
  }
  return { ok: d1.status === 'ok', checks: { d1 } };
}
