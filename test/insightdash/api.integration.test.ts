// InsightDash's ingestion API through the Worker: JSON, line protocol and CSV with
// tokens of the `insightdash:ingest` scope; per-point refusals with reasons, 413 past
// 10,000 points, 422 when nothing is stored, idempotent re-ingest, and one owner's
// series never touched by another's token.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../workers/insightdash/points';
import { rollups } from '../../workers/insightdash/repository';
import { Client, createToken, signedUp } from '../support/client';

const api = (token: string, path: string, body: BodyInit, type = 'application/json', extra: Record<string, string> = {}) =>
  new Client().fetch(`/insightdash/api/${path}`, { body, headers: { authorization: `Bearer ${token}`, 'content-type': type, ...extra }, bare: true });

const seriesOf = async (email: string) =>
  env.DB.prepare('SELECT s.id, s.name, s.unit, s.tags FROM insight_series s JOIN users u ON u.id = s.owner_id WHERE u.email = ? ORDER BY s.name')
    .bind(email)
    .all<{ id: number; name: string; unit: string; tags: string }>()
    .then((r) => r.results);

let token: string;
let email: string;
beforeAll(async () => {
  const user = await signedUp();
  email = user.email;
  token = await createToken(user, ['insightdash:ingest']);
});

const now = () => Math.floor(Date.now() / 1000) * 1000;

describe('POST /insightdash/api/points', () => {
  it('stores the good points, refuses the bad ones by series and place, and says why', async () => {
    const t = now();
    const res = await api(
      token,
      'points',
      JSON.stringify([
        {
          series: 'weight',
          unit: 'kg',
          points: [
            [t - 2000, 71.5],
            [t - 1000, 'x'],
            [Math.floor(t / 1000), 1],
            [t - 1000, 72],
          ],
        },
        { series: 'mood', tags: { who: 'me' }, points: [[t, 3]] },
      ]),
    );
    expect(res.status).toBe(200);
    const body = await res.json<{ accepted: number; rejected: number; errors: unknown[] }>();
    expect(body).toEqual({
      accepted: 3,
      rejected: 2,
      errors: [
        { series: 'weight', index: 1, reason: 'the value must be a number' },
        { series: 'weight', index: 2, reason: expect.stringContaining('looks like seconds') },
      ],
    });
    const series = await seriesOf(email);
    expect(series.map((s) => [s.name, s.unit, JSON.parse(s.tags)])).toEqual([
      ['mood', '', { who: 'me' }],
      ['weight', 'kg', {}],
    ]);
    // Sent again with another value: replaced, and the hour's rollup follows.
    expect((await api(token, 'points', JSON.stringify({ series: 'weight', points: [[t - 1000, 80]] }))).status).toBe(200);
    const hour = Math.floor((t - 1000) / HOUR_MS) * HOUR_MS;
    const weight = series.find((s) => s.name === 'weight')!.id;
    const sameHour = Math.floor((t - 2000) / HOUR_MS) * HOUR_MS === hour;
    const [r] = await rollups(env.DB, weight, 'hour', hour, hour + HOUR_MS);
    expect(r).toMatchObject(sameHour ? { n: 2, sum: 151.5, max: 80 } : { n: 1, sum: 80, max: 80 });
  });

  it('a request whose every point is refused is a 422 listing them; an empty one says so', async () => {
    const res = await api(token, 'points', JSON.stringify({ series: 'x', points: [[-5, 1]] }));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<{ detail: string; errors: { reason: string }[]; accepted: number }>();
    expect(problem.detail).toContain('No point was stored');
    expect(problem.accepted).toBe(0);
    expect(problem.errors[0]!.reason).toContain('before 1970');
    const empty = await api(token, 'points', JSON.stringify({ series: 'x', points: [] }));
    expect(empty.status).toBe(422);
    expect((await empty.json<{ detail: string }>()).detail).toBe('The body holds no points.');
  });

  it('refuses a body that is not the shape (422 naming the field) and more than 10,000 points (413)', async () => {
    const bad = await api(token, 'points', JSON.stringify({ series: '', points: [], extra: 1 }));
    expect(bad.status).toBe(422);
    const problem = await bad.json<{ errors: { field: string; message: string }[] }>();
    expect(problem.errors.map((e) => e.field)).toEqual(['0.series', '0.extra']);
    const t = now();
    const many = await api(token, 'points', JSON.stringify({ series: 'big', points: Array.from({ length: 10_001 }, (_, i) => [t - i * 1000, i]) }));
    expect(many.status).toBe(413);
    expect((await many.json<{ detail: string }>()).detail).toContain('at most 10,000 points');
  });

  it('stores exactly 10,000 points in one request (one json_each batch)', async () => {
    const t = now();
    const res = await api(
      token,
      'points',
      JSON.stringify({ series: 'ten-thousand', points: Array.from({ length: 10_000 }, (_, i) => [t - i * 1000, i % 97]) }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 10_000, rejected: 0, errors: [] });
    const id = (await seriesOf(email)).find((s) => s.name === 'ten-thousand')!.id;
    const count = await env.DB.prepare('SELECT count(*) AS n FROM insight_points WHERE series_id = ?').bind(id).first<{ n: number }>();
    expect(count!.n).toBe(10_000);
    const sums = await env.DB.prepare('SELECT sum(n) AS n FROM insight_rollups_hour WHERE series_id = ?').bind(id).first<{ n: number }>();
    expect(sums!.n).toBe(10_000);
  });
});

