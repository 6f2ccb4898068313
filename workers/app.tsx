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
 *                   (neither runs for an app's public reads: bytes for anyone, e.g. a paste's raw view)
 */
import { Hono } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import { loadAuth } from '../shared/auth/middleware';
import type { AppEnv } from '../shared/context';
import { config } from '../shared/env';
import { Layout, layoutContext, type NavApp } from '../shared/html/layout';
import { handleError, handleNotFound } from '../shared/http/error-handler';
import { assignRequestId, requestLog } from '../shared/http/logging';
import { bodyLimits, csrfProtection, securityHeaders } from '../shared/http/security';
import { APPS, BODY_LIMITS, isPublicRead } from './apps';
import { mountApiDocs, OPENAPI_PATH } from './api-docs';
import { BASE_ASSETS } from './assets';
import platform from './platform/routes';

const app = new Hono<AppEnv>();

/** The header's apps menu, from the one list of apps. */
const NAV_APPS: NavApp[] = APPS.map((a) => ({ slug: a.slug, name: a.name, icon: a.icon, live: 'routes' in a }));

app.use(
  jsxRenderer(({ children, title, styles, scripts }, c) => (
    <Layout title={title} styles={styles} scripts={scripts} apps={NAV_APPS} base={BASE_ASSETS} {...layoutContext(c as Parameters<typeof layoutContext>[0])}>
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
app.use(bodyLimits(BODY_LIMITS));

/**
 * Routes that serve bytes to anyone, not pages (each app's `publicReads`): a GET or
 * HEAD there needs neither a CSRF cookie (a `Set-Cookie` would also stop shared
 * caches from keeping a public response) nor a session lookup. The OpenAPI document
 * is one too: public, cached, the same for everyone.
 */
const lean = (path: string, method: string) => (method === 'GET' || method === 'HEAD') && (path === OPENAPI_PATH || isPublicRead(path));
const csrf = csrfProtection();
const auth = loadAuth();
app.use((c, next) => (lean(c.req.path, c.req.method) ? next() : csrf(c, next)));
app.use((c, next) => {
  if (!lean(c.req.path, c.req.method)) return auth(c, next);
  c.set('auth', null);
  return next();
});

app.onError(handleError);
app.notFound(handleNotFound);

app.route('/', platform);
for (const a of APPS) app.route(`/${a.slug}`, a.routes);
// Last: the document describes every route registered above.
mountApiDocs(app);

export default app;
