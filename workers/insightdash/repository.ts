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
import { all, batch, first } from '../../shared/db';
import { DAY_MS, HOUR_MS, type Point } from './points';

export type Series = { id: number; ownerId: number; name: string; unit: string; kind: 'gauge' | 'counter' | 'habit'; retentionDays: number };

type SeriesRow = { id: number; owner_id: number; name: string; unit: string; kind: Series['kind']; retention_days: number };
const toSeries = (r: SeriesRow): Series => ({ id: r.id, ownerId: r.owner_id, name: r.name, unit: r.unit, kind: r.kind, retentionDays: r.retention_days });

/** The owner's series of that name, made on first use (an ingest names series, it does not declare them). */
export async function seriesFor(db: D1Database, ownerId: number, name: string, now: number): Promise<Series> {
  const row = await first<SeriesRow>(
    db,
    sql`INSERT INTO insight_series (owner_id, name, created_at) VALUES (${ownerId}, ${name}, ${now})
        ON CONFLICT (owner_id, name) DO UPDATE SET name = excluded.name
        RETURNING id, owner_id, name, unit, kind, retention_days`,
  );
  if (!row) throw new Error('series upsert returned no row');
  return toSeries(row);
}

/** The buckets (of `size`) that `points` fall in, as JSON for json_each. */
const bucketsJson = (points: Point[], size: number) => JSON.stringify([...new Set(points.map((p) => Math.floor(p.ts / size) * size))]);

/** Stores points of one series and rewrites the rollups of the hours and days they touch, in one batch. */
export async function ingest(db: D1Database, seriesId: number, points: Point[]): Promise<number> {
  if (points.length === 0) return 0;
  const hours = bucketsJson(points, HOUR_MS);
  const days = bucketsJson(points, DAY_MS);
  const [inserted] = await batch(db, [
    sql`INSERT INTO insight_points (series_id, ts, value)
        SELECT ${seriesId}, json_extract(value, '$.ts'), json_extract(value, '$.value') FROM json_each(${JSON.stringify(points)})
        WHERE true -- (SQLite's upsert after a SELECT needs a WHERE to parse)
        ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value`,
    // Each touched hour, from its points (a range on the primary key per hour).
    sql`INSERT INTO insight_rollups_hour (series_id, bucket, n, sum, min, max)
        SELECT ${seriesId}, h.value, count(*), sum(p.value), min(p.value), max(p.value)
        FROM json_each(${hours}) h JOIN insight_points p ON p.series_id = ${seriesId} AND p.ts >= h.value AND p.ts < h.value + ${HOUR_MS}
        GROUP BY h.value
        ON CONFLICT (series_id, bucket) DO UPDATE SET n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`,
    // Each touched day, from its hours.
    sql`INSERT INTO insight_rollups_day (series_id, bucket, n, sum, min, max)
        SELECT ${seriesId}, d.value, sum(r.n), sum(r.sum), min(r.min), max(r.max)
        FROM json_each(${days}) d JOIN insight_rollups_hour r ON r.series_id = ${seriesId} AND r.bucket >= d.value AND r.bucket < d.value + ${DAY_MS}
        GROUP BY d.value
        ON CONFLICT (series_id, bucket) DO UPDATE SET n = excluded.n, sum = excluded.sum, min = excluded.min, max = excluded.max`,
  ]);
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
