/**
 * InsightDash's pages (mounted at /insightdash by routes.ts; paths.ts builds every URL).
 *
 *   GET  /                            your dashboards, series, annotations; CSV import; how to send points
 *   POST /dashboards                  make a dashboard (optionally a line card per series) → 303 to it
 *   GET  /d/:id?range=…               a dashboard: range picker, cards as skeletons htmx loads one by one
 *                                     (`&inline=1`: every card in the page, for browsers without JavaScript)
 *   GET  /d/:id/cards/:card?range=…   one card (a fragment for htmx, a page otherwise)
 *   GET  /d/:id/cards/:card.csv       its rows as CSV
 *   POST /d/:id/cards                 add a card;  POST /d/:id/cards/:card/move | /delete
 *   POST /d/:id/rename | /delete | /share
 *   GET  /series/:id, POST /series/:id, POST /series/:id/delete
 *   POST /annotations, POST /annotations/:id/delete
 *   POST /pulls, POST /pulls/:id/run | /delete   URLs the cron fetches (pulls.ts)
 *   POST /import                      CSV: one small file (a plain form)
 *   POST /import/parts                CSV: a part of a file (insightdash.js, with the CSRF header), answered as JSON
 *   GET  /s/:token, /s/:token/cards/:card    a shared dashboard, read-only
 *
 * Someone else's dashboard, card, series or annotation is the 404 of one that does not exist.
 */
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { currentAuth, requireSession } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { randomToken } from '../../shared/crypto';
import { type FieldErrors, HttpError } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { outboundRefusal } from '../../shared/http/outbound';
import { refusal } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { fragmentOrPage, navigate } from '../../shared/http/respond';
import { fieldErrors, form, params, query } from '../../shared/http/validation';
import { ingestLimit, ingestParsed } from './api';
import { barChart, changePercent, lineChart } from './charts';
import { insightConfig } from './config';
import { parseCsv } from './formats';
import { addPull, deletePull, listPulls, MAX_PULLS, pullSoon } from './pulls';
import { paths } from './paths';
import * as q from './queries';
import { DEFAULT_RANGE, type Range, resolveRange } from './ranges';
import { MAX_ANNOTATIONS, MAX_CARDS, MAX_DASHBOARDS, REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import { type IngestAnswer, MAX_REWRITTEN } from './service';
import * as views from './views';

const web = new Hono<AppEnv>();

const signedIn = requireSession('API tokens work with the InsightDash API (/insightdash/api, see /api/docs), not its pages. Sign in on the web page.');
const sessionUser = (c: Context<AppEnv>) => {
  const auth = c.get('auth');
  return auth?.via === 'session' ? auth.user : null;
};
const page = (title: string) => ({ title: `${title} · InsightDash`, ...views.INSIGHT_ASSETS });
const origin = (c: Context) => new URL(c.req.url).origin;

const dashboardParam = params(schema.DashboardParam, REFUSALS.dashboard_missing.message);
const cardParam = params(schema.CardParam, REFUSALS.card_missing.message);
const seriesParam = params(schema.SeriesParam, REFUSALS.series_missing.message);
const shareParam = params(schema.ShareParam, REFUSALS.share_missing.message);

const ANNOTATIONS_LISTED = 50;

/** What the home page says after a form that lands on it. */
const HOME_DONE: Record<schema.HomeDone, string> = {
  dashboard_deleted: 'Dashboard deleted (its series and points stay).',
  series_deleted: 'Series deleted, with its points, cards and annotations.',
  noted: 'Annotation added.',
  note_deleted: 'Annotation deleted.',
};

const DONE: Record<schema.Done, string> = {
  created: 'Dashboard made.',
  renamed: 'Renamed.',
  card_added: 'Card added.',
  shared: 'Share link made: anyone with it sees this dashboard, read-only.',
  unshared: 'Not shared any more: the old link no longer works.',
  saved: 'Saved.',
  noted: 'Annotation added.',
  note_deleted: 'Annotation deleted.',
  card_moved: 'Card moved.',
  card_removed: 'Card removed.',
  points_deleted: 'Points deleted.',
  retention_lowered:
    'Saved. Raw points older than the new retention are deleted for good within the hour (their hourly and daily rollups stay, so charts of long ranges keep them).',
};

/** The range a page asked for, or the default and what was wrong with it. */
function rangeOf(params: { range?: string | undefined; from?: string | undefined; to?: string | undefined }): { range: Range; error?: string } {
  const t = now();
  const asked = resolveRange(params, t);
  if ('error' in asked) return { range: resolveRange({ range: DEFAULT_RANGE }, t) as Range, error: asked.error };
  return { range: asked };
}

async function ownDashboard(c: Context<AppEnv>, id: string): Promise<repo.Dashboard> {
  const dashboard = await repo.findOwnDashboard(c.env.DB, currentAuth(c).user.id, id);
  if (!dashboard) throw refusal(REFUSALS, 'dashboard_missing');
  return dashboard;
}

async function ownSeries(c: Context<AppEnv>, id: number): Promise<repo.Series> {
  const series = await repo.findOwnSeries(c.env.DB, currentAuth(c).user.id, id);
  if (!series) throw refusal(REFUSALS, 'series_missing');
  return series;
}

// ---------------------------------------------------------------- home

async function homePage(
  c: Context<AppEnv>,
  options: { errors?: FieldErrors; imported?: IngestAnswer; status?: number; pullValues?: Record<string, string>; notice?: string } = {},
) {
  const user = sessionUser(c);
  const [dashboards, series, annotations, pulls] = user
    ? await Promise.all([
        repo.listDashboards(c.env.DB, user.id),
        repo.listSeries(c.env.DB, user.id),
        repo.listAnnotations(c.env.DB, user.id, ANNOTATIONS_LISTED),
        listPulls(c.env.DB, user.id),
      ])
    : [[], [], [], []];
  c.header('cache-control', 'no-store');
  if (options.status) c.status(options.status as 422);
  return c.render(
    <views.HomePage
      signedIn={user !== null}
      csrf={c.get('csrfToken')}
      dashboards={dashboards}
      series={series}
      annotations={annotations}
      pulls={pulls}
      pullValues={options.pullValues}
      notice={options.notice}
      origin={origin(c)}
      maxPoints={insightConfig(c.env).maxPoints}
      {...(options.errors ? { errors: options.errors } : {})}
      {...(options.imported ? { imported: options.imported } : {})}
    />,
    { title: 'InsightDash', ...views.INSIGHT_ASSETS },
  );
}

web.get('/', query(schema.HomeQuery), (c) => {
  const { done } = c.req.valid('query');
  return homePage(c, done ? { notice: HOME_DONE[done] } : {});
});

const homeHook = (result: { error: Parameters<typeof fieldErrors>[0] }, c: Context<AppEnv>) =>
  homePage(c, { errors: fieldErrors(result.error, 'field'), status: 422 });

web.post('/dashboards', signedIn, form(schema.CreateDashboardForm, homeHook), async (c) => {
  const user = currentAuth(c).user;
  const { name, with_cards } = c.req.valid('form');
  const id = randomToken(16);
  if (!(await repo.createDashboard(c.env.DB, { id, ownerId: user.id, name, now: now() }, MAX_DASHBOARDS))) {
    return homePage(c, { errors: { name: REFUSALS.too_many_dashboards.message }, status: 409 });
  }
  if (with_cards) await repo.addCardPerSeries(c.env.DB, id, user.id, MAX_CARDS);
  audit('insightdash.dashboard_created', { actor_id: user.id, dashboard: await logRef(c.env.SESSION_SECRET, id) });
  return navigate(c, `${paths.dashboard(id)}?done=created`);
});

// ---------------------------------------------------------------- a dashboard

async function dashboardPage(
  c: Context<AppEnv>,
  dashboard: repo.Dashboard,
  options: { range?: Range; rangeError?: string | undefined; errors?: FieldErrors; status?: number; notice?: string | undefined; inline?: boolean } = {},
) {
  const range = options.range ?? rangeOf({}).range;
  const [cards, series, annotations] = await Promise.all([
    repo.listCards(c.env.DB, dashboard.id),
    repo.listSeries(c.env.DB, dashboard.ownerId),
    repo.listAnnotations(c.env.DB, dashboard.ownerId, ANNOTATIONS_LISTED),
  ]);
  const inline = options.inline
    ? await Promise.all(cards.map((card) => cardContent(c, dashboard.ownerId, card, range, 'owner', paths.cardCsv(dashboard.id, card.id, range.query))))
    : undefined;
  c.header('cache-control', 'no-store');
  if (options.status) c.status(options.status as 422);
  return c.render(
    <views.DashboardPage
      dashboard={dashboard}
      cards={cards}
      range={range}
      rangeError={options.rangeError}
      series={series}
      annotations={annotations}
      csrf={c.get('csrfToken')}
      shareUrl={dashboard.shareToken ? `${origin(c)}${paths.shared(dashboard.shareToken)}` : null}
      notice={options.notice}
      {...(options.errors ? { errors: options.errors } : {})}
      {...(inline ? { inlineCards: inline } : {})}
    />,
    page(dashboard.name),
  );
}

web.get('/d/:id', dashboardParam, signedIn, query(schema.RangeQuery), async (c) => {
  const dashboard = await ownDashboard(c, c.req.valid('param').id);
  const asked = c.req.valid('query');
  const { range, error } = rangeOf(asked);
  return dashboardPage(c, dashboard, { range, rangeError: error, notice: asked.done ? DONE[asked.done] : undefined, inline: asked.inline === '1' });
});

/** The range a dashboard form came from (its `return_to`), so the page it lands on is the one it left. */
function rangeFromReturn(returnTo: string | undefined): Range {
  const params = new URL(returnTo ?? '/', 'http://x').searchParams;
  return rangeOf({ range: params.get('range') ?? undefined, from: params.get('from') ?? undefined, to: params.get('to') ?? undefined }).range;
}

/** A dashboard form with mistakes: the dashboard again, its edit section open with the messages (422). */
const dashboardHook = async (result: { error: Parameters<typeof fieldErrors>[0]; data?: unknown }, c: Context<AppEnv>) => {
  const dashboard = await ownDashboard(c, c.req.param('id') ?? '');
  const returnTo = (result.data as Record<string, unknown> | undefined)?.return_to;
  const range = rangeFromReturn(typeof returnTo === 'string' && /^\/insightdash\/d\//.test(returnTo) ? returnTo : undefined);
  return dashboardPage(c, dashboard, { range, errors: fieldErrors(result.error, 'field'), status: 422 });
};

const back = (dashboardId: string, returnTo: string | undefined, done: schema.Done) => {
  const target = returnTo?.startsWith(paths.dashboard(dashboardId)) ? returnTo : paths.dashboard(dashboardId);
  return `${target}${target.includes('?') ? '&' : '?'}done=${done}`;
};

web.post('/d/:id/cards', dashboardParam, signedIn, form(schema.AddCardForm, dashboardHook), async (c) => {
  const dashboard = await ownDashboard(c, c.req.valid('param').id);
  const { series, kind, title, return_to } = c.req.valid('form');
  await ownSeries(c, series);
  if (!(await repo.addCard(c.env.DB, { dashboardId: dashboard.id, ownerId: dashboard.ownerId, seriesId: series, kind, title }, MAX_CARDS))) {
    return dashboardPage(c, dashboard, { range: rangeFromReturn(return_to), errors: { _: REFUSALS.too_many_cards.message }, status: 409 });
  }
  return navigate(c, back(dashboard.id, return_to, 'card_added'));
});

web.post('/d/:id/cards/:card/move', cardParam, signedIn, form(schema.MoveForm, dashboardHook), async (c) => {
  const { id, card } = c.req.valid('param');
  const dashboard = await ownDashboard(c, id);
  const { direction, return_to } = c.req.valid('form');
  if (!(await repo.findCard(c.env.DB, dashboard.id, card))) throw refusal(REFUSALS, 'card_missing');
  await repo.moveCard(c.env.DB, dashboard.id, card, direction === 'up' ? -1 : 1);
  return navigate(c, back(dashboard.id, return_to, 'card_moved'));
});

web.post('/d/:id/cards/:card/delete', cardParam, signedIn, form(schema.ReturnForm, dashboardHook), async (c) => {
  const { id, card } = c.req.valid('param');
  const dashboard = await ownDashboard(c, id);
  if (!(await repo.findCard(c.env.DB, dashboard.id, card))) throw refusal(REFUSALS, 'card_missing');
  await repo.removeCard(c.env.DB, dashboard.id, card);
  return navigate(c, back(dashboard.id, c.req.valid('form').return_to, 'card_removed'));
});

web.post('/d/:id/rename', dashboardParam, signedIn, form(schema.RenameForm, dashboardHook), async (c) => {
  const dashboard = await ownDashboard(c, c.req.valid('param').id);
  const { name, return_to } = c.req.valid('form');
  await repo.renameDashboard(c.env.DB, dashboard.ownerId, dashboard.id, name);
  return navigate(c, back(dashboard.id, return_to, 'renamed'));
});

web.post('/d/:id/delete', dashboardParam, signedIn, form(schema.DeleteForm, dashboardHook), async (c) => {
  const dashboard = await ownDashboard(c, c.req.valid('param').id);
  await repo.deleteDashboard(c.env.DB, dashboard.ownerId, dashboard.id);
  audit('insightdash.dashboard_deleted', { actor_id: dashboard.ownerId, dashboard: await logRef(c.env.SESSION_SECRET, dashboard.id) });
  return navigate(c, `${paths.home}?done=dashboard_deleted`);
});

web.post('/d/:id/share', dashboardParam, signedIn, form(schema.ShareForm), async (c) => {
  const dashboard = await ownDashboard(c, c.req.valid('param').id);
  const on = c.req.valid('form').share === 'new';
  await repo.setShareToken(c.env.DB, dashboard.ownerId, dashboard.id, on ? randomToken(16) : null);
  audit(on ? 'insightdash.dashboard_shared' : 'insightdash.dashboard_unshared', {
    actor_id: dashboard.ownerId,
    dashboard: await logRef(c.env.SESSION_SECRET, dashboard.id),
  });
  return navigate(c, `${back(dashboard.id, c.req.valid('form').return_to, on ? 'shared' : 'unshared')}#share`);
});

// ---------------------------------------------------------------- cards

/** A card's content for this range (on a dashboard, or a series' own page); `csvUrl` is its export link, if the viewer may have one. */
async function cardContent(
  c: Context<AppEnv>,
  ownerId: number,
  card: repo.Card,
  range: Range,
  viewer: 'owner' | 'shared',
  csvUrl: string | null,
): Promise<Child> {
  const db = c.env.DB;
  const series = card.series;
  const measure = series.kind === 'gauge' ? 'avg' : 'sum';
  const goal = series.goal === 'auto' ? await q.autoGoal(db, series.id, measure, now()) : series.goal;
  switch (card.kind) {
    case 'line': {
      const resolution = await q.readableResolution(db, series.id, range);
      const { rows, previous, notes } = await q.chartData(db, ownerId, series.id, range, resolution, viewer === 'owner');
      const aggregate = rows.reduce<q.Aggregate>(
        (a, r) => ({ n: a.n + r.n, sum: (a.sum ?? 0) + r.sum, min: Math.min(a.min ?? r.min, r.min), max: Math.max(a.max ?? r.max, r.max) }),
        { n: 0, sum: null, min: null, max: null },
      );
      const chart = lineChart(rows, previous, { unit: series.unit, goal, notes, from: range.from, to: range.to, shift: range.shift });
      return <views.ChartCard card={card} range={range} csvUrl={csvUrl} chart={chart} aggregate={aggregate} notes={notes} />;
    }
    case 'bars': {
      const { bars, previous, weekly, notes } = await q.barData(db, ownerId, series.id, range, measure, viewer === 'owner');
      const chart = barChart(bars, previous, { unit: series.unit, goal, notes, from: range.from, to: range.to, shift: range.shift });
      // The summary speaks of the bars themselves: a day's (or week's) total or average.
      const values = bars.map((b) => b.value);
      const aggregate = {
        n: bars.length,
        sum: values.reduce((a, b) => a + b, 0),
        min: bars.length ? Math.min(...values) : null,
        max: bars.length ? Math.max(...values) : null,
      };
      return <views.ChartCard card={card} range={range} csvUrl={csvUrl} chart={chart} aggregate={aggregate} notes={notes} per={weekly ? 'week' : 'day'} />;
    }
    case 'stat': {
      const { current, previous, last } = await q.statData(db, series.id, range);
      const value = (a: q.Aggregate) => (a.n === 0 ? null : measure === 'sum' ? a.sum : (a.sum ?? 0) / a.n);
      return (
        <views.StatCard
          card={card}
          range={range}
          csvUrl={csvUrl}
          current={current}
          previous={previous}
          last={last}
          change={changePercent(value(current), value(previous))}
          measure={measure}
        />
      );
    }
    case 'calendar': {
      const { days, current, longest } = await q.calendarData(db, series.id, range);
      return <views.CalendarCard card={card} range={range} csvUrl={csvUrl} days={days} current={current} longest={longest} />;
    }
    case 'table': {
      const resolution = await q.readableResolution(db, series.id, range);
      const rows = await q.exportRows(db, series.id, resolution, range.from, range.to);
      return <views.TableCard card={card} range={range} csvUrl={csvUrl} rows={rows} resolution={resolution} />;
    }
  }
}

async function cardResponse(
  c: Context<AppEnv>,
  dashboard: repo.Dashboard,
  cardId: number,
  asked: { range?: string; from?: string; to?: string },
  viewer: 'owner' | 'shared',
) {
  const card = await repo.findCard(c.env.DB, dashboard.id, cardId);
  if (!card) throw refusal(REFUSALS, 'card_missing');
  const { range } = rangeOf(asked);
  c.header('cache-control', 'no-store');
  const content = await cardContent(c, dashboard.ownerId, card, range, viewer, viewer === 'owner' ? paths.cardCsv(dashboard.id, card.id, range.query) : null);
  if (isHtmx(c)) return c.html(content as string);
  const backTo = viewer === 'owner' ? paths.dashboard(dashboard.id, range.query) : paths.shared(dashboard.shareToken ?? '', range.query);
  return fragmentOrPage(
    c,
    page(card.title || card.series.name),
    <>
      <p class="breadcrumb">
        <a href={backTo}>{dashboard.name}</a> ›
      </p>
      <div class="insight-grid single">{content}</div>
    </>,
  );
}

web.get('/d/:id/cards/:file{[0-9]+\\.csv}', params(schema.CardCsvParam, REFUSALS.card_missing.message), signedIn, query(schema.RangeQuery), async (c) => {
  const { id, file } = c.req.valid('param');
  const dashboard = await ownDashboard(c, id);
  const card = await repo.findCard(c.env.DB, dashboard.id, Number(file.slice(0, -4)));
  if (!card) throw refusal(REFUSALS, 'card_missing');
  const { range } = rangeOf(c.req.valid('query'));
  const resolution = await q.readableResolution(c.env.DB, card.series.id, range);
  const rows = await q.exportRows(c.env.DB, card.series.id, resolution, range.from, range.to, true);
  const lines = [
    'time,points,average,min,max,sum,moving_average_7',
    ...rows.map((r) => [new Date(r.t).toISOString(), r.n, r.avg, r.min, r.max, r.sum, r.ma ?? ''].join(',')),
  ];
  const fileName = `${card.series.name.replace(/[^\w.-]+/g, '_').slice(0, 80)}-${range.key}.csv`;
  return c.body(`${lines.join('\r\n')}\r\n`, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
  });
});

web.get('/d/:id/cards/:card', cardParam, signedIn, query(schema.RangeQuery), async (c) => {
  const { id, card } = c.req.valid('param');
  return cardResponse(c, await ownDashboard(c, id), card, c.req.valid('query'), 'owner');
});

// ---------------------------------------------------------------- sharing

async function sharedDashboard(c: Context<AppEnv>, token: string): Promise<repo.Dashboard> {
  const dashboard = await repo.findSharedDashboard(c.env.DB, token);
  if (!dashboard) throw refusal(REFUSALS, 'share_missing');
  return dashboard;
}

web.get('/s/:token', shareParam, query(schema.RangeQuery), async (c) => {
  const { token } = c.req.valid('param');
  const dashboard = await sharedDashboard(c, token);
  const { range, error } = rangeOf(c.req.valid('query'));
  const cards = await repo.listCards(c.env.DB, dashboard.id);
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'same-origin');
  return c.render(<views.SharedDashboardPage dashboard={dashboard} cards={cards} range={range} rangeError={error} token={token} />, page(dashboard.name));
});

