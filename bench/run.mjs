#!/usr/bin/env node
// `npm run bench`: measures the Worker as users run it (wrangler dev on this
// machine) and writes bench/RESULTS.md with the figures and the machine.
//
// Machines here are noisy, so the headline is a ratio measured in one run: the
// Worker's rendered home page against a static asset served by the same server
// (Workers Static Assets, no Worker code). Deterministic costs (bundle bytes) sit
// beside it. Lexicon is measured on seeded data (bench/lexicon-seed.mjs: 10,000
// tickets, 50,000 comments), with each request's D1 cost read from its log line.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startDevServer } from '../scripts/dev-server.mjs';
import { measureDsp, measureLatency } from './aura.mjs';
import { measureRender, measureServer } from './melos.mjs';
import { measureCheckin, measureDispatch, oracleSeedSql } from './oracle.mjs';
import { INSIGHT_USER, insightSeedSql, measureInsight, POINTS_PER_SERIES, SERIES } from './insightdash.mjs';
import { requestLines, signIn } from './http.mjs';
import { measureWorst, SHAPES } from './codebin-worst.mjs';
import { AGENT, COMMENTS, lexiconSeedSql, passwordHash, RECOUNT_SQL, SAMPLE_TICKET_SQL, TICKETS } from './lexicon-seed.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;

function run(url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION, headers }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

