/**
 * The Worker's entry: HTTP through the Hono app, Cron Triggers through the job
 * list in scheduled.ts, Queue messages through the consumer in queue.ts. Durable
 * Object classes are exported here by the apps that need them.
 */
import app from './app';
import { runQueue } from './queue';
import { runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
  async queue(batch, env) {
    await runQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
