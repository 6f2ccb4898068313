/**
 * Pulls: URLs the cron fetches on an interval and reads as points (JSON: one value at a
 * path; CSV; Prometheus text), each run's outcome kept for the page. Fetched under the
 * shared SSRF guard (shared/http/outbound.ts: https only, public hosts only, every
 * redirect's target checked too), with a time and a size limit. A pull is claimed by
 * moving its `next_at` first (a guarded UPDATE … RETURNING), so overlapping cron runs
 * never fetch it twice.
 */
import { sql } from 'drizzle-orm';
import { all, run } from '../../shared/db';
import { fetchPublic, OutboundError } from '../../shared/http/outbound';
import { type Parsed, parseCsv, parseJsonValue, parsePrometheus, TooManyPoints, TooManyRefused } from './formats';
import { insightConfig } from './config';
import { OverQuota, SeriesGone, store, TooDense, TooManySeries } from './service';

export type PullFormat = 'json' | 'csv' | 'prometheus';
export type Pull = {
  id: number;
  ownerId: number;
  url: string;
  format: PullFormat;
  selector: string;
  series: string;
  intervalMinutes: number;
  nextAt: number;
  lastAt: number | null;
  lastOk: boolean | null;
  lastMessage: string | null;
};

type PullRow = {
  id: number;
  owner_id: number;
  url: string;
  format: PullFormat;
  selector: string;
  series: string;
  interval_minutes: number;
  next_at: number;
  last_at: number | null;
  last_ok: 0 | 1 | null;
  last_message: string | null;
};
const toPull = (r: PullRow): Pull => ({
  id: r.id,
  ownerId: r.owner_id,
  url: r.url,
  format: r.format,
  selector: r.selector,
  series: r.series,
  intervalMinutes: r.interval_minutes,
  nextAt: r.next_at,
  lastAt: r.last_at,
  lastOk: r.last_ok === null ? null : r.last_ok === 1,
  lastMessage: r.last_message,
});

export const MAX_PULLS = 20;
/** Pulls one cron run fetches at most (the rest wait a minute): a Worker's subrequests are counted. */
export const PULLS_PER_RUN = 20;
export const PULL_MAX_BYTES = 1024 * 1024;
export const PULL_TIMEOUT_MS = 10_000;

export async function listPulls(db: D1Database, ownerId: number): Promise<Pull[]> {
  return (await all<PullRow>(db, sql`SELECT * FROM insight_pulls WHERE owner_id = ${ownerId} ORDER BY id`)).map(toPull);
}

/** A new pull, first run at once (the next cron tick), unless the owner has MAX_PULLS (false). */
export async function addPull(
  db: D1Database,
  p: { ownerId: number; url: string; format: PullFormat; selector: string; series: string; intervalMinutes: number; now: number },
): Promise<boolean> {
  const meta = await run(
    db,
    sql`INSERT INTO insight_pulls (owner_id, url, format, selector, series, interval_minutes, next_at, created_at)
        SELECT ${p.ownerId}, ${p.url}, ${p.format}, ${p.selector}, ${p.series}, ${p.intervalMinutes}, ${p.now}, ${p.now}
        WHERE (SELECT count(*) FROM insight_pulls WHERE owner_id = ${p.ownerId}) < ${MAX_PULLS}`,
  );
  return meta.changes === 1;
}

export async function deletePull(db: D1Database, ownerId: number, id: number): Promise<boolean> {
  return (await run(db, sql`DELETE FROM insight_pulls WHERE id = ${id} AND owner_id = ${ownerId}`)).changes === 1;
}

/** Due at the next cron tick. */
export async function pullSoon(db: D1Database, ownerId: number, id: number, now: number): Promise<boolean> {
  return (await run(db, sql`UPDATE insight_pulls SET next_at = ${now} WHERE id = ${id} AND owner_id = ${ownerId}`)).changes === 1;
}

