/**
 * The Worker's entry: HTTP through the Hono app, Cron Triggers through the job
 * list in scheduled.ts, Queue messages through the consumer in queue.ts (both
 * gathered from the apps' descriptors), and every Durable Object class (wrangler
 * binds them by export name, so they are re-exported here from durable-objects/).
 */
import app from './app';
import { runQueue } from './queue';
import { runScheduled } from './scheduled';

export * from '../durable-objects';

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
  async queue(batch, env) {
    await runQueue(batch, env);
  },
} satisfies ExportedHandler<Env>;
