/**
 * InsightDash's series, points and rollups in D1 (raw SQL, shared/db.ts).
 *
 * An ingest is one batch: the points (the last value for a moment wins), then the
 * hourly rollup of every hour it touched, rewritten from that hour's points, then the
 * daily rollup of every day it touched, rewritten from that day's hours. So the
 * rollups equal what the raw points say, also after points are sent again, and a
 * range read touches at most a bucket per row.
 */
import { sql } from 'drizzle-orm';
import { all, batch, first, run } from '../../shared/db';
import { bucketOf, DAY_MS, HOUR_MS } from './points';

export type SeriesKind = 'gauge' | 'counter' | 'habit';
export type Series = {
  id: number;
  ownerId: number;
  name: string;
  unit: string;
  kind: SeriesKind;
  tags: Record<string, string>;
  retentionDays: number;
  /** A fixed target, `auto` (the same weekday's average over the 4 weeks before), or none. */
  goal: number | 'auto' | null;
  /** Raw points before this moment were deleted by retention: none may be added there. */
  prunedBefore: number;
  /** Raw points it keeps (what the account's quota counts). */
  points: number;
};

type SeriesRow = {
  id: number;
  owner_id: number;
  name: string;
  unit: string;
  kind: SeriesKind;
  tags: string;
  retention_days: number;
  goal: number | null;
  goal_auto: 0 | 1;
  pruned_before: number;
  points: number;
};
const SERIES_COLUMNS = sql`id, owner_id, name, unit, kind, tags, retention_days, goal, goal_auto, pruned_before, points`;
const toSeries = (r: SeriesRow): Series => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  unit: r.unit,
  kind: r.kind,
  tags: JSON.parse(r.tags) as Record<string, string>,
  retentionDays: r.retention_days,
  goal: r.goal_auto === 1 ? 'auto' : r.goal,
  prunedBefore: r.pruned_before,
  points: r.points,
});

/** The start of the oldest hour whose raw points a series of `retentionDays` still keeps (older points are refused, and deleted by the cron). */
export const rawCutoff = (retentionDays: number, now: number) => bucketOf(now - retentionDays * DAY_MS, HOUR_MS);

/** The oldest moment a series accepts a point at: within its retention, and not in an hour retention has already pruned. */
export const oldestAccepted = (series: Series, now: number) => Math.max(rawCutoff(series.retentionDays, now), series.prunedBefore);

/**
 * What an ingest says about a series it names: made on first use (keeping raw points
 * `retentionDays`), its tags and unit replaced when sent.
 */
export type SeriesDeclaration = { name: string; tags?: Record<string, string> | undefined; unit?: string | undefined; retentionDays: number };

/**
 * The owner's series of these names, made when new (one statement). A new one is made
 * only while the owner has fewer than `maxSeries` (a request adds at most its own
 * names beyond that); the names missing from the answer were not made.
 */
export async function declareSeries(db: D1Database, ownerId: number, declared: SeriesDeclaration[], now: number, maxSeries: number): Promise<Series[]> {
  if (declared.length === 0) return [];
  const json = JSON.stringify(declared.map((d) => [d.name, d.tags ? JSON.stringify(d.tags) : '{}', d.unit ?? '', d.retentionDays]));
  const rows = await all<SeriesRow>(
    db,
    sql`INSERT INTO insight_series (owner_id, name, tags, unit, retention_days, created_at)
        SELECT ${ownerId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, ${now} FROM json_each(${json})
        WHERE (SELECT count(*) FROM insight_series WHERE owner_id = ${ownerId}) < ${maxSeries}
           OR EXISTS (SELECT 1 FROM insight_series WHERE owner_id = ${ownerId} AND name = value ->> 0)
        ON CONFLICT (owner_id, name) DO UPDATE SET
          tags = CASE WHEN excluded.tags = '{}' THEN tags ELSE excluded.tags END,
          unit = CASE WHEN excluded.unit = '' THEN unit ELSE excluded.unit END
        RETURNING ${SERIES_COLUMNS}`,
  );
  return rows.map(toSeries);
}

/** The owner's series, by name. */
export async function listSeries(db: D1Database, ownerId: number): Promise<Series[]> {
  return (await all<SeriesRow>(db, sql`SELECT ${SERIES_COLUMNS} FROM insight_series WHERE owner_id = ${ownerId} ORDER BY name`)).map(toSeries);
}

