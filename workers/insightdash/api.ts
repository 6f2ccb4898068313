/**
 * InsightDash's ingestion API (mounted at /insightdash by routes.ts), for API tokens
 * with the `insightdash:ingest` scope (or a browser session). Each answers the points
 * accepted and the ones refused, with where and why; a request whose every point is
 * refused is a 422 carrying the same list.
 *
 *   POST /api/points   JSON: {"series", "points": [[ts, value], …]} or a list of those
 *   POST /api/write    Influx line protocol (Telegraf's `outputs.http`, data_format = "influx")
 *   POST /api/import   CSV: ts,series,value
 *
 * At most 10,000 points and 100 series a request (413, 422).
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { describeRoute, resolver } from 'hono-openapi';
import { currentAuth, requireScope, requireUser } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { HttpError } from '../../shared/http/http-error';
import { api } from '../../shared/http/openapi';
import { enforceRateLimit } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { json, query } from '../../shared/http/validation';
import { type Parsed, parseCsv, parseLineProtocol, TooManyPoints, TooManyRefused } from './formats';
import { checkPoints, MAX_POINTS_PER_REQUEST } from './points';
import { REFUSALS } from './refusals';
import * as schema from './schema';
import { insightConfig } from './config';
import { type IngestAnswer, OverQuota, SeriesGone, store, TooDense, TooManySeries } from './service';

const ingestApi = new Hono<AppEnv>();
const tag = 'InsightDash';
const scope = 'insightdash:ingest';

ingestApi.use('/api/*', requireUser(), requireScope('insightdash:ingest'));

/** Ingest requests per account a minute (wrangler.toml's RL_INSIGHT_INGEST). */
export const ingestLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceRateLimit(c.env.RL_INSIGHT_INGEST, `insight-ingest:${currentAuth(c).user.id}`, 60, 'ingest requests');
  await next();
};

/** Parses (a 413 past the point limit) and stores; answers the counts, or a 422 when nothing could be stored. */
export async function ingestParsed(c: Context<AppEnv>, parse: () => Parsed, units?: Map<string, string>): Promise<IngestAnswer> {
  try {
    return await store(c.env.DB, currentAuth(c).user.id, parse(), now(), insightConfig(c.env).maxPoints, units);
  } catch (error) {
    if (error instanceof TooManyPoints) throw refusal(REFUSALS, 'too_many_points');
    if (error instanceof TooManyRefused) throw refusal(REFUSALS, 'too_many_refused');
    if (error instanceof TooManySeries) throw refusal(REFUSALS, 'too_many_series');
    if (error instanceof TooDense) throw refusal(REFUSALS, 'too_dense', { message: error.message });
    if (error instanceof SeriesGone) throw refusal(REFUSALS, 'series_gone');
    if (error instanceof OverQuota) throw refusal(REFUSALS, 'points_quota', { message: error.message });
    throw error;
  }
}

function answer(c: Context<AppEnv>, result: IngestAnswer) {
  if (result.accepted === 0) {
    const message = result.rejected === 0 ? 'The body holds no points.' : undefined;
    throw refusal(REFUSALS, 'nothing_stored', { ...(message ? { message } : {}), members: { ...result } });
  }
  return c.json(result);
}

/** The body as text, for the text formats: uncompressed UTF-8. */
async function textBody(c: Context<AppEnv>): Promise<string> {
  const encoding = c.req.header('content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new HttpError(415, `Send the body uncompressed (Content-Encoding: ${encoding} is not accepted; in Telegraf, content_encoding = "identity").`);
  }
  return c.req.text();
}

const answered = { description: 'Some or all points stored; the refused ones listed with their reasons.', schema: schema.IngestAnswer };
const textSpec = (type: string, description: string) =>
  describeRoute({
    requestBody: { required: true, description, content: { [type]: { schema: { type: 'string' } } } },
    responses: { 200: { description: answered.description, content: { 'application/json': { schema: resolver(schema.IngestAnswer) } } } },
  });

ingestApi.post(
  '/api/points',
  api({
    tag,
    scope,
    summary: 'Send points (JSON)',
    description:
      '`{"series": "weight", "unit": "kg", "points": [[1764583200000, 71.3], …]}`, or a list of those. Timestamps are integer milliseconds since 1970; sending a moment again replaces its value. A series is made on first use.',
    responses: { 200: answered },
    errors: [409, 413, 422, 429],
  }),
  ingestLimit,
  json(schema.PointsBody),
  async (c) => {
    const entries = c.req.valid('json');
    if (entries.reduce((n, e) => n + e.points.length, 0) > MAX_POINTS_PER_REQUEST) throw refusal(REFUSALS, 'too_many_points');
    const t = now();
    const units = new Map(entries.filter((e) => e.unit !== undefined).map((e) => [e.series, e.unit!]));
    const result = await ingestParsed(
      c,
      () => {
        const parsed: Parsed = { samples: [], refused: [], tags: new Map() };
        for (const entry of entries) {
          const { points, rejected } = checkPoints(entry.points, t);
          // A point's place in its list, whichever entry it came from.
          const places = new Map<number, number>();
          entry.points.forEach((p, i) => {
            if (Array.isArray(p) && typeof p[0] === 'number') places.set(p[0], i);
          });
          for (const p of points) parsed.samples.push({ series: entry.series, ...p, ref: { series: entry.series, index: places.get(p.ts)! } });
          for (const r of rejected) parsed.refused.push({ series: entry.series, index: r.index, reason: r.reason });
          if (entry.tags) parsed.tags.set(entry.series, entry.tags);
        }
        return parsed;
      },
      units,
    );
    return answer(c, result);
  },
);

ingestApi.post(
  '/api/write',
  api({
    tag,
    scope,
    summary: 'Send points (Influx line protocol)',
    description:
      'What Telegraf’s `outputs.http` sends with `data_format = "influx"`: `measurement,tag=v field=1.5,other=2i 1764583200000000000`. Each numeric or boolean field becomes the series `measurement.field`, or `measurement.field{tag=v,…}` when the line has tags (so two hosts stay two series); string fields are skipped; a line without a timestamp is taken now.',
    responses: { 200: answered },
    errors: [409, 413, 415, 422, 429],
  }),
  textSpec('text/plain', 'Lines of Influx line protocol, uncompressed.'),
  ingestLimit,
  query(schema.WriteQuery),
  async (c) => {
    const { precision } = c.req.valid('query');
    const body = await textBody(c);
    const t = now();
    return answer(c, await ingestParsed(c, () => parseLineProtocol(body, precision, t)));
  },
);

ingestApi.post(
  '/api/import',
  api({
    tag,
    scope,
    summary: 'Send points (CSV)',
    description:
      'Lines of `ts,series,value` (a first line `ts,series,value` is a header). `ts` is integer milliseconds or ISO 8601 with a zone (`2026-12-01T09:30:00Z`). Refused lines are named by number.',
    responses: { 200: answered },
    errors: [409, 413, 415, 422, 429],
  }),
  textSpec('text/csv', 'CSV, uncompressed UTF-8.'),
  ingestLimit,
  query(schema.ImportQuery),
  async (c) => {
    const { first_line } = c.req.valid('query');
    const body = await textBody(c);
    const t = now();
    return answer(c, await ingestParsed(c, () => parseCsv(body, t, first_line)));
  },
);

export default ingestApi;
