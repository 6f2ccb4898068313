/**
 * The one cron (`* * * * *`, UTC) fans out to each app's periodic work.
 *
 * Cron runs may overlap (a slow run is still going when the next minute starts)
 * or be retried, so every job must be idempotent: select by deadline, claim rows
 * with a guarded UPDATE … RETURNING, make deliveries safe to repeat. One job's
 * failure is logged and does not stop the others.
 */
import { purgeEndedSessions } from '../shared/auth/repository';
import { purgeDailyAllowances, purgeExpired } from './codebin/repository';
import { requestScope } from '../shared/context';
import { logEvent } from '../shared/http/logging';

export type ScheduledJob = {
  name: string;
  /** Runs on every tick; decide inside whether there is work. */
  run: (env: Env, now: number) => Promise<Record<string, unknown>>;
};

export const JOBS: ScheduledJob[] = [
  {
    name: 'platform.purge_sessions',
    run: async (env, now) => ({ deleted: await purgeEndedSessions(env.DB, now) }),
  },
  {
    // Expired pastes are already invisible (every query checks expires_at); this frees the rows.
    name: 'codebin.purge_expired',
    run: async (env, now) => ({ deleted: (await purgeExpired(env.DB, now)).length }),
  },
  {
    // Daily allowances (anonymous addresses, accounts) only matter for today (UTC).
    name: 'codebin.purge_daily_allowances',
    run: async (env, now) => ({ deleted: await purgeDailyAllowances(env.DB, Math.floor(now / 86_400_000)) }),
  },
];

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = controller.scheduledTime;
  await Promise.all(
    JOBS.map((job) =>
      requestScope.run({ requestId: `cron:${job.name}:${now}`, cost: { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 } }, async () => {
        const started = performance.now();
        try {
          const result = await job.run(env, now);
          logEvent('info', 'cron_job', { job: job.name, cron: controller.cron, duration_ms: Math.round(performance.now() - started), ...result });
        } catch (error) {
          logEvent('error', 'cron_job_failed', { job: job.name, cron: controller.cron, error: error instanceof Error ? error.message : String(error) });
        }
      }),
    ),
  );
}