export async function findOwnSeries(db: D1Database, ownerId: number, id: number): Promise<Series | null> {
  const row = await first<SeriesRow>(db, sql`SELECT ${SERIES_COLUMNS} FROM insight_series WHERE id = ${id} AND owner_id = ${ownerId}`);
  return row ? toSeries(row) : null;
}

/** The owner's series of that name, made on first use (an ingest names series, it does not declare them). */
export async function seriesFor(db: D1Database, ownerId: number, name: string, now: number): Promise<Series> {
  const row = await first<SeriesRow>(
    db,
    sql`INSERT INTO insight_series (owner_id, name, created_at) VALUES (${ownerId}, ${name}, ${now})
        ON CONFLICT (owner_id, name) DO UPDATE SET name = excluded.name
        RETURNING ${SERIES_COLUMNS}`,
  );
  if (!row) throw new Error('series upsert returned no row');
  return toSeries(row);
}

/** The distinct buckets (of `size`) of each series that `rows` fall in, as JSON `[[series, bucket], …]` for json_each. */
const bucketsJson = (rows: StoredPoint[], size: number) =>
  JSON.stringify([...new Set(rows.map((p) => `${p.seriesId},${Math.floor(p.ts / size) * size}`))].map((k) => k.split(',').map(Number)));

export type StoredPoint = { seriesId: number; ts: number; value: number };

/** The raw points an owner's series keep together (what the quota counts), as a scalar subquery. */
const ownerPoints = (ownerId: number) => sql`(SELECT coalesce(sum(points), 0) FROM insight_series WHERE owner_id = ${ownerId})`;

/** What an ingest must know before it stores: the named series that exist, the owner's totals, and the hours it would rewrite. */
export type Preflight = {
  /** The owner's series of the request's names that already exist. */
  series: Series[];
  /** Raw points the owner's series keep together, and how many series they have. */
  storedPoints: number;
  seriesCount: number;
  /** The points already in the hours the request touches (an ingest rewrites each from all its points), and the most any one would hold. */
  existing: number;
  densest: number;
};

/**
 * One round trip before an ingest (nothing is made or stored by it): `names` are the
 * request's series, `hours` its points counted by series name and hour. Reads a row per
 * named series, per owner's series, and per touched hour that already has points.
 */
export async function preflight(db: D1Database, ownerId: number, names: string[], hours: Map<string, Map<number, number>>): Promise<Preflight> {
  const touched = JSON.stringify([...hours].flatMap(([name, byHour]) => [...byHour].map(([hour, n]) => [name, hour, n])));
  const [named, totals, rewritten] = await batch(db, [
    sql`SELECT ${SERIES_COLUMNS} FROM insight_series WHERE owner_id = ${ownerId} AND name IN (SELECT value FROM json_each(${JSON.stringify(names)}))`,
    sql`SELECT ${ownerPoints(ownerId)} AS stored, (SELECT count(*) FROM insight_series WHERE owner_id = ${ownerId}) AS series`,
    // CROSS JOIN keeps the request's hours as the outer loop: one key lookup each, never a scan of the owner's rollups.
    sql`SELECT coalesce(sum(r.n), 0) AS existing, coalesce(max(r.n + (h.value ->> 2)), 0) AS densest
        FROM json_each(${touched}) h
        CROSS JOIN insight_series s ON s.owner_id = ${ownerId} AND s.name = h.value ->> 0
        CROSS JOIN insight_rollups_hour r ON r.series_id = s.id AND r.bucket = h.value ->> 1`,
  ]);
  const total = totals?.results[0] as { stored: number; series: number } | undefined;
  const cost = rewritten?.results[0] as { existing: number; densest: number } | undefined;
  const incoming = [...hours.values()].flatMap((byHour) => [...byHour.values()]);
  return {
    series: ((named?.results ?? []) as SeriesRow[]).map(toSeries),
    storedPoints: total?.stored ?? 0,
    seriesCount: total?.series ?? 0,
    existing: cost?.existing ?? 0,
    densest: Math.max(cost?.densest ?? 0, ...incoming),
  };
}

