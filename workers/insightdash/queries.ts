/**
 * The dashboard's reads: one series over a range, in SQL. Ranges longer than two days
 * read the hourly or daily rollups, never raw points; the 7-point moving average is a
 * window function; a card's statements go in one batch (one D1 round trip).
 */
import { type SQL, sql } from 'drizzle-orm';
import { all, batch, first } from '../../shared/db';
import type { CardRow } from './charts';
import { DAY_MS } from './points';
import { bucketSize, type Range, type Resolution } from './ranges';

/** A raw range holding more points than this reads hourly rollups instead (one card never reads 100,000 rows). */
export const MAX_RAW_POINTS = 20_000;
const MOVING = 7;

const table = (resolution: 'hour' | 'day') => (resolution === 'hour' ? sql.raw('insight_rollups_hour') : sql.raw('insight_rollups_day'));

/**
 * The rows of [from, to) at `resolution`; with `movingAverage`, each with the average of
 * its bucket and the 6 before (a window function over rows reaching 6 buckets before
 * `from`, so the first rows have one too: the caller drops those earlier rows, `since`).
 *
 * D1 meters a window function's passes over its rows as rows read (about 4 a row for
 * SQLite's frame processing), so only the chart that draws the average asks for it.
 */
export function rowsQuery(seriesId: number, resolution: Resolution, from: number, to: number, movingAverage: boolean): SQL {
  if (resolution === 'raw') {
    const inRange = sql`SELECT ts, value FROM insight_points WHERE series_id = ${seriesId} AND ts >= ${from} AND ts < ${to} ORDER BY ts LIMIT ${MAX_RAW_POINTS}`;
    if (!movingAverage) return sql`SELECT ts AS t, 1 AS n, value AS avg, value AS min, value AS max, value AS sum, NULL AS ma FROM (${inRange})`;
    // The moving average of the range's first points reaches back to the points before it (the caller drops those rows).
    return sql`SELECT ts AS t, 1 AS n, value AS avg, value AS min, value AS max, value AS sum,
                 avg(value) OVER (ORDER BY ts ROWS ${sql.raw(String(MOVING - 1))} PRECEDING) AS ma
               FROM (SELECT ts, value FROM (SELECT ts, value FROM insight_points WHERE series_id = ${seriesId} AND ts < ${from} ORDER BY ts DESC LIMIT ${MOVING - 1})
                     UNION ALL SELECT ts, value FROM (${inRange}))
               ORDER BY ts`;
  }
  const size = bucketSize(resolution);
  const start = movingAverage ? from - (MOVING - 1) * size : from;
  const ma = movingAverage ? sql`avg(sum / n) OVER (ORDER BY bucket ROWS ${sql.raw(String(MOVING - 1))} PRECEDING)` : sql`NULL`;
  return sql`SELECT bucket AS t, n, sum / n AS avg, min, max, sum, ${ma} AS ma
             FROM ${table(resolution)} WHERE series_id = ${seriesId} AND bucket >= ${start} AND bucket < ${to} ORDER BY bucket`;
}

/** The rows from `from` on (a moving average's query reads a few before). */
const since = <R extends { t: number }>(rows: R[], from: number) => {
  const first = rows.findIndex((r) => r.t >= from);
  return first < 0 ? [] : first === 0 ? rows : rows.slice(first);
};

/**
 * The resolution a card reads: a raw range whose points, or whose previous period's,
 * number more than MAX_RAW_POINTS reads hourly rollups instead (the counts come from
 * them: ≤ 96 rows). Raw reads are also LIMITed to that many, whatever happens between.
 */
export async function readableResolution(db: D1Database, seriesId: number, range: Range): Promise<Resolution> {
  if (range.resolution !== 'raw') return range.resolution;
  const count = (from: number, to: number) =>
    sql`SELECT coalesce(sum(n), 0) AS n FROM insight_rollups_hour WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to}`;
  const row = await first<{ n: number }>(
    db,
    sql`SELECT max(n) AS n FROM (${count(range.from, range.to)} UNION ALL ${count(range.from - range.shift, range.to - range.shift)})`,
  );
  return (row?.n ?? 0) > MAX_RAW_POINTS ? 'hour' : 'raw';
}

export type Aggregate = { n: number; sum: number | null; min: number | null; max: number | null };

/** count, sum, min and max over [from, to) (whole days: every range is), from the daily rollups. */
const aggregateQuery = (seriesId: number, from: number, to: number) =>
  sql`SELECT coalesce(sum(n), 0) AS n, sum(sum) AS sum, min(min) AS min, max(max) AS max
      FROM insight_rollups_day WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to}`;

export type Note = { id: number; ts: number; text: string; seriesId: number | null };
/** The annotations a chart shows: its series' own, and (for its owner, not a share link's visitor) the owner's notes on every series. */
const notesQuery = (ownerId: number, seriesId: number, from: number, to: number, everySeries: boolean) =>
  sql`SELECT id, ts, text, series_id AS seriesId FROM insight_annotations
      WHERE owner_id = ${ownerId} AND ts >= ${from} AND ts < ${to} AND (series_id = ${seriesId}${everySeries ? sql` OR series_id IS NULL` : sql``})
      ORDER BY ts LIMIT ${MAX_NOTES}`;
/** Most annotations one chart draws and lists. */
export const MAX_NOTES = 50;

/** A line or table card: the range's rows, the previous period's (same resolution), the annotations. One round trip. */
export async function chartData(db: D1Database, ownerId: number, seriesId: number, range: Range, resolution: Resolution, everySeriesNotes = true) {
  const [rows, previous, notes] = await batch(db, [
    rowsQuery(seriesId, resolution, range.from, range.to, true),
    rowsQuery(seriesId, resolution, range.from - range.shift, range.to - range.shift, false),
    notesQuery(ownerId, seriesId, range.from, range.to, everySeriesNotes),
  ]);
  return {
    rows: since(rows!.results as CardRow[], range.from),
    previous: previous!.results as { t: number; avg: number }[],
    notes: notes!.results as Note[],
  };
}

