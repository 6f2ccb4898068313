/**
 * The one Queue consumer (`sixfold-jobs`): each message names its job with `kind`,
 * is validated with that job's zod schema, and is acked or retried on its own, so
 * one bad message never holds up or replays the rest of its batch.
 *
 * Delivery is at least once: every job must be idempotent (see each job's module).
 * A message no schema accepts is logged and acked (retrying cannot fix it); a job
 * that throws is retried with a growing delay, and after `max_retries`
 * (wrangler.toml) goes to the dead-letter queue.
 */
import * as z from 'zod';
import { requestScope } from '../shared/context';
import { logEvent } from '../shared/http/logging';
import { HighlightJob, runHighlightJob } from './codebin/jobs';

const Job = z.discriminatedUnion('kind', [HighlightJob]);
export type Job = z.infer<typeof Job>;

async function runJob(env: Env, job: Job, now: number): Promise<Record<string, unknown>> {
  switch (job.kind) {
    case 'codebin.highlight':
      return { outcome: await runHighlightJob(env.DB, job, now) };
  }
}

export async function runQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    await requestScope.run({ requestId: `queue:${message.id}`, cost }, async () => {
      const parsed = Job.safeParse(message.body);
      if (!parsed.success) {
        logEvent('error', 'queue_message_invalid', { queue: batch.queue, message_id: message.id, issues: parsed.error.issues.map((i) => i.message) });
        message.ack();
        return;
      }
      const started = performance.now();
      try {
        const result = await runJob(env, parsed.data, Date.now());
        logEvent('info', 'queue_job', { kind: parsed.data.kind, attempts: message.attempts, duration_ms: Math.round(performance.now() - started), d1_rows_read: cost.rowsRead, ...result });
        message.ack();
      } catch (error) {
        logEvent('error', 'queue_job_failed', { kind: parsed.data.kind, attempts: message.attempts, error: error instanceof Error ? error.message : String(error) });
        message.retry({ delaySeconds: Math.min(300, 10 * 2 ** message.attempts) });
      }
    });
  }
}
