/**
 * InsightDash's ingest, whatever the format: samples (checked, formats.ts) become the
 * owner's series and points. Refusals are per point, with where and why; the rest is
 * stored (issue #14, "Bad data").
 */
import { MAX_SERIES, MAX_SERIES_PER_REQUEST } from './refusals';
import type { Parsed, Refused, Sample } from './formats';
import { DAY_MS, MAX_POINTS_PER_HOUR } from './points';
import {
  declareSeries,
  ingest,
  oldestAccepted,
  pointsPerHour,
  preflight,
  QuotaFull,
  type Series,
  type SeriesDeclaration,
  type StoredPoint,
} from './repository';

/** How many refusals an answer lists (it counts them all). */
export const REFUSALS_LISTED = 100;

export type IngestAnswer = { accepted: number; rejected: number; errors: Refused[]; truncated?: true };

/** How long a new series keeps raw points: 90 days, or back to the oldest point of the request that makes it (a backfill), up to ten years. */
export const DEFAULT_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 3660;
export const retentionFor = (oldest: number, now: number) =>
  Math.min(MAX_RETENTION_DAYS, Math.max(DEFAULT_RETENTION_DAYS, Math.ceil((now - oldest) / DAY_MS) + 1));

/** Points in hours too dense (or too many points to rewrite): the caller answers 422 with the message. */
export class TooDense extends Error {}
/** A series named in the request was deleted meanwhile: the caller answers 409. */
export class SeriesGone extends Error {}
/** Most points already in the hours one request touches (each rewritten from its points). */
export const MAX_REWRITTEN = 200_000;

/** Too many distinct series in one request: the caller answers 422. */
export class TooManySeries extends Error {}

const n = (x: number) => x.toLocaleString('en');
/** What a person reads when an ingest would pass their quota. */
export const quotaMessage = (stored: number | undefined, sending: number, maxPoints: number) =>
  `${stored === undefined ? 'With' : `Your series keep ${n(stored)} points; with`} these ${n(sending)} they would keep more than the ${n(maxPoints)} raw points an account may keep: nothing was stored. ` +
  'Delete points or series you no longer need on their pages (that frees room at once), or keep raw points for fewer days (the hourly clean-up then deletes older ones; rollups stay).';

/** With these points the owner would keep more than their quota: the caller answers 409 with the message. */
export class OverQuota extends Error {}

/**
 * Stores what a request parsed: the series it names (made on first use; `units` and
 * the parsed tags replace theirs), then the points. First one read (preflight) that
 * makes nothing, so a request refused whole (too dense, over the quota) leaves no new
 * series behind; then the series; then the points: three D1 round trips.
 */
export async function store(
  db: D1Database,
  ownerId: number,
  parsed: Parsed,
  now: number,
  maxPoints: number,
  units: Map<string, string> = new Map(),
): Promise<IngestAnswer> {
  const refused = [...parsed.refused];
  const names = [...new Set(parsed.samples.map((s) => s.series))];
  if (names.length > MAX_SERIES_PER_REQUEST) throw new TooManySeries();
  const oldest = new Map<string, number>();
  for (const s of parsed.samples) oldest.set(s.series, Math.min(oldest.get(s.series) ?? s.ts, s.ts));
  const before = await preflight(db, ownerId, names, pointsPerHour(parsed.samples));
  const existing = new Map(before.series.map((s) => [s.name, s]));
  // A new series is made as it will be (its retention fits its oldest point), so its points are judged now.
  const fresh = names.filter((name) => !existing.has(name));
  const room = Math.max(0, MAX_SERIES - before.seriesCount);
  const planned = new Map(existing);
  for (const name of fresh.slice(0, room)) {
    planned.set(name, {
      id: 0,
      ownerId,
      name,
      unit: '',
      kind: 'gauge',
      tags: {},
      retentionDays: retentionFor(oldest.get(name)!, now),
      goal: null,
      prunedBefore: 0,
      points: 0,
    });
  }
  // Why a point cannot go into series `s` (as the preflight saw it, then as the declaration made it), or undefined.
  const problem = (sample: Sample, s: Series | undefined) =>
    !s
      ? `you have ${MAX_SERIES.toLocaleString('en')} series, the most an account may keep: delete some to send new ones`
      : sample.ts >= oldestAccepted(s, now)
        ? undefined
        : sample.ts < s.prunedBefore
          ? `the point falls in an hour of “${s.name}” whose raw points were already deleted by its retention (its rollup cannot be rewritten)`
          : `the point is older than the ${s.retentionDays} days series “${s.name}” keeps raw points for (raise that on its page to send older ones)`;
  const accepted: Sample[] = [];
  for (const sample of parsed.samples) {
    const reason = problem(sample, planned.get(sample.series));
    if (reason) refused.push({ ...sample.ref, reason });
    else accepted.push(sample);
  }
  if (before.densest > MAX_POINTS_PER_HOUR)
    throw new TooDense(
      `An hour of one series would hold more than ${MAX_POINTS_PER_HOUR.toLocaleString('en')} points (one a second): nothing was stored. Send fewer points for that hour.`,
    );
  if (before.existing > MAX_REWRITTEN)
    throw new TooDense(
      `These points fall in hours that already hold ${before.existing.toLocaleString('en')} points, which an ingest rewrites: nothing was stored. Send the points of fewer hours a request.`,
    );
  if (accepted.length > 0 && before.storedPoints + accepted.length > maxPoints)
    throw new OverQuota(quotaMessage(before.storedPoints, accepted.length, maxPoints));
  const wanted = [...new Set(accepted.map((s) => s.series))];
  const declared = wanted.map(
    (name): SeriesDeclaration => ({ name, tags: parsed.tags.get(name), unit: units.get(name), retentionDays: planned.get(name)!.retentionDays }),
  );
  const series = new Map((await declareSeries(db, ownerId, declared, now, MAX_SERIES)).map((s) => [s.name, s]));
  const rows: StoredPoint[] = [];
  for (const sample of accepted) {
    // Judged again against the series as it is now: another request may have taken the last
    // free series, a rename may have given the name to another series, a retention run moved on.
    const s = series.get(sample.series);
    const reason = problem(sample, s);
    if (reason || !s) {
      refused.push({ ...sample.ref, reason: reason ?? 'the series is gone' });
    } else {
      rows.push({ seriesId: s.id, ts: sample.ts, value: sample.value });
    }
  }
  try {
    await ingest(db, rows, { ownerId, maxPoints });
  } catch (error) {
    if (error instanceof QuotaFull) throw new OverQuota(quotaMessage(undefined, rows.length, maxPoints));
    // A series deleted while its points were on their way.
    if (error instanceof Error && /FOREIGN KEY constraint failed/.test(error.message)) throw new SeriesGone();
    throw error;
  }
  const order = (r: Refused) => ('line' in r ? r.line : r.index);
  refused.sort((a, b) => order(a) - order(b));
  return {
    accepted: rows.length,
    rejected: refused.length,
    errors: refused.slice(0, REFUSALS_LISTED),
    ...(refused.length > REFUSALS_LISTED ? { truncated: true as const } : {}),
  };
}
