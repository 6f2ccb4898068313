// InsightDash's card queries against plain TypeScript computations, for random series
// made by fast-check: per-bucket avg/min/max/sum, the 7-point moving average (a window
// function), the range's aggregate and its change against the previous period, and a
// habit's streaks (gaps and islands). Plus what a card costs in D1 rows read.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestScope } from '../../shared/context';
import { changePercent } from '../../workers/insightdash/charts';
import { bucketOf, DAY_MS, HOUR_MS } from '../../workers/insightdash/points';
import * as q from '../../workers/insightdash/queries';
import { type Range, resolveRange } from '../../workers/insightdash/ranges';
import { ingest, seriesFor } from '../../workers/insightdash/repository';
import { signedUp } from '../support/client';

const NOW = Date.UTC(2026, 11, 1, 15, 30);

let owner: number | undefined;
const ownerId = async () => {
  if (owner === undefined) {
    const user = await signedUp();
    owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(user.email).first<{ id: number }>())!.id;
  }
  return owner;
};
let counter = 0;
const newSeries = async () => (await seriesFor(env.DB, await ownerId(), `s${++counter}`, NOW)).id;

const range = (key: string) => resolveRange({ range: key }, NOW) as Range;

/** What the buckets of [from, to) must be, and each one's moving average over the 7 buckets up to it (reaching before `from`). */
function expected(points: Map<number, number>, size: number, from: number, to: number) {
  const buckets = new Map<number, { n: number; sum: number; min: number; max: number }>();
  for (const [ts, value] of points) {
    const b = bucketOf(ts, size);
    const cur = buckets.get(b) ?? { n: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
    buckets.set(b, { n: cur.n + 1, sum: cur.sum + value, min: Math.min(cur.min, value), max: Math.max(cur.max, value) });
  }
  const all = [...buckets].filter(([b]) => b >= from - 6 * size && b < to).sort(([a], [b]) => a - b);
  return all
    .map(([t, v], i) => {
      const window = all.slice(Math.max(0, i - 6), i + 1).map(([, w]) => w.sum / w.n);
      return { t, ...v, avg: v.sum / v.n, ma: window.reduce((a, b) => a + b, 0) / window.length };
    })
    .filter((r) => r.t >= from);
}

/** Random points within the last 100 days, on whole seconds; the last value for a moment wins. */
const pointsArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 100 * 86_400 - 1 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })), {
  minLength: 1,
  maxLength: 300,
});

/** A new series holding `raw` (seconds into the last 100 days, value): its id, and each moment's final value. */
async function seeded(raw: [number, number][]) {
  const id = await newSeries();
  const truth = new Map<number, number>();
  for (const [s, v] of raw) truth.set(NOW - 100 * DAY_MS + s * 1000, v);
  await ingest(
    env.DB,
    [...truth].map(([ts, value]) => ({ seriesId: id, ts, value })),
  );
  return { id, truth };
}

