/**
 * Pages anyone may see: the home page, /healthz (JSON for monitors and curl, a
 * status page for a browser).
 */
import { Hono, type Context } from 'hono';
import { accepts } from 'hono/accepts';
import type { AppEnv } from '../../shared/context';
import { checkHealth, type Health } from './health';
import { presentHealth } from './presenters';
import { HomePage, StatusPage } from './views/home';

const home = new Hono<AppEnv>();

home.get('/', (c) => c.render(<HomePage user={c.get('auth')?.user ?? null} />, { title: 'Sixfold' }));

const healthJson = (c: Context<AppEnv>, health: Health) =>
  c.json(presentHealth(health), health.ok ? 200 : 503, { 'cache-control': 'no-store', vary: 'accept' });

// JSON for monitors and curl (the default); the footer's "status" link, followed by a
// browser asking for text/html, gets the same facts as a page.
home.get('/healthz', async (c) => {
  const health = await checkHealth(c.env.DB);
  // Hono's negotiation: `*/*` (curl) matches neither type by name, so it stays JSON.
  if (accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'application/json' }) !== 'text/html') return healthJson(c, health);
  c.header('cache-control', 'no-store');
  c.header('vary', 'accept');
  c.status(health.ok ? 200 : 503);
  return c.render(<StatusPage ok={health.ok} d1={health.checks.d1} />, { title: 'Status' });
});

home.get('/healthz.json', async (c) => healthJson(c, await checkHealth(c.env.DB)));

export default home;