/** A stat card: this period's and the previous one's aggregates, and the last point before the range's end. One round trip. */
export async function statData(db: D1Database, seriesId: number, range: Range) {
  const [current, previous, last] = await batch(db, [
    aggregateQuery(seriesId, range.from, range.to),
    aggregateQuery(seriesId, range.from - range.shift, range.to - range.shift),
    sql`SELECT ts, value FROM insight_points WHERE series_id = ${seriesId} AND ts < ${range.to} ORDER BY ts DESC LIMIT 1`,
  ]);
  return {
    current: current!.results[0] as Aggregate,
    previous: previous!.results[0] as Aggregate,
    last: (last!.results[0] as { ts: number; value: number } | undefined) ?? null,
  };
}

/**
 * Monday 00:00 UTC of the week `t` is in, in SQL (the epoch was a Thursday). D1 binds
 * JavaScript numbers as REAL, so the division is truncated explicitly.
 */
const weekOf = (t: SQL) => sql`CAST((${t} - ${4 * DAY_MS}) / ${7 * DAY_MS} AS INTEGER) * ${7 * DAY_MS} + ${4 * DAY_MS}`;

/** Bars: per day, or per week (Monday first) for ranges over 90 days; the sum (counters, habits) or the average (gauges). */
export async function barData(db: D1Database, ownerId: number, seriesId: number, range: Range, measure: 'sum' | 'avg', everySeriesNotes = true) {
  const weekly = range.to - range.from > 90 * DAY_MS;
  const size = weekly ? 7 * DAY_MS : DAY_MS;
  const bucket = weekly ? weekOf(sql`bucket`) : sql`bucket`;
  const value = measure === 'sum' ? sql`sum(sum)` : sql`sum(sum) / sum(n)`;
  const bars = (from: number, to: number) =>
    sql`SELECT ${bucket} AS t, ${value} AS value FROM insight_rollups_day WHERE series_id = ${seriesId} AND bucket >= ${from} AND bucket < ${to} GROUP BY 1`;
  // The first bar: the range's first day, or the Monday of its first week.
  const first = weekly ? Math.floor((range.from - 4 * DAY_MS) / size) * size + 4 * DAY_MS : range.from;
  const [current, previous, notes] = await batch(db, [
    // With the moving average of 7 bars, reaching 6 bars back.
    sql`SELECT t, value, avg(value) OVER (ORDER BY t ROWS ${sql.raw(String(MOVING - 1))} PRECEDING) AS ma
        FROM (${bars(first - (MOVING - 1) * size, range.to)}) ORDER BY t`,
    sql`SELECT t, value FROM (${bars(range.from - range.shift, range.to - range.shift)}) ORDER BY t`,
    notesQuery(ownerId, seriesId, range.from, range.to, everySeriesNotes),
  ]);
  return {
    bars: since(current!.results as { t: number; value: number; ma: number }[], first),
    previous: previous!.results as { t: number; value: number }[],
    weekly,
    notes: notes!.results as Note[],
  };
}

/**
 * A habit calendar: the days of the range with a value (the day's sum) and the streaks
 * of consecutive days with a sum above zero, up to the range's end (gaps and islands:
 * day number minus row number is constant along a streak).
 */
export async function calendarData(db: D1Database, seriesId: number, range: Range) {
  const today = Math.floor((range.to - 1) / DAY_MS);
  const [days, islands] = await batch(db, [
    sql`SELECT bucket AS t, sum AS value FROM insight_rollups_day WHERE series_id = ${seriesId} AND bucket >= ${range.from} AND bucket < ${range.to} ORDER BY bucket`,
    sql`WITH done AS (SELECT CAST(bucket / ${DAY_MS} AS INTEGER) AS day FROM insight_rollups_day WHERE series_id = ${seriesId} AND sum > 0 AND bucket < ${range.to}),
             runs AS (SELECT day, day - row_number() OVER (ORDER BY day) AS island FROM done)
        SELECT max(day) AS last, count(*) AS length FROM runs GROUP BY island`,
  ]);
  const runs = islands!.results as { last: number; length: number }[];
  return {
    days: days!.results as { t: number; value: number }[],
    longest: runs.reduce((m, r) => Math.max(m, r.length), 0),
    current: runs.find((r) => r.last === today || r.last === today - 1)?.length ?? 0,
  };
}

/** Every point or bucket of [from, to) at `resolution`, oldest first (a table card; with the moving average, the CSV). */
export async function exportRows(
  db: D1Database,
  seriesId: number,
  resolution: Resolution,
  from: number,
  to: number,
  movingAverage = false,
): Promise<CardRow[]> {
  return since(await all<CardRow>(db, rowsQuery(seriesId, resolution, from, to, movingAverage)), from);
}

/** The automatic goal: the average of the same weekday as `now` over the 4 weeks before (the day's sum or average). 4 rows read. */
export async function autoGoal(db: D1Database, seriesId: number, measure: 'sum' | 'avg', now: number): Promise<number | null> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days = [1, 2, 3, 4].map((w) => today - w * 7 * DAY_MS);
  const value = measure === 'sum' ? sql`sum` : sql`sum / n`;
  const row = await first<{ goal: number | null }>(
    db,
    sql`SELECT avg(${value}) AS goal FROM insight_rollups_day WHERE series_id = ${seriesId} AND bucket IN (${sql.join(
      days.map((d) => sql`${d}`),
      sql`, `,
    )})`,
  );
  return row?.goal ?? null;
}