/** A request's points counted by series name and hour (for preflight). */
export function pointsPerHour(rows: { series: string; ts: number }[]): Map<string, Map<number, number>> {
  const hours = new Map<string, Map<number, number>>();
  for (const p of rows) {
    const byHour = hours.get(p.series) ?? new Map<number, number>();
    const hour = bucketOf(p.ts, HOUR_MS);
    byHour.set(hour, (byHour.get(hour) ?? 0) + 1);
    hours.set(p.series, byHour);
  }
  return hours;
}

/** The owner's stored points may not pass `maxPoints` (checked inside the ingest's batch, so two requests cannot both slip under it). */
export type PointsQuota = { ownerId: number; maxPoints: number };

/** The points were not stored: with them the owner would keep more than their quota (a request that raced another past the preflight). */
export class QuotaFull extends Error {}

/**
 * Stores points (of any of the owner's series) and rewrites the rollups of the hours
 * and days they touch, in one batch, each statement one JSON parameter expanded by
 * json_each (the outer loop: CROSS JOIN keeps it there, one key lookup a row). A point
 * before its series' pruned_before is skipped, so a rename or a retention run racing
 * the request never rewrites a pruned hour. Each series' `points` changes by what its
 * rewritten hours' counts change (a series' hours from pruned_before on hold all its
 * points there). With a quota, nothing is stored (QuotaFull) when the owner's points
 * and these would pass it. Returns how many points were written.
 */
export async function ingest(db: D1Database, rows: StoredPoint[], quota?: PointsQuota): Promise<number> {
  if (rows.length === 0) return 0;
  const hours = bucketsJson(rows, HOUR_MS);
  const days = bucketsJson(rows, DAY_MS);
  const guard = quota ? sql`${ownerPoints(quota.ownerId)} + ${rows.length} <= ${quota.maxPoints}` : sql`true`;
  // Each touched hour's count, per series (before the hours are rewritten, and after).
  const hourCounts = sql`SELECT s.id AS id, sum(r.n) AS n
        FROM json_each(${hours}) h
        CROSS JOIN insight_series s ON s.id = h.value ->> 0
        CROSS JOIN insight_rollups_hour r ON r.series_id = s.id AND r.bucket = h.value ->> 1
        WHERE r.bucket >= s.pruned_before GROUP BY 1`;
  const [allowed, inserted] = await batch(db, [
    sql`SELECT ${guard} AS ok`,
    sql`INSERT INTO insight_points (series_id, ts, value)
        SELECT s.id, j.value ->> 1, j.value ->> 2
        FROM json_each(${JSON.stringify(rows.map((p) => [p.seriesId, p.ts, p.value]))}) j CROSS JOIN insight_series s ON s.id = j.value ->> 0
        WHERE ${guard} AND j.value ->> 1 >= s.pruned_before
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value`,
    sql`UPDATE insight_series AS x SET points = x.points - t.n FROM (${hourCounts}) AS t WHERE x.id = t.id`,
    // Each touched hour (from pruned_before on), from its points (a range on the primary key per hour).
    sql`INSERT INTO insight_rollups_hour (series_id, bucket, n, sum, min, max)
        SELECT s.id, h.value ->> 1, count(*), sum(p.value), min(p.value), max(p.value)
        FROM json_each(${hours}) h
        CROSS JOIN insight_series s ON s.id = h.value ->> 0
        CROSS JOIN insight_points p ON p.series_id = s.id AND p.ts >= h.value ->> 1 AND p.ts < (h.value ->> 1) + ${HOUR_MS}
        WHERE h.value ->> 1 >= s.pruned_before
        GROUP BY h.key
        ON CONFLICT (series_id, bucket) DO UPDATE SET n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`,
    sql`UPDATE insight_series AS x SET points = x.points + t.n FROM (${hourCounts}) AS t WHERE x.id = t.id`,
    // Each touched day, from its hours.
    sql`INSERT INTO insight_rollups_day (series_id, bucket, n, sum, min, max)
        SELECT d.value ->> 0, d.value ->> 1, sum(r.n), sum(r.sum), min(r.min), max(r.max)
        FROM json_each(${days}) d CROSS JOIN insight_rollups_hour r ON r.series_id = d.value ->> 0 AND r.bucket >= d.value ->> 1 AND r.bucket < (d.value ->> 1) + ${DAY_MS}
        GROUP BY d.key
        ON CONFLICT (series_id, bucket) DO UPDATE SET n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`,
  ]);
  if (quota && !(allowed?.results[0] as { ok: number } | undefined)?.ok) throw new QuotaFull();
  return inserted?.meta.changes ?? 0;
}

