/**
 * InsightDash as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names InsightDash, except its
 * rate limit in wrangler.toml (RL_INSIGHT_INGEST).
 */
import { defineApp } from '../../shared/app';
import { runPulls } from './pulls';
import { deleteExpiredPoints } from './repository';
import routes from './routes';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    'insightdash:ingest': true;
  }
}

/** Raw points deleted a cron run, at most (in parts, so no one statement runs long). */
const EXPIRED_PER_RUN = 50_000;
const EXPIRED_PER_STATEMENT = 5_000;

/** A JSON or line-protocol body of 10,000 points, with room for long names and tags. */
const INGEST_BODY_BYTES = 2 * 1024 * 1024;

export default defineApp({
  slug: 'insightdash',
  name: 'InsightDash',
  icon: '◔',
  purpose: 'Send your own time series in; read SQL-powered charts out.',
  routes,
  scopes: { 'insightdash:ingest': 'Send points to your InsightDash series (JSON, Influx line protocol, CSV), nothing else' },
  largeBodies: [[/^\/insightdash\/(api\/(points|write|import)|import\/parts)$/, INGEST_BODY_BYTES]],
  cron: [
    // The pulls that are due: fetched, read and stored; their outcome kept for the page.
    { name: 'insightdash.pulls', run: (env, now) => runPulls(env, now) },
    {
      // Raw points past their series' retention, once an hour (rollups stay).
      name: 'insightdash.retention',
      run: async (env, now) => {
        if (new Date(now).getUTCMinutes() !== 17) return { skipped: 'runs at minute 17 of each hour' };
        let deleted = 0;
        for (let more = true; more && deleted < EXPIRED_PER_RUN; ) {
          const n = await deleteExpiredPoints(env.DB, now, EXPIRED_PER_STATEMENT);
          deleted += n;
          more = n === EXPIRED_PER_STATEMENT;
        }
        return { deleted };
      },
    },
  ],
});
