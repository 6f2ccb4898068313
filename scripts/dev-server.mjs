// Starts a real `wrangler dev` (workerd + local D1) on a free port with its own
// fresh state directory, for the browser tests and the benchmarks. Nothing here
// touches the developer's own .wrangler/state or .dev.vars.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

/** One request line of the Worker, if the e2e browser sent it: appended to `file` as a JSON line. */
function recordWalk(file, line) {
  const start = line.indexOf('{"level"');
  if (start < 0) return;
  let entry;
  try {
    entry = JSON.parse(line.slice(start));
  } catch {
    return;
  }
  if (entry.msg !== 'request' || typeof entry.client_request_id !== 'string') return;
  const mode = { 'e2e-walk-js': 'js', 'e2e-walk-nojs': 'nojs' }[entry.client_request_id];
  if (!mode) return;
  const { method, route, path, htmx, status } = entry;
  appendFileSync(file, `${JSON.stringify({ mode, method, route, path, htmx, status })}\n`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Options (all optional):
 * - `vars`: extra `--var NAME:value` for the Worker (SESSION_SECRET and ORACLE_WRAP_KEY are always set).
 * - `seed`: path of a SQL file run against the local D1 after the migrations and
 *   before the server starts (`wrangler d1 execute --file --json`), e.g. the
 *   benchmark's data. Each statement's result is returned as `seedResults` (so a
 *   file can end with a SELECT that checks what it wrote); null without a seed.
 * - `logLevel`: wrangler's `--log-level` (default `warn`). The Worker's own
 *   console.log lines (the JSON request log) reach `logs()` only at `log` or
 *   `debug`: `warn` and `info` drop them.
 *
 * With SIXFOLD_E2E_ROUTES set to a file path (the browser tests set it, see
 * test/e2e/coverage.ts), every server started here, whoever starts it, appends the
 * request lines sent by the e2e browser (X-Request-Id `e2e-walk-js|nojs`, set on every
 * context by test/e2e/browser.ts) to that file as JSON lines, and logs at `log` level
 * so the Worker's request lines are printed at all. The route coverage test reads it.
 * @param {{ vars?: Record<string, string>, seed?: string, logLevel?: 'none' | 'error' | 'warn' | 'info' | 'log' | 'debug' }} [options]
 * @returns {Promise<{ url: string, seedResults: Array<{ results: Record<string, unknown>[] }> | null, stop: () => Promise<void>, logs: () => string }>}
 */
export async function startDevServer({ vars = {}, seed, logLevel = 'warn' } = {}) {
  const routesFile = process.env.SIXFOLD_E2E_ROUTES;
  if (routesFile && (logLevel === 'warn' || logLevel === 'info' || logLevel === 'error' || logLevel === 'none')) logLevel = 'log';
  const state = mkdtempSync(join(tmpdir(), 'sixfold-dev-'));
  let seedResults = null;
  // CLOUDFLARE_CF_FETCH_ENABLED=false: use miniflare's placeholder `request.cf` instead of
  // downloading one (CI has no route to Cloudflare).
  const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  try {
    execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state], { cwd: root, env, stdio: 'ignore' });
    if (seed) {
      const args = ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', seed, '--json', '-y'];
      try {
        seedResults = JSON.parse(
          execFileSync(wrangler, args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 2 ** 20 }),
        );
      } catch (error) {
        // With --json, wrangler reports a failing statement on stdout.
        throw new Error(`seeding from ${seed} failed: ${error.stdout || error.message}`);
      }
    }
  } catch (error) {
    rmSync(state, { recursive: true, force: true });
    throw error;
  }
  const port = await freePort();
  const secret = randomBytes(48).toString('base64url');
  const varArgs = Object.entries({ SESSION_SECRET: secret, ORACLE_WRAP_KEY: randomBytes(48).toString('base64url'), ...vars }).flatMap(([k, v]) => [
    '--var',
    `${k}:${v}`,
  ]);
  const child = spawn(
    wrangler,
    ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--show-interactive-dev-session=false', '--log-level', logLevel, ...varArgs],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (d) => {
      output += d;
      if (!routesFile) return;
      // Chunks do not end on line boundaries: keep the tail for the next one.
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) recordWalk(routesFile, line);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`wrangler dev did not become healthy in 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    seedResults,
    logs: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(state, { recursive: true, force: true });
    },
  };
}