describe('POST /insightdash/api/write (line protocol) and /api/import (CSV)', () => {
  it('takes what Telegraf sends, with Influx’s query parameters', async () => {
    const ns = BigInt(now()) * 1_000_000n;
    const body = `cpu,host=web-1 usage_idle=91.5,usage_user=4.25 ${ns}\ncpu,host=web-1 usage_idle=90 ${ns + 10_000_000_000n}\nmem,host=web-1 used_percent="x" ${ns}\n`;
    const res = await api(token, 'write?db=telegraf&precision=ns', body, 'text/plain; charset=utf-8');
    expect(res.status).toBe(200);
    // The string field is skipped (Telegraf sends some: uptime_format), not refused.
    expect(await res.json()).toEqual({ accepted: 3, rejected: 0, errors: [] });
    const names = (await seriesOf(email)).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['cpu.usage_idle{host=web-1}', 'cpu.usage_user{host=web-1}']));
    expect(JSON.parse((await seriesOf(email)).find((s) => s.name === 'cpu.usage_idle{host=web-1}')!.tags)).toEqual({ host: 'web-1' });
  });

  it('refuses a compressed body with what to change', async () => {
    const res = await api(token, 'write', 'm v=1', 'text/plain', { 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
    expect((await res.json<{ detail: string }>()).detail).toContain('content_encoding = "identity"');
  });

  it('CSV: stored lines and refused ones by line number', async () => {
    const t = now();
    const res = await api(token, 'import?first_line=1', `ts,series,value\n${t},steps,5000\n${t},steps,abc\n`, 'text/csv');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, rejected: 1, errors: [{ line: 3, reason: 'the value “abc” is not a number' }] });
  });
});

describe('who may send', () => {
  it('needs a token with the scope; a token of another scope is 403, none is 401', async () => {
    const user = await signedUp();
    const other = await createToken(user, ['melos']);
    const body = JSON.stringify({ series: 's', points: [[now(), 1]] });
    expect((await api(other, 'points', body)).status).toBe(403);
    expect((await new Client().fetch('/insightdash/api/points', { body, headers: { 'content-type': 'application/json' }, bare: true })).status).toBe(401);
  });

  it('one owner’s token writes only that owner’s series of the same name', async () => {
    const a = await signedUp();
    const b = await signedUp();
    const ta = await createToken(a, ['insightdash:ingest']);
    const tb = await createToken(b, ['insightdash:ingest']);
    const t = now();
    await api(ta, 'points', JSON.stringify({ series: 'shared-name', points: [[t, 1]] }));
    await api(tb, 'points', JSON.stringify({ series: 'shared-name', points: [[t, 2]] }));
    const [sa] = await seriesOf(a.email);
    const [sb] = await seriesOf(b.email);
    expect(sa!.id).not.toBe(sb!.id);
    const value = (id: number) => env.DB.prepare('SELECT value FROM insight_points WHERE series_id = ?').bind(id).first<{ value: number }>();
    expect((await value(sa!.id))!.value).toBe(1);
    expect((await value(sb!.id))!.value).toBe(2);
  });

  it('a new series keeps raw points back to its first request’s oldest (a backfill); older ones later are refused', async () => {
    const t = now();
    const DAY = 86_400_000;
    expect((await api(token, 'points', JSON.stringify({ series: 'recent', points: [[t, 2]] }))).status).toBe(200);
    const res = await api(
      token,
      'points',
      JSON.stringify({
        series: 'recent',
        points: [
          [t - 91 * DAY, 1],
          [t - 1000, 2],
        ],
      }),
    );
    expect(await res.json()).toEqual({
      accepted: 1,
      rejected: 1,
      errors: [{ series: 'recent', index: 0, reason: expect.stringContaining('older than the 90 days series “recent” keeps raw points for') }],
    });
    const backfill = await api(
      token,
      'points',
      JSON.stringify({
        series: 'backfill',
        points: [
          [t - 400 * DAY, 1],
          [t, 2],
        ],
      }),
    );
    expect(await backfill.json()).toEqual({ accepted: 2, rejected: 0, errors: [] });
    const kept = await env.DB.prepare(`SELECT retention_days AS d FROM insight_series WHERE name = 'backfill'`).first<{ d: number }>();
    expect(kept!.d).toBe(402); // 400 days and a moment, rounded up, and a day to spare
  });
});
