#!/usr/bin/env node
// `npm run bench`: measures the Worker as users run it (wrangler dev on this
// machine) and writes bench/RESULTS.md with the figures and the machine.
//
// Machines here are noisy, so the headline is a ratio measured in one run: the
// Worker's rendered home page against a static asset served by the same server
// (Workers Static Assets, no Worker code). Deterministic costs (bundle bytes) sit
// beside it.
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { startDevServer } from '../scripts/dev-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;

function run(url) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: DURATION }, (err, result) => (err ? reject(err) : resolve(result)));
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
  const files = ['workers/codebin/routes.tsx', 'workers/platform/routes.tsx', 'shared/auth/repository.ts', 'workers/codebin/views.tsx', 'shared/http/security.ts', 'workers/codebin/repository.ts'];
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
const small = typescriptSample(2048);
const big = typescriptSample(100 * 1024);
try {
  // Highlighting cost: a warm-up paste loads the TypeScript grammar, then 3 timed 100 KB pastes.
  await createPaste(server.url, small);
  const timings = [];
  for (let i = 0; i < 3; i++) timings.push((await createPaste(server.url, big)).ms);
  timings.sort((a, b) => a - b);
  create100 = { median: timings[1], kb: Buffer.byteLength(big) / 1024 };
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
for (const [name, r] of [['/', home], ['/styles.css', asset], ['view', view], ['raw', rawView], ['view (logged)', viewLogged]]) {
  if (r.non2xx || r.errors) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
}
const bundle = bundleSize();

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
With request logging on (\`LOG_REQUESTS=true\`, the default), in a second server: view ${viewLogged.requests.average.toFixed(0)} req/s vs static ${assetLogged.requests.average.toFixed(0)} req/s = **${(viewLogged.requests.average / assetLogged.requests.average).toFixed(2)}×**; the difference is \`wrangler dev\` shipping each log line to the terminal.

## CodeBin: highlighting cost (the write path)

Creating a ${create100.kb.toFixed(0)} KB TypeScript paste (JSON API, Shiki with the JavaScript regex engine, gzip, one D1 insert):
median **${create100.median.toFixed(0)} ms**, i.e. **${(create100.median / create100.kb).toFixed(2)} ms per KB** (3 runs after a warm-up that loads the grammar).

## Password hashing

PBKDF2-SHA256 at 100,000 iterations: median **${pbkdf2[5].toFixed(1)} ms** per hash (min ${pbkdf2[0].toFixed(1)} ms, 10 runs,
Node WebCrypto on this CPU). Sign-up, sign-in and password change each pay it once (twice for a
password change), which is over the Workers free plan's 10 ms CPU per request.

## Worker bundle

\`wrangler deploy --dry-run\`: ${kib(bundle.raw)} raw, **${kib(bundle.gzip)} gzip** (the free plan allows 3 MiB gzip, paid 10 MiB).
`;
writeFileSync(join(root, 'bench', 'RESULTS.md'), md);
console.log(md);