export type Bucket = { bucket: number; n: number; sum: number; min: number; max: number };

/** A series' rollups over [from, to), hourly or daily, oldest first. */
export async function rollups(db: D1Database, seriesId: number, resolution: 'hour' | 'day', from: number, to: number): Promise<Bucket[]> {
  return resolution === 'hour'
    ? all<Bucket>(
        db,
        sql`SELECT bucket, n, sum, min, max FROM insight_rollups_hour WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to} ORDER BY bucket`,
      )
    : all<Bucket>(
        db,
        sql`SELECT bucket, n, sum, min, max FROM insight_rollups_day WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to} ORDER BY bucket`,
      );
}

/**
 * Deletes raw points older than their series' retention, keeping one hour more than
 * ingest accepts (so a point accepted a moment ago is never in an hour being deleted;
 * a rollup is only ever rewritten from a whole hour). At most `limit` points a call.
 */
export async function deleteExpiredPoints(db: D1Database, now: number, limit: number): Promise<number> {
  // Whole hours only (D1 binds JavaScript numbers as REAL: the division is truncated explicitly).
  const cutoff = sql`CAST((${now} - s.retention_days * ${DAY_MS}) / ${HOUR_MS} AS INTEGER) * ${HOUR_MS} - ${HOUR_MS}`;
  // At most `limit` expired points, series by series (CROSS JOIN keeps the series as the
  // outer loop: each series' old points are one key range, never a scan of every point).
  // The same query twice in one transaction over the same rows: the same points.
  const expired = sql`SELECT p.series_id, p.ts FROM insight_series s CROSS JOIN insight_points p
        WHERE p.series_id = s.id AND p.ts < ${cutoff} LIMIT ${limit}`;
  const [, , deleted] = await batch(db, [
    // The watermark first (only where there is something to delete, so raising a retention
    // still lets older history in where none was pruned), so an ingest refuses what goes.
    sql`UPDATE insight_series AS s SET pruned_before = ${cutoff}
        WHERE pruned_before < ${cutoff} AND EXISTS (SELECT 1 FROM insight_points p WHERE p.series_id = s.id AND p.ts < ${cutoff})`,
    // A series keeps counting its points until they are gone (a backlog of expired points still counts against its owner).
    sql`UPDATE insight_series AS x SET points = x.points - t.n
        FROM (SELECT series_id AS id, count(*) AS n FROM (${expired}) GROUP BY 1) AS t WHERE x.id = t.id`,
    sql`DELETE FROM insight_points WHERE (series_id, ts) IN (${expired})`,
  ]);
  return deleted?.meta.changes ?? 0;
}

/** Saves a series' settings; `name_taken` when the owner has another series of that name (nothing changes then). */
export async function updateSeries(
  db: D1Database,
  ownerId: number,
  id: number,
  fields: { name: string; unit: string; kind: SeriesKind; goal: number | 'auto' | null; retentionDays: number },
): Promise<'saved' | 'missing' | 'name_taken'> {
  try {
    const meta = await run(
      db,
      sql`UPDATE insight_series SET name = ${fields.name}, unit = ${fields.unit}, kind = ${fields.kind}, goal = ${fields.goal === 'auto' ? null : fields.goal},
            goal_auto = ${fields.goal === 'auto' ? 1 : 0}, retention_days = ${fields.retentionDays}
          WHERE id = ${id} AND owner_id = ${ownerId}`,
    );
    return meta.changes === 1 ? 'saved' : 'missing';
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed: insight_series\.owner_id, insight_series\.name/.test(error.message)) return 'name_taken';
    throw error;
  }
}

/** Raw points the owner's series keep together (what the quota counts). */
export async function storedPoints(db: D1Database, ownerId: number): Promise<number> {
  return (await first<{ n: number }>(db, sql`SELECT ${ownerPoints(ownerId)} AS n`))?.n ?? 0;
}

