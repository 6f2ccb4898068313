// Oracle's figures for `npm run bench` (bench/run.mjs writes them into RESULTS.md), through
// its own `wrangler dev`:
//
// 1. The dispatcher: 10,000 armed switches and 100 past their firing moment (seeded into
//    the local D1), one cron run (Miniflare's scheduled endpoint): wall time, D1 queries,
//    rows read and written (from the run's `cron_job` log line), and what it did.
// 2. Check-in through the API (curl's path: a Bearer token of scope oracle:checkin),
//    p50/p99 over sequential requests.
import { csrfOf, signUp } from './http.mjs';

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** 10,000 armed switches (due in a day) and 100 due (fired an hour ago), no recipients: each firing makes the owner's notice. */
export function oracleSeedSql(now) {
  const day = 86_400_000;
  return `
INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) VALUES ('oracle-bench@example.com', '', 'x', 'member', ${now}, ${now});
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10100)
INSERT INTO oracle_switches (id, owner_id, name, interval_ms, grace_ms, ladder, state, checked_in_at, deadline_at, due_at, rung, cycle, origin, created_at, updated_at)
SELECT substr('bench-switch-' || printf('%09d', i) || '-xxxxxxx', 1, 22),
       (SELECT id FROM users WHERE email = 'oracle-bench@example.com'), 'switch ' || i, ${day}, 0, '[]', 'armed',
       CASE WHEN i <= 100 THEN ${now - day - 3_600_000} ELSE ${now} END,
       CASE WHEN i <= 100 THEN ${now - 3_600_000} ELSE ${now + day} END,
       CASE WHEN i <= 100 THEN ${now - 3_600_000} ELSE ${now + day} END,
       0, 1, 'http://127.0.0.1', ${now}, ${now}
FROM n;
SELECT count(*) AS switches, sum(due_at <= ${now}) AS due FROM oracle_switches;`;
}

/** One cron run over the seeded switches; `logs()` is the dev server's output (log level `log`). */
export async function measureDispatch(url, logs, now) {
  const t = performance.now();
  const res = await fetch(`${url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${now}&format=json`);
  const wall = performance.now() - t;
  if (!res.ok) throw new Error(`cron: ${res.status} ${await res.text()}`);
  // The run's line may arrive a moment after the answer.
  let line = null;
  for (let i = 0; i < 50 && !line; i++) {
    line = logs()
      .split('\n')
      .filter((l) => l.includes('"job":"oracle.dispatch"') && l.includes(`:${now}"`))
      .map((l) => JSON.parse(l.slice(l.indexOf('{'))))[0];
    if (!line) await new Promise((r) => setTimeout(r, 100));
  }
  if (!line) throw new Error('no oracle.dispatch log line');
  return {
    wallMs: wall,
    jobMs: line.duration_ms,
    advanced: line.advanced,
    sent: line.sent,
    queries: line.d1_queries,
    rowsRead: line.rows_read,
    rowsWritten: line.rows_written,
  };
}

export async function measureCheckin(url, { requests = 300 } = {}) {
  const cookie = await signUp(url);
  const { token: csrf } = await csrfOf(`${url}/oracle`, cookie);
  const form = (fields) => ({
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: csrf }),
  });
  const made = await fetch(`${url}/oracle/switches`, form({ name: 'Bench', interval: '30d', grace: '1d', warnings: '7d, 1d' }));
  const id = /\/oracle\/switches\/([\w-]{22})/.exec(made.headers.get('location') ?? '')?.[1];
  if (!id) throw new Error(`create switch: ${made.status}`);
  const { token: accountCsrf } = await csrfOf(`${url}/account`, cookie);
  const tokenPage = await fetch(`${url}/account/tokens`, {
    method: 'POST',
    headers: { cookie, origin: url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ name: 'bench', scopes: 'oracle:checkin', expires: '30', _csrf: accountCsrf }),
  });
  const bearer = /id="new-token" value="([^"]+)"|value="(sfp_[^"]+)"/.exec(await tokenPage.text());
  const token = bearer?.[1] ?? bearer?.[2];
  if (!token) throw new Error(`token: ${tokenPage.status}`);
  const times = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const res = await fetch(`${url}/oracle/api/switches/${id}/checkin`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await res.text();
    if (res.status !== 200) throw new Error(`check-in: ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { requests, p50: percentile(times, 50), p99: percentile(times, 99) };
}
