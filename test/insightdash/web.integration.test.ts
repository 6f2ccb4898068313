// InsightDash's pages through the Worker: a dashboard made from your series, its cards
// as skeletons and as fragments (each kind), the range in the URL, CSV export, editing,
// annotations, series settings, the CSV import (a plain form and the page's parts),
// sharing and revoking; someone else's things are 404 everywhere (IDOR); the XSS corpus
// in series names, tags, annotations, card titles and dashboard names stays inert.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { paths } from '../../workers/insightdash/paths';
import { type Client, createToken, signedUp } from '../support/client';
import { asDisplayText, scriptVectors, xssPayloads } from '../support/xss';

const DAY = 86_400_000;

async function withData(points: Record<string, [number, number][]>, extra: Record<string, unknown> = {}) {
  const me = await signedUp();
  const token = await createToken(me, ['insightdash:ingest']);
  for (const [series, pts] of Object.entries(points)) {
    const res = await me.fetch('/insightdash/api/points', {
      json: { series, points: pts, ...extra },
      headers: { authorization: `Bearer ${token}` },
      bare: true,
    });
    expect(res.status, series).toBe(200);
  }
  return me;
}

const dashboardId = (location: string | null) => /\/insightdash\/d\/([\w-]{22})/.exec(location ?? '')![1]!;

async function makeDashboard(me: Client, withCards = true): Promise<string> {
  const res = await me.fetch(paths.dashboards, { form: { name: 'Mine', ...(withCards ? { with_cards: 'yes' } : {}) } });
  expect(res.status).toBe(303);
  return dashboardId(res.headers.get('location'));
}

const cardIds = (html: string) => [...html.matchAll(/id="card-(\d+)"/g)].map((m) => Number(m[1]));

