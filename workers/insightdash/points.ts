/**
 * Incoming points, checked one by one: a bad point is refused with its reason, and the
 * good ones in the same request are still stored (issue #14, "Bad data"). Pure.
 */

/** A point as stored: integer milliseconds since the epoch, and a finite number. */
export type Point = { ts: number; value: number };

/** Points more than this far in the future are refused (a clock gone wrong, or seconds sent as milliseconds × 1000). */
export const MAX_FUTURE_MS = 24 * 3_600_000;
export const MAX_POINTS_PER_REQUEST = 10_000;
/** The largest value kept: a day of one series (86,400 points at most: MAX_POINTS_PER_HOUR × 24) sums to a finite number. */
export const MAX_ABS_VALUE = 1e300;
/** One point a second: an ingest rewrites each hour it touches from its points, so an hour's size bounds that work. */
export const MAX_POINTS_PER_HOUR = 3600;

export type Rejected = { index: number; reason: string };

/**
 * Below this, a timestamp in milliseconds would be before March 1973: it is almost
 * surely seconds (today in seconds is about 1.8e9), and is refused as such rather
 * than stored in 1970.
 */
export const MIN_MS_TIMESTAMP = 100_000_000_000;

/**
 * Splits `[[ts, value], …]` into the points to store and the refused ones (by their
 * place in the list). The same timestamp twice in one request: the last one wins, as
 * a re-sent point does.
 */
export function checkPoints(raw: unknown, now: number): { points: Point[]; rejected: Rejected[] } {
  const rejected: Rejected[] = [];
  const byTs = new Map<number, number>();
  if (!Array.isArray(raw)) return { points: [], rejected: [{ index: -1, reason: 'points must be a list of [timestamp, value] pairs' }] };
  raw.forEach((pair, index) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      rejected.push({ index, reason: 'a point is a pair: [timestamp in milliseconds, value]' });
      return;
    }
    const [ts, value] = pair as [unknown, unknown];
    const reason = pointProblem(ts, value, now);
    if (reason === undefined) byTs.set(ts as number, value as number);
    else rejected.push({ index, reason });
  });
  return { points: [...byTs].map(([ts, value]) => ({ ts, value })), rejected };
}

/** Why one point cannot be stored, or undefined when it can (every format's points pass through here). */
export function pointProblem(ts: unknown, value: unknown, now: number): string | undefined {
  if (typeof ts !== 'number' || !Number.isInteger(ts)) return 'the timestamp must be an integer number of milliseconds since 1970';
  if (ts < 0) return 'the timestamp is before 1970';
  if (ts < MIN_MS_TIMESTAMP) return 'the timestamp looks like seconds: send milliseconds since 1970 (seconds × 1000)';
  if (ts > now + MAX_FUTURE_MS) return 'the timestamp is more than a day in the future';
  if (typeof value !== 'number') return 'the value must be a number';
  if (!Number.isFinite(value)) return 'the value must be finite (not NaN or Infinity)';
  if (Math.abs(value) > MAX_ABS_VALUE) return 'the value is too large (at most ±1e300, so sums of a day’s points stay finite)';
  return undefined;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The start of the bucket (of `size` ms, aligned to the epoch, so UTC) a moment falls in. */
export const bucketOf = (ts: number, size: number) => Math.floor(ts / size) * size;
