/**
 * Pages anyone may see: the home page, /healthz (JSON for monitors and curl, a
 * status page for a browser) and a "coming soon" page for each app not built yet.
 */
import { Hono, type Context } from 'hono';
import { accepts } from 'hono/accepts';
import type { AppEnv } from '../../shared/context';
import { HttpError } from '../../shared/http/http-error';
import { isApiPath } from '../../shared/http/request';
import { APPS, LIVE_APPS, type AppSlug } from '../apps';
import { checkHealth, type Health } from './health';
import { presentHealth } from './presenters';
import { ComingSoonPage, HomePage, StatusPage } from './views/home';

const home = new Hono<AppEnv>();

home.get('/', (c) => {
  const available = new Set(LIVE_APPS.map((a) => a.slug as AppSlug));
  return c.render(<HomePage available={available} user={c.get('auth')?.user ?? null} />, { title: 'Sixfold' });
});

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

// Apps not built yet: their own path is a friendly page; anything under it is that
// page as a 404, and under its /api/ a problem+json 404.
for (const app of APPS.filter((a) => !('routes' in a))) {
  const page = (c: Context<AppEnv>, status: 200 | 404) => {
    if (isApiPath(c.req.path)) throw new HttpError(404, `${app.name} has no API yet.`);
    c.status(status);
    return c.render(<ComingSoonPage app={app} />, { title: `${app.name} (coming soon)` });
  };
  home.get(`/${app.slug}`, (c) => page(c, 200));
  home.get(`/${app.slug}/*`, (c) => page(c, 404));
}

export default home;
