// InsightDash's figures for `npm run bench` (bench/run.mjs writes them into RESULTS.md),
// through its own `wrangler dev` (a local D1 seeded with 1,000,000 points: 10 series ×
// 100,000, one every 5 minutes for about a year, with their rollups):
//
// 1. Ingest through the HTTP API (JSON, 10,000 points a request, a Bearer token) in
//    points/s, against a raw `INSERT … SELECT FROM json_each(?)` of the same batches into
//    the same engine's local D1 (wrangler's platform proxy, in this process): the ratio is the API's
//    overhead (auth, checks, the series upsert, the rollups rewritten in the batch).
// 2. A card over the 1M-point set: p50/p99 of its fragment (as htmx asks for it) for a
//    year (daily rollups), 7 days (hourly) and today (raw points), with its D1 queries,
//    rows read and bytes from the request's log line.
// 3. Time to all cards: a dashboard of 10 line cards over a year, opened in Chromium,
//    until every card has loaded and drawn (median of 5).
import { getPlatformProxy } from 'wrangler';
import { chromium } from 'playwright-core';
import { csrfOf, requestLines, signIn } from './http.mjs';

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const SERIES = 10;
export const POINTS_PER_SERIES = 100_000;
export const INSIGHT_USER = { email: 'insight@bench.sixfold.test', password: 'bench-password-not-secret' };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** 10 series of 100,000 points each (every 5 minutes up to `now`), their hourly and daily rollups, and their owner. */
export function insightSeedSql({ now, passwordHash }) {
  const step = 300_000;
  const end = Math.floor(now / step) * step;
  return `
INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) VALUES ('${INSIGHT_USER.email}', '', '${passwordHash}', 'member', ${now}, ${now});
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${SERIES})
INSERT INTO insight_series (owner_id, name, unit, retention_days, created_at)
SELECT (SELECT id FROM users WHERE email = '${INSIGHT_USER.email}'), 'metric.' || i, 'u', 3660, ${now} FROM n;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${POINTS_PER_SERIES - 1})
INSERT INTO insight_points (series_id, ts, value)
SELECT s.id, ${end} - n.i * ${step}, 50 + 20 * sin(n.i / 288.0 * 6.283) + ((n.i * 48271 + s.id * 7919) % 1000) / 100.0
FROM insight_series s, n WHERE s.name LIKE 'metric.%';
INSERT INTO insight_rollups_hour (series_id, bucket, n, sum, min, max)
SELECT series_id, ts / ${HOUR} * ${HOUR}, count(*), sum(value), min(value), max(value) FROM insight_points GROUP BY 1, 2;
INSERT INTO insight_rollups_day (series_id, bucket, n, sum, min, max)
SELECT series_id, bucket / ${DAY} * ${DAY}, sum(n), sum(sum), min(min), max(max) FROM insight_rollups_hour GROUP BY 1, 2;
UPDATE insight_series SET points = (SELECT coalesce(sum(n), 0) FROM insight_rollups_hour r WHERE r.series_id = insight_series.id);
SELECT (SELECT count(*) FROM insight_points) AS points, (SELECT count(*) FROM insight_rollups_day) AS days;`;
}

/** A form post as the signed-in browser (the page's CSRF token), answering the redirect's target. */
async function post(url, path, cookie, fields, page) {
  const { token } = await csrfOf(`${url}${page}`, cookie);
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: token }),
  });
  return res;
}

