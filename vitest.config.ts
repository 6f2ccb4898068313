import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Unit and integration tests run inside workerd with the bindings of wrangler.toml
// (local D1, rate limits, assets). Storage is isolated per test file.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      main: './workers/index.ts',
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        bindings: {
          SESSION_SECRET: 'test-secret-that-is-long-enough-0123456789abcdef',
          ORACLE_WRAP_KEY: 'test-wrap-key-QmV2ZXIgdXNlZCBpbiBwcm9kdWN0aW9u-9f8e7d6c',
          TEST_MIGRATIONS: await readD1Migrations('./migrations'),
        },
      },
    })),
  ],
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['./test/setup.ts'],
    // Stylesheets are read as text (`?raw`) by the asset-version test, not stubbed out.
    css: { include: [/.+/] },
    // Workers log one JSON line per request; show them only for failing tests.
    silent: 'passed-only',
  },
});