function bundleSize() {
  const out = mkdtempSync(join(tmpdir(), 'sixfold-bundle-'));
  try {
    execFileSync(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', out], {
      cwd: root,
      stdio: 'ignore',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    const files = readdirSync(out).filter((f) => f.endsWith('.js'));
    let raw = 0;
    let gzip = 0;
    for (const f of files) {
      const bytes = readFileSync(join(out, f));
      raw += statSync(join(out, f)).size;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return { raw, gzip };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** Source text of this repository's own TypeScript, for realistic pastes. */
function typescriptSample(bytes) {
  const files = [
    'workers/codebin/routes.tsx',
    'workers/platform/routes.tsx',
    'shared/auth/repository.ts',
    'workers/codebin/views.tsx',
    'shared/http/security.ts',
    'workers/codebin/repository.ts',
  ];
  let text = '';
  while (Buffer.byteLength(text) < bytes) for (const f of files) text += readFileSync(join(root, f), 'utf8');
  let out = text.slice(0, bytes);
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out.slice(0, out.lastIndexOf('\n') + 1);
}

async function createPaste(url, content) {
  const t0 = performance.now();
  const res = await fetch(`${url}/codebin/api/pastes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `bench-${Math.random()}` },
    body: JSON.stringify({ content, language: 'typescript', expiresIn: '1d', visibility: 'unlisted' }),
  });
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return { ...(await res.json()), ms };
}

// Request logging is off for the main runs: under `wrangler dev` every console.log
// crosses the inspector protocol to the terminal, a cost production does not have
// (Workers Logs collects them out of band). One extra run below measures it on.
const server = await startDevServer({ vars: { LOG_REQUESTS: 'false' } });
let home;
let asset;
let view;
let rawView;
let create100;
let worst;
const small = typescriptSample(2048);
const big = typescriptSample(100 * 1024);
try {
  // Highlighting cost: a warm-up paste loads the TypeScript grammar, then 3 timed 100 KB pastes.
  await createPaste(server.url, small);
  // 100 KB is over the request's highlighting budget: the create answers at once (plain,
  // queued), and the Queue consumer highlights it. Timed: the request, and until the
  // view shows the highlighted paste.
  const timings = [];
  const ready = [];
  for (let i = 0; i < 3; i++) {
    const created = await createPaste(server.url, big);
    timings.push(created.ms);
    const t0 = performance.now();
    for (let j = 0; j < 600; j++) {
      const page = await (await fetch(`${server.url}/codebin/${created.slug}`)).text();
      // Coloured spans, not the absence of the "in the background" note: the sample is
      // this repository's own source, whose views.tsx contains that very sentence.
      if (/<span class="l-[0-9a-f]{6}/.test(page)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    ready.push(created.ms + performance.now() - t0);
  }
  timings.sort((a, b) => a - b);
  ready.sort((a, b) => a - b);
  create100 = { median: timings[1], ready: ready[1], kb: Buffer.byteLength(big) / 1024 };
  worst = await measureWorst(server.url);
  const paste = await createPaste(server.url, small);
  const viewUrl = `${server.url}/codebin/${paste.slug}`;
  // Warm up every path (module load, D1 open, asset manifest, Cache API fill).
  for (let i = 0; i < 20; i++) {
    for (const u of [`${server.url}/`, `${server.url}/styles.css`, viewUrl, `${viewUrl}/raw`]) await fetch(u).then((r) => r.arrayBuffer());
  }
  asset = await run(`${server.url}/styles.css`);
  home = await run(`${server.url}/`);
  view = await run(viewUrl);
  rawView = await run(`${viewUrl}/raw`);
} finally {
  await server.stop();
}
// The same view with request logging on (the default configuration), for comparison.
const logged = await startDevServer();
let viewLogged;
let assetLogged;
try {
  const paste = await createPaste(logged.url, small);
  const url = `${logged.url}/codebin/${paste.slug}`;
  for (let i = 0; i < 20; i++) for (const u of [url, `${logged.url}/styles.css`]) await fetch(u).then((r) => r.arrayBuffer());
  assetLogged = await run(`${logged.url}/styles.css`);
  viewLogged = await run(url);
} finally {
  await logged.stop();
}

// ---------------------------------------------------------------- Lexicon at 10k tickets / 50k comments

/** GET as the signed-in agent; throws unless 200. */
async function lexiconGet(url, headers, cookie) {
  const res = await fetch(url, { headers: { ...headers, cookie, 'accept-encoding': 'identity' }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}\n${body.slice(0, 2000)}`);
  return body;
}

// One seed file for both servers below: the data, then the checks (recount, sample ticket).
const seedDir = mkdtempSync(join(tmpdir(), 'sixfold-bench-'));
const seedFile = join(seedDir, 'lexicon.sql');
writeFileSync(seedFile, lexiconSeedSql({ now: Date.now(), passwordHash: passwordHash(AGENT.password) }) + RECOUNT_SQL + SAMPLE_TICKET_SQL);

/** The seed's own checks: every count kept by triggers equals a recount; totals as asked. */
function seeded(server) {
  const [recount, sample] = server.seedResults.slice(-2).map((r) => r.results[0]);
  const bad = recount.count_mismatches + recount.assignee_mismatches + recount.tag_mismatches;
  if (bad !== 0 || recount.tickets !== TICKETS || recount.comments !== COMMENTS || recount.search_rows !== TICKETS) {
    throw new Error(`seed check failed: ${JSON.stringify(recount)}`);
  }
  if (!sample) throw new Error('seed: no open ticket with 8–12 comments and a note');
  return { recount: { ...recount, counts: JSON.parse(recount.counts) }, sample };
}

/** What is measured: [key, label, path, extra headers]; `base` is the server's URL (htmx sends absolute URLs). */
const lexiconPaths = (ticket, base = '') => [
  ['queue', '`GET /lexicon?queue=open` (staff page: queue counts, 50 rows)', '/lexicon?queue=open', {}],
  ['queueHtmx', '`GET /lexicon?queue=open` + `HX-Request` (htmx: the list, counts out of band)', '/lexicon?queue=open', { 'hx-request': 'true' }],
  ['ticket', '`GET /lexicon/tickets/:id` (staff page: ticket pane, list lazy)', `/lexicon/tickets/${ticket}`, {}],
  [
    'ticketHtmx',
    '`GET /lexicon/tickets/:id` + `HX-Request` (htmx: the pane, row and counts out of band)',
    `/lexicon/tickets/${ticket}`,
    { 'hx-request': 'true', 'hx-current-url': `${base}/lexicon?queue=open` },
  ],
];

// Both servers below load the seed file, so it lives until both are done.
const lx = { runs: {}, bytes: {}, shown: {}, cost: {} };
try {
  // Throughput, with request logging off as for the paths above.
  const lexServer = await startDevServer({ seed: seedFile, vars: { LOG_REQUESTS: 'false' } });
  try {
    Object.assign(lx, seeded(lexServer));
    const paths = lexiconPaths(lx.sample.id, lexServer.url);
    const cookie = await signIn(lexServer.url, AGENT);
    for (let i = 0; i < 20; i++) {
      await fetch(`${lexServer.url}/styles.css`).then((r) => r.arrayBuffer());
      for (const [, , path, headers] of paths) await lexiconGet(`${lexServer.url}${path}`, headers, cookie);
    }
    for (const [key, , path, headers] of paths) {
      const body = await lexiconGet(`${lexServer.url}${path}`, headers, cookie);
      lx.bytes[key] = Buffer.byteLength(body);
      lx.shown[key] = key.startsWith('queue')
        ? (body.match(/<li id="t-\d+"/g) ?? []).length
        : (body.match(/<li class="lx-comment[^"]*" id="c-\d+"/g) ?? []).length;
    }
    lx.runs.asset = await run(`${lexServer.url}/styles.css`);
    for (const [key, , path, headers] of paths) {
      lx.runs[key] = await run(`${lexServer.url}${path}`, { ...headers, cookie: await signIn(lexServer.url, AGENT) });
    }
  } finally {
    await lexServer.stop();
  }

  // D1 cost per request: a second server on the same data with request logging on and
  // wrangler at --log-level log (at warn or info it drops the Worker's console.log
  // lines). Each request carries its own X-Request-Id, which the log line repeats.
  // Two more requests isolate the parts: GET /api/me is the session check alone, and
  // the JSON list (limit 50) is the session check plus the very list query of the page.
  const costServer = await startDevServer({ seed: seedFile, logLevel: 'log' });
  try {
    seeded(costServer);
    const cookie = await signIn(costServer.url, AGENT);
    const probes = [
      ...lexiconPaths(lx.sample.id, costServer.url).map(([key, , path, headers]) => [key, path, headers]),
      ['me', '/api/me', {}],
      ['apiList', '/lexicon/api/tickets?queue=open&limit=50', {}],
    ];
    for (const [key, path, headers] of probes) {
      await lexiconGet(`${costServer.url}${path}`, headers, cookie); // warm
      const body = await lexiconGet(`${costServer.url}${path}`, { ...headers, 'x-request-id': `bench-${key}` }, cookie);
      if (key === 'apiList') {
        const page = JSON.parse(body);
        lx.apiReturned = page.tickets.length + (page.nextCursor ? 1 : 0); // the query reads one row past the page
      }
    }
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lines = requestLines(costServer.logs());
      if (probes.every(([key]) => lines.has(`bench-${key}`))) {
        for (const [key] of probes) lx.cost[key] = lines.get(`bench-${key}`);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no request log lines for the probes in the server output:\n${costServer.logs().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await costServer.stop();
  }
} finally {
  rmSync(seedDir, { recursive: true, force: true });
}
for (const [name, r] of [['/', home], ['/styles.css', asset], ['view', view], ['raw', rawView], ['view (logged)', viewLogged], ...Object.entries(lx.runs)]) {
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
}
const bundle = bundleSize();

// Aura: DSP cost in Node (pure modules), latency through its own wrangler dev.
const auraDsp = await measureDsp(Number(process.env.AURA_BENCH_SECONDS ?? 20));
const auraServer = await startDevServer({ vars: { LOG_REQUESTS: 'false' } });
let auraLatency;
try {
  auraLatency = await measureLatency(auraServer.url, { viewers: 10, chunks: 300 });
} finally {
  await auraServer.stop();
}
const dsp4096 = auraDsp.rows.find((r) => r.fftSize === 4096);

// Melos: the engine in Node (a child process each, for its memory), then the roll and renders through wrangler dev.
const melos = await measureRender();
const melosServer = await startDevServer({ vars: { LOG_REQUESTS: 'false' } });
let melosHttp;
try {
  melosHttp = await measureServer(melosServer.url);
} finally {
  await melosServer.stop();
}
// Oracle: one dispatcher run over 10,100 seeded switches (100 due), then check-ins over the API.
const oracleNow = Date.now();
const oracleSeedDir = mkdtempSync(join(tmpdir(), 'oracle-bench-'));
const oracleSeed = join(oracleSeedDir, 'seed.sql');
writeFileSync(oracleSeed, oracleSeedSql(oracleNow));
const oracleServer = await startDevServer({ vars: { LOG_REQUESTS: 'false' }, seed: oracleSeed, logLevel: 'log' });
let oracleDispatch;
let oracleCheckin;
try {
  const seeded = oracleServer.seedResults.at(-1).results[0];
  if (seeded.switches !== 10_100 || seeded.due !== 100) throw new Error(`oracle seed: ${JSON.stringify(seeded)}`);
  oracleDispatch = await measureDispatch(oracleServer.url, oracleServer.logs, oracleNow);
  oracleCheckin = await measureCheckin(oracleServer.url);
} finally {
  await oracleServer.stop();
  rmSync(oracleSeedDir, { recursive: true, force: true });
}
// InsightDash: 1,000,000 seeded points; ingest through the API against a raw insert, cards, time to all cards.
const insightNow = Date.now();
const insightSeedDir = mkdtempSync(join(tmpdir(), 'insight-bench-'));
const insightSeed = join(insightSeedDir, 'seed.sql');
writeFileSync(insightSeed, insightSeedSql({ now: insightNow, passwordHash: passwordHash(INSIGHT_USER.password) }));
const insightServer = await startDevServer({ seed: insightSeed, logLevel: 'log' });
let insight;
try {
  const seeded = insightServer.seedResults.at(-1).results[0];
  if (seeded.points !== SERIES * POINTS_PER_SERIES) throw new Error(`insightdash seed: ${JSON.stringify(seeded)}`);
  insight = await measureInsight(insightServer.url, insightServer.logs, insightNow);
} finally {
  await insightServer.stop();
  rmSync(insightSeedDir, { recursive: true, force: true });
}
const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

// CPU cost of one password hash (PBKDF2-SHA256, 100,000 iterations, WebCrypto in Node:
// the same algorithm workerd runs, so an estimate of a sign-in's CPU time).
const { webcrypto } = await import('node:crypto');
const pbkdf2 = [];
for (let i = 0; i < 10; i++) {
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode('correct horse battery staple'), 'PBKDF2', false, ['deriveBits']);
  const t0 = performance.now();
  await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 100_000 }, key, 256);
  pbkdf2.push(performance.now() - t0);
}
pbkdf2.sort((a, b) => a - b);
const wrangler = JSON.parse(readFileSync(join(root, 'node_modules', 'wrangler', 'package.json'), 'utf8')).version;

const rows = [
  ['`GET /styles.css` (static asset: the baseline)', asset],
  ['`GET /` (Worker: Hono + JSX + CSRF cookie)', home],
  ['`GET /codebin/:slug` (view of a 2 KB TypeScript paste)', view],
  ['`GET /codebin/:slug/raw` (same paste, raw)', rawView],
];
const ratio = (r) => (r.requests.average / asset.requests.average).toFixed(2);
const num = (n) => n.toLocaleString('en-US');

// Lexicon: the table rows and the figures the issue sets goals for.
const lxPaths = lexiconPaths(lx.sample.id);
const lxRatio = (r) => (r.requests.average / lx.runs.asset.requests.average).toFixed(2);
const lxRows = [
  ['`GET /styles.css` (static asset, same server: the baseline)', lx.runs.asset, null],
  ...lxPaths.map(([key, label]) => [label, lx.runs[key], lx.bytes[key]]),
];
const cost = lx.cost;
const listRead = cost.apiList.rows_read - cost.me.rows_read;
const contextRead = cost.queue.rows_read - cost.apiList.rows_read;
const maxQueries = Math.max(...Object.values(cost).map((c) => c.d1_queries));
const goal = (ok) => (ok ? 'within the goal' : '**over the goal**');
const costRows = [
  ['`GET /api/me` (the session check alone)', cost.me, '1 user'],
  ['`GET /lexicon/api/tickets?queue=open&limit=50` (session + the list query)', cost.apiList, `${lx.apiReturned} tickets (50 + 1 look-ahead)`],
  ...lxPaths.map(([key, label]) => [label, cost[key], key.startsWith('queue') ? `${lx.shown[key]} rows shown` : `${lx.shown[key]} comments shown`]),
];
const counts = lx.recount.counts;
const md = `# Benchmarks

Written by \`npm run bench\` (bench/run.mjs). Re-run it after changes; numbers from
a noisy shared machine, so compare ratios within one run rather than across runs.

- Date: ${new Date().toISOString()}
- Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM
- Node ${process.version}, wrangler ${wrangler} (\`wrangler dev\`, local workerd), autocannon ${CONNECTIONS} connections × ${DURATION} s per path

## Read paths vs a static asset (same run)

| path | requests/s (mean) | × static | latency p50 | latency p99 | requests |
|---|---:|---:|---:|---:|---:|
${rows.map(([name, r]) => `| ${name} | ${r.requests.average.toFixed(0)} | ${ratio(r)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.requests.total} |`).join('\n')}

**CodeBin view / static asset: ${ratio(view)}×** (goal ≥ 0.50: the read path only inserts stored HTML; Shiki never runs on it).
Home / static: ${ratio(home)}×. Raw / static: ${ratio(rawView)}×.
With request logging on (\`LOG_REQUESTS=true\`, the default), in a second server: view ${viewLogged.requests.average.toFixed(0)} req/s vs static ${assetLogged.requests.average.toFixed(0)} req/s = **${(viewLogged.requests.average / assetLogged.requests.average).toFixed(2)}×**; the difference is what writing one log line per request costs under \`wrangler dev\` (it is paid even when the log level hides the line).

## CodeBin: highlighting cost (the write path)

A request highlights only what fits its budget (\`highlightCost\` ≤ ${worst.model.budget}, workers/codebin/content.ts:
${worst.model.perChar} per character + ${worst.model.perChar2} per character² + ${worst.model.perChar3} per character³ of each line, lines of ${worst.model.cap}+ characters left uncoloured);
the rest goes to the Queue consumer and the view shows plain text until it is done.

Creating a ${create100.kb.toFixed(0)} KB TypeScript paste (over the budget, so queued): the request takes
median **${create100.median.toFixed(0)} ms**; the highlighted view is there after **${create100.ready.toFixed(0)} ms** (median of 3,
the consumer's Shiki run included: ${(create100.ready / create100.kb).toFixed(2)} ms per KB end to end).

### Worst inputs on the request path

${worst.count} pastes (bench/codebin-worst.mjs): every language × ${Object.keys(SHAPES).length} hostile line shapes (${Object.keys(SHAPES)
  .map((k) => `\`${k}\``)
  .join(', ')}) at ${worst.model.cap - 1} characters a line,
as many lines as fit just under the budget; each grammar warmed first. Median create: ${worst.median.ms.toFixed(0)} ms.
The slowest (the most highlighting CPU anyone can make one request spend):

| language | shape | bytes | create (ms) |
|---|---|---:|---:|
${worst.worst.map((r) => `| ${r.language} | \`${r.shape}\` | ${r.bytes} | ${r.ms.toFixed(0)} |`).join('\n')}

### 1 MiB of the shapes that used to blow up plain rendering

| content | create (ms) | view (ms) | view bytes |
|---|---:|---:|---:|
${worst.blowups.map((b) => `| ${b.shape} | ${b.createMs.toFixed(0)} | ${b.viewMs.toFixed(0)} | ${b.viewBytes.toLocaleString('en')} |`).join('\n')}

Plain text is no longer stored as HTML (1 MiB of newlines made ~120 MB of it, and a 500): it is escaped on read,
line-numbered up to 20,000 lines and one escaped block beyond.

## Lexicon at 10k tickets / 50k comments

Data (bench/lexicon-seed.mjs, inserted through the real tables so the triggers keep counts, tags and
the search index): 20 users (1 admin, 5 agents, 14 requesters), **${num(lx.recount.tickets)} tickets**
(new ${num(counts.new)}, open ${num(counts.open)}, pending ${num(counts.pending)}, resolved ${num(counts.resolved)}, closed ${num(counts.closed)};
${num(counts.unassigned)} active unassigned), **${num(lx.recount.comments)} comments** (${num(lx.recount.notes)} internal notes) and
${num(lx.recount.audit_rows)} audit rows. After seeding, the trigger-kept queue and per-assignee counts equal a
recount (${lx.recount.count_mismatches + lx.recount.assignee_mismatches} mismatches). Signed in as an agent (cookie session over HTTP).
The ticket is #${lx.sample.id}: open, ${lx.sample.comments} comments of which ${lx.sample.notes} internal notes, ${lx.sample.history} history entries.

| path | requests/s (mean) | × static | latency p50 | latency p99 | requests | response |
|---|---:|---:|---:|---:|---:|---:|
${lxRows.map(([name, r, bytes]) => `| ${name} | ${r.requests.average.toFixed(0)} | ${lxRatio(r)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.requests.total} | ${bytes === null ? '' : kib(bytes)} |`).join('\n')}

Request logging off, as above; responses are uncompressed HTML (\`wrangler dev\` does not compress; the edge does).

### D1 cost per request

From each request's log line (\`LOG_REQUESTS=true\`, a second server on the same data; D1's own \`rows_read\`):

| request | D1 queries | statements | rows read | rows written | returned |
|---|---:|---:|---:|---:|---:|
${costRows.map(([name, c, returned]) => `| ${name} | ${c.d1_queries} | ${c.d1_statements} | ${num(c.rows_read)} | ${c.rows_written} | ${returned} |`).join('\n')}

- **Queue list query: ${num(listRead)} rows read for ${lx.apiReturned} returned = ${(listRead / lx.apiReturned).toFixed(2)}×** (goal ≤ 2×: ${goal(listRead <= 2 * lx.apiReturned)}).
  Measured as the JSON list minus the session check; the page runs the same statement (\`listQueue\`, limit 51).
- Queue context (counts, "Mine", "Overdue", the staff list; one statement on every staff screen): ${num(contextRead)} rows read
  (queue page minus JSON list).
- Most D1 queries in one request: **${maxQueries}** (goal ≤ 3: ${goal(maxQueries <= 3)}).

## Aura: one room's spectrum

### DSP + SVG per frame vs the bare FFT (same run)

${auraDsp.seconds} s of pink noise at 48 kHz, mono, default settings (Blackman-Harris, 1/3 octave, bars), in Node
(the pure modules bundled with esbuild; workerd's clock does not move during synchronous code). "Room × real time":
the room's own loop, audio in 33 ms chunks, every analyzer frame computed and the newest drawn once per chunk
(durable-objects/aura-room.ts): seconds of audio per second of CPU.

| FFT size | hop | frames | bare \`realTransform\` µs/frame | analyzer µs/frame | analyzer + SVG µs/frame | ratio | SVG bytes | room × real time |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${auraDsp.rows.map((r) => `| ${r.fftSize} | ${r.hop} | ${r.frames} | ${r.fftUs.toFixed(1)} | ${r.analyzerUs.toFixed(1)} | ${r.withSvgUs.toFixed(1)} | ${r.ratio.toFixed(1)}× | ${r.svgBytes} | ${r.realtime.toFixed(0)}× |`).join('\n')}

- **FFT 4096: analyzer + SVG = ${dsp4096.ratio.toFixed(1)}× the bare FFT** (goal ≤ 3×: ${goal(dsp4096.ratio <= 3)}).
- **One stream at FFT 4096 runs ${dsp4096.realtime.toFixed(0)}× real time** (goal ≥ 200×: ${goal(dsp4096.realtime >= 200)}).

### Audio in → SVG out, 1 presenter and ${auraLatency.viewers} viewers, through \`wrangler dev\`

The presenter sends ${auraLatency.chunks} chunks of 2,048 samples (a 1 kHz sine, 48 kHz, FFT 4096), one at a time at most at real-time pace;
each viewer's latency is from sending a chunk to receiving the frame it completed (viewers acknowledge frames as the page does).
**p50 ${auraLatency.p50.toFixed(1)} ms, p99 ${auraLatency.p99.toFixed(1)} ms** (max ${auraLatency.max.toFixed(1)} ms; ${auraLatency.samples} samples,
${auraLatency.missed} chunks without a frame within 1 s). A frame waits at most 33 ms for its turn (≤ 30 frames/s).

## Melos: composing and rendering

### An 8-track, 3-minute piece, stage by stage (Node, one core)

The engine (\`workers/melos/engine/\`) bundled with esbuild and run in its own Node process, as the Queue job
runs it: compose, MIDI, then the WAV (44.1 kHz, 16-bit stereo) pulled in 4,096-frame blocks and copied into one
reused 5 MiB upload part. "× real time" is seconds of audio per second of CPU. Memory is the live heap (after a
full GC, sampled every 64 blocks) above the process's starting point; RSS likewise.

| piece | audio | notes | compose | MIDI | WAV | live heap peak | RSS peak | MIDI | WAV |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${[
  ['8 tracks, 3 minutes', melos.three],
  ['the same, 10 minutes', melos.ten],
]
  .map(
    ([name, r]) =>
      `| ${name} | ${r.seconds.toFixed(1)} s | ${num(r.notes)} | ${r.composeRt.toFixed(0)}× | ${r.midiRt.toFixed(0)}× | **${r.wavRt.toFixed(0)}×** | ${mib(r.livePeak)} | ${mib(r.rssPeak)} | ${kib(r.midiBytes)} | ${mib(r.wavBytes)} |`,
  )
  .join('\n')}

- **WAV at ${melos.three.wavRt.toFixed(0)}× real time** (goal ≥ 100×: ${melos.three.wavRt >= 100 ? 'met' : '**not met**'}); a 3-minute piece takes ${(melos.three.wavMs / 1000).toFixed(1)} s of CPU.
- **Memory does not grow with the length:** the 10-minute render's live peak is ${(melos.ten.livePeak / melos.three.livePeak).toFixed(2)}× the 3-minute one's
  for 3.3× the audio (what grows is the score itself: ${num(melos.ten.notes)} notes); the renderer holds ${kib(melos.ten.retained)} whatever the length.

### Through \`wrangler dev\`

- **Piano roll** of the editor's form (\`POST /melos/roll\`, the Morning in C example, 8 bars, a new seed each time, ${melosHttp.rolls} requests):
  **p50 ${melosHttp.rollP50.toFixed(1)} ms, p99 ${melosHttp.rollP99.toFixed(1)} ms** wall time (session check, parse, compose, SVG).
- **Enqueue to done** through the local queue (\`POST …/renders\`, then the render polled every 50 ms; the local
  consumer collects a batch for up to 1 s first):
${melosHttp.renders.map((r) => `  - ${r.what}: **${(r.ms / 1000).toFixed(1)} s** for ${r.seconds.toFixed(1)} s of audio (${mib(r.wavBytes)} WAV).`).join('\n')}

## Oracle: the dispatcher and check-ins

Through \`wrangler dev\` (its own local D1, seeded with 10,000 armed switches and 100 past their firing moment):

- **One cron run** (\`/cdn-cgi/local/scheduled\`): **${oracleDispatch.wallMs.toFixed(0)} ms** wall (the job ${oracleDispatch.jobMs} ms),
  **${oracleDispatch.queries} D1 queries**, **${oracleDispatch.rowsRead} rows read**, ${oracleDispatch.rowsWritten} written; it fired ${oracleDispatch.advanced} switches and sent
  ${oracleDispatch.sent} of their notices (at most 40 a run; the rest go the next minute). The search for due switches reads the due rows
  only (101 rows for 100 due of 10,100, through the partial index on \`due_at\`; asserted in test/oracle/dispatch.integration.test.ts); the rest is
  each firing's guarded UPDATE and outbox INSERTs (≈ 9 rows read per fired switch) and the sends' claim and marks.
- **Check-in** over the API (\`POST /oracle/api/switches/:id/checkin\`, Bearer token of scope \`oracle:checkin\`, ${oracleCheckin.requests} in a row):
  **p50 ${oracleCheckin.p50.toFixed(1)} ms, p99 ${oracleCheckin.p99.toFixed(1)} ms** wall time.

## InsightDash: ingest and cards over 1,000,000 points

Through \`wrangler dev\` (its own local D1, seeded with ${num(SERIES * POINTS_PER_SERIES)} points: ${SERIES} series × ${num(POINTS_PER_SERIES)}, one every
5 minutes for about a year, with their hourly and daily rollups):

- **Ingest** through the API (\`POST /insightdash/api/points\`, JSON, 10,000 points a request, Bearer token, 10 requests in a row):
  **${num(Math.round(insight.apiRate))} points/s**, against **${num(Math.round(insight.rawRate))} points/s** for a raw
  \`INSERT … SELECT FROM json_each(?)\` of the same batches into a local D1 of the same engine (wrangler's platform proxy): **ratio ${insight.ratio.toFixed(2)}**
  (the goal is ≥ 0.25; in three round trips the API reads what the points would rewrite and the account's total against its cap, upserts the series, then stores the points, rewrites the touched hours' and days' rollups and keeps each series' count in one batch; it also checks each point).
- **A line card** over one 100,000-point series, as htmx asks for it (60 in a row each; D1 cost and bytes from the first request's log line):

| range | resolution | p50 | p99 | D1 queries | rows read | fragment |
| ----- | ---------- | --- | --- | ---------- | --------- | -------- |
${[
  ['year', 'Last 365 days', 'daily rollups'],
  ['7d', 'Last 7 days', 'hourly rollups'],
  ['today', 'Today', 'raw points'],
]
  .map(([key, label, res]) => {
    const f = insight.cards[key];
    return `| ${label} | ${res} | ${f.p50.toFixed(1)} ms | ${f.p99.toFixed(1)} ms | ${f.queries} | ${num(f.rowsRead)} | ${kib(f.bytes)} |`;
  })
  .join('\n')}

  Rows read count D1's passes over the rows a window function makes (the 7-point moving average): about 4 a row. The rows
  a card reads from storage are one a bucket (≤ 400 for a year, ≤ 200 for 7 days: asserted in test/insightdash/cards.integration.test.ts).
- **Time to all cards** in Chromium: a dashboard of ${insight.toAllCards.cards} line cards over a year, from navigation until every card has
  loaded (each its own request) and drawn with uPlot: **median ${insight.toAllCards.median.toFixed(0)} ms** (slowest ${insight.toAllCards.max.toFixed(0)} ms, 5 loads).

## Password hashing

PBKDF2-SHA256 at 100,000 iterations: median **${pbkdf2[5].toFixed(1)} ms** per hash (min ${pbkdf2[0].toFixed(1)} ms, 10 runs,
Node WebCrypto on this CPU). Sign-up, sign-in and password change each pay it once (twice for a
password change), which is over the Workers free plan's 10 ms CPU per request.

## Worker bundle

\`wrangler deploy --dry-run\`: ${kib(bundle.raw)} raw, **${kib(bundle.gzip)} gzip** (the free plan allows 3 MiB gzip, paid 10 MiB).
`;
writeFileSync(join(root, 'bench', 'RESULTS.md'), md);
console.log(md);
