/**
 * InsightDash's ingest, whatever the format: samples (checked, formats.ts) become the
 * owner's series and points. Refusals are per point, with where and why; the rest is
 * stored (issue #14, "Bad data").
 */
import { MAX_SERIES, MAX_SERIES_PER_REQUEST } from './refusals';
import type { Parsed, Refused, Sample } from './formats';
import { DAY_MS, MAX_POINTS_PER_HOUR } from './points';
import { declareSeries, ingest, oldestAccepted, type SeriesDeclaration, type StoredPoint, touchedHours } from './repository';

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

/**
 * Stores what a request parsed: the series it names (made on first use; `units` and
 * the parsed tags replace theirs), the cost of the hours it touches, then the points:
 * three D1 round trips.
 */
export async function store(db: D1Database, ownerId: number, parsed: Parsed, now: number, units: Map<string, string> = new Map()): Promise<IngestAnswer> {
  const refused = [...parsed.refused];
  const names = [...new Set(parsed.samples.map((s) => s.series))];
  if (names.length > MAX_SERIES_PER_REQUEST) throw new TooManySeries();
  const oldest = new Map<string, number>();
  for (const s of parsed.samples) oldest.set(s.series, Math.min(oldest.get(s.series) ?? s.ts, s.ts));
  const declared = names.map(
    (name): SeriesDeclaration => ({ name, tags: parsed.tags.get(name), unit: units.get(name), retentionDays: retentionFor(oldest.get(name)!, now) }),
  );
  const series = new Map((await declareSeries(db, ownerId, declared, now, MAX_SERIES)).map((s) => [s.name, s]));
  const rows: StoredPoint[] = [];
  const accepted: Sample[] = [];
  for (const sample of parsed.samples) {
    const s = series.get(sample.series);
    if (!s) {
      refused.push({ ...sample.ref, reason: `you have ${MAX_SERIES.toLocaleString('en')} series, the most an account may keep: delete some to send new ones` });
    } else if (sample.ts < oldestAccepted(s, now)) {
      refused.push({
        ...sample.ref,
        reason:
          sample.ts < s.prunedBefore
            ? `the point falls in an hour of “${s.name}” whose raw points were already deleted by its retention (its rollup cannot be rewritten)`
            : `the point is older than the ${s.retentionDays} days series “${s.name}” keeps raw points for (raise that on its page to send older ones)`,
      });
    } else {
      rows.push({ seriesId: s.id, ts: sample.ts, value: sample.value });
      accepted.push(sample);
    }
  }
  const { existing, densest } = rows.length ? await touchedHours(db, rows) : { existing: 0, densest: 0 };
  if (densest > MAX_POINTS_PER_HOUR)
    throw new TooDense(
      `An hour of one series would hold more than ${MAX_POINTS_PER_HOUR.toLocaleString('en')} points (one a second): nothing was stored. Send fewer points for that hour.`,
    );
  if (existing > MAX_REWRITTEN)
    throw new TooDense(
      `These points fall in hours that already hold ${existing.toLocaleString('en')} points, which an ingest rewrites: nothing was stored. Send the points of fewer hours a request.`,
    );
  try {
    await ingest(db, rows);
  } catch (error) {
    // A series deleted while its points were on their way.
    if (error instanceof Error && /FOREIGN KEY constraint failed/.test(error.message)) throw new SeriesGone();
    throw error;
  }
  const order = (r: Refused) => ('line' in r ? r.line : r.index);
  refused.sort((a, b) => order(a) - order(b));
  return {
    accepted: accepted.length,
    rejected: refused.length,
    errors: refused.slice(0, REFUSALS_LISTED),
    ...(refused.length > REFUSALS_LISTED ? { truncated: true as const } : {}),
  };
}
