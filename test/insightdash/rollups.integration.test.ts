// InsightDash's rollups against a plain TypeScript computation: for random series,
// hourly and daily count/sum/min/max equal what the raw points say, also after points
// are sent again with new values (the last one wins), in any batches.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { requestScope } from '../../shared/context';
import { bucketOf, checkPoints, DAY_MS, HOUR_MS, type Point } from '../../workers/insightdash/points';
import { ingest, rollups, seriesFor } from '../../workers/insightdash/repository';
import { signedUp } from '../support/client';

const T0 = Date.UTC(2026, 10, 1);

/** A small seeded PRNG (mulberry32): the same "random" series every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the rollups must be: computed from the final value of every moment. */
function expected(points: Map<number, number>, size: number) {
  const buckets = new Map<number, { n: number; sum: number; min: number; max: number }>();
  for (const [ts, value] of points) {
    const b = bucketOf(ts, size);
    const cur = buckets.get(b) ?? { n: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
    buckets.set(b, { n: cur.n + 1, sum: cur.sum + value, min: Math.min(cur.min, value), max: Math.max(cur.max, value) });
  }
  return [...buckets].sort(([a], [b]) => a - b).map(([bucket, v]) => ({ bucket, ...v }));
}

const ownerId = async () => {
  const user = await signedUp();
  return (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(user.email).first<{ id: number }>())!.id;
};

const close = (actual: Array<{ bucket: number; n: number; sum: number; min: number; max: number }>, want: ReturnType<typeof expected>) => {
  expect(actual.map((r) => [r.bucket, r.n, r.min, r.max])).toEqual(want.map((r) => [r.bucket, r.n, r.min, r.max]));
  for (const [i, r] of actual.entries()) expect(r.sum).toBeCloseTo(want[i]!.sum, 6);
};

describe('rollups equal the raw points', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`random series ${seed}: sent in batches, with re-sent moments`, async () => {
      const random = prng(seed);
      const series = await seriesFor(env.DB, await ownerId(), `s${seed}`, T0);
      const truth = new Map<number, number>();
      for (let round = 0; round < 6; round++) {
        const batchPoints: Point[] = [];
        const sent = [...truth.keys()];
        for (let i = 0; i < 150; i++) {
          // Moments over 5 days on whole seconds; a third of them a moment sent before, with a new value.
          const ts = sent.length > 0 && random() < 0.33 ? sent[Math.floor(random() * sent.length)]! : T0 + Math.floor(random() * 5 * 86_400) * 1000;
          batchPoints.push({ ts, value: Math.round((random() * 200 - 100) * 100) / 100 });
        }
        const { points } = checkPoints(
          batchPoints.map((p) => [p.ts, p.value]),
          T0 + 10 * DAY_MS,
        );
        for (const p of points) truth.set(p.ts, p.value);
        await ingest(
          env.DB,
          points.map((p) => ({ seriesId: series.id, ...p })),
        );
      }
      close(await rollups(env.DB, series.id, 'hour', T0 - DAY_MS, T0 + 6 * DAY_MS), expected(truth, HOUR_MS));
      close(await rollups(env.DB, series.id, 'day', T0 - DAY_MS, T0 + 6 * DAY_MS), expected(truth, DAY_MS));
    });
  }

  it('a point sent again with a new value replaces it: the hour’s sum, min and max follow', async () => {
    const series = await seriesFor(env.DB, await ownerId(), 'temp', T0);
    await ingest(env.DB, [
      { seriesId: series.id, ts: T0 + 1000, value: 10 },
      { seriesId: series.id, ts: T0 + 2000, value: 50 },
    ]);
    await ingest(env.DB, [{ seriesId: series.id, ts: T0 + 2000, value: 20 }]);
    expect(await rollups(env.DB, series.id, 'hour', T0, T0 + HOUR_MS)).toEqual([{ bucket: T0, n: 2, sum: 30, min: 10, max: 20 }]);
    expect(await rollups(env.DB, series.id, 'day', T0, T0 + DAY_MS)).toEqual([{ bucket: T0, n: 2, sum: 30, min: 10, max: 20 }]);
    // The same series by name is the same series.
    expect((await seriesFor(env.DB, series.ownerId, 'temp', T0)).id).toBe(series.id);
  });

  it('a year at daily resolution reads at most a row per day', async () => {
    const series = await seriesFor(env.DB, await ownerId(), 'year', T0);
    const points: Point[] = [];
    for (let d = 0; d < 365; d++) for (let h = 0; h < 24; h += 6) points.push({ ts: T0 - 365 * DAY_MS + d * DAY_MS + h * HOUR_MS, value: d + h });
    for (let i = 0; i < points.length; i += 500)
      await ingest(
        env.DB,
        points.slice(i, i + 500).map((p) => ({ seriesId: series.id, ...p })),
      );
    const scope = { requestId: 'bench', cost: { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 } };
    const days = await requestScope.run(scope, () => rollups(env.DB, series.id, 'day', T0 - 365 * DAY_MS, T0));
    expect(days).toHaveLength(365);
    expect(scope.cost.rowsRead).toBeLessThanOrEqual(400);
  });
});