async function ingestToken(url, cookie) {
  const res = await post(
    url,
    '/account/tokens',
    cookie,
    { name: 'bench', scopes: 'insightdash:ingest', expires: '30', password: INSIGHT_USER.password },
    '/account',
  );
  const found = /id="new-token" value="([^"]+)"|value="(sfp_[^"]+)"/.exec(await res.text());
  const token = found?.[1] ?? found?.[2];
  if (!token) throw new Error(`token: ${res.status}`);
  return token;
}

/** `requests` bodies of 10,000 points each, for new series (one a request), over the last 60 days. */
function ingestBodies(requests, now) {
  return Array.from({ length: requests }, (_, r) => ({
    series: `ingest.${r}`,
    points: Array.from({ length: 10_000 }, (_, i) => [now - 60 * DAY + i * 300_000 + r, Math.round(Math.sin(i / 50) * 1000) / 10]),
  }));
}

/** The raw baseline: the same batches inserted with one json_each statement each into a fresh local D1 of the same engine (wrangler's platform proxy). */
async function rawInsert(bodies) {
  const { env, dispose } = await getPlatformProxy({ persist: false });
  try {
    const db = env.DB;
    await db.exec(
      'CREATE TABLE insight_points (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, ts)) STRICT, WITHOUT ROWID',
    );
    const insert = (r, body) =>
      db
        .prepare(
          'INSERT INTO insight_points (series_id, ts, value) SELECT ?1, value ->> 0, value ->> 1 FROM json_each(?2) WHERE true ON CONFLICT (series_id, ts) DO UPDATE SET value = excluded.value',
        )
        .bind(r + 1, JSON.stringify(body.points))
        .run();
    await insert(1000, bodies[0]);
    const start = performance.now();
    for (const [r, body] of bodies.slice(1).entries()) await insert(r, body);
    return ((bodies.length - 1) * 10_000) / ((performance.now() - start) / 1000);
  } finally {
    await dispose();
  }
}

export async function measureInsight(url, logs, now) {
  const cookie = await signIn(url, INSIGHT_USER);

  // 1. Ingest, the API against the raw insert (both warmed up by one batch first).
  const token = await ingestToken(url, cookie);
  const bodies = ingestBodies(11, now);
  const send = (body) =>
    fetch(`${url}/insightdash/api/points`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const warm = await send(bodies[0]);
  if (!warm.ok) throw new Error(`ingest: ${warm.status} ${await warm.text()}`);
  const started = performance.now();
  for (const body of bodies.slice(1)) {
    const res = await send(body);
    const answer = await res.json();
    if (answer.accepted !== 10_000) throw new Error(`ingest: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  const apiRate = ((bodies.length - 1) * 10_000) / ((performance.now() - started) / 1000);
  // The same bodies, the first again as the warm-up.
  const rawRate = await rawInsert(bodies);

  // 2. A dashboard with a line card for each series (the 10 seeded ones first, by name: ingest.* sort before metric.*).
  const made = await post(url, '/insightdash/dashboards', cookie, { name: 'Bench', with_cards: 'yes' }, '/insightdash');
  const id = /\/insightdash\/d\/([\w-]{22})/.exec(made.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`dashboard: ${made.status}`);
  const page = await (await fetch(`${url}/insightdash/d/${id}`, { headers: { cookie } })).text();
  const cards = [...page.matchAll(/id="card-(\d+)"/g)].map((m) => Number(m[1]));
  // The last card is metric.9: one of the 100,000-point series.
  const card = cards.at(-1);
  const cardFigures = {};
  for (const range of ['year', '7d', 'today']) {
    const times = [];
    for (let i = 0; i < 60; i++) {
      const t = performance.now();
      const res = await fetch(`${url}/insightdash/d/${id}/cards/${card}?range=${range}`, {
        headers: { cookie, 'hx-request': 'true', 'x-request-id': `bench-insight-${range}-${i}`, 'accept-encoding': 'identity' },
      });
      const body = await res.text();
      times.push(performance.now() - t);
      if (res.status !== 200 || !body.includes('chart-data')) throw new Error(`card ${range}: ${res.status} ${body.slice(0, 300)}`);
      if (i === 0) cardFigures[range] = { bytes: Buffer.byteLength(body) };
    }
    times.sort((a, b) => a - b);
    let line;
    for (let tries = 0; tries < 50 && !line; tries++) {
      line = requestLines(logs()).get(`bench-insight-${range}-0`);
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    Object.assign(cardFigures[range], { p50: percentile(times, 50), p99: percentile(times, 99), queries: line?.d1_queries, rowsRead: line?.rows_read });
  }

  // 3. Time to all cards in Chromium: a year over the 10 seeded series.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const toAll = [];
  try {
    const context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto('/signin');
    await tab.getByLabel('Email').fill(INSIGHT_USER.email);
    await tab.getByLabel('Password').fill(INSIGHT_USER.password);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.waitForURL(`${url}/`);
    // Only the seeded series' cards: a dashboard of its own.
    await tab.goto('/insightdash');
    const dash = await post(url, '/insightdash/dashboards', cookie, { name: 'Year' }, '/insightdash');
    const yearId = /\/insightdash\/d\/([\w-]{22})/.exec(dash.headers.get('location') ?? '')?.[1];
    const series = [
      ...(await (await fetch(`${url}/insightdash`, { headers: { cookie } })).text()).matchAll(/href="\/insightdash\/series\/(\d+)">metric\.\d+</g),
    ].map((m) => m[1]);
    for (const s of series) await post(url, `/insightdash/d/${yearId}/cards`, cookie, { series: s, kind: 'line', title: '' }, `/insightdash/d/${yearId}`);
    for (let run = 0; run < 6; run++) {
      const t = performance.now();
      await tab.goto(`/insightdash/d/${yearId}?range=year`);
      // (Polled from here: the page's CSP rightly refuses playwright's string evaluation.)
      const deadline = Date.now() + 60_000;
      while ((await tab.locator('figure.chart .uplot').count()) < series.length) {
        if (Date.now() > deadline) throw new Error(`cards: ${await tab.locator('.uplot').count()} of ${series.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      if (run > 0) toAll.push(performance.now() - t);
    }
  } finally {
    await browser.close();
  }
  toAll.sort((a, b) => a - b);
  return { apiRate, rawRate, ratio: apiRate / rawRate, cards: cardFigures, toAllCards: { median: percentile(toAll, 50), max: toAll.at(-1), cards: 10 } };
}
