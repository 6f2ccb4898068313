/**
 * The one Queue consumer (`sixfold-jobs`): each message names its job with `kind`
 * (each app's `queue` in its descriptor), is validated with that job's zod schema,
 * and is acked or retried on its own, so one bad message never holds up or replays
 * the rest of its batch.
 *
 * Delivery is at least once: every job must be idempotent (see each job's module).
 * A message no schema accepts is logged and acked (retrying cannot fix it); a job
 * that throws is retried with a growing delay, and after `max_retries`
 * (wrangler.toml) goes to the dead-letter queue.
 *
 * Messages that used their retries come back from `sixfold-jobs-dlq` (wrangler.toml
 * consumes it too): each goes to its job's `deadLetter`, which records the failure
 * where its owner will see it, and is acked; nothing there is retried.
 *
 * A batch shares one invocation's CPU allowance (30 s by default), so each job kind
 * declares the most one job may cost (≈ ms of CPU) and the batch stops starting jobs
 * once the next could take it past INVOCATION_BUDGET: the rest are sent again as new
 * messages and acked (a deferral is not a failure, so it spends none of their retries).
 */
import * as z from 'zod';
import type { QueueJob } from '../shared/app';
import { now } from '../shared/clock';
import { requestScope } from '../shared/context';
import { logEvent } from '../shared/http/logging';
import { QUEUE_JOBS } from './apps';

/** Each app's job kinds (`queue` in its descriptor), by kind. */
const KINDS = new Map<string, QueueJob>(QUEUE_JOBS.map((j) => [j.kind, j]));

/** A message names its job with `kind`; the job's own schema validates the rest. */
const Envelope = z.object({ kind: z.string() }).loose();

/** CPU one invocation may plan for, in the jobs' cost units (≈ ms): well inside the 30 s limit. */
export const INVOCATION_BUDGET = 20_000;

/** The message's job and its validated body, or the issues that refused it. */
function parseJob(body: unknown): { job: QueueJob; data: { kind: string } } | { issues: string[] } {
  const envelope = Envelope.safeParse(body);
  if (!envelope.success) return { issues: envelope.error.issues.map((i) => i.message) };
  const job = KINDS.get(envelope.data.kind);
  if (!job) return { issues: [`Unknown job kind “${envelope.data.kind}”.`] };
  const parsed = job.schema.safeParse(body);
  return parsed.success ? { job, data: parsed.data as { kind: string } } : { issues: parsed.error.issues.map((i) => i.message) };
}

/** The dead-letter queue's name (wrangler.toml `dead_letter_queue`). */
export const DEAD_LETTER_QUEUE = 'sixfold-jobs-dlq';

export async function runQueue(batch: MessageBatch<unknown>, env: Env, budget = INVOCATION_BUDGET): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) return runDeadLetters(batch, env);
  let spent = 0;
  for (const message of batch.messages) {
    const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    await requestScope.run({ requestId: `queue:${message.id}`, cost }, async () => {
      const parsed = parseJob(message.body);
      if ('issues' in parsed) {
        logEvent('error', 'queue_message_invalid', { queue: batch.queue, message_id: message.id, issues: parsed.issues });
        message.ack();
        return;
      }
      if (spent > 0 && spent + parsed.job.maxCost > budget) {
        try {
          await env.JOBS.send(parsed.data);
          logEvent('info', 'queue_job_deferred', { kind: parsed.data.kind, spent });
          message.ack();
        } catch {
          message.retry();
        }
        return;
      }
      const started = performance.now();
      try {
        const result = await parsed.job.run(env, parsed.data, now());
        spent += result.cost;
        logEvent('info', 'queue_job', {
          kind: parsed.data.kind,
          attempts: message.attempts,
          duration_ms: Math.round(performance.now() - started),
          d1_rows_read: cost.rowsRead,
          ...result,
        });
        message.ack();
      } catch (error) {
        logEvent('error', 'queue_job_failed', {
          kind: parsed.data.kind,
          attempts: message.attempts,
          error: error instanceof Error ? error.message : String(error),
        });
        message.retry({ delaySeconds: Math.min(300, 10 * 2 ** message.attempts) });
      }
    });
  }
}

/** Jobs that used their retries: each app records the failure (`deadLetter`); every message is acked. */
async function runDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    await requestScope.run({ requestId: `queue:${message.id}`, cost }, async () => {
      const parsed = parseJob(message.body);
      if ('issues' in parsed) {
        logEvent('error', 'queue_message_invalid', { queue: batch.queue, message_id: message.id, issues: parsed.issues });
      } else {
        try {
          const result = (await parsed.job.deadLetter?.(env, parsed.data, now())) ?? {};
          logEvent('error', 'queue_job_dead', { kind: parsed.data.kind, ...result });
        } catch (error) {
          logEvent('error', 'queue_dead_letter_failed', { kind: parsed.data.kind, error: error instanceof Error ? error.message : String(error) });
        }
      }
      message.ack();
    });
  }
}
