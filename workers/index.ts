/**
 * The Worker's entry: HTTP through the Hono app, Cron Triggers through the job
 * list in scheduled.ts. Queue consumers and Durable Object classes are exported
 * here by the apps that need them.
 */
import app from './app';
import { runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runScheduled(controller, env));
  },
} satisfies ExportedHandler<Env>;