/** A series' newest raw points in [from, to), newest first: `limit` of them, and whether there are more. */
export async function latestPoints(
  db: D1Database,
  seriesId: number,
  from: number,
  to: number,
  limit: number,
): Promise<{ points: { ts: number; value: number }[]; more: boolean }> {
  const rows = await all<{ ts: number; value: number }>(
    db,
    sql`SELECT ts, value FROM insight_points WHERE series_id = ${seriesId} AND ts >= ${from} AND ts < ${to} ORDER BY ts DESC LIMIT ${limit + 1}`,
  );
  return { points: rows.slice(0, limit), more: rows.length > limit };
}

/** A range of points to delete rewrites more than this many points' hours: refused (ask for a shorter range). */
export class TooManyToRewrite extends Error {}

/**
 * Deletes a series' raw points in [from, to) (none before `prunedBefore`: those hours'
 * rollups are history now) and rewrites the hourly and daily rollups of the hours and
 * days they were in, in one batch. Refuses (TooManyToRewrite) when those hours hold more
 * than `maxRewritten` points. Returns how many points went.
 */
export async function deletePoints(db: D1Database, series: Series, from: number, to: number, maxRewritten: number): Promise<number> {
  const start = Math.max(from, series.prunedBefore);
  if (start >= to) return 0;
  const id = series.id;
  const hours = { from: bucketOf(start, HOUR_MS), to: bucketOf(to - 1, HOUR_MS) + HOUR_MS };
  const days = { from: bucketOf(start, DAY_MS), to: bucketOf(to - 1, DAY_MS) + DAY_MS };
  const cost = await first<{ n: number }>(
    db,
    sql`SELECT coalesce(sum(n), 0) AS n FROM insight_rollups_hour WHERE series_id = ${id} AND bucket >= ${hours.from} AND bucket < ${hours.to}`,
  );
  if ((cost?.n ?? 0) > maxRewritten) throw new TooManyToRewrite();
  // (D1 binds JavaScript numbers as REAL: the bucket divisions are truncated explicitly.)
  const [, deleted] = await batch(db, [
    sql`UPDATE insight_series SET points = points - (SELECT count(*) FROM insight_points WHERE series_id = ${id} AND ts >= ${start} AND ts < ${to}) WHERE id = ${id}`,
    sql`DELETE FROM insight_points WHERE series_id = ${id} AND ts >= ${start} AND ts < ${to}`,
    sql`DELETE FROM insight_rollups_hour WHERE series_id = ${id} AND bucket >= ${hours.from} AND bucket < ${hours.to}`,
    sql`INSERT INTO insight_rollups_hour (series_id, bucket, n, sum, min, max)
        SELECT series_id, CAST(ts / ${HOUR_MS} AS INTEGER) * ${HOUR_MS}, count(*), sum(value), min(value), max(value) FROM insight_points
        WHERE series_id = ${id} AND ts >= ${hours.from} AND ts < ${hours.to} GROUP BY 2`,
    sql`DELETE FROM insight_rollups_day WHERE series_id = ${id} AND bucket >= ${days.from} AND bucket < ${days.to}`,
    sql`INSERT INTO insight_rollups_day (series_id, bucket, n, sum, min, max)
        SELECT series_id, CAST(bucket / ${DAY_MS} AS INTEGER) * ${DAY_MS}, sum(n), sum(sum), min(min), max(max) FROM insight_rollups_hour
        WHERE series_id = ${id} AND bucket >= ${days.from} AND bucket < ${days.to} GROUP BY 2`,
  ]);
  return deleted?.meta.changes ?? 0;
}

/** A series with its points, rollups, cards and annotations (foreign keys cascade). */
export async function deleteSeries(db: D1Database, ownerId: number, id: number): Promise<boolean> {
  return (await run(db, sql`DELETE FROM insight_series WHERE id = ${id} AND owner_id = ${ownerId}`)).changes === 1;
}

// ---------------------------------------------------------------- dashboards and cards

export type Dashboard = { id: string; ownerId: number; name: string; shareToken: string | null; createdAt: number };
type DashboardRow = { id: string; owner_id: number; name: string; share_token: string | null; created_at: number };
const toDashboard = (r: DashboardRow): Dashboard => ({ id: r.id, ownerId: r.owner_id, name: r.name, shareToken: r.share_token, createdAt: r.created_at });

export type CardKind = 'line' | 'bars' | 'stat' | 'calendar' | 'table';
export type Card = { id: number; position: number; kind: CardKind; title: string; series: Series };

