/** The home page, the status page (/healthz for browsers) and "coming soon" pages. */
import type { User } from '../../../shared/auth/types';
import { APPS, type AppSlug } from '../../apps';
import type { D1Check } from '../health';
import { paths } from '../paths';

export function HomePage({ available, user }: { available: ReadonlySet<AppSlug>; user: User | null }) {
  return (
    <>
      <section class="hero">
        <h1>Six tools. One Worker. Yours.</h1>
        <p class="lede">
          Sixfold is a pastebin, an analytics dashboard, a dead man’s switch, a helpdesk, an audio visualizer and a music composer, self-hosted on Cloudflare
          Workers with one shared account.
        </p>
        {!user && (
          <p class="actions">
            <a class="button" href={paths.signUp}>
              Create an account
            </a>{' '}
            <a href={paths.signIn}>Sign in</a>
          </p>
        )}
      </section>
      <ul class="app-grid" aria-label="Apps">
        {APPS.map((app) => {
          const live = available.has(app.slug);
          return (
            <li class={`app-card${live ? '' : ' soon'}`} data-app={app.slug}>
              <span class="app-icon" aria-hidden="true">
                {app.icon}
              </span>
              <h2>{live ? <a href={`/${app.slug}`}>{app.name}</a> : app.name}</h2>
              <p>{app.purpose}</p>
              {!live && <span class="badge">coming soon</span>}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The one app a page is about (a row of workers/apps.ts). */
type AppInfo = { slug: string; name: string; icon: string; purpose: string };

export function ComingSoonPage({ app }: { app: AppInfo }) {
  return (
    <section class="panel narrow coming-soon" data-app={app.slug}>
      <p class="eyebrow">
        <span class="app-icon" aria-hidden="true">
          {app.icon}
        </span>{' '}
        Coming soon
      </p>
      <h1>{app.name} is coming soon</h1>
      <p>{app.purpose}</p>
      <p class="muted">It is not part of this Sixfold yet. The apps you can use today are on the home page.</p>
      <p>
        <a class="button" href={paths.home}>
          See the apps
        </a>
      </p>
    </section>
  );
}

export function StatusPage({ ok, d1 }: { ok: boolean; d1: D1Check }) {
  return (
    <section class="panel narrow stack status-page">
      <h1>Status</h1>
      <p class={`notice ${ok ? 'notice-success' : 'notice-error'}`} role="status">
        {ok ? 'Everything is working.' : 'Something is wrong: see below.'}
      </p>
      <dl class="facts">
        <div data-check="d1" data-status={d1.status}>
          <dt>Database (D1)</dt>
          <dd>
            {d1.status === 'ok' ? (
              <>
                OK, answered in {d1.latency_ms} ms · schema at <code>{d1.latest_migration ?? 'no migrations'}</code>
              </>
            ) : (
              <>Error: {d1.error}</>
            )}
          </dd>
        </div>
      </dl>
      <p class="muted small">
        For monitors: <code>curl /healthz</code> answers JSON (<a href="/healthz.json">view it</a>), 200 when healthy, 503 otherwise.
      </p>
    </section>
  );
}
