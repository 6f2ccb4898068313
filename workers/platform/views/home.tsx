/** The home page and the status page (/healthz for browsers). */
import type { User } from '../../../shared/auth/types';
import { APPS } from '../../apps';
import type { D1Check } from '../health';
import { paths } from '../paths';

export function HomePage({ user }: { user: User | null }) {
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
          return (
            <li class="app-card" data-app={app.slug}>
              <span class="app-icon" aria-hidden="true">
                {app.icon}
              </span>
              <h2>
                <a href={`/${app.slug}`}>{app.name}</a>
              </h2>
              <p>{app.purpose}</p>
            </li>
          );
        })}
      </ul>
    </>
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