describe('card queries equal a TypeScript computation', () => {
  it('per-bucket aggregates and the 7-point moving average, hourly and daily, for random series', async () => {
    await fc.assert(
      fc.asyncProperty(pointsArb, fc.constantFrom('7d', '28d', '90d', 'year'), async (raw, key) => {
        const { id, truth } = await seeded(raw);
        const r = range(key);
        const size = r.resolution === 'day' ? DAY_MS : HOUR_MS;
        const rows = await q.exportRows(env.DB, id, r.resolution, r.from, r.to, true);
        const want = expected(truth, size, r.from, r.to);
        expect(rows.map((x) => [x.t, x.n, x.min, x.max])).toEqual(want.map((x) => [x.t, x.n, x.min + 0, x.max + 0]));
        rows.forEach((x, i) => {
          expect(x.sum).toBeCloseTo(want[i]!.sum, 3);
          expect(x.avg).toBeCloseTo(want[i]!.avg, 3);
          expect(x.ma!).toBeCloseTo(want[i]!.ma, 3);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('on a raw range the moving average reaches back to the 6 points before it', async () => {
    const recent = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 * 86_400 - 1 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })), {
      minLength: 1,
      maxLength: 200,
    });
    await fc.assert(
      fc.asyncProperty(recent, async (raw) => {
        const id = await newSeries();
        const truth = new Map<number, number>();
        for (const [sec, v] of raw) truth.set(NOW - 2 * DAY_MS + sec * 1000, v);
        await ingest(
          env.DB,
          [...truth].map(([ts, value]) => ({ seriesId: id, ts, value })),
        );
        const r = range('today');
        expect(r.resolution).toBe('raw');
        const sorted = [...truth].sort(([a], [b]) => a - b);
        const want = sorted
          .map(([t, v], i) => {
            const window = sorted.slice(Math.max(0, i - 6), i + 1).map(([, w]) => w);
            return { t, v, ma: window.reduce((a, b) => a + b, 0) / window.length };
          })
          .filter((x) => x.t >= r.from && x.t < r.to);
        const rows = await q.exportRows(env.DB, id, 'raw', r.from, r.to, true);
        expect(rows.map((x) => [x.t, x.avg])).toEqual(want.map((x) => [x.t, x.v + 0]));
        for (const [i, x] of rows.entries()) expect(x.ma!).toBeCloseTo(want[i]!.ma, 3);
      }),
      { numRuns: 25 },
    );
  });

  it('the stat card’s aggregate and its change against the period before (aligned on weekdays)', async () => {
    await fc.assert(
      fc.asyncProperty(pointsArb, fc.constantFrom('7d', '28d', 'today', 'lastmonth'), async (raw, key) => {
        const { id, truth } = await seeded(raw);
        const r = range(key);
        const of = (from: number, to: number) => [...truth].filter(([t]) => t >= from && t < to).map(([, v]) => v);
        const cur = of(r.from, r.to);
        const prev = of(r.from - r.shift, r.to - r.shift);
        const { current, previous } = await q.statData(env.DB, id, r);
        expect(current.n).toBe(cur.length);
        expect(previous.n).toBe(prev.length);
        if (cur.length > 0) {
          // (+ 0: SQLite stores -0 as 0.)
          expect(current.min).toBe(Math.min(...cur) + 0);
          expect(current.max).toBe(Math.max(...cur) + 0);
          expect(current.sum!).toBeCloseTo(
            cur.reduce((a, b) => a + b, 0),
            3,
          );
        }
        const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
        const sqlChange = changePercent(current.n ? current.sum! / current.n : null, previous.n ? previous.sum! / previous.n : null);
        const tsChange = changePercent(avg(cur), avg(prev));
        if (tsChange === null) expect(sqlChange).toBeNull();
        else expect(sqlChange!).toBeCloseTo(tsChange, 3);
        expect(r.shift % (7 * DAY_MS)).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('a habit’s current and longest streaks (gaps and islands in SQL) equal a loop over the days', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 61 }), async (daysAgo) => {
        const id = await newSeries();
        const today = Math.floor(NOW / DAY_MS);
        await ingest(
          env.DB,
          daysAgo.map((d) => ({ seriesId: id, ts: (today - d) * DAY_MS + 8 * HOUR_MS, value: 1 })),
        );
        const days = daysAgo.map((d) => today - d).sort((a, b) => a - b);
        let longest = 0;
        let run = 0;
        let current = 0;
        days.forEach((d, i) => {
          run = i > 0 && d === days[i - 1]! + 1 ? run + 1 : 1;
          longest = Math.max(longest, run);
          if (d === today || d === today - 1) current = run;
        });
        const got = await q.calendarData(env.DB, id, range('90d'));
        expect({ current: got.current, longest: got.longest }).toEqual({ current, longest });
      }),
      { numRuns: 25 },
    );
  });
});

describe('what a card costs', () => {
  const cost = async <T>(fn: () => Promise<T>) => {
    const scope = { requestId: 'cost', cost: { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 } };
    await requestScope.run(scope, fn);
    return scope.cost;
  };

  it('a year at daily resolution reads ≤ 400 rows, 7 days at hourly ≤ 200 (each period), however many raw points', async () => {
    // A point every 10 minutes for a year (52,560), next to another series of the same owner.
    const id = await newSeries();
    const other = await newSeries();
    const start = NOW - 366 * DAY_MS;
    const rows = [];
    for (let t = start; t < NOW; t += 600_000) rows.push({ seriesId: id, ts: t, value: (t / 600_000) % 50 }, { seriesId: other, ts: t, value: 1 });
    for (let i = 0; i < rows.length; i += 10_000) await ingest(env.DB, rows.slice(i, i + 10_000));

    // The rows a card reads from storage: at most a bucket a row.
    const year = range('year');
    expect(year.resolution).toBe('day');
    const yearRows = await cost(() => q.exportRows(env.DB, id, year.resolution, year.from, year.to));
    expect(yearRows.rowsRead).toBeLessThanOrEqual(400);
    const week = range('7d');
    expect(week.resolution).toBe('hour');
    const weekRows = await cost(() => q.exportRows(env.DB, id, week.resolution, week.from, week.to));
    expect(weekRows.rowsRead).toBeLessThanOrEqual(200);

    // The whole line card (this period with its moving average, the previous period, the
    // annotations) is one round trip; D1 meters the window function's passes as rows read
    // too (about 4 a row), which is what the card costs in all.
    const yearCard = await cost(() => q.chartData(env.DB, owner!, id, year, year.resolution));
    expect(yearCard.queries).toBe(1);
    expect(yearCard.rowsRead).toBeLessThanOrEqual(5 * 372 + 372);
    const weekCard = await cost(() => q.chartData(env.DB, owner!, id, week, week.resolution));
    expect(weekCard.queries).toBe(1);
    expect(weekCard.rowsRead).toBeLessThanOrEqual(5 * 175 + 175);

    // A raw range (today) with more points than a chart needs still reads only what is there: 6 an hour.
    const today = range('today');
    expect(await q.readableResolution(env.DB, id, today)).toBe('raw');
    const todayRows = await cost(() => q.exportRows(env.DB, id, 'raw', today.from, today.to));
    expect(todayRows.rowsRead).toBeLessThanOrEqual(6 * 24 + 1);
  }, 60_000);
});

describe('the automatic goal', () => {
  it('is the average of the same weekday over the 4 weeks before (the day’s sum or average)', async () => {
    const id = await newSeries();
    const today = Math.floor(NOW / DAY_MS) * DAY_MS;
    const rows = [];
    // Two points a day for 40 days: the same weekday 1–4 weeks back holds 10+w and 20+w.
    for (let d = 1; d <= 40; d++) {
      const day = today - d * DAY_MS;
      const w = d % 7 === 0 ? d / 7 : 0;
      rows.push({ seriesId: id, ts: day + HOUR_MS, value: 10 + w }, { seriesId: id, ts: day + 2 * HOUR_MS, value: 20 + w });
    }
    await ingest(env.DB, rows);
    // Weeks 1–4: day sums 32, 34, 36, 38 → 35; day averages 16, 17, 18, 19 → 17.5. (Week 5 is not counted.)
    expect(await q.autoGoal(env.DB, id, 'sum', NOW)).toBe(35);
    expect(await q.autoGoal(env.DB, id, 'avg', NOW)).toBe(17.5);
    expect(await q.autoGoal(env.DB, await newSeries(), 'avg', NOW)).toBeNull();
  });
});

describe('bars', () => {
  it('per day up to 90 days, per week (Monday first, UTC) beyond: the sum for counters, the average for gauges', async () => {
    const id = await newSeries();
    const today = Math.floor(NOW / DAY_MS) * DAY_MS;
    await ingest(
      env.DB,
      Array.from({ length: 200 }, (_, d) => ({ seriesId: id, ts: today - d * DAY_MS + HOUR_MS, value: 2 })),
    );
    const daily = await q.barData(env.DB, 1, id, range('28d'), 'sum');
    expect(daily.weekly).toBe(false);
    expect(daily.bars).toHaveLength(28);
    const weekly = await q.barData(env.DB, 1, id, range('year'), 'sum');
    expect(weekly.weekly).toBe(true);
    for (const b of weekly.bars) expect(new Date(b.t).getUTCDay(), new Date(b.t).toISOString()).toBe(1);
    // Whole weeks hold 7 days of 2.
    expect(weekly.bars.slice(1, -1).every((b) => b.value === 14)).toBe(true);
    expect((await q.barData(env.DB, 1, id, range('year'), 'avg')).bars.every((b) => b.value === 2)).toBe(true);
    // The moving average of 7 bars reaches back before the range; the previous period's bars come along.
    expect(daily.bars.every((b) => b.ma === 2)).toBe(true);
    expect(daily.previous).toHaveLength(28);
  });
});
