/**
 * The one cron (`* * * * *`, UTC) fans out to the platform's periodic work and each
 * app's (`cron` in its descriptor).
 *
 * Cron runs may overlap (a slow run is still going when the next minute starts)
 * or be retried, so every job must be idempotent: select by deadline, claim rows
 * with a guarded UPDATE … RETURNING, make deliveries safe to repeat. One job's
 * failure is logged and does not stop the others.
 */
import type { CronJob } from '../shared/app';
import { purgeEndedSessions } from '../shared/auth/repository';
import { requestScope } from '../shared/context';
import { logEvent } from '../shared/http/logging';
import { CRON_JOBS } from './apps';

export const JOBS: readonly CronJob[] = [
  {
    name: 'platform.purge_sessions',
    run: async (env, now) => ({ deleted: await purgeEndedSessions(env.DB, now) }),
  },
  ...CRON_JOBS,
];

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const now = controller.scheduledTime;
  await Promise.all(
    JOBS.map((job) =>
      requestScope.run({ requestId: `cron:${job.name}:${now}`, cost: { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 } }, async () => {
        const started = performance.now();
        try {
          const result = await job.run(env, now);
          // What the job cost in D1, as a request's line reports it.
          const cost = requestScope.getStore()!.cost;
          logEvent('info', 'cron_job', {
            job: job.name,
            cron: controller.cron,
            duration_ms: Math.round(performance.now() - started),
            ...result,
            d1_queries: cost.queries,
            rows_read: cost.rowsRead,
            rows_written: cost.rowsWritten,
          });
        } catch (error) {
          logEvent('error', 'cron_job_failed', { job: job.name, cron: controller.cron, error: error instanceof Error ? error.message : String(error) });
        }
      }),
    ),
  );
}