describe('a dashboard', () => {
  it('starts with a card per series; cards load on their own, at the range in the URL', async () => {
    const now = Date.now();
    const me = await withData({ weight: Array.from({ length: 50 }, (_, i) => [now - i * 6 * 3_600_000, 70 + (i % 5)]), steps: [[now - DAY, 9000]] });
    const id = await makeDashboard(me);
    const page = await (await me.fetch(`${paths.dashboard(id)}?range=28d`)).text();
    const cards = cardIds(page);
    expect(cards).toHaveLength(2);
    // Skeletons, each loading its own fragment with the page's range.
    for (const card of cards) expect(page).toContain(`hx-get="${paths.card(id, card, 'range=28d')}"`);
    expect(page).toContain('aria-current="true">Last 28 days');
    const fragment = await (await me.fetch(paths.card(id, cards[1]!, 'range=28d'), { htmx: true })).text();
    expect(fragment).not.toContain('<html');
    const json = /<script type="application\/json" class="chart-data">([^<]*)<\/script>/.exec(fragment)![1]!;
    const chart = JSON.parse(json) as { kind: string; avg: string; dx: number[]; ma: string; prev?: unknown };
    expect(chart.kind).toBe('line');
    // Two characters a value (charts.ts `pack`).
    expect(chart.avg.length).toBe(2 * (chart.dx.length + 1));
    expect(chart.ma.length).toBe(chart.avg.length);
    expect(fragment).toContain('over 50 points');
    // Without htmx the same card is a page; `inline=1` puts every card in the dashboard itself.
    expect(await (await me.fetch(paths.card(id, cards[1]!, 'range=28d'))).text()).toContain('<html');
    const inline = await (await me.fetch(`${paths.dashboard(id, 'range=28d')}&inline=1`)).text();
    expect(inline).toContain('class="chart-data"');
    expect(inline).not.toContain('hx-trigger="load"');
  });

  it('a wrong range says what is wrong and shows the default', async () => {
    const me = await withData({ a: [[Date.now(), 1]] });
    const id = await makeDashboard(me);
    for (const [query, message] of [
      ['range=forever', 'There is no range “forever”'],
      ['range=custom&from=2026-02-30&to=2026-03-01', 'is not a date'],
      ['range=custom&from=2026-03-02&to=2026-03-01', 'before its first'],
      ['range=custom&from=2000-01-01&to=2026-01-01', 'at most 3,660 days'],
    ]) {
      const res = await me.fetch(`${paths.dashboard(id)}?${query}`);
      expect(res.status, query).toBe(200);
      const html = await res.text();
      expect(html, query).toContain(message);
      expect(html, query).toContain('aria-current="true">Last 7 days');
    }
  });

  it('every kind of card renders; each exports its rows as CSV', async () => {
    const now = Date.now();
    const me = await withData({ habit: Array.from({ length: 20 }, (_, i) => [now - i * DAY, i % 3 === 0 ? 0 : 1]) });
    const id = await makeDashboard(me, false);
    const series = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'habit' ORDER BY id DESC`).first<{ id: number }>())!.id;
    for (const kind of ['line', 'bars', 'stat', 'calendar', 'table']) {
      const res = await me.fetch(paths.cards(id), {
        form: { series: String(series), kind, title: `${kind} card`, return_to: paths.dashboard(id, 'range=28d') },
      });
      expect(res.status, kind).toBe(303);
      expect(res.headers.get('location'), kind).toBe(`${paths.dashboard(id, 'range=28d')}&done=card_added`);
    }
    const cards = cardIds(await (await me.fetch(paths.dashboard(id, 'range=28d'))).text());
    const html = await Promise.all(cards.map(async (c) => (await me.fetch(paths.card(id, c, 'range=28d'), { htmx: true })).text()));
    expect(html[1]).toContain('"kind":"bars"');
    expect(html[2]).toMatch(/Average<\/dt><dd>0\.\d+/);
    expect(html[3]).toContain('current streak');
    // The calendar: a cell a day of the 28, Monday-first weeks each headed by the month starting in it, weekday names.
    expect(html[3]!.match(/class="day level-\d"/g)).toHaveLength(28);
    const months = [...html[3]!.matchAll(/<span class="month" aria-hidden="true">(\w*)<\/span>/g)].map((m) => m[1]).filter(Boolean);
    const startMonth = new Date(now - 27 * DAY).toLocaleString('en', { month: 'short', timeZone: 'UTC' });
    expect(months[0]).toBe(startMonth);
    expect(html[3]).toContain('<span>Mon</span>');
    expect(html[4]).toContain('<table>');
    const csv = await me.fetch(paths.cardCsv(id, cards[4]!, 'range=28d'));
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="habit-28d.csv"');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('time,points,average,min,max,sum,moving_average_7');
    expect(lines.length).toBeGreaterThan(15);
  });

  it('cards move, go, and the dashboard is renamed and deleted', async () => {
    const me = await withData({ a: [[Date.now(), 1]], b: [[Date.now(), 2]] });
    const id = await makeDashboard(me);
    const [first, second] = cardIds(await (await me.fetch(paths.dashboard(id))).text());
    expect((await me.fetch(paths.moveCard(id, second!), { form: { direction: 'up' } })).status).toBe(303);
    expect(cardIds(await (await me.fetch(paths.dashboard(id))).text())).toEqual([second, first]);
    expect((await me.fetch(paths.removeCard(id, second!), { form: {} })).status).toBe(303);
    expect(cardIds(await (await me.fetch(paths.dashboard(id))).text())).toEqual([first]);
    const bad = await me.fetch(paths.rename(id), { form: { name: ' ' } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Give it a name.');
    expect((await me.fetch(paths.rename(id), { form: { name: 'Health' } })).status).toBe(303);
    expect(await (await me.fetch(paths.dashboard(id))).text()).toContain('<h1>Health</h1>');
    expect((await me.fetch(paths.remove(id), { form: {} })).status).toBe(422);
    expect((await me.fetch(paths.remove(id), { form: { confirm: 'yes' } })).status).toBe(303);
    expect((await me.fetch(paths.dashboard(id))).status).toBe(404);
  });

  it('a share link shows it read-only without signing in, until it is replaced or turned off', async () => {
    const me = await withData({ a: [[Date.now(), 1]] });
    const id = await makeDashboard(me);
    // Back to the range it was made at.
    const made = await me.fetch(paths.share(id), { form: { share: 'new', return_to: paths.dashboard(id, 'range=90d') } });
    expect(made.headers.get('location')).toBe(`${paths.dashboard(id, 'range=90d')}&done=shared#share`);
    const token = /\/insightdash\/s\/([\w-]{22})/.exec(await (await me.fetch(paths.dashboard(id))).text())![1]!;
    const { Client } = await import('../support/client');
    const stranger = new Client();
    const shared = await stranger.fetch(paths.shared(token));
    expect(shared.status).toBe(200);
    const html = await shared.text();
    expect(html).toContain('read-only');
    expect(html).not.toContain('Edit this dashboard');
    const [card] = cardIds(html);
    const fragment = await (await stranger.fetch(paths.sharedCard(token, card!), { htmx: true })).text();
    expect(fragment).toContain('chart-data');
    expect(fragment).not.toContain('Export CSV');
    await me.fetch(paths.share(id), { form: { share: 'new' } });
    expect((await stranger.fetch(paths.shared(token))).status).toBe(404);
    await me.fetch(paths.share(id), { form: { share: 'off' } });
    expect(await (await me.fetch(paths.dashboard(id))).text()).toContain('Not shared.');
  });
});

