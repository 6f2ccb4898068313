import { defineConfig } from 'vitest/config';
import { ROUTES_FILE } from './test/e2e/coverage.ts';
import { CoverageLastSequencer } from './test/e2e/coverage-sequencer.ts';

// Every `wrangler dev` started during the run (scripts/dev-server.mjs) appends the
// browser's request lines here; global-setup empties it first. Set before any worker
// starts, so test files that start their own server inherit it.
process.env.SIXFOLD_E2E_ROUTES = ROUTES_FILE;

// Browser tests: real Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against a real `wrangler dev` started by test/e2e/global-setup.ts.
export default defineConfig({
  resolve: { alias: { 'cloudflare:workers': new URL('./test/e2e/cloudflare-workers.stub.ts', import.meta.url).pathname } },
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    globalSetup: ['./test/e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    env: { SIXFOLD_E2E_ROUTES: ROUTES_FILE },
    // coverage.e2e.test.ts checks what the other files walked: it must run last.
    sequence: { sequencer: CoverageLastSequencer },
  },
});
