/**
 * The root Hono app: shared middleware in a deliberate order, then the platform
 * routes and one sub-app per tool at `/<slug>`.
 *
 *   jsxRenderer     first, so even an error raised by later middleware renders a page
 *   requestId       X-Request-Id (kept from the client if well-formed, else a UUID)
 *   requestLog      opens the request scope (D1 cost counters), writes one JSON line
 *   config check    a misconfigured instance says what to fix
 *   securityHeaders CSP with nonce, HSTS, nosniff, Referrer-Policy, …
 *   bodyLimits      413 before a large body is read
 *   csrfProtection  before auth, so a forged request never reaches refresh rotation
 *   loadAuth        who is calling (session cookie or bearer token)
 */
import { Hono } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import { requestId } from 'hono/request-id';
import { loadAuth } from '../shared/auth/middleware';
import type { AppEnv } from '../shared/context';
import { config } from '../shared/env';
import { Layout, layoutContext } from '../shared/html/layout';
import { handleError, handleNotFound } from '../shared/http/errors';
import { requestLog } from '../shared/http/logging';
import { bodyLimits, csrfProtection, securityHeaders } from '../shared/http/security';
import { SUB_APPS } from './apps';
import platform from './platform/routes';

const app = new Hono<AppEnv>();

app.use(
  jsxRenderer(({ children, title, styles, scripts }, c) => (
    <Layout title={title} styles={styles} scripts={scripts} {...layoutContext(c as Parameters<typeof layoutContext>[0])}>
      {children}
    </Layout>
  )),
);
app.use(requestId({ generator: () => crypto.randomUUID() }));
app.use(requestLog());
app.use(async (c, next) => {
  config(c.env); // throws ConfigError → 503 with what to fix (handleError)
  await next();
});
app.use(securityHeaders());
app.use(bodyLimits());
app.use(csrfProtection());
app.use(loadAuth());

app.onError(handleError);
app.notFound(handleNotFound);

app.route('/', platform);
for (const [slug, sub] of Object.entries(SUB_APPS)) app.route(`/${slug}`, sub);

export default app;
