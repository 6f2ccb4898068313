/**
 * The root Hono app: shared middleware in a deliberate order, then the platform
 * routes and one sub-app per tool at `/<slug>`.
 *
 *   jsxRenderer     first, so even an error raised by later middleware renders a page
 *   assignRequestId X-Request-Id: always our own UUID (a client's id is only logged, apart)
 *   requestLog      opens the request scope (D1 cost counters), writes one JSON line
 *   securityHeaders CSP with nonce, HSTS, nosniff, Referrer-Policy, … (on every response, errors too);
 *                   a page with a nonce never carries a validator (no ETag, no 304 with a new nonce)
 *   config check    a misconfigured instance says what to fix
 *   bodyLimits      413 before a large body is read
 *   csrfProtection  before auth, so a forged request never reaches refresh rotation
 *   loadAuth        who is calling (session cookie or bearer token)
 */
import { Hono } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import { loadAuth } from '../shared/auth/middleware';
import type { AppEnv } from '../shared/context';
import { config } from '../shared/env';
import { Layout, layoutContext, type NavApp } from '../shared/html/layout';
import { handleError, handleNotFound } from '../shared/http/errors';
import { assignRequestId, requestLog } from '../shared/http/logging';
import { bodyLimits, csrfProtection, securityHeaders } from '../shared/http/security';
import { APPS, SUB_APPS } from './apps';
import platform from './platform/routes';

const app = new Hono<AppEnv>();

/** The header's apps menu, from the one list of apps. */
const NAV_APPS: NavApp[] = APPS.map((a) => ({ slug: a.slug, name: a.name, icon: a.icon, live: a.slug in SUB_APPS }));

app.use(
  jsxRenderer(({ children, title, styles, scripts }, c) => (
    <Layout title={title} styles={styles} scripts={scripts} apps={NAV_APPS} {...layoutContext(c as Parameters<typeof layoutContext>[0])}>
      {children}
    </Layout>
  )),
);
app.use(assignRequestId());
app.use(requestLog());
// Before the config check: a misconfigured instance's 503 page carries the same
// headers (and CSP nonce) as every other page.
app.use(securityHeaders());
app.use(async (c, next) => {
  config(c.env); // throws ConfigError → 503 with what to fix (handleError)
  await next();
});
app.use(bodyLimits());
app.use(csrfProtection());
app.use(loadAuth());

app.onError(handleError);
app.notFound(handleNotFound);

app.route('/', platform);
for (const [slug, sub] of Object.entries(SUB_APPS)) app.route(`/${slug}`, sub);

export default app;