web.get('/s/:token/cards/:card', params(schema.SharedCardParam, REFUSALS.share_missing.message), query(schema.RangeQuery), async (c) => {
  const { token, card } = c.req.valid('param');
  c.header('referrer-policy', 'same-origin');
  return cardResponse(c, await sharedDashboard(c, token), card, c.req.valid('query'), 'shared');
});

// ---------------------------------------------------------------- series

/** Most points listed on a series' page (newest first), each with its delete button. */
const LATEST_POINTS = 20;

/** A series' page: its line chart over the range, the range's newest points, its settings. */
async function seriesPage(
  c: Context<AppEnv>,
  series: repo.Series,
  asked: { range?: string | undefined; from?: string | undefined; to?: string | undefined },
  options: {
    errors?: FieldErrors;
    values?: Record<string, string>;
    deleteErrors?: FieldErrors;
    deleteValues?: Record<string, string>;
    status?: 422 | 409;
    /** What was just done, said where it was done (the points list, or the settings). */
    notice?: { at: 'points' | 'settings'; text: string } | undefined;
  } = {},
) {
  const { range, error } = rangeOf(asked);
  const chartCard: repo.Card = { id: 0, position: 0, kind: 'line', title: 'Chart', series };
  const [chart, latest, stored] = await Promise.all([
    cardContent(c, series.ownerId, chartCard, range, 'owner', null),
    repo.latestPoints(c.env.DB, series.id, range.from, range.to, LATEST_POINTS),
    repo.storedPoints(c.env.DB, series.ownerId),
  ]);
  c.header('cache-control', 'no-store');
  if (options.status) c.status(options.status);
  return c.render(
    <views.SeriesPage
      series={series}
      csrf={c.get('csrfToken')}
      range={range}
      rangeError={error}
      chart={chart}
      latest={latest}
      quota={{ stored, max: insightConfig(c.env).maxPoints }}
      notice={options.notice}
      errors={options.errors}
      values={options.values}
      deleteErrors={options.deleteErrors}
      deleteValues={options.deleteValues}
    />,
    page(series.name),
  );
}

