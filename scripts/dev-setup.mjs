#!/usr/bin/env node
// Prepares a checkout to run: vendored client assets, local secrets, local D1 schema.
// Safe to run any number of times. Used by `npm start`, `npm test` and the e2e/bench
// harness; touches nothing remote.
//
//   node scripts/dev-setup.mjs [--assets-only] [--persist-to DIR]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const persistTo = args.includes('--persist-to') ? args[args.indexOf('--persist-to') + 1] : undefined;

// 1. Client assets come from node_modules, never from a CDN.
const vendor = join(root, 'public', 'vendor');
mkdirSync(vendor, { recursive: true });
copyFileSync(join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'), join(vendor, 'htmx.min.js'));
if (args.includes('--assets-only')) process.exit(0);

// 2. Local secrets: .dev.vars is git-ignored; create it with fresh random values.
//    LOCAL_DEV=true marks the instance as a developer's own: its first account becomes
//    admin in one step even when opened by LAN address (a deployed instance never
//    reads .dev.vars; see README "Accounts").
const devVars = join(root, '.dev.vars');
if (!existsSync(devVars)) {
  writeFileSync(devVars, `# Local development secrets (created by scripts/dev-setup.mjs; not committed).\nSESSION_SECRET=${randomBytes(48).toString('base64url')}\nLOCAL_DEV=true\n`, { mode: 0o600 });
  console.log('dev-setup: wrote .dev.vars with a random SESSION_SECRET');
} else if (!/^LOCAL_DEV=/m.test(readFileSync(devVars, 'utf8'))) {
  appendFileSync(devVars, `${readFileSync(devVars, 'utf8').endsWith('\n') ? '' : '\n'}LOCAL_DEV=true\n`);
  console.log('dev-setup: added LOCAL_DEV=true to .dev.vars');
}

// 3. Apply D1 migrations to the local database (idempotent; wrangler tracks them in d1_migrations).
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
execFileSync(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  // Non-interactive: wrangler applies without asking when CI is set.
  env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
});
