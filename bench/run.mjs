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

const server = await startDevServer();
let home;
let asset;
try {
  // Warm up both paths (module load, D1 open, asset manifest).
  for (let i = 0; i < 20; i++) {
    await fetch(`${server.url}/`).then((r) => r.arrayBuffer());
    await fetch(`${server.url}/styles.css`).then((r) => r.arrayBuffer());
  }
  home = await run(`${server.url}/`);
  asset = await run(`${server.url}/styles.css`);
} finally {
  await server.stop();
}
for (const [name, r] of [['/', home], ['/styles.css', asset]]) {
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
  ['`GET /` (Worker: Hono + JSX + CSRF cookie)', home],
  ['`GET /styles.css` (static asset)', asset],
];
const md = `# Benchmarks

Written by \`npm run bench\` (bench/run.mjs). Re-run it after changes; numbers from
a noisy shared machine, so compare ratios within one run rather than across runs.

- Date: ${new Date().toISOString()}
- Machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM
- Node ${process.version}, wrangler ${wrangler} (\`wrangler dev\`, local workerd), autocannon ${CONNECTIONS} connections × ${DURATION} s per path

## Home page vs a static asset

| path | requests/s (mean) | latency p50 | latency p99 | requests |
|---|---:|---:|---:|---:|
${rows.map(([name, r]) => `| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.requests.total} |`).join('\n')}

**Ratio (home / static asset):** throughput ${(home.requests.average / asset.requests.average).toFixed(2)}×, p99 latency ${(home.latency.p99 / Math.max(asset.latency.p99, 1)).toFixed(2)}×.

## Password hashing

PBKDF2-SHA256 at 100,000 iterations: median **${pbkdf2[5].toFixed(1)} ms** per hash (min ${pbkdf2[0].toFixed(1)} ms, 10 runs,
Node WebCrypto on this CPU). Sign-up, sign-in and password change each pay it once (twice for a
password change), which is over the Workers free plan's 10 ms CPU per request.

## Worker bundle

\`wrangler deploy --dry-run\`: ${kib(bundle.raw)} raw, **${kib(bundle.gzip)} gzip** (the free plan allows 3 MiB gzip, paid 10 MiB).
`;
writeFileSync(join(root, 'bench', 'RESULTS.md'), md);
console.log(md);
