// What a hostile review of InsightDash found, each kept fixed: number checks that cannot
// backtrack, a raw card whose previous period is dense reads rollups, hours too dense to
// rewrite are refused, retention's watermark keeps rollups whole after it is raised, large
// bodies only for real Bearer tokens, line-protocol tags within the series' limits, values
// whose sums stay finite, a body of nothing but bad lines refused whole, and a share
// link's charts without the owner's notes on every series, and the account's quota of
// raw points (kept as a count per series, exact through re-sends and retention).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import insightdash from '../../workers/insightdash';
import { isNumberText, parseLineProtocol } from '../../workers/insightdash/formats';
import { paths } from '../../workers/insightdash/paths';
import { DAY_MS, HOUR_MS } from '../../workers/insightdash/points';
import * as q from '../../workers/insightdash/queries';
import { type Range, resolveRange } from '../../workers/insightdash/ranges';
import { deleteExpiredPoints, ingest, QuotaFull, rollups, seriesFor } from '../../workers/insightdash/repository';
import { Client, createToken, signedUp } from '../support/client';
import { logged } from '../support/logs';

const NOW = Date.UTC(2026, 11, 1, 12);
const ownerOf = async (email: string) => (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first<{ id: number }>())!.id;
const api = (token: string, path: string, body: string, type = 'application/json', client = new Client()) =>
  client.fetch(`/insightdash/api/${path}`, { body, headers: { authorization: `Bearer ${token}`, 'content-type': type }, bare: true });

