/**
 * The dashboard's time ranges, as they live in the URL (`?range=7d`, or
 * `?range=custom&from=2026-11-01&to=2026-11-30`), resolved against now. Days are UTC
 * days, as the rollups' buckets are. Pure.
 */
import { DAY_MS, HOUR_MS } from './points';

export const RANGES = ['today', 'yesterday', '7d', '28d', '90d', 'mtd', 'lastmonth', 'year', 'custom'] as const;
export type RangeKey = (typeof RANGES)[number];
export const DEFAULT_RANGE: RangeKey = '7d';

export const RANGE_LABELS: Record<RangeKey, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  '7d': 'Last 7 days',
  '28d': 'Last 28 days',
  '90d': 'Last 90 days',
  mtd: 'Month to date',
  lastmonth: 'Last month',
  year: 'Last 365 days',
  custom: 'Custom',
};

/** Where a card reads: raw points (short ranges), hourly or daily rollups. */
export type Resolution = 'raw' | 'hour' | 'day';

export type Range = {
  key: RangeKey;
  /** [from, to) in ms. */
  from: number;
  to: number;
  resolution: Resolution;
  /** The previous period, aligned on weekdays: shifted back a whole number of weeks (at least the range's length). */
  shift: number;
  /** The query string that names this range (for links and fragments). */
  query: string;
  label: string;
  /** For a custom range: the dates as given (YYYY-MM-DD), to fill the form again. */
  fromDate?: string;
  toDate?: string;
};

/** Ranges up to this long read raw points; up to `HOURLY_UP_TO` hourly rollups; longer, daily ones. */
export const RAW_UP_TO = 2 * DAY_MS;
export const HOURLY_UP_TO = 35 * DAY_MS;
/** The longest custom range. */
export const MAX_RANGE_DAYS = 3660;

const WEEK_MS = 7 * DAY_MS;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const resolutionFor = (length: number): Resolution => (length <= RAW_UP_TO ? 'raw' : length <= HOURLY_UP_TO ? 'hour' : 'day');

function make(key: RangeKey, from: number, to: number, extra: Partial<Range> = {}): Range {
  const length = to - from;
  return {
    key,
    from,
    to,
    resolution: resolutionFor(length),
    shift: Math.max(1, Math.ceil(length / WEEK_MS)) * WEEK_MS,
    query: `range=${key}`,
    label: RANGE_LABELS[key],
    ...extra,
  };
}

/** A range from the URL's parameters, or why it cannot be one (the dashboard says so and shows the default). */
export function resolveRange(params: { range?: string; from?: string; to?: string }, now: number): Range | { error: string } {
  const key = (params.range ?? DEFAULT_RANGE) as RangeKey;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const tomorrow = today + DAY_MS;
  const d = new Date(today);
  const monthStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  switch (key) {
    case 'today':
      return make(key, today, tomorrow);
    case 'yesterday':
      return make(key, today - DAY_MS, today);
    case '7d':
      return make(key, tomorrow - 7 * DAY_MS, tomorrow);
    case '28d':
      return make(key, tomorrow - 28 * DAY_MS, tomorrow);
    case '90d':
      return make(key, tomorrow - 90 * DAY_MS, tomorrow);
    case 'mtd':
      return make(key, monthStart, tomorrow);
    case 'lastmonth':
      return make(key, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), monthStart);
    case 'year':
      return make(key, tomorrow - 365 * DAY_MS, tomorrow);
    case 'custom': {
      const { from, to } = params;
      if (!from || !to || !DATE.test(from) || !DATE.test(to)) return { error: 'A custom range needs a first and a last day (YYYY-MM-DD).' };
      const start = Date.parse(`${from}T00:00:00Z`);
      const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
      if (!Number.isFinite(start) || !Number.isFinite(end) || isoDate(start) !== from || isoDate(end - DAY_MS) !== to) {
        return { error: 'A day of the custom range is not a date.' };
      }
      if (end <= start) return { error: 'The custom range’s last day is before its first.' };
      if (end - start > MAX_RANGE_DAYS * DAY_MS) return { error: `A custom range is at most ${MAX_RANGE_DAYS.toLocaleString('en')} days.` };
      return make(key, start, end, {
        query: `range=custom&from=${from}&to=${to}`,
        label: from === to ? from : `${from} to ${to}`,
        fromDate: from,
        toDate: to,
      });
    }
    default:
      return { error: `There is no range “${String(key).slice(0, 20)}”; pick one of the buttons.` };
  }
}

/** The size of a bucket at this resolution (raw: none). */
export const bucketSize = (resolution: Resolution) => (resolution === 'hour' ? HOUR_MS : resolution === 'day' ? DAY_MS : 0);