/** The range a series form came from (its hidden `range` field: `range=7d…`). */
const seriesRange = (query: string | undefined) => {
  const p = new URLSearchParams(query ?? '');
  return { range: p.get('range') ?? undefined, from: p.get('from') ?? undefined, to: p.get('to') ?? undefined };
};

web.get('/series/:id', seriesParam, signedIn, query(schema.RangeQuery), async (c) => {
  const series = await ownSeries(c, c.req.valid('param').id);
  const { done, deleted, ...asked } = c.req.valid('query');
  const n = deleted ?? 0;
  const notice =
    done === 'points_deleted'
      ? { at: 'points' as const, text: n === 0 ? 'No points there: nothing was deleted.' : `${n.toLocaleString('en')} point${n === 1 ? '' : 's'} deleted.` }
      : done
        ? { at: 'settings' as const, text: DONE[done] }
        : undefined;
  return seriesPage(c, series, asked, { notice });
});

web.post(
  '/series/:id',
  seriesParam,
  signedIn,
  form(schema.SeriesForm, async (result, c) => {
    const series = await ownSeries(c, Number(c.req.param('id')));
    const values = (result.data ?? {}) as Record<string, string>;
    return seriesPage(c, series, seriesRange(values.range), { errors: fieldErrors(result.error, 'field'), values, status: 422 });
  }),
  async (c) => {
    const series = await ownSeries(c, c.req.valid('param').id);
    const f = c.req.valid('form');
    const saved = await repo.updateSeries(c.env.DB, series.ownerId, series.id, {
      name: f.name,
      unit: f.unit,
      kind: f.kind,
      goal: f.goal,
      retentionDays: f.retention_days,
    });
    if (saved === 'missing') throw refusal(REFUSALS, 'series_missing');
    if (saved === 'name_taken') {
      const values = { name: f.name, unit: f.unit, kind: f.kind, goal: f.goal === null ? '' : String(f.goal), retention_days: String(f.retention_days) };
      return seriesPage(c, series, seriesRange(f.range), {
        errors: { name: `You have another series named “${f.name}”: pick another name.` },
        values,
        status: 409,
      });
    }
    const back = new URLSearchParams(f.range ?? '');
    back.set('done', f.retention_days < series.retentionDays ? 'retention_lowered' : 'saved');
    return navigate(c, `${paths.series(series.id)}?${back}#settings`);
  },
);

