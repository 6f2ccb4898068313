/**
 * The one page layout (used through Hono's jsxRenderer: `c.render(<Page/>, { title })`).
 * A pure component: everything it shows comes in as props.
 *
 * <body> carries `hx-headers:inherited` with the CSRF token: htmx 4 inheritance is
 * explicit, so the `:inherited` modifier is what makes every htmx request below
 * send it. Scripts carry the per-request CSP nonce; there is no inline script.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../context';
import type { User } from '../auth/types';
import { CSRF_FIELD } from '../http/request';

declare module 'hono' {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: augments Hono's interface (declaration merging); a type alias would not.
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

/** The platform's own stylesheet and scripts, as versioned URLs (workers/assets.ts: content hashes). */
export type BaseAssets = { styles: string; app: string; htmx: string };

const UNVERSIONED: BaseAssets = { styles: '/styles.css', app: '/app.js', htmx: '/vendor/htmx.min.js' };

/** What a page passes to `c.render`: its title, and any extra stylesheet or module of its own. */
export type PageProps = { title: string; styles?: string[]; scripts?: string[] };

/** One entry of the header's app menu (the list comes from workers/apps.ts: shared/ never names an app). */
export type NavApp = { slug: string; name: string; icon: string; live: boolean };

export type LayoutProps = {
  title: string;
  /** The apps menu; empty leaves it out. */
  apps?: readonly NavApp[] | undefined;
  /** The request's path, to mark the current app. */
  path?: string | undefined;
  styles?: string[] | undefined;
  scripts?: string[] | undefined;
  /** Versioned URLs of the platform's stylesheet, app.js and htmx. */
  base?: BaseAssets | undefined;
  user: User | null;
  csrfToken: string;
  nonce: string | undefined;
  children?: Child;
};

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/**
 * The header's way between apps: a <details> disclosure, so it opens and closes
 * without JavaScript and screen readers announce it as expandable. Apps not built
 * yet are listed too (their page says what is coming).
 */
export function AppsMenu({ apps, path = '' }: { apps: readonly NavApp[]; path?: string | undefined }) {
  if (apps.length === 0) return null;
  const current = apps.find((a) => path === `/${a.slug}` || path.startsWith(`/${a.slug}/`));
  return (
    <nav class="apps-nav" aria-label="Apps">
      <details class="apps-menu">
        <summary>
          <span class="visually-hidden">Switch app{current ? ` (now ${current.name})` : ''}: </span>
          <span aria-hidden="true">▦ </span>
          {current ? current.name : 'Apps'}
        </summary>
        <ul>
          {apps.map((a) => (
            <li>
              <a href={`/${a.slug}`} aria-current={a === current ? 'page' : undefined}>
                <span class="app-icon" aria-hidden="true">
                  {a.icon}
                </span>{' '}
                {a.name}
                {!a.live && <span class="badge">soon</span>}
              </a>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}

export function Layout({ title, styles = [], scripts = [], apps = [], base = UNVERSIONED, path, user, csrfToken, nonce, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title === 'Sixfold' ? title : `${title} · Sixfold`}</title>
        <link rel="stylesheet" href={base.styles} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <script nonce={nonce} src={base.htmx} defer></script>
        <script nonce={nonce} src={base.app} type="module"></script>
        {styles.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {scripts.map((src) => (
          <script nonce={nonce} src={src} type="module"></script>
        ))}
      </head>
      <body hx-headers:inherited={JSON.stringify({ 'X-CSRF-Token': csrfToken })}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="site-nav">
            <a class="brand" href="/" aria-label="Sixfold home">
              <span class="brand-mark" aria-hidden="true">
                ⬡
              </span>{' '}
              Sixfold
            </a>
            <AppsMenu apps={apps} path={path} />
          </div>
          <nav class="account-nav" aria-label="Account">
            {user ? (
              <>
                {user.role === 'admin' && <a href="/admin/users">Users</a>}
                <a href="/account" class="account-link" title={user.email}>
                  {user.displayName || user.email}
                </a>
                <form method="post" action="/signout" class="inline">
                  <CsrfField token={csrfToken} />
                  <button type="submit" class="link-button">
                    Sign out
                  </button>
                </form>
              </>
            ) : (
              <>
                <a href="/signin">Sign in</a>
                <a href="/signup" class="button small">
                  Sign up
                </a>
              </>
            )}
          </nav>
        </header>
        <div id="flash" class="flash" role="status" aria-live="polite"></div>
        <main id="main">{children}</main>
        <footer class="site-footer">
          <span>Sixfold · self-hosted on Cloudflare Workers</span>
          <a href="/healthz">status</a>
          <a href="/api/docs">API</a>
        </footer>
      </body>
    </html>
  );
}

/** Layout props for this request. */
export function layoutContext(c: Context<AppEnv>): Omit<LayoutProps, 'title' | 'children' | 'apps' | 'base'> {
  return {
    path: c.req.path,
    user: c.get('auth')?.user ?? null,
    csrfToken: c.get('csrfToken') ?? '',
    nonce: c.get('secureHeadersNonce'),
  };
}

/** A full page with a status other than 200 (errors, 422 forms), through the same renderer. */
export function renderPage(
  c: Context<AppEnv>,
  options: PageProps & { status?: number; headers?: Record<string, string> },
  content: Child,
): Response | Promise<Response> {
  const { status, headers, ...page } = options;
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
  if (status) c.status(status as 200);
  // `content` is already-escaped JSX output; passing it as-is keeps it from being escaped twice.
  return c.render(content as string, page);
}