/** Claims the due pulls (their next run moved on first, so an overlapping run cannot take them too). */
async function claimDue(db: D1Database, now: number): Promise<Pull[]> {
  const rows = await all<PullRow>(
    db,
    sql`UPDATE insight_pulls SET next_at = ${now} + interval_minutes * 60000
        WHERE id IN (SELECT id FROM insight_pulls WHERE next_at <= ${now} ORDER BY next_at LIMIT ${PULLS_PER_RUN}) AND next_at <= ${now}
        RETURNING *`,
  );
  return rows.map(toPull);
}

async function record(db: D1Database, id: number, now: number, ok: boolean, message: string): Promise<void> {
  await run(db, sql`UPDATE insight_pulls SET last_at = ${now}, last_ok = ${ok ? 1 : 0}, last_message = ${message.slice(0, 500)} WHERE id = ${id}`);
}

function parse(pull: Pull, body: string, now: number): Parsed {
  if (pull.format === 'csv') return parseCsv(body, now);
  if (pull.format === 'prometheus') return parsePrometheus(body, now);
  return parseJsonValue(body, pull.selector, pull.series, now);
}

/** One pull: fetch, parse, store; what happened, in words for the page. */
async function runOne(env: Env, pull: Pull, now: number): Promise<{ ok: boolean; message: string }> {
  try {
    const res = await fetchPublic(
      pull.url,
      {
        method: 'GET',
        headers: { accept: 'application/json, text/csv, text/plain;q=0.9, */*;q=0.1', 'user-agent': 'Sixfold-InsightDash/1 (pull)' },
        timeoutMs: PULL_TIMEOUT_MS,
        maxBytes: PULL_MAX_BYTES,
        followRedirects: 3,
      },
      { allowLocal: env.LOCAL_DEV === 'true' },
    );
    if (res.status < 200 || res.status > 299) return { ok: false, message: `The server answered ${res.status}.` };
    if (res.truncated) return { ok: false, message: 'The answer is larger than 1 MiB.' };
    const answer = await store(env.DB, pull.ownerId, parse(pull, res.body, now), now, insightConfig(env).maxPoints);
    const first = answer.errors[0];
    const why = first ? ` First: ${'line' in first && answer.errors.length > 0 ? `line ${first.line}: ` : ''}${first.reason}.` : '';
    return {
      ok: answer.accepted > 0 || answer.rejected === 0,
      message: `${answer.accepted} point${answer.accepted === 1 ? '' : 's'} stored${answer.rejected ? `, ${answer.rejected} refused.${why}` : '.'}`,
    };
  } catch (error) {
    if (error instanceof OutboundError) return { ok: false, message: error.message };
    if (error instanceof TooManyPoints) return { ok: false, message: 'The answer holds more than 10,000 points.' };
    if (error instanceof TooManySeries) return { ok: false, message: 'The answer names more than 100 series.' };
    if (error instanceof TooManyRefused) return { ok: false, message: 'More than 10,000 lines of the answer were refused: is the format right?' };
    if (error instanceof TooDense || error instanceof OverQuota || error instanceof SeriesGone)
      return { ok: false, message: error.message || 'A series was deleted meanwhile.' };
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
      return { ok: false, message: `No answer within ${PULL_TIMEOUT_MS / 1000} s.` };
    if (error instanceof TypeError) return { ok: false, message: `The request failed: ${error.message}`.slice(0, 300) };
    throw error;
  }
}

/** The cron job: the due pulls, five at a time. */
export async function runPulls(env: Env, now: number): Promise<{ pulled: number; failed: number }> {
  const due = await claimDue(env.DB, now);
  let failed = 0;
  for (let i = 0; i < due.length; i += 5) {
    await Promise.all(
      due.slice(i, i + 5).map(async (pull) => {
        const outcome = await runOne(env, pull, now);
        if (!outcome.ok) failed++;
        await record(env.DB, pull.id, now, outcome.ok, outcome.message);
      }),
    );
  }
  return { pulled: due.length, failed };
}