web.post(
  '/series/:id/points/delete',
  seriesParam,
  signedIn,
  form(schema.DeletePointsForm, async (result, c) => {
    const series = await ownSeries(c, Number(c.req.param('id')));
    const data = (result.data ?? {}) as Record<string, string>;
    return seriesPage(c, series, seriesRange(data.range), { deleteErrors: fieldErrors(result.error, 'field'), deleteValues: data, status: 422 });
  }),
  async (c) => {
    const series = await ownSeries(c, c.req.valid('param').id);
    const f = c.req.valid('form');
    let deleted: number;
    try {
      deleted = await repo.deletePoints(c.env.DB, series, f.from, f.to, MAX_REWRITTEN);
      audit('insightdash.points_deleted', { actor_id: series.ownerId, series: series.id, deleted });
    } catch (error) {
      if (!(error instanceof repo.TooManyToRewrite)) throw error;
      const message = `The hours of that range hold more than ${MAX_REWRITTEN.toLocaleString('en')} points, which a delete rewrites: delete a shorter range at a time (or the whole series).`;
      return seriesPage(c, series, seriesRange(f.range), { deleteErrors: { _: message }, status: 422 });
    }
    const back = new URLSearchParams(f.range ?? '');
    back.set('done', 'points_deleted');
    back.set('deleted', String(deleted));
    return navigate(c, `${paths.series(series.id)}?${back}#points`);
  },
);