describe('annotations, series settings and the CSV import', () => {
  it('an annotation shows on its series’ charts and in the list; deleting it takes it off', async () => {
    const now = Date.now();
    const me = await withData({ a: [[now - 3_600_000, 1]] });
    const id = await makeDashboard(me);
    const at = new Date(now - 7_200_000).toISOString().slice(0, 16);
    const res = await me.fetch(paths.annotations, { form: { at, text: 'started running', series: '', return_to: paths.dashboard(id, 'range=today') } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${paths.dashboard(id, 'range=today')}&done=noted`);
    const [card] = cardIds(await (await me.fetch(paths.dashboard(id))).text());
    expect(await (await me.fetch(paths.card(id, card!, 'range=today'), { htmx: true })).text()).toContain('started running');
    const bad = await me.fetch(paths.annotations, { form: { at: 'yesterday', text: '', series: '' } });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('Give a date and time');
    expect(page).toContain('Write the note.');
    const note = (await env.DB.prepare(`SELECT id FROM insight_annotations WHERE text = 'started running' ORDER BY id DESC`).first<{ id: number }>())!.id;
    expect((await me.fetch(paths.removeAnnotation(note), { form: {} })).status).toBe(303);
    expect(await (await me.fetch(paths.card(id, card!, 'range=today'), { htmx: true })).text()).not.toContain('started running');
  });

  it('a series’ settings are checked, saved and shown; deleting it takes its cards', async () => {
    const me = await withData({ weight: [[Date.now(), 72]] });
    const id = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'weight' ORDER BY id DESC`).first<{ id: number }>())!.id;
    const bad = await me.fetch(paths.series(id), { form: { name: 'weight', unit: 'kg', kind: 'gauge', goal: 'seventy', retention_days: '0' } });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('A number, “auto”, or nothing for no goal.');
    expect(html).toContain('At least 1 day.');
    expect(html).toContain('value="seventy"');
    expect((await me.fetch(paths.series(id), { form: { name: 'weight', unit: 'kg', kind: 'gauge', goal: '70', retention_days: '365' } })).status).toBe(303);
    expect(await env.DB.prepare('SELECT unit, goal, retention_days AS r FROM insight_series WHERE id = ?').bind(id).first()).toEqual({
      unit: 'kg',
      goal: 70,
      r: 365,
    });
    const dash = await makeDashboard(me);
    const [card] = cardIds(await (await me.fetch(paths.dashboard(dash))).text());
    expect(await (await me.fetch(paths.card(dash, card!), { htmx: true })).text()).toContain('"goal":70');
    // "auto": the same weekday's average over the 4 weeks before (no such days here: no line).
    expect((await me.fetch(paths.series(id), { form: { name: 'weight', unit: 'kg', kind: 'gauge', goal: 'auto', retention_days: '365' } })).status).toBe(303);
    expect(await (await me.fetch(paths.series(id))).text()).toContain('value="auto"');
    expect(await (await me.fetch(paths.card(dash, card!), { htmx: true })).text()).not.toContain('"goal"');
    expect((await me.fetch(paths.removeSeries(id), { form: { confirm: 'yes' } })).status).toBe(303);
    expect(cardIds(await (await me.fetch(paths.dashboard(dash))).text())).toEqual([]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM insight_points WHERE series_id = ?').bind(id).first<{ n: number }>())!.n).toBe(0);
  });

  it('a series’ page charts it over the range and lists its newest points; points are deleted one or a range at a time, rollups rewritten; it is renamed', async () => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const me = await withData({
      steps: [
        [hour + 1000, 10],
        [hour + 2000, 20],
        [hour + 3000, 9999],
        [hour + 3_600_000, 5],
      ],
      other: [[hour, 1]],
    });
    const id = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'steps' ORDER BY id DESC`).first<{ id: number }>())!.id;
    const page = await (await me.fetch(paths.series(id, 'range=7d'))).text();
    expect(page).toContain('class="chart-data"');
    expect(page).toContain('This series keeps 4 raw points, each for 90 days.');
    expect(page).toContain('Your series keep 5 raw points; an account may keep 5,000,000');
    expect(page).toContain(`name="at" value="${hour + 3000}"`);
    const rollup = () =>
      env.DB.prepare('SELECT n, sum, max FROM insight_rollups_hour WHERE series_id = ? AND bucket = ?')
        .bind(id, hour)
        .first<{ n: number; sum: number; max: number }>();
    expect(await rollup()).toEqual({ n: 3, sum: 10029, max: 9999 });
    // One bad reading, from its row's button: back to the same range, with a notice.
    const one = await me.fetch(paths.deletePoints(id), { form: { at: String(hour + 3000), range: 'range=7d' } });
    expect(one.status).toBe(303);
    expect(one.headers.get('location')).toBe(`${paths.series(id)}?range=7d&done=points_deleted&deleted=1#points`);
    expect(await (await me.fetch(one.headers.get('location')!)).text()).toContain('1 point deleted.');
    expect(await rollup()).toEqual({ n: 2, sum: 30, max: 20 });
    const day = Math.floor(hour / DAY) * DAY;
    const daily = await env.DB.prepare('SELECT n, sum FROM insight_rollups_day WHERE series_id = ? AND bucket = ?').bind(id, day).first();
    expect(daily).toEqual(Math.floor((hour + 3_600_000) / DAY) * DAY === day ? { n: 3, sum: 35 } : { n: 2, sum: 30 });
    // A range (UTC, the last second included): its hours' rollups go when they are left empty.
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);
    const bad = await me.fetch(paths.deletePoints(id), { form: { from: iso(hour + 3_600_000), to: iso(hour) } });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('The last moment is before the first.');
    expect((await me.fetch(paths.deletePoints(id), { form: { from: iso(hour), to: iso(hour + 1000) } })).status).toBe(303);
    expect(await rollup()).toEqual({ n: 1, sum: 20, max: 20 });
    expect((await me.fetch(paths.deletePoints(id), { form: { from: iso(hour), to: iso(hour + 2000) } })).status).toBe(303);
    expect(await rollup()).toBeNull();
    const kept = await env.DB.prepare('SELECT points FROM insight_series WHERE id = ?').bind(id).first<{ points: number }>();
    expect(kept!.points).toBe(1);
    // Renamed; another series' name is taken (409, the page says so, nothing changes).
    const taken = await me.fetch(paths.series(id), { form: { name: 'other', unit: '', kind: 'counter', goal: '', retention_days: '90' } });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('You have another series named “other”: pick another name.');
    const blank = await me.fetch(paths.series(id), { form: { name: '   ', unit: '', kind: 'counter', goal: '', retention_days: '90', range: 'range=28d' } });
    expect(blank.status).toBe(422);
    const blankPage = await blank.text();
    expect(blankPage).toContain('Give the series a name.');
    expect(blankPage).toContain('aria-current="true">Last 28 days');
    const renamed = await me.fetch(paths.series(id), {
      form: { name: 'walking', unit: '', kind: 'counter', goal: '', retention_days: '30', range: 'range=28d' },
    });
    expect(renamed.headers.get('location')).toBe(`${paths.series(id)}?range=28d&done=retention_lowered#settings`);
    expect(await (await me.fetch(renamed.headers.get('location')!)).text()).toContain('Raw points older than the new retention are deleted for good');
    expect(await env.DB.prepare('SELECT name, kind FROM insight_series WHERE id = ?').bind(id).first()).toEqual({ name: 'walking', kind: 'counter' });
  });

  it('imports a CSV file from the page (plain form) and a part of one (the page’s script), naming refused lines', async () => {
    const me = await signedUp();
    const t = Date.now();
    const form = new FormData();
    form.set('_csrf', me.csrf);
    form.set('file', new File([`ts,series,value\n${t},sleep,7.5\n${t},sleep,x\n`], 'sleep.csv', { type: 'text/csv' }));
    const res = await me.fetch(paths.import, { body: form });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('1 point stored, 1 line refused:');
    expect(html).toContain('Line 3: the value “x” is not a number');
    const part = await me.fetch(`${paths.importPart}?first_line=5001`, {
      body: `${t - 1000},sleep,8\nbad`,
      headers: { 'content-type': 'text/csv', 'x-csrf-token': me.csrf },
    });
    expect(part.status).toBe(200);
    expect(await part.json()).toEqual({ accepted: 1, rejected: 1, errors: [{ line: 5002, reason: 'expected 3 fields (ts,series,value), found 1' }] });
    // Without the CSRF header, a part is refused (and its large body limit does not apply).
    expect((await me.fetch(paths.importPart, { body: 'x', headers: { 'content-type': 'text/csv' } })).status).toBe(403);
    const empty = new FormData();
    empty.set('_csrf', me.csrf);
    const none = await me.fetch(paths.import, { body: empty });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Choose a CSV file.');
  });
});