export async function listDashboards(db: D1Database, ownerId: number): Promise<Dashboard[]> {
  return (await all<DashboardRow>(db, sql`SELECT * FROM insight_dashboards WHERE owner_id = ${ownerId} ORDER BY created_at, id`)).map(toDashboard);
}

export async function findOwnDashboard(db: D1Database, ownerId: number, id: string): Promise<Dashboard | null> {
  const row = await first<DashboardRow>(db, sql`SELECT * FROM insight_dashboards WHERE id = ${id} AND owner_id = ${ownerId}`);
  return row ? toDashboard(row) : null;
}

export async function findSharedDashboard(db: D1Database, token: string): Promise<Dashboard | null> {
  const row = await first<DashboardRow>(db, sql`SELECT * FROM insight_dashboards WHERE share_token = ${token}`);
  return row ? toDashboard(row) : null;
}

/** A new dashboard, unless the owner has `max` already (false). */
export async function createDashboard(db: D1Database, d: { id: string; ownerId: number; name: string; now: number }, max: number): Promise<boolean> {
  const meta = await run(
    db,
    sql`INSERT INTO insight_dashboards (id, owner_id, name, created_at)
        SELECT ${d.id}, ${d.ownerId}, ${d.name}, ${d.now} WHERE (SELECT count(*) FROM insight_dashboards WHERE owner_id = ${d.ownerId}) < ${max}`,
  );
  return meta.changes === 1;
}

export async function renameDashboard(db: D1Database, ownerId: number, id: string, name: string): Promise<void> {
  await run(db, sql`UPDATE insight_dashboards SET name = ${name} WHERE id = ${id} AND owner_id = ${ownerId}`);
}

export async function deleteDashboard(db: D1Database, ownerId: number, id: string): Promise<void> {
  await run(db, sql`DELETE FROM insight_dashboards WHERE id = ${id} AND owner_id = ${ownerId}`);
}

/** Sets (a new token) or clears (null) the dashboard's share link; the old link stops working either way. */
export async function setShareToken(db: D1Database, ownerId: number, id: string, token: string | null): Promise<void> {
  await run(db, sql`UPDATE insight_dashboards SET share_token = ${token} WHERE id = ${id} AND owner_id = ${ownerId}`);
}

type CardRow = SeriesRow & { card_id: number; card_position: number; card_kind: CardKind; card_title: string };
const CARD_COLUMNS = sql`c.id AS card_id, c.position AS card_position, c.kind AS card_kind, c.title AS card_title,
  s.id, s.owner_id, s.name, s.unit, s.kind, s.tags, s.retention_days, s.goal, s.goal_auto, s.pruned_before`;
const toCard = (r: CardRow): Card => ({ id: r.card_id, position: r.card_position, kind: r.card_kind, title: r.card_title, series: toSeries(r) });

/** A dashboard's cards in order, each with its series (one JOIN). */
export async function listCards(db: D1Database, dashboardId: string): Promise<Card[]> {
  const rows = await all<CardRow>(
    db,
    sql`SELECT ${CARD_COLUMNS} FROM insight_cards c JOIN insight_series s ON s.id = c.series_id WHERE c.dashboard_id = ${dashboardId} ORDER BY c.position, c.id`,
  );
  return rows.map(toCard);
}

export async function findCard(db: D1Database, dashboardId: string, cardId: number): Promise<Card | null> {
  const row = await first<CardRow>(
    db,
    sql`SELECT ${CARD_COLUMNS} FROM insight_cards c JOIN insight_series s ON s.id = c.series_id WHERE c.dashboard_id = ${dashboardId} AND c.id = ${cardId}`,
  );
  return row ? toCard(row) : null;
}

/** A card at the end of the dashboard, of one of the owner's series, unless the dashboard has `max` (false; also when the series is not the owner's). */
export async function addCard(
  db: D1Database,
  c: { dashboardId: string; ownerId: number; seriesId: number; kind: CardKind; title: string },
  max: number,
): Promise<boolean> {
  const meta = await run(
    db,
    sql`INSERT INTO insight_cards (dashboard_id, position, kind, series_id, title)
        SELECT ${c.dashboardId}, coalesce((SELECT max(position) FROM insight_cards WHERE dashboard_id = ${c.dashboardId}), 0) + 1, ${c.kind}, s.id, ${c.title}
        FROM insight_series s WHERE s.id = ${c.seriesId} AND s.owner_id = ${c.ownerId}
          AND (SELECT count(*) FROM insight_cards WHERE dashboard_id = ${c.dashboardId}) < ${max}`,
  );
  return meta.changes === 1;
}