web.post('/series/:id/delete', seriesParam, signedIn, form(schema.DeleteForm), async (c) => {
  const series = await ownSeries(c, c.req.valid('param').id);
  await repo.deleteSeries(c.env.DB, series.ownerId, series.id);
  audit('insightdash.series_deleted', { actor_id: series.ownerId, series: series.id });
  return navigate(c, `${paths.home}?done=series_deleted`);
});

// ---------------------------------------------------------------- annotations

/** Where an annotation form lands: the dashboard it came from, or the home page's annotations. */
async function annotationHook(result: { error: Parameters<typeof fieldErrors>[0]; data?: unknown }, c: Context<AppEnv>) {
  const errors = fieldErrors(result.error, 'field');
  const returnTo = (result.data as Record<string, unknown> | undefined)?.return_to;
  const match = typeof returnTo === 'string' ? /^\/insightdash\/d\/([A-Za-z0-9_-]{22})/.exec(returnTo) : null;
  if (match) return dashboardPage(c, await ownDashboard(c, match[1]!), { range: rangeFromReturn(returnTo as string), errors, status: 422 });
  return homePage(c, { errors, status: 422 });
}

web.post('/annotations', signedIn, form(schema.AnnotationForm, annotationHook), async (c) => {
  const user = currentAuth(c).user;
  const { at, text, series, return_to } = c.req.valid('form');
  const added = await repo.addAnnotation(c.env.DB, { ownerId: user.id, seriesId: series, ts: at, text, now: now() }, MAX_ANNOTATIONS);
  if (!added) {
    if (series !== null) await ownSeries(c, series);
    throw refusal(REFUSALS, 'too_many_annotations');
  }
  const match = return_to ? /^\/insightdash\/d\/([A-Za-z0-9_-]{22})/.exec(return_to) : null;
  return navigate(c, match ? back(match[1]!, return_to, 'noted') : `${paths.home}?done=noted#annotations`);
});

