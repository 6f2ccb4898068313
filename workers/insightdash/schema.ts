/** InsightDash's request shapes (zod, strict): the JSON ingest body, query parameters, ids and forms. */
import * as z from 'zod';
import { isNumberText, MAX_SERIES_NAME, MAX_TAGS, selectorSteps, seriesNameProblem } from './formats';
import { MAX_SERIES_PER_REQUEST } from './refusals';

export const SeriesName = z
  .string()
  .max(MAX_SERIES_NAME, `At most ${MAX_SERIES_NAME} characters.`)
  .superRefine((name, ctx) => {
    const problem = seriesNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.` });
  });

const Tags = z
  .custom<Record<string, unknown>>((t) => typeof t === 'object' && t !== null && !Array.isArray(t), 'Tags are an object of text values.')
  // Counted before each key is checked: a body of 100,000 tags costs no more than one of 21.
  .refine((t) => Object.keys(t).length <= MAX_TAGS, `At most ${MAX_TAGS} tags.`)
  .pipe(z.record(z.string().min(1).max(100), z.string().min(1).max(200)))
  .refine((t) => JSON.stringify(t).length <= 2000, 'The tags take more than 2,000 characters as JSON.');

/** One series' points: `{"series": "weight", "unit": "kg", "points": [[ts, value], …]}`. Each point is checked on its own (points.ts). */
export const SeriesPoints = z
  .object({
    series: SeriesName,
    unit: z.string().max(20, 'At most 20 characters.').optional(),
    tags: Tags.optional(),
    points: z.array(z.unknown()).meta({ description: 'Pairs of [timestamp in integer milliseconds since 1970, value].' }),
  })
  .strict();
/** One series' object, or a list of them (a lone object is read as a list of one, so errors name `0.series`). */
export const PointsBody = z.preprocess(
  (body) => (Array.isArray(body) ? body : [body]),
  z.array(SeriesPoints).min(1, 'Send at least one series.').max(MAX_SERIES_PER_REQUEST, `At most ${MAX_SERIES_PER_REQUEST} series a request.`),
);

export const IngestAnswer = z.object({
  accepted: z.number().int().meta({ description: 'Points stored (a moment sent again replaces its value).' }),
  rejected: z.number().int().meta({ description: 'Points refused.' }),
  errors: z
    .array(
      z.object({
        line: z.number().int().optional(),
        series: z.string().optional(),
        index: z.number().int().optional(),
        reason: z.string(),
      }),
    )
    .meta({ description: 'The first 100 refusals: where (a line of a text body, or a series and the point’s place in its list) and why.' }),
  truncated: z.literal(true).optional(),
});

export const WriteQuery = z
  .object({
    precision: z.enum(['ns', 'us', 'ms', 's']).default('ns').meta({ description: 'The unit of the lines’ timestamps (Influx’s default: ns).' }),
    // What Telegraf's and Influx clients add; not used (a token is one account's data).
    db: z.string().max(200).optional(),
    org: z.string().max(200).optional(),
    bucket: z.string().max(200).optional(),
  })
  .strict();

export const ImportQuery = z
  .object({
    first_line: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .default(1)
      .meta({ description: 'The line number of the body’s first line, when it is a part of a larger file (error line numbers count from it).' }),
  })
  .strict();

// ---------------------------------------------------------------- pages

/** 16 random bytes, base64url: 22 characters. Anything else cannot exist (the same 404 as a missing one). */
const token = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const rowId = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const DashboardParam = z.object({ id: token }).strict();
export const CardParam = z.object({ id: token, card: rowId }).strict();
export const CardCsvParam = z.object({ id: token, file: z.string().regex(/^\d{1,15}\.csv$/) }).strict();
export const SeriesParam = z.object({ id: rowId }).strict();
export const AnnotationParam = z.object({ id: rowId }).strict();
export const ShareParam = z.object({ token }).strict();
export const SharedCardParam = z.object({ token, card: rowId }).strict();

export const DONE = [
  'created',
  'renamed',
  'card_added',
  'card_moved',
  'card_removed',
  'shared',
  'unshared',
  'saved',
  'retention_lowered',
  'noted',
  'note_deleted',
  'points_deleted',
] as const;
export type Done = (typeof DONE)[number];

export const HOME_DONE = ['dashboard_deleted', 'series_deleted', 'noted', 'note_deleted'] as const;
export type HomeDone = (typeof HOME_DONE)[number];
export const HomeQuery = z.object({ done: z.enum(HOME_DONE).optional() }).strict();

/** A dashboard's address: its range (checked by ranges.ts, which says what is wrong), `inline` for pages without JavaScript. */
export const RangeQuery = z
  .object({
    range: z.string().max(20).optional(),
    from: z.string().max(20).optional(),
    to: z.string().max(20).optional(),
    inline: z.literal('1').optional(),
    done: z.enum(DONE).optional(),
    // How many points a delete took (the series page says so).
    deleted: z.coerce.number().int().min(0).max(1e9).optional(),
  })
  .strict();

/** Where a dashboard form goes back to: the dashboard at the range it was on. */
const returnTo = z
  .string()
  .regex(/^\/insightdash\/d\/[A-Za-z0-9_-]{22}(\?[A-Za-z0-9=&_-]{0,80})?$/)
  .optional();

const name = z.string().trim().min(1, 'Give it a name.').max(100, 'At most 100 characters.');

export const CreateDashboardForm = z.object({ name, with_cards: z.literal('yes').optional() }).strict();
export const RenameForm = z.object({ name, return_to: returnTo }).strict();
export const DeleteForm = z.object({ confirm: z.literal('yes', { error: 'Tick the box to delete it for good.' }) }).strict();
export const AddCardForm = z
  .object({
    series: rowId,
    kind: z.enum(['line', 'bars', 'stat', 'calendar', 'table'], { error: 'Pick a kind of card.' }),
    title: z.string().trim().max(100, 'At most 100 characters.'),
    return_to: returnTo,
  })
  .strict();
export const MoveForm = z.object({ direction: z.enum(['up', 'down']), return_to: returnTo }).strict();
export const ReturnForm = z.object({ return_to: returnTo }).strict();
export const ShareForm = z.object({ share: z.enum(['new', 'off']), return_to: returnTo }).strict();

/** `datetime-local` (UTC, as the page says), to the minute or second. */
const localMinute = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
/** A `datetime-local` value as milliseconds: a real moment (no 30 February rolled over into March), from 1970 on. */
const toMoment = (s: string, ctx: z.core.$RefinementCtx<string>): number => {
  const ms = Date.parse(`${s}Z`);
  if (!Number.isFinite(ms) || ms < 0 || new Date(ms).toISOString().slice(0, s.length) !== s) {
    ctx.addIssue({ code: 'custom', message: 'That is not a date and time (YYYY-MM-DDTHH:MM, UTC, from 1970 on).' });
    return z.NEVER;
  }
  return ms;
};
const GIVE_MOMENT = 'Give a date and time (YYYY-MM-DDTHH:MM, UTC).';
const moment = z.string().regex(localMinute, GIVE_MOMENT).transform(toMoment);
/** The same, or nothing (an empty field). */
const optionalMoment = z
  .string()
  .max(25, GIVE_MOMENT)
  .transform((s, ctx): number | undefined => {
    if (s === '') return undefined;
    if (!localMinute.test(s)) {
      ctx.addIssue({ code: 'custom', message: GIVE_MOMENT });
      return z.NEVER;
    }
    return toMoment(s, ctx);
  });
export const AnnotationForm = z
  .object({
    at: moment,
    text: z.string().trim().min(1, 'Write the note.').max(280, 'At most 280 characters.'),
    series: z.union([z.literal('').transform(() => null), rowId]),
    return_to: returnTo,
  })
  .strict();

/** A series page's range query (`range=7d…`), carried by its forms to go back to. */
const rangeBack = z
  .string()
  .regex(/^[A-Za-z0-9=&_:.-]{0,80}$/)
  .optional();

export const SeriesForm = z
  .object({
    name: z.string().trim().min(1, 'Give the series a name.').pipe(SeriesName),
    range: rangeBack,
    unit: z.string().trim().max(20, 'At most 20 characters.'),
    kind: z.enum(['gauge', 'counter', 'habit'], { error: 'Pick a kind.' }),
    goal: z
      .string()
      .trim()
      .max(30)
      .refine((s) => s === '' || s.toLowerCase() === 'auto' || (isNumberText(s) && Number.isFinite(Number(s))), 'A number, “auto”, or nothing for no goal.')
      .transform((s): number | 'auto' | null => (s === '' ? null : s.toLowerCase() === 'auto' ? 'auto' : Number(s))),
    retention_days: z.coerce
      .number({ error: 'A number of days.' })
      .int('A whole number of days.')
      .min(1, 'At least 1 day.')
      .max(3660, 'At most 3,660 days (ten years).'),
  })
  .strict();

/**
 * Points to delete from a series: one (`at`, its millisecond timestamp, from a row's
 * button), or those from `from` up to `to` (UTC, to the minute or second; `to` included
 * to its second).
 */
export const DeletePointsForm = z
  .object({
    // A point's timestamp in milliseconds, as its row's button sends it.
    at: z
      .string()
      .regex(/^\d{1,16}$/, 'Pick a point from the list.')
      .transform(Number)
      .optional(),
    from: optionalMoment.optional(),
    to: optionalMoment.optional(),
    range: rangeBack,
  })
  .strict()
  .transform((f, ctx): { from: number; to: number; range: string | undefined } => {
    if (f.at !== undefined) {
      if (f.from === undefined && f.to === undefined) return { from: f.at, to: f.at + 1, range: f.range };
      ctx.addIssue({ code: 'custom', message: 'Delete one point (from its row) or a range, not both at once.' });
      return z.NEVER;
    }
    if (typeof f.from !== 'number') ctx.addIssue({ code: 'custom', path: ['from'], message: 'Give the first moment to delete from (YYYY-MM-DDTHH:MM, UTC).' });
    if (typeof f.to !== 'number') ctx.addIssue({ code: 'custom', path: ['to'], message: 'Give the last moment to delete (YYYY-MM-DDTHH:MM, UTC).' });
    if (typeof f.from !== 'number' || typeof f.to !== 'number') return z.NEVER;
    if (f.to < f.from) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last moment is before the first.' });
      return z.NEVER;
    }
    return { from: f.from, to: f.to + 1000, range: f.range };
  });

export const ImportForm = z.object({ file: z.instanceof(File, { error: 'Choose a CSV file.' }) }).strict();

export const PullParam = z.object({ id: rowId }).strict();
export const PullForm = z
  .object({
    url: z.string().trim().min(1, 'Give the address to fetch.').max(2000, 'At most 2,000 characters.'),
    format: z.enum(['json', 'csv', 'prometheus'], { error: 'Pick a format.' }),
    selector: z.string().trim().max(200, 'At most 200 characters.'),
    series: z.string().trim().max(200, 'At most 200 characters.'),
    interval_minutes: z.coerce
      .number({ error: 'A number of minutes.' })
      .int('A whole number of minutes.')
      .min(5, 'At least every 5 minutes.')
      .max(10_080, 'At most every 10,080 minutes (a week).'),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.format !== 'json') return;
    const steps = selectorSteps(f.selector);
    if (typeof steps === 'string') ctx.addIssue({ code: 'custom', path: ['selector'], message: `${steps.charAt(0).toUpperCase()}${steps.slice(1)}.` });
    const problem = seriesNameProblem(f.series);
    if (problem) ctx.addIssue({ code: 'custom', path: ['series'], message: `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.` });
  });