describe('someone else’s things are 404 (IDOR)', () => {
  it('dashboards, cards, CSV, series and annotations of another account', async () => {
    const owner = await withData({ private: [[Date.now(), 42]] });
    const id = await makeDashboard(owner);
    const [card] = cardIds(await (await owner.fetch(paths.dashboard(id))).text());
    const series = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'private' ORDER BY id DESC`).first<{ id: number }>())!.id;
    await owner.fetch(paths.annotations, { form: { at: '2026-11-01T10:00', text: 'mine', series: String(series) } });
    const note = (await env.DB.prepare(`SELECT id FROM insight_annotations WHERE text = 'mine' ORDER BY id DESC`).first<{ id: number }>())!.id;
    const other = await withData({ theirs: [[Date.now(), 1]] });
    const theirDash = await makeDashboard(other);
    const attempts: [string, Parameters<Client['fetch']>[1]][] = [
      [paths.dashboard(id), {}],
      [paths.card(id, card!), { htmx: true }],
      [paths.cardCsv(id, card!), {}],
      [paths.series(series), {}],
      [paths.cards(id), { form: { series: String(series), kind: 'line', title: '' } }],
      [paths.moveCard(id, card!), { form: { direction: 'up' } }],
      [paths.removeCard(id, card!), { form: {} }],
      [paths.rename(id), { form: { name: 'pwned' } }],
      [paths.remove(id), { form: { confirm: 'yes' } }],
      [paths.share(id), { form: { share: 'new' } }],
      [paths.series(series), { form: { name: 'pwned', unit: 'x', kind: 'gauge', goal: '', retention_days: '1' } }],
      [paths.deletePoints(series), { form: { from: '1970-01-01T00:00', to: '2100-01-01T00:00' } }],
      [paths.removeSeries(series), { form: { confirm: 'yes' } }],
      [paths.removeAnnotation(note), { form: {} }],
      // Their own dashboard, with the owner's series in it, or their card id on the owner's dashboard.
      [paths.cards(theirDash), { form: { series: String(series), kind: 'line', title: '' } }],
      [paths.annotations, { form: { at: '2026-11-01T10:00', text: 'x', series: String(series) } }],
    ];
    for (const [path, options] of attempts) expect((await other.fetch(path, options)).status, path).toBe(404);
    // Nothing changed.
    expect(cardIds(await (await owner.fetch(paths.dashboard(id))).text())).toEqual([card]);
    expect(await env.DB.prepare('SELECT name, share_token FROM insight_dashboards WHERE id = ?').bind(id).first()).toEqual({ name: 'Mine', share_token: null });
    expect((await env.DB.prepare('SELECT retention_days AS r FROM insight_series WHERE id = ?').bind(series).first<{ r: number }>())!.r).toBeGreaterThan(1);
    expect(
      (await env.DB.prepare(
        'SELECT count(*) AS n FROM insight_annotations WHERE owner_id != (SELECT owner_id FROM insight_series WHERE id = ?) AND series_id = ?',
      )
        .bind(series, series)
        .first<{ n: number }>())!.n,
    ).toBe(0);
  });
});

describe('stored XSS corpus on InsightDash', () => {
  it('series names, tags, annotations, card titles and dashboard names stay inert on every page, card and chart JSON', async () => {
    const payloads = xssPayloads();
    const me = await signedUp();
    const owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(me.email).first<{ id: number }>())!.id;
    const now = Date.now();
    const problems: string[] = [];
    // Stored through SQL in groups (the routes' limits are not what this test is about).
    for (let start = 0; start < payloads.length; start += 40) {
      const group = payloads.slice(start, start + 40);
      const dash = `xss${String(start).padStart(19, '0')}`;
      await env.DB.prepare('INSERT INTO insight_dashboards (id, owner_id, name, share_token, created_at) VALUES (?, ?, ?, ?, ?)')
        .bind(dash, owner, asDisplayText(group[0]!, 100), `share${String(start).padStart(17, '0')}`, now)
        .run();
      for (const [i, payload] of group.entries()) {
        const name = `${start + i} ${asDisplayText(payload, 180)}`;
        const series = (await env.DB.prepare('INSERT INTO insight_series (owner_id, name, tags, unit, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
          .bind(owner, name, JSON.stringify({ tag: payload.slice(0, 200) }), payload.slice(0, 20), now)
          .first<{ id: number }>())!.id;
        await env.DB.batch([
          env.DB.prepare('INSERT INTO insight_points (series_id, ts, value) VALUES (?, ?, 1)').bind(series, now - 60_000),
          env.DB.prepare('INSERT INTO insight_rollups_hour (series_id, bucket, n, sum, min, max) VALUES (?, ?, 1, 1, 1, 1)').bind(
            series,
            Math.floor((now - 60_000) / 3_600_000) * 3_600_000,
          ),
          env.DB.prepare('INSERT INTO insight_rollups_day (series_id, bucket, n, sum, min, max) VALUES (?, ?, 1, 1, 1, 1)').bind(
            series,
            Math.floor((now - 60_000) / DAY) * DAY,
          ),
          env.DB.prepare('INSERT INTO insight_annotations (owner_id, series_id, ts, text, created_at) VALUES (?, ?, ?, ?, ?)').bind(
            owner,
            series,
            now - 30_000,
            payload.slice(0, 280),
            now,
          ),
          env.DB.prepare('INSERT INTO insight_cards (dashboard_id, position, kind, series_id, title) VALUES (?, ?, ?, ?, ?)').bind(
            dash,
            i,
            ['line', 'bars', 'stat', 'calendar', 'table'][i % 5]!,
            series,
            payload.slice(0, 100),
          ),
        ]);
      }
      const page = await (await me.fetch(paths.dashboard(dash, 'range=today'))).text();
      problems.push(...(await scriptVectors(page, `dashboard ${start}`)));
      const shared = await (await me.fetch(paths.shared(`share${String(start).padStart(17, '0')}`, 'range=today'))).text();
      problems.push(...(await scriptVectors(shared, `shared ${start}`)));
      for (const card of cardIds(page)) {
        const fragment = await (await me.fetch(paths.card(dash, card, 'range=today'), { htmx: true })).text();
        problems.push(...(await scriptVectors(fragment, `card ${card}`)));
        const json = /<script type="application\/json" class="chart-data">([^<]*)<\/script>/.exec(fragment);
        if (json) JSON.parse(json[1]!);
      }
    }
    problems.push(...(await scriptVectors(await (await me.fetch(paths.home)).text(), 'home')));
    const series = (await env.DB.prepare('SELECT id FROM insight_series WHERE owner_id = ? LIMIT 5').bind(owner).all<{ id: number }>()).results;
    for (const s of series) problems.push(...(await scriptVectors(await (await me.fetch(paths.series(s.id))).text(), `series ${s.id}`)));
    expect(problems.slice(0, 20), problems.join('\n')).toEqual([]);
  }, 180_000);
});