web.post('/annotations/:id/delete', params(schema.AnnotationParam, REFUSALS.annotation_missing.message), signedIn, form(schema.ReturnForm), async (c) => {
  const user = currentAuth(c).user;
  if (!(await repo.deleteAnnotation(c.env.DB, user.id, c.req.valid('param').id))) throw refusal(REFUSALS, 'annotation_missing');
  const { return_to } = c.req.valid('form');
  const match = return_to ? /^\/insightdash\/d\/([A-Za-z0-9_-]{22})/.exec(return_to) : null;
  return navigate(c, match ? back(match[1]!, return_to, 'note_deleted') : `${paths.home}?done=note_deleted#annotations`);
});

// ---------------------------------------------------------------- pulls

const pullParam = params(schema.PullParam, 'There is no pull of yours at this address.');

web.post(
  '/pulls',
  signedIn,
  form(schema.PullForm, (result, c) =>
    homePage(c, { errors: fieldErrors(result.error, 'field'), status: 422, pullValues: result.data as Record<string, string> }),
  ),
  async (c) => {
    const user = currentAuth(c).user;
    const f = c.req.valid('form');
    const values = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]));
    const refused = outboundRefusal(f.url, { allowLocal: c.env.LOCAL_DEV === 'true' });
    if (refused !== null) return homePage(c, { errors: { url: `The address ${refused}` }, status: 422, pullValues: values });
    const added = await addPull(c.env.DB, {
      ownerId: user.id,
      url: f.url,
      format: f.format,
      selector: f.format === 'json' ? f.selector : '',
      series: f.format === 'json' ? f.series : '',
      intervalMinutes: f.interval_minutes,
      now: now(),
    });
    if (!added) return homePage(c, { errors: { _pull: `You have ${MAX_PULLS} pulls: delete one to add another.` }, status: 409, pullValues: values });
    return navigate(c, `${paths.home}#pulls`);
  },
);