/** A card for each of the owner's series (by name, at most `max`): a calendar for habits, a line chart otherwise. One statement. */
export async function addCardPerSeries(db: D1Database, dashboardId: string, ownerId: number, max: number): Promise<void> {
  await run(
    db,
    sql`INSERT INTO insight_cards (dashboard_id, position, kind, series_id, title)
        SELECT ${dashboardId}, row_number() OVER (ORDER BY name), CASE kind WHEN 'habit' THEN 'calendar' ELSE 'line' END, id, ''
        FROM insight_series WHERE owner_id = ${ownerId} ORDER BY name LIMIT ${max}`,
  );
}

export async function removeCard(db: D1Database, dashboardId: string, cardId: number): Promise<void> {
  await run(db, sql`DELETE FROM insight_cards WHERE dashboard_id = ${dashboardId} AND id = ${cardId}`);
}

/** Swaps the card with its neighbour before (-1) or after (+1) it, in one statement. */
export async function moveCard(db: D1Database, dashboardId: string, cardId: number, direction: -1 | 1): Promise<void> {
  const neighbour =
    direction < 0
      ? sql`SELECT id, position FROM insight_cards WHERE dashboard_id = ${dashboardId} AND (position, id) < (SELECT position, id FROM insight_cards WHERE id = ${cardId}) ORDER BY position DESC, id DESC LIMIT 1`
      : sql`SELECT id, position FROM insight_cards WHERE dashboard_id = ${dashboardId} AND (position, id) > (SELECT position, id FROM insight_cards WHERE id = ${cardId}) ORDER BY position, id LIMIT 1`;
  await run(
    db,
    sql`WITH me AS (SELECT id, position FROM insight_cards WHERE dashboard_id = ${dashboardId} AND id = ${cardId}), other AS (${neighbour})
        UPDATE insight_cards SET position = CASE id WHEN (SELECT id FROM me) THEN (SELECT position FROM other) ELSE (SELECT position FROM me) END
        WHERE dashboard_id = ${dashboardId} AND id IN ((SELECT id FROM me), (SELECT id FROM other)) AND EXISTS (SELECT 1 FROM other)`,
  );
}

// ---------------------------------------------------------------- annotations

export type Annotation = { id: number; ts: number; text: string; seriesId: number | null; seriesName: string | null };

export async function listAnnotations(db: D1Database, ownerId: number, limit: number): Promise<Annotation[]> {
  return all<Annotation>(
    db,
    sql`SELECT a.id, a.ts, a.text, a.series_id AS seriesId, s.name AS seriesName FROM insight_annotations a
        LEFT JOIN insight_series s ON s.id = a.series_id WHERE a.owner_id = ${ownerId} ORDER BY a.ts DESC LIMIT ${limit}`,
  );
}

/** An annotation, on one of the owner's series or (null) all of them, unless the owner has `max` (false; also when the series is not theirs). */
export async function addAnnotation(
  db: D1Database,
  a: { ownerId: number; seriesId: number | null; ts: number; text: string; now: number },
  max: number,
): Promise<boolean> {
  const meta = await run(
    db,
    sql`INSERT INTO insight_annotations (owner_id, series_id, ts, text, created_at)
        SELECT ${a.ownerId}, ${a.seriesId}, ${a.ts}, ${a.text}, ${a.now}
        WHERE (SELECT count(*) FROM insight_annotations WHERE owner_id = ${a.ownerId}) < ${max}
          AND (${a.seriesId} IS NULL OR EXISTS (SELECT 1 FROM insight_series WHERE id = ${a.seriesId} AND owner_id = ${a.ownerId}))`,
  );
  return meta.changes === 1;
}

export async function deleteAnnotation(db: D1Database, ownerId: number, id: number): Promise<boolean> {
  return (await run(db, sql`DELETE FROM insight_annotations WHERE id = ${id} AND owner_id = ${ownerId}`)).changes === 1;
}
