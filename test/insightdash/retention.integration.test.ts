// The cron's retention: raw points older than their series keeps (and an hour more) are
// deleted once an hour, in parts; the rollups stay, so long ranges still chart.
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import insightdash from '../../workers/insightdash';
import { DAY_MS, HOUR_MS } from '../../workers/insightdash/points';
import { ingest, rollups, seriesFor } from '../../workers/insightdash/repository';
import { signedUp } from '../support/client';

const job = insightdash.cron!.find((j) => j.name === 'insightdash.retention')!;

it('deletes raw points past retention at minute 17, keeps the rollups, and leaves other minutes alone', async () => {
  const user = await signedUp();
  const owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(user.email).first<{ id: number }>())!.id;
  const now = Date.UTC(2026, 11, 1, 9, 17, 30);
  const series = await seriesFor(env.DB, owner, 'kept-10-days', now);
  await env.DB.prepare('UPDATE insight_series SET retention_days = 10 WHERE id = ?').bind(series.id).run();
  // A point every hour for 20 days (at :17:30), and one at the start of the oldest hour that must stay (its hour is not cut in two).
  const cutoffHour = Math.floor((now - 10 * DAY_MS) / HOUR_MS) * HOUR_MS - HOUR_MS;
  const points = [
    ...Array.from({ length: 20 * 24 }, (_, i) => ({ seriesId: series.id, ts: now - 20 * DAY_MS + i * HOUR_MS, value: i })),
    { seriesId: series.id, ts: cutoffHour + 60_000, value: -1 },
  ];
  await ingest(env.DB, points);
  const count = async () =>
    (await env.DB.prepare('SELECT count(*) AS n, min(ts) AS oldest FROM insight_points WHERE series_id = ?')
      .bind(series.id)
      .first<{ n: number; oldest: number }>())!;

  expect(await job.run(env, now + 60_000)).toEqual({ skipped: 'runs at minute 17 of each hour' });
  expect((await count()).n).toBe(481);

  expect(await job.run(env, now)).toMatchObject({ deleted: expect.any(Number) });
  const left = await count();
  // Kept: the 10 days ingest still accepts, and one hour more.
  expect(left.oldest).toBe(cutoffHour + 60_000);
  expect(left.n).toBe(points.filter((p) => p.ts >= cutoffHour).length);
  // The rollups of the deleted hours and days stay.
  expect(await rollups(env.DB, series.id, 'hour', now - 21 * DAY_MS, now)).toHaveLength(480);
  expect((await rollups(env.DB, series.id, 'day', now - 21 * DAY_MS, now + DAY_MS)).reduce((n, r) => n + r.n, 0)).toBe(481);
  // Run again: nothing more to delete.
  expect(await job.run(env, now)).toEqual({ deleted: 0 });
});