web.post('/pulls/:id/run', pullParam, signedIn, form(schema.ReturnForm), async (c) => {
  if (!(await pullSoon(c.env.DB, currentAuth(c).user.id, c.req.valid('param').id, now())))
    throw new HttpError(404, 'There is no pull of yours at this address.');
  return navigate(c, `${paths.home}#pulls`);
});

web.post('/pulls/:id/delete', pullParam, signedIn, form(schema.ReturnForm), async (c) => {
  if (!(await deletePull(c.env.DB, currentAuth(c).user.id, c.req.valid('param').id))) throw new HttpError(404, 'There is no pull of yours at this address.');
  return navigate(c, `${paths.home}#pulls`);
});

// ---------------------------------------------------------------- CSV import from the page

/** A whole (small) file from the page's form without JavaScript: the home page with the result. */
web.post(
  '/import',
  signedIn,
  ingestLimit,
  form(schema.ImportForm, (result, c) => homePage(c, { errors: fieldErrors(result.error, 'field'), status: 422 })),
  async (c) => {
    const text = await c.req.valid('form').file.text();
    const t = now();
    try {
      return await homePage(c, { imported: await ingestParsed(c, () => parseCsv(text, t)) });
    } catch (error) {
      if (error instanceof HttpError) return homePage(c, { errors: { file: error.message }, status: error.status });
      throw error;
    }
  },
);

/** A part of a file, from insightdash.js (text/csv with the CSRF header; `first_line` numbers it): the counts and refused lines as JSON. */
web.post('/import/parts', signedIn, ingestLimit, query(schema.ImportQuery), async (c) => {
  const { first_line } = c.req.valid('query');
  const body = await c.req.text();
  const t = now();
  return c.json(await ingestParsed(c, () => parseCsv(body, t, first_line)));
});

export default web;