describe('InsightDash under attack', () => {
  it('number checks are bounded: long digit runs are refused, not backtracked over', () => {
    expect(isNumberText('-1.5e3')).toBe(true);
    expect(isNumberText('.5')).toBe(true);
    expect(isNumberText('7.')).toBe(true);
    expect(isNumberText('1'.repeat(64))).toBe(true);
    expect(isNumberText('1'.repeat(65))).toBe(false);
    const parsed = parseLineProtocol(`m f=${'1'.repeat(80_000)}x`, 'ms', NOW);
    expect(parsed.refused[0]!.reason).toContain('is not a number');
  });

  it('a raw card whose previous period holds more than 20,000 points reads hourly rollups', async () => {
    const user = await signedUp();
    const series = await seriesFor(env.DB, await ownerOf(user.email), 'dense-last-week', NOW);
    const today: Range = resolveRange({ range: 'today' }, NOW) as Range;
    const lastWeek = today.from - today.shift;
    const rows = Array.from({ length: 20_001 }, (_, i) => ({ seriesId: series.id, ts: lastWeek + i * 4000, value: i }));
    for (let i = 0; i < rows.length; i += 5000) await ingest(env.DB, rows.slice(i, i + 5000));
    await ingest(env.DB, [{ seriesId: series.id, ts: today.from + 1000, value: 1 }]);
    expect(await q.readableResolution(env.DB, series.id, today)).toBe('hour');
  });

  it('an hour of one series holds at most 3,600 points; a request rewriting too much is refused whole', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['insightdash:ingest']);
    const hour = Math.floor((Date.now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    const points = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [hour + (from + i) * 500, i]);
    expect((await api(token, 'points', JSON.stringify({ series: 'dense', points: points(3600) }))).status).toBe(200);
    const more = await api(token, 'points', JSON.stringify({ series: 'dense', points: points(1, 3600) }));
    expect(more.status).toBe(422);
    expect((await more.json<{ detail: string }>()).detail).toContain('more than 3,600 points (one a second)');
    const stored = await env.DB.prepare(`SELECT count(*) AS n FROM insight_points p JOIN insight_series s ON s.id = p.series_id WHERE s.name = 'dense'`).first<{
      n: number;
    }>();
    expect(stored!.n).toBe(3600);
  });

  it('after retention deleted an hour, raising the retention does not let a point rewrite its rollup', async () => {
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const now = Date.UTC(2026, 11, 1, 9, 17);
    const series = await seriesFor(env.DB, owner, 'ret', now);
    const old = now - 10 * DAY_MS;
    await ingest(env.DB, [
      { seriesId: series.id, ts: old, value: 10 },
      { seriesId: series.id, ts: old + 1000, value: 20 },
    ]);
    await env.DB.prepare('UPDATE insight_series SET retention_days = 1 WHERE id = ?').bind(series.id).run();
    const job = insightdash.cron!.find((j) => j.name === 'insightdash.retention')!;
    expect(await job.run(env, now)).toEqual({ deleted: 2 });
    await env.DB.prepare('UPDATE insight_series SET retention_days = 90 WHERE id = ?').bind(series.id).run();
    const { store } = await import('../../workers/insightdash/service');
    const answer = await store(
      env.DB,
      owner,
      { samples: [{ series: 'ret', ts: old + 2000, value: 100, ref: { line: 1 } }], refused: [], tags: new Map() },
      now,
      1_000_000,
    );
    expect(answer).toMatchObject({ accepted: 0, rejected: 1, errors: [{ reason: expect.stringContaining('already deleted by its retention') }] });
    const hour = Math.floor(old / HOUR_MS) * HOUR_MS;
    expect(await rollups(env.DB, series.id, 'hour', hour, hour + HOUR_MS)).toEqual([{ bucket: hour, n: 2, sum: 30, min: 10, max: 20 }]);
  });

  it('a large body is let in only with a Bearer token, never for any Authorization header', async () => {
    const body = `a=${'x'.repeat(200_000)}`;
    const res = await new Client().fetch('/insightdash/api/points', {
      body,
      headers: { authorization: 'Basic Zm9vOmJhcg==', cookie: `__Host-sf_csrf=${'a'.repeat(30)}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(413);
  });

  it('line-protocol tags stay within a series’ limits (the line is refused, not the request); values stay summable', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['insightdash:ingest']);
    const tags = Array.from({ length: 21 }, (_, i) => `t${i}=v`).join(',');
    const res = await api(token, 'write?precision=ms', `ok f=1 ${Date.now()}\nmany,${tags} f=1 ${Date.now()}\nbig f=1e301 ${Date.now()}`, 'text/plain');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      accepted: 1,
      rejected: 2,
      errors: [
        { line: 2, reason: 'the line has more than 20 tags' },
        { line: 3, reason: expect.stringContaining('too large') },
      ],
    });
  });

  it('a body of nothing but bad lines is refused whole, without reading past 10,000 of them', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['insightdash:ingest']);
    const res = await api(token, 'import', 'x\n'.repeat(20_000), 'text/csv');
    expect(res.status).toBe(422);
    expect((await res.json<{ detail: string }>()).detail).toContain('More than 10,000 lines were refused');
  });

  it('a share link’s charts show each series’ own annotations, not the owner’s notes on every series', async () => {
    const me = await signedUp();
    const token = await createToken(me, ['insightdash:ingest']);
    await api(token, 'points', JSON.stringify({ series: 'shown', points: [[Date.now() - 60_000, 1]] }));
    const made = await me.fetch(paths.dashboards, { form: { name: 'S', with_cards: 'yes' } });
    const id = /\/insightdash\/d\/([\w-]{22})/.exec(made.headers.get('location')!)![1]!;
    const series = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'shown' AND owner_id = ?`)
      .bind(await ownerOf(me.email))
      .first<{ id: number }>())!.id;
    const at = new Date(Date.now() - 30 * 60_000).toISOString().slice(0, 16);
    await me.fetch(paths.annotations, { form: { at, text: 'private diary', series: '' } });
    await me.fetch(paths.annotations, { form: { at, text: 'public note', series: String(series) } });
    await me.fetch(paths.share(id), { form: { share: 'new' } });
    const page = await (await me.fetch(paths.dashboard(id))).text();
    const token2 = /\/insightdash\/s\/([\w-]{22})/.exec(page)![1]!;
    const card = Number(/id="card-(\d+)"/.exec(page)![1]);
    const mine = await (await me.fetch(paths.card(id, card, 'range=today'), { htmx: true })).text();
    expect(mine).toContain('private diary');
    const shared = await (await new Client().fetch(paths.sharedCard(token2, card, 'range=today'), { htmx: true })).text();
    expect(shared).toContain('public note');
    expect(shared).not.toContain('private diary');
  });

  it('an account keeps at most INSIGHTDASH_MAX_POINTS raw points: past it a request is refused whole, with the figures, and makes no series', async () => {
    const tight = new Client({ INSIGHTDASH_MAX_POINTS: '1000' });
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const token = await createToken(user, ['insightdash:ingest']);
    const start = Date.now() - 3 * HOUR_MS;
    const points = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [start + (from + i) * 1000, i]);
    expect((await api(token, 'points', JSON.stringify({ series: 'a', points: points(800) }), 'application/json', tight)).status).toBe(200);
    const over = await api(token, 'points', JSON.stringify([{ series: 'b', points: points(201) }]), 'application/json', tight);
    expect(over.status).toBe(409);
    expect((await over.json<{ detail: string }>()).detail).toMatch(
      /^Your series keep 800 points; with these 201 they would keep more than the 1,000 raw points an account may keep: nothing was stored\. Delete points or series/,
    );
    const names = await env.DB.prepare('SELECT name, points FROM insight_series WHERE owner_id = ? ORDER BY name').bind(owner).all();
    expect(names.results).toEqual([{ name: 'a', points: 800 }]);
    expect((await api(token, 'points', JSON.stringify({ series: 'b', points: points(200) }), 'application/json', tight)).status).toBe(200);
    // Two requests racing past the first check: the batch's own check stores nothing.
    const a = (await env.DB.prepare(`SELECT id FROM insight_series WHERE owner_id = ? AND name = 'a'`).bind(owner).first<{ id: number }>())!.id;
    await expect(ingest(env.DB, [{ seriesId: a, ts: start - 5000, value: 1 }], { ownerId: owner, maxPoints: 1000 })).rejects.toBeInstanceOf(QuotaFull);
    const total = await env.DB.prepare('SELECT sum(points) AS kept FROM insight_series WHERE owner_id = ?').bind(owner).first<{ kept: number }>();
    const counted = await env.DB.prepare('SELECT count(*) AS n FROM insight_points p JOIN insight_series s ON s.id = p.series_id WHERE s.owner_id = ?')
      .bind(owner)
      .first<{ n: number }>();
    expect([total!.kept, counted!.n]).toEqual([1000, 1000]);
  });

  it('a series’ count of points stays exact through re-sent points, new hours and retention', async () => {
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const now = Date.UTC(2026, 11, 1, 9, 17);
    const series = await seriesFor(env.DB, owner, 'counted', now);
    const old = now - 10 * DAY_MS;
    const at = (ts: number, value: number) => ({ seriesId: series.id, ts, value });
    await ingest(env.DB, [at(old, 1), at(old + 1000, 2), at(now - HOUR_MS, 3)]);
    await ingest(env.DB, [at(old, 5), at(now - HOUR_MS, 6), at(now - 1000, 7)]);
    const kept = async () => {
      const row = await env.DB.prepare('SELECT points, (SELECT count(*) FROM insight_points WHERE series_id = ?1) AS n FROM insight_series WHERE id = ?1')
        .bind(series.id)
        .first<{ points: number; n: number }>();
      return [row!.points, row!.n];
    };
    expect(await kept()).toEqual([4, 4]);
    await env.DB.prepare('UPDATE insight_series SET retention_days = 2 WHERE id = ?').bind(series.id).run();
    const job = insightdash.cron!.find((j) => j.name === 'insightdash.retention')!;
    expect(await job.run(env, now)).toEqual({ deleted: 2 });
    expect(await kept()).toEqual([2, 2]);
  });

  it('a request refused whole as too dense makes none of the series it names', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['insightdash:ingest']);
    const hour = Math.floor((Date.now() - 2 * HOUR_MS) / HOUR_MS) * HOUR_MS;
    const dense = Array.from({ length: 3601 }, (_, i) => [hour + i * 900, i]);
    const res = await api(
      token,
      'points',
      JSON.stringify([
        { series: 'fine', points: [[hour, 1]] },
        { series: 'too-dense', points: dense },
      ]),
    );
    expect(res.status).toBe(422);
    const made = await env.DB.prepare('SELECT count(*) AS n FROM insight_series WHERE owner_id = ?')
      .bind(await ownerOf(user.email))
      .first<{ n: number }>();
    expect(made!.n).toBe(0);
  });

  it('an ingest reads a row per hour it touches, not every rollup of the owner’s series (the preflight keeps the request outermost)', async () => {
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const token = await createToken(user, ['insightdash:ingest']);
    const now = Date.now();
    const series = await seriesFor(env.DB, owner, 'long', now);
    const start = Math.floor(now / HOUR_MS) * HOUR_MS - 5000 * HOUR_MS;
    await env.DB.prepare('UPDATE insight_series SET retention_days = 3660 WHERE id = ?').bind(series.id).run();
    await ingest(
      env.DB,
      Array.from({ length: 5000 }, (_, i) => ({ seriesId: series.id, ts: start + i * HOUR_MS, value: i })),
    );
    const points = Array.from({ length: 20 }, (_, i) => [start + (4000 + i) * HOUR_MS + 1000, 1]);
    const { res, line } = await logged(() => api(token, 'points', JSON.stringify({ series: 'long', points })));
    expect(res.status).toBe(200);
    // 5,000 hourly rollups × 20 hours if the join ran the other way round; a few per point this way.
    expect(line.rows_read).toBeLessThan(1000);
  });

  it('retention subtracts from a series’ count exactly what it deletes, so a backlog of expired points still counts', async () => {
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const now = Date.UTC(2026, 11, 1, 9, 17);
    const series = await seriesFor(env.DB, owner, 'backlog', now);
    await ingest(
      env.DB,
      Array.from({ length: 5 }, (_, i) => ({ seriesId: series.id, ts: now - 10 * DAY_MS + i * 1000, value: i })),
    );
    await env.DB.prepare('UPDATE insight_series SET retention_days = 1 WHERE id = ?').bind(series.id).run();
    const counts = () =>
      env.DB.prepare('SELECT points, (SELECT count(*) FROM insight_points WHERE series_id = ?1) AS n FROM insight_series WHERE id = ?1')
        .bind(series.id)
        .first<{ points: number; n: number }>();
    expect(await deleteExpiredPoints(env.DB, now, 2)).toBe(2);
    expect(await counts()).toEqual({ points: 3, n: 3 });
    expect(await deleteExpiredPoints(env.DB, now, 2)).toBe(2);
    expect(await deleteExpiredPoints(env.DB, now, 2)).toBe(1);
    expect(await counts()).toEqual({ points: 0, n: 0 });
  });

  it('points before a series’ pruned hours are skipped inside the batch (a rename or a retention run racing the request), its rollups and count untouched', async () => {
    const user = await signedUp();
    const owner = await ownerOf(user.email);
    const now = Date.UTC(2026, 11, 1, 9, 17);
    const series = await seriesFor(env.DB, owner, 'pruned', now);
    const old = now - 10 * DAY_MS;
    const hour = Math.floor(old / HOUR_MS) * HOUR_MS;
    await ingest(env.DB, [
      { seriesId: series.id, ts: old, value: 10 },
      { seriesId: series.id, ts: old + 1000, value: 20 },
    ]);
    await env.DB.prepare('UPDATE insight_series SET retention_days = 1 WHERE id = ?').bind(series.id).run();
    await deleteExpiredPoints(env.DB, now, 100);
    // As if the request had judged these points against a series that then took this one's name.
    expect(await ingest(env.DB, [{ seriesId: series.id, ts: old + 2000, value: 999 }], { ownerId: owner, maxPoints: 1000 })).toBe(0);
    expect(await rollups(env.DB, series.id, 'hour', hour, hour + HOUR_MS)).toEqual([{ bucket: hour, n: 2, sum: 30, min: 10, max: 20 }]);
    const row = await env.DB.prepare('SELECT points FROM insight_series WHERE id = ?').bind(series.id).first<{ points: number }>();
    expect(row!.points).toBe(0);
  });

  it('the point-delete form takes a point or a range, never both, and real moments only; names refuse right-to-left marks', async () => {
    const me = await signedUp();
    const token = await createToken(me, ['insightdash:ingest']);
    await api(token, 'points', JSON.stringify({ series: 'kept', points: [[Date.now() - 60_000, 1]] }));
    const id = (await env.DB.prepare(`SELECT id FROM insight_series WHERE name = 'kept' AND owner_id = ?`)
      .bind(await ownerOf(me.email))
      .first<{ id: number }>())!.id;
    for (const [form, message] of [
      [{ at: '' }, 'Pick a point from the list.'],
      [{ at: '0x10' }, 'Pick a point from the list.'],
      [{ at: String(Date.now() - 60_000), from: '2026-01-01T00:00', to: '2026-01-02T00:00' }, 'Delete one point (from its row) or a range, not both at once.'],
      [{ from: '2026-02-30T00:00', to: '2026-03-02T00:00' }, 'That is not a date and time'],
      [{ from: '0000-01-01T00:00', to: '2026-03-02T00:00' }, 'That is not a date and time'],
    ] as const) {
      const res = await me.fetch(paths.deletePoints(id), { form });
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(await res.text(), JSON.stringify(form)).toContain(message);
    }
    const kept = await env.DB.prepare('SELECT count(*) AS n FROM insight_points WHERE series_id = ?').bind(id).first<{ n: number }>();
    expect(kept!.n).toBe(1);
    const bidi = await me.fetch(paths.series(id), { form: { name: 'a\u202eb', unit: '', kind: 'gauge', goal: '', retention_days: '90' } });
    expect(bidi.status).toBe(422);
    expect(await bidi.text()).toContain('right-to-left mark');
  });
});
