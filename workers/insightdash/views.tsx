/**
 * InsightDash's pages: your dashboards, series and annotations (with the CSV import
 * and how to send data), a dashboard (its range picker, its cards as skeletons that
 * load on their own, editing), a series' settings, and the card fragments htmx swaps in.
 *
 * A chart card carries its data as JSON in a `<script type="application/json">`
 * (never executed; `<` escaped), which insightdash.js draws with uPlot; its numbers
 * are also in the card's text, so it reads without JavaScript.
 */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { now } from '../../shared/clock';
import { Field, FormError, SelectField, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { asset } from '../assets';
import type { ChartPayload } from './charts';
import { paths } from './paths';
import type { Aggregate, Note } from './queries';
import { RANGE_LABELS, RANGES, type Range } from './ranges';
import { MAX_CARDS } from './refusals';
import type { Annotation, Card, CardKind, Dashboard, Series, SeriesKind } from './repository';
import type { Pull } from './pulls';
import type { IngestAnswer } from './service';

export const INSIGHT_ASSETS = {
  styles: [asset('/vendor/uPlot.min.css'), asset('/insightdash.css')],
  scripts: [asset('/vendor/uPlot.iife.min.js'), asset('/insightdash.js')],
};

export const CARD_KINDS: Record<CardKind, string> = {
  line: 'Line chart (average, min/max band, moving average, previous period)',
  bars: 'Bars per day (per week over 90 days)',
  stat: 'Numbers: last, average, min, max, sum, change',
  calendar: 'Habit calendar with streaks',
  table: 'Table',
};
export const SERIES_KINDS: Record<SeriesKind, string> = {
  gauge: 'Gauge: a level (weight, temperature); bars show the day’s average',
  counter: 'Counter: amounts that add up (steps, spend); bars show the day’s sum',
  habit: 'Habit: done (1) or not (0) each day; bars show the day’s sum',
};

/** A number as people read it: grouped thousands, at most 4 decimals (and its unit). */
export function formatNumber(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const text = v.toLocaleString('en', { maximumFractionDigits: Math.abs(v) >= 100 ? 1 : 4 });
  return unit ? `${text} ${unit}` : text;
}
const isoMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** JSON inside a <script> element: `<` escaped, so nothing in it can close the element. */
const scriptJson = (value: unknown) =>
  raw(
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );

// ---------------------------------------------------------------- home

export function HomePage(props: {
  signedIn: boolean;
  csrf: string;
  dashboards: Dashboard[];
  series: Series[];
  annotations: Annotation[];
  origin: string;
  errors?: FieldErrors;
  imported?: IngestAnswer;
  pulls: Pull[];
  pullValues?: Record<string, string> | undefined;
  notice?: string | undefined;
  /** Raw points an account may keep. */
  maxPoints: number;
}) {
  if (!props.signedIn) {
    return (
      <section class="insight-intro">
        <h1>InsightDash</h1>
        <p>
          Your own time series (weight, sleep, steps, server load, anything with a number and a moment), sent in with curl, Telegraf or a CSV file, and read
          back as dashboards whose cards each load on their own from hourly and daily rollups.
        </p>
        <p>
          <a class="button" href={`/signin?next=${encodeURIComponent(paths.home)}`}>
            Sign in
          </a>{' '}
          or <a href={`/signup?next=${encodeURIComponent(paths.home)}`}>make an account</a> to start.
        </p>
      </section>
    );
  }
  return (
    <div class="insight-home">
      <h1>InsightDash</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <section aria-labelledby="dashboards-h">
        <h2 id="dashboards-h">Dashboards</h2>
        {props.dashboards.length === 0 ? (
          <p class="muted">
            No dashboards yet.
            {props.series.length > 0 ? ' Make one below: it can start with a card for each of your series.' : ' Send some points first (below), then make one.'}
          </p>
        ) : (
          <ul class="insight-list">
            {props.dashboards.map((d) => (
              <li>
                <a href={paths.dashboard(d.id)}>{d.name}</a>
                {d.shareToken && <span class="badge">shared</span>}
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={paths.dashboards} class="inline-form">
          <CsrfField token={props.csrf} />
          <Field label="New dashboard" name="name" value="My dashboard" maxlength={100} required error={props.errors?.name} />
          <label class="check">
            <input type="checkbox" name="with_cards" value="yes" checked={props.series.length > 0} /> With a line chart for each series (up to {MAX_CARDS})
          </label>
          <button type="submit">Make dashboard</button>
        </form>
      </section>

      <section aria-labelledby="series-h">
        <h2 id="series-h">Series</h2>
        {props.series.length === 0 ? (
          <p class="muted">No series yet: a series is made when you first send it points.</p>
        ) : (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Unit</th>
                  <th scope="col">Raw points</th>
                  <th scope="col">Goal</th>
                </tr>
              </thead>
              <tbody>
                {props.series.map((s) => (
                  <tr>
                    <td data-label="Name">
                      <a href={paths.series(s.id)}>{s.name}</a>
                      {/* (A name from line protocol already carries its tags: cpu.usage_user{host=web-1}.) */}
                      {Object.keys(s.tags).length > 0 && !s.name.includes('{') && (
                        <span class="muted tags">
                          {' '}
                          {Object.entries(s.tags)
                            .map(([k, v]) => `${k}=${v}`)
                            .join(' ')}
                        </span>
                      )}
                    </td>
                    <td data-label="Kind">{s.kind}</td>
                    <td data-label="Unit">{s.unit || '–'}</td>
                    <td data-label="Raw points">
                      {s.points.toLocaleString('en')}{' '}
                      <span class="muted">
                        · kept {s.retentionDays} day{s.retentionDays === 1 ? '' : 's'}
                      </span>
                    </td>
                    <td data-label="Goal">{s.goal === 'auto' ? 'automatic' : formatNumber(s.goal, s.unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.series.length > 0 && <QuotaLine stored={props.series.reduce((a, x) => a + x.points, 0)} max={props.maxPoints} />}
      </section>

      <ImportSection csrf={props.csrf} imported={props.imported} errors={props.errors} />
      <SendSection origin={props.origin} />
      <PullsSection csrf={props.csrf} pulls={props.pulls} errors={props.errors} values={props.pullValues} />
      <AnnotationsSection csrf={props.csrf} annotations={props.annotations} series={props.series} errors={props.errors} />
    </div>
  );
}

function ImportSection({ csrf, imported, errors }: { csrf: string; imported?: IngestAnswer | undefined; errors?: FieldErrors | undefined }) {
  return (
    <section aria-labelledby="import-h" id="import">
      <h2 id="import-h">Import a CSV file</h2>
      <p>
        Lines of <code>ts,series,value</code>: <code>ts</code> in milliseconds since 1970 or ISO 8601 with a zone (<code>2026-12-01T07:30:00Z</code>). Lines
        with mistakes are listed by number; the others are stored.
      </p>
      <form method="post" action={paths.import} enctype="multipart/form-data" class="insight-import" data-import data-parts={paths.importPart}>
        <CsrfField token={csrf} />
        <div class={`field${errors?.file ? ' has-error' : ''}`}>
          <label for="f-file">CSV file</label>
          <input id="f-file" name="file" type="file" accept=".csv,text/csv,text/plain" required aria-describedby="f-file-hint" />
          <p class="hint" id="f-file-hint">
            Any size with JavaScript (sent in parts of 5,000 lines); up to 60 KB without.
          </p>
          {errors?.file && (
            <p class="error" id="f-file-error">
              {errors.file}
            </p>
          )}
        </div>
        <button type="submit">Import</button>
        <progress max="1" value="0" hidden aria-label="Import progress" />
        <div class="import-result" aria-live="polite">
          {imported && <ImportResult answer={imported} />}
        </div>
      </form>
    </section>
  );
}

export function ImportResult({ answer }: { answer: IngestAnswer }) {
  return (
    <div class={answer.rejected > 0 ? 'notice warning' : 'notice'} role="status">
      <p>
        {answer.accepted.toLocaleString('en')} point{answer.accepted === 1 ? '' : 's'} stored
        {answer.rejected > 0 ? `, ${answer.rejected.toLocaleString('en')} line${answer.rejected === 1 ? '' : 's'} refused:` : '.'}
      </p>
      {answer.errors.length > 0 && (
        <ul class="import-errors">
          {answer.errors.map((e) => (
            <li>
              {'line' in e && e.line !== undefined ? `Line ${e.line}: ` : ''}
              {e.reason}
            </li>
          ))}
          {answer.truncated && <li>… and more (the first 100 are listed).</li>}
        </ul>
      )}
    </div>
  );
}

function SendSection({ origin }: { origin: string }) {
  const at = now();
  return (
    <section aria-labelledby="send-h">
      <h2 id="send-h">Send points from anywhere</h2>
      <p>
        Make an API token with the scope <code>insightdash:ingest</code> on <a href="/account#tokens">your account page</a>, then:
      </p>
      <pre tabindex={0}>
        <code>{`curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \\
  --data '{"series": "weight", "unit": "kg", "points": [[${at}, 71.3]]}' \\
  ${origin}${paths.home}/api/points`}</code>
      </pre>
      <p>
        Influx line protocol (<code>weather,city=oslo temp=3.5,humidity=81i</code> becomes <code>{'weather.temp{city=oslo}'}</code> and{' '}
        <code>{'weather.humidity{city=oslo}'}</code>) at <code>{paths.home}/api/write</code>, so Telegraf’s HTTP output works unchanged:
      </p>
      <pre tabindex={0}>
        <code>{`[[outputs.http]]
  url = "${origin}${paths.home}/api/write?precision=ns"
  data_format = "influx"
  [outputs.http.headers]
    Authorization = "Bearer $TOKEN"`}</code>
      </pre>
      <p>
        All of it is in the <a href="/api/docs#tag/InsightDash">API reference</a>. Times are UTC.
      </p>
    </section>
  );
}

const FORMATS: Record<Pull['format'], string> = {
  json: 'JSON: one number at a path',
  csv: 'CSV: ts,series,value',
  prometheus: 'Prometheus text (/metrics)',
};

function PullsSection({
  csrf,
  pulls,
  errors,
  values = {},
}: {
  csrf: string;
  pulls: Pull[];
  errors?: FieldErrors | undefined;
  values?: Record<string, string> | undefined;
}) {
  return (
    <section aria-labelledby="pulls-h" id="pulls">
      <h2 id="pulls-h">Pulls</h2>
      <p class="muted">
        An address InsightDash fetches on its own, every so many minutes: a weather API, a /metrics page, a CSV file. https only, public hosts only, at most 1
        MiB and 10 seconds.
      </p>
      {pulls.length > 0 && (
        <ul class="insight-list pulls">
          {pulls.map((p) => (
            <li>
              <code class="pull-url">{p.url}</code>{' '}
              <span class="muted">
                ({p.format}
                {p.format === 'json' ? ` ${p.selector} → ${p.series}` : ''}, every {p.intervalMinutes} min)
              </span>
              <br />
              {p.lastAt === null ? (
                <span class="muted">Not run yet: it runs within a minute.</span>
              ) : (
                <span class={p.lastOk ? undefined : 'pull-failed'}>
                  {p.lastOk ? 'Last run' : 'Last run failed'} <Time ms={p.lastAt} />: {p.lastMessage}
                </span>
              )}{' '}
              <form method="post" action={paths.pullNow(p.id)} class="inline">
                <CsrfField token={csrf} />
                <button type="submit" class="link" aria-label={`Pull now: ${p.url}`}>
                  Pull now
                </button>
              </form>{' '}
              <form method="post" action={paths.removePull(p.id)} class="inline">
                <CsrfField token={csrf} />
                <button type="submit" class="link danger" aria-label={`Delete the pull of ${p.url}`}>
                  Delete
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={paths.pulls} class="inline-form">
        <CsrfField token={csrf} />
        <FormError message={errors?._pull} />
        <Field
          label="Address"
          name="url"
          type="url"
          value={values.url}
          placeholder="https://api.example.com/now.json"
          maxlength={2000}
          required
          error={errors?.url}
        />
        <SelectField
          label="Format"
          name="format"
          value={values.format}
          options={Object.entries(FORMATS).map(([value, label]) => ({ value, label }))}
          error={errors?.format}
        />
        <Field label="JSON path (JSON only)" name="selector" value={values.selector} placeholder="$.main.temp" maxlength={200} error={errors?.selector} />
        <Field
          label="Series (JSON only)"
          name="series"
          id="f-pull-series"
          value={values.series}
          placeholder="weather.temp"
          maxlength={200}
          error={errors?.series}
        />
        <Field
          label="Every (minutes)"
          name="interval_minutes"
          type="number"
          value={values.interval_minutes ?? '60'}
          required
          error={errors?.interval_minutes}
        />
        <button type="submit">Add pull</button>
      </form>
    </section>
  );
}

function AnnotationsSection({
  csrf,
  annotations,
  series,
  errors,
  returnTo,
}: {
  csrf: string;
  annotations: Annotation[];
  series: Series[];
  errors?: FieldErrors | undefined;
  returnTo?: string;
}) {
  return (
    <section aria-labelledby="notes-h" id="annotations">
      <h2 id="notes-h">Annotations</h2>
      <p class="muted">A note at a moment (“started running”, “new server”), drawn on the charts of one series or of all.</p>
      <AnnotationForm csrf={csrf} series={series} errors={errors} returnTo={returnTo} />
      {annotations.length > 0 && (
        <ul class="insight-list notes">
          {annotations.map((a) => (
            <li>
              <span class="muted">{isoMinute(a.ts)} UTC</span> <span class="note-text">{a.text}</span>{' '}
              <span class="muted">({a.seriesName ?? 'all series'})</span>
              <form method="post" action={paths.removeAnnotation(a.id)} class="inline">
                <CsrfField token={csrf} />
                {returnTo && <input type="hidden" name="return_to" value={returnTo} />}
                <button type="submit" class="link danger" aria-label={`Delete the annotation “${a.text}”`}>
                  Delete
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AnnotationForm({
  csrf,
  series,
  errors,
  returnTo,
}: {
  csrf: string;
  series: Series[];
  errors?: FieldErrors | undefined;
  returnTo?: string | undefined;
}) {
  return (
    <form method="post" action={paths.annotations} class="inline-form">
      <CsrfField token={csrf} />
      {returnTo && <input type="hidden" name="return_to" value={returnTo} />}
      <Field label="When (UTC)" name="at" type="datetime-local" value={new Date().toISOString().slice(0, 16)} required error={errors?.at} />
      <Field label="Note" name="text" maxlength={280} required error={errors?.text} />
      <SelectField
        label="On"
        name="series"
        id="f-note-series"
        options={[{ value: '', label: 'All series' }, ...series.map((s) => ({ value: String(s.id), label: s.name }))]}
        error={errors?.series}
      />
      <button type="submit">Add annotation</button>
    </form>
  );
}

// ---------------------------------------------------------------- a dashboard

export function RangePicker({ range, base, error }: { range: Range; base: (query?: string) => string; error?: string | undefined }) {
  return (
    <nav class="range-picker" aria-label="Time range">
      <ul>
        {RANGES.filter((k) => k !== 'custom').map((k) => (
          <li>
            <a href={base(`range=${k}`)} aria-current={range.key === k ? 'true' : undefined}>
              {RANGE_LABELS[k]}
            </a>
          </li>
        ))}
      </ul>
      <form method="get" action={base()} class="range-custom">
        <input type="hidden" name="range" value="custom" />
        <label>
          From <input type="date" name="from" value={range.fromDate ?? isoDay(range.from)} required />
        </label>
        <label>
          to <input type="date" name="to" value={range.toDate ?? isoDay(range.to - 1)} required />
        </label>
        <button type="submit">Show</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error} Showing {range.label.toLowerCase()}.
        </p>
      )}
      <p class="muted range-now">{range.key === 'custom' ? range.label : `${range.label}: ${isoDay(range.from)} to ${isoDay(range.to - 1)}`} (UTC)</p>
    </nav>
  );
}

/** A card before its data: its title and reserved height; htmx loads it on its own. */
export function CardSkeleton({ card, url }: { card: Card; url: string }) {
  return (
    <article class={`insight-card skeleton kind-${card.kind}`} id={`card-${card.id}`} hx-get={url} hx-trigger="load" hx-swap="outerHTML" aria-busy="true">
      <header>
        <h2>{card.title || card.series.name}</h2>
      </header>
      <div class="card-body">
        <p class="muted">Loading…</p>
        <a href={url} class="without-js">
          Open this card
        </a>
      </div>
    </article>
  );
}

export function DashboardPage(props: {
  dashboard: Dashboard;
  cards: Card[];
  range: Range;
  rangeError?: string | undefined;
  series: Series[];
  annotations: Annotation[];
  csrf: string;
  shareUrl: string | null;
  errors?: FieldErrors;
  notice?: string | undefined;
  /** Every card's content, for a browser without JavaScript (`?inline=1`); otherwise skeletons. */
  inlineCards?: Child[];
}) {
  const { dashboard, range } = props;
  const returnTo = paths.dashboard(dashboard.id, range.query);
  return (
    <>
      <p class="breadcrumb">
        <a href={paths.home}>InsightDash</a> ›
      </p>
      <h1>{dashboard.name}</h1>
      {props.notice && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <RangePicker range={range} base={(q) => paths.dashboard(dashboard.id, q)} error={props.rangeError} />
      {props.cards.length === 0 ? (
        <p class="muted">This dashboard has no cards yet: add one below.</p>
      ) : (
        <>
          {!props.inlineCards && (
            <p class="without-js">
              <a href={`${paths.dashboard(dashboard.id, range.query)}&inline=1`}>Show every card on this page</a> (without JavaScript, the cards do not load on
              their own).
            </p>
          )}
          <div class="insight-grid">
            {props.inlineCards ?? props.cards.map((card) => <CardSkeleton card={card} url={paths.card(dashboard.id, card.id, range.query)} />)}
          </div>
        </>
      )}
      <details class="insight-edit" open={props.errors !== undefined || props.cards.length === 0}>
        <summary>Edit this dashboard</summary>
        <EditDashboard {...props} returnTo={returnTo} />
      </details>
      <AnnotationsSection csrf={props.csrf} annotations={props.annotations} series={props.series} errors={props.errors} returnTo={returnTo} />
      <ShareSection dashboard={dashboard} csrf={props.csrf} shareUrl={props.shareUrl} returnTo={returnTo} />
    </>
  );
}

function EditDashboard(props: { dashboard: Dashboard; cards: Card[]; series: Series[]; csrf: string; errors?: FieldErrors | undefined; returnTo: string }) {
  const { dashboard, csrf, returnTo } = props;
  const back = <input type="hidden" name="return_to" value={returnTo} />;
  return (
    <div class="edit-body">
      <h2>Cards</h2>
      {props.cards.length > 0 && (
        <ol class="card-order">
          {props.cards.map((card, i) => (
            <li>
              <span>
                {card.title || card.series.name}{' '}
                <span class="muted">
                  ({card.kind}, {card.series.name})
                </span>
              </span>
              <form method="post" action={paths.moveCard(dashboard.id, card.id)} class="inline">
                <CsrfField token={csrf} />
                {back}
                <button type="submit" name="direction" value="up" disabled={i === 0} aria-label={`Move “${card.title || card.series.name}” up`}>
                  ↑
                </button>
                <button
                  type="submit"
                  name="direction"
                  value="down"
                  disabled={i === props.cards.length - 1}
                  aria-label={`Move “${card.title || card.series.name}” down`}
                >
                  ↓
                </button>
              </form>
              <form method="post" action={paths.removeCard(dashboard.id, card.id)} class="inline">
                <CsrfField token={csrf} />
                {back}
                <button type="submit" class="danger" aria-label={`Remove the card “${card.title || card.series.name}”`}>
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ol>
      )}
      {props.series.length === 0 ? (
        <p class="muted">Send points first: a card shows one series.</p>
      ) : (
        <form method="post" action={paths.cards(dashboard.id)} class="inline-form">
          <CsrfField token={csrf} />
          {back}
          <FormError message={props.errors?._} />
          <SelectField
            label="Series"
            name="series"
            id="f-card-series"
            options={props.series.map((s) => ({ value: String(s.id), label: s.name }))}
            error={props.errors?.series}
          />
          <SelectField label="Card" name="kind" options={Object.entries(CARD_KINDS).map(([value, label]) => ({ value, label }))} error={props.errors?.kind} />
          <Field label="Title (optional)" name="title" maxlength={100} error={props.errors?.title} />
          <button type="submit">Add card</button>
        </form>
      )}
      <h2>Name</h2>
      <form method="post" action={paths.rename(dashboard.id)} class="inline-form">
        <CsrfField token={csrf} />
        {back}
        <Field label="Name" name="name" id="f-rename" value={dashboard.name} maxlength={100} required error={props.errors?.name} />
        <button type="submit">Rename</button>
      </form>
      <h2>Delete</h2>
      <form method="post" action={paths.remove(dashboard.id)} class="inline-form">
        <CsrfField token={csrf} />
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> Delete this dashboard for good (its series and points stay)
        </label>
        <button type="submit" class="danger">
          Delete dashboard
        </button>
      </form>
    </div>
  );
}

function ShareSection({ dashboard, csrf, shareUrl, returnTo }: { dashboard: Dashboard; csrf: string; shareUrl: string | null; returnTo: string }) {
  return (
    <section aria-labelledby="share-h" id="share">
      <h2 id="share-h">Share</h2>
      {shareUrl ? (
        <>
          <p>
            Anyone with this link sees this dashboard, read-only, without signing in (with each series’ own annotations; your notes on all series stay yours):
          </p>
          <p>
            <input type="text" readonly value={shareUrl} aria-label="Share link" class="share-url" />
          </p>
        </>
      ) : (
        <p class="muted">Not shared. A share link shows this dashboard read-only to anyone who has it, until you turn it off.</p>
      )}
      <form method="post" action={paths.share(dashboard.id)} class="inline">
        <CsrfField token={csrf} />
        <input type="hidden" name="return_to" value={returnTo} />
        {shareUrl ? (
          <>
            <button type="submit" name="share" value="new">
              Make a new link (the old one stops working)
            </button>{' '}
            <button type="submit" name="share" value="off" class="danger">
              Stop sharing
            </button>
          </>
        ) : (
          <button type="submit" name="share" value="new">
            Make a share link
          </button>
        )}
      </form>
    </section>
  );
}

export function SharedDashboardPage(props: { dashboard: Dashboard; cards: Card[]; range: Range; rangeError?: string | undefined; token: string }) {
  return (
    <>
      <h1>{props.dashboard.name}</h1>
      <p class="muted">A shared InsightDash dashboard, read-only.</p>
      <RangePicker range={props.range} base={(q) => paths.shared(props.token, q)} error={props.rangeError} />
      <div class="insight-grid">
        {props.cards.map((card) => (
          <CardSkeleton card={card} url={paths.sharedCard(props.token, card.id, props.range.query)} />
        ))}
      </div>
    </>
  );
}

// ---------------------------------------------------------------- cards

function CardFrame({ card, range, csvUrl, children }: { card: Card; range: Range; csvUrl: string | null; children: Child }) {
  return (
    <article class={`insight-card kind-${card.kind}`} id={`card-${card.id}`}>
      <header>
        <h2>{card.title || card.series.name}</h2>
        <p class="muted">{[card.title ? card.series.name : '', range.label, card.series.unit].filter(Boolean).join(' · ')}</p>
      </header>
      <div class="card-body">{children}</div>
      {csvUrl && (
        <footer>
          <a href={csvUrl} download>
            Export CSV
          </a>
        </footer>
      )}
    </article>
  );
}

/**
 * What a chart shows, in words: for screen readers and pages without JavaScript. `per`
 * names what `aggregate` counts: points (a line), or the bars (days or weeks) it averages.
 */
function Summary({ aggregate, unit, notes, per = 'point' }: { aggregate: Aggregate; unit: string; notes: Note[]; per?: string }) {
  if (aggregate.n === 0) return <p class="muted">No points in this range.</p>;
  return (
    <>
      <p class="chart-summary">
        {per === 'point' ? 'Average' : `Average a ${per}`} {formatNumber((aggregate.sum ?? 0) / aggregate.n, unit)}, min {formatNumber(aggregate.min, unit)},
        max {formatNumber(aggregate.max, unit)} over {aggregate.n.toLocaleString('en')} {per}
        {aggregate.n === 1 ? '' : 's'}
        {per === 'point' ? '' : `, ${formatNumber(aggregate.sum, unit)} in all`}.
      </p>
      {notes.length > 0 && (
        <ul class="chart-notes">
          {notes.map((n) => (
            <li>
              <span class="muted">{isoMinute(n.ts)}</span> {n.text}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ChartCard(props: { card: Card; range: Range; csvUrl: string | null; chart: ChartPayload; aggregate: Aggregate; notes: Note[]; per?: string }) {
  const { card, chart } = props;
  const what = chart.kind === 'bars' ? 'Bar chart' : 'Line chart';
  return (
    <CardFrame card={card} range={props.range} csvUrl={props.csvUrl}>
      <figure class="chart" data-chart>
        <div class="chart-plot" role="img" aria-label={`${what} of ${card.series.name}, ${props.range.label.toLowerCase()}`} />
        <script type="application/json" class="chart-data">
          {scriptJson(chart)}
        </script>
        <figcaption>
          <Summary aggregate={props.aggregate} unit={card.series.unit} notes={props.notes} per={props.per} />
        </figcaption>
      </figure>
    </CardFrame>
  );
}

export function StatCard(props: {
  card: Card;
  range: Range;
  csvUrl: string | null;
  current: Aggregate;
  previous: Aggregate;
  last: { ts: number; value: number } | null;
  change: number | null;
  measure: 'sum' | 'avg';
}) {
  const { current, card } = props;
  const unit = card.series.unit;
  const avg = current.n > 0 ? (current.sum ?? 0) / current.n : null;
  const stats: [string, string][] = [
    ['Last', props.last ? formatNumber(props.last.value, unit) : '–'],
    ['Average', formatNumber(avg, unit)],
    ['Min', formatNumber(current.min, unit)],
    ['Max', formatNumber(current.max, unit)],
    // A gauge's sum means nothing (weight added up); a counter's or habit's is its total.
    ...(props.measure === 'sum' ? [['Total', formatNumber(current.sum, unit)] as [string, string]] : []),
    ['Points', current.n.toLocaleString('en')],
  ];
  return (
    <CardFrame card={card} range={props.range} csvUrl={props.csvUrl}>
      <dl class="stats">
        {stats.map(([k, v]) => (
          <div>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <p class={`change ${props.change === null ? '' : props.change >= 0 ? 'up' : 'down'}`}>
        {props.change === null
          ? 'No previous period to compare with.'
          : `${props.change >= 0 ? '▲' : '▼'} ${Math.abs(props.change).toLocaleString('en', { maximumFractionDigits: 1 })}% ${props.measure === 'sum' ? 'sum' : 'average'} against the period before`}
      </p>
      {props.last && (
        <p class="muted">
          Last point: <Time ms={props.last.ts} />
        </p>
      )}
    </CardFrame>
  );
}

export function CalendarCard(props: {
  card: Card;
  range: Range;
  csvUrl: string | null;
  days: { t: number; value: number }[];
  current: number;
  longest: number;
}) {
  const byDay = new Map(props.days.map((d) => [d.t, d.value]));
  const DAY = 86_400_000;
  const first = props.range.from;
  // Weeks as columns, Monday first (blank cells before the range's first weekday), each
  // headed by the month that starts in it (or the range's first month).
  const lead = (new Date(first).getUTCDay() + 6) % 7;
  const cells: Child[] = [];
  const max = Math.max(1, ...props.days.map((d) => d.value));
  for (let week = first - lead * DAY; week < props.range.to; week += 7 * DAY) {
    const starts = [0, 1, 2, 3, 4, 5, 6]
      .map((i) => week + i * DAY)
      .find((t) => t >= first && t < props.range.to && (t === first || new Date(t).getUTCDate() === 1));
    cells.push(
      <span class="month" aria-hidden="true">
        {starts === undefined ? '' : MONTHS[new Date(starts).getUTCMonth()]}
      </span>,
    );
    for (let t = week; t < week + 7 * DAY; t += DAY) {
      if (t < first || t >= props.range.to) {
        cells.push(<span class="day blank" aria-hidden="true" />);
        continue;
      }
      const v = byDay.get(t);
      const level = v === undefined || v <= 0 ? 0 : Math.min(4, Math.ceil((v / max) * 4));
      cells.push(<span class={`day level-${level}`} title={`${isoDay(t)}: ${v === undefined ? 'nothing' : formatNumber(v, props.card.series.unit)}`} />);
    }
  }
  const done = props.days.filter((d) => d.value > 0).length;
  const days = Math.round((props.range.to - props.range.from) / DAY);
  return (
    <CardFrame card={props.card} range={props.range} csvUrl={props.csvUrl}>
      <p class="streaks">
        <strong>{props.current}</strong> day{props.current === 1 ? '' : 's'} current streak · <strong>{props.longest}</strong> longest · {done} of {days} day
        {days === 1 ? '' : 's'} done
      </p>
      <div class="calendar-wrap" role="img" aria-label={`Calendar: ${done} of ${days} day${days === 1 ? '' : 's'} done`}>
        {/* (In this order: the box runs right to left, so it opens on the newest weeks, the weekday names on the left.) */}
        <div class="calendar">{cells}</div>
        <div class="calendar weekdays" aria-hidden="true">
          {['', 'Mon', '', 'Wed', '', 'Fri', '', ''].map((d) => (
            <span>{d}</span>
          ))}
        </div>
      </div>
    </CardFrame>
  );
}

export const TABLE_ROWS = 100;

export function TableCard(props: {
  card: Card;
  range: Range;
  csvUrl: string | null;
  rows: { t: number; n: number; avg: number; min: number; max: number }[];
  resolution: string;
}) {
  const unit = props.card.series.unit;
  const rows = props.rows.slice(-TABLE_ROWS).reverse();
  const when = props.resolution === 'day' ? isoDay : isoMinute;
  return (
    <CardFrame card={props.card} range={props.range} csvUrl={props.csvUrl}>
      {rows.length === 0 ? (
        <p class="muted">No points in this range.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="muted">
              {props.resolution === 'raw' ? 'Points' : props.resolution === 'hour' ? 'Hours' : 'Days'}, newest first
              {props.rows.length > TABLE_ROWS ? ` (the last ${TABLE_ROWS}; all of them in the CSV)` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">{props.resolution === 'raw' ? 'Time (UTC)' : props.resolution === 'hour' ? 'Hour (UTC)' : 'Day'}</th>
                <th scope="col">Average</th>
                <th scope="col">Min</th>
                <th scope="col">Max</th>
                <th scope="col">Points</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label="When">{when(r.t)}</td>
                  <td data-label="Average">{formatNumber(r.avg, unit)}</td>
                  <td data-label="Min">{formatNumber(r.min, unit)}</td>
                  <td data-label="Max">{formatNumber(r.max, unit)}</td>
                  <td data-label="Points">{r.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </CardFrame>
  );
}

// ---------------------------------------------------------------- a series

/** How many raw points the account's series keep against the cap: a warning from 90% on. */
function QuotaLine({ stored, max }: { stored: number; max: number }) {
  const full = stored >= max * 0.9;
  return (
    <p class={full ? 'notice warning' : 'muted'}>
      Your series keep {stored.toLocaleString('en')} raw points; an account may keep {max.toLocaleString('en')} (their hourly and daily rollups are not counted)
      {full ? ': when it is full, ingest is refused. Delete points or series you no longer need, or keep raw points for fewer days.' : '.'}
    </p>
  );
}

export function SeriesPage(props: {
  series: Series;
  csrf: string;
  range: Range;
  rangeError?: string | undefined;
  chart: Child;
  latest: { points: { ts: number; value: number }[]; more: boolean };
  quota: { stored: number; max: number };
  errors?: FieldErrors | undefined;
  notice?: { at: 'points' | 'settings'; text: string } | undefined;
  values?: Record<string, string> | undefined;
  deleteErrors?: FieldErrors | undefined;
  deleteValues?: Record<string, string> | undefined;
}) {
  const { series, errors, range } = props;
  const v = props.values ?? {
    name: series.name,
    unit: series.unit,
    kind: series.kind,
    goal: series.goal === null ? '' : String(series.goal),
    retention_days: String(series.retentionDays),
  };
  const d = props.deleteValues ?? {};
  const n = (x: number) => x.toLocaleString('en');
  const noticeAt = (at: 'points' | 'settings') =>
    props.notice?.at === at && (
      <p class="notice" role="status">
        {props.notice.text}
      </p>
    );
  // Times to the second, or to the millisecond for every row when any point has one (so they line up).
  const ms = props.latest.points.some((p) => p.ts % 1000 !== 0);
  const time = (ts: number) =>
    new Date(ts)
      .toISOString()
      .slice(0, ms ? 23 : 19)
      .replace('T', ' ');
  return (
    <>
      <p class="breadcrumb">
        <a href={paths.home}>InsightDash</a> ›
      </p>
      <h1>{series.name}</h1>
      {Object.keys(series.tags).length > 0 && (
        <p class="muted">
          Tags:{' '}
          {Object.entries(series.tags)
            .map(([k, val]) => `${k}=${val}`)
            .join(', ')}
        </p>
      )}
      <p class="muted">
        This series keeps {n(series.points)} raw point{series.points === 1 ? '' : 's'}, each for {n(series.retentionDays)} day
        {series.retentionDays === 1 ? '' : 's'}.
      </p>
      <QuotaLine stored={props.quota.stored} max={props.quota.max} />
      <RangePicker range={range} base={(q) => paths.series(series.id, q)} error={props.rangeError} />
      <div class="insight-grid single">{props.chart}</div>
      <h2 id="points">Points</h2>
      {noticeAt('points')}
      {props.latest.points.length === 0 ? (
        <p class="muted">
          No raw points in this range{range.from < series.prunedBefore ? ' (older ones were deleted by the retention; their rollups stay)' : ''}.
        </p>
      ) : (
        <div class="table-scroll">
          <table class="points-table">
            <caption class="muted">
              {props.latest.more ? `The newest ${props.latest.points.length} points of this range` : 'This range’s points'}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col" class="value">
                  Value
                </th>
                <th scope="col">
                  <span class="visually-hidden">Delete</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.latest.points.map((p) => (
                <tr>
                  <td data-label="Time">{time(p.ts)}</td>
                  <td data-label="Value" class="value">
                    {formatNumber(p.value, series.unit)}
                  </td>
                  <td>
                    <form method="post" action={`${paths.deletePoints(series.id)}#points`} class="inline-form">
                      <CsrfField token={props.csrf} />
                      <input type="hidden" name="at" value={String(p.ts)} />
                      <input type="hidden" name="range" value={range.query ?? ''} />
                      <button type="submit" class="link-button">
                        Delete<span class="visually-hidden"> the point at {new Date(p.ts).toISOString()}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <details class="insight-edit" id="delete-points" open={props.deleteErrors ? true : undefined}>
        <summary>Delete points in a range</summary>
        <form method="post" action={`${paths.deletePoints(series.id)}#delete-points`} class="stack-form">
          <CsrfField token={props.csrf} />
          <FormError message={props.deleteErrors?._ ?? props.deleteErrors?.at} />
          <input type="hidden" name="range" value={range.query ?? ''} />
          <Field label="From (UTC)" name="from" id="delete-from" type="datetime-local" step="1" value={d.from ?? ''} error={props.deleteErrors?.from} />
          <Field
            label="To (UTC, included)"
            name="to"
            id="delete-to"
            type="datetime-local"
            step="1"
            value={d.to ?? ''}
            error={props.deleteErrors?.to}
            hint="Bad readings, a test run: the points go, and the hourly and daily rollups they were in are rewritten without them."
          />
          <button type="submit" class="danger">
            Delete these points
          </button>
        </form>
      </details>
      <h2 id="settings">Settings</h2>
      {noticeAt('settings')}
      <form method="post" action={`${paths.series(series.id)}#settings`} class="stack-form">
        <CsrfField token={props.csrf} />
        <input type="hidden" name="range" value={range.query ?? ''} />
        <FormError message={errors?._} />
        <Field
          label="Name"
          name="name"
          value={v.name}
          maxlength={200}
          required
          error={errors?.name}
          hint="Ingest finds a series by its name: after a rename, send its points under the new one."
        />
        <Field label="Unit" name="unit" value={v.unit} maxlength={20} error={errors?.unit} hint="Shown after the numbers: kg, °C, steps." />
        <SelectField
          label="Kind"
          name="kind"
          value={v.kind}
          options={Object.entries(SERIES_KINDS).map(([value, label]) => ({ value, label }))}
          error={errors?.kind}
        />
        <Field
          label="Goal (optional)"
          name="goal"
          value={v.goal}
          inputmode="text"
          error={errors?.goal}
          hint="A target drawn on the charts as a line: a number, or “auto” for the average of the same weekday over the 4 weeks before."
        />
        <Field
          label="Keep raw points for (days)"
          name="retention_days"
          type="number"
          value={v.retention_days}
          error={errors?.retention_days}
          hint="Older points are deleted every hour; the hourly and daily rollups stay, so long ranges still chart. 1 to 3,660."
        />
        <button type="submit">Save</button>
      </form>
      <h2>Delete</h2>
      <form method="post" action={paths.removeSeries(series.id)} class="inline-form">
        <CsrfField token={props.csrf} />
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> Delete “{series.name}” with all its points, rollups, cards and annotations
        </label>
        <button type="submit" class="danger">
          Delete series
        </button>
      </form>
    </>
  );
}
