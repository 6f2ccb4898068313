/**
 * Oracle as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names Oracle, except its
 * settings in wrangler.toml (ORACLE_EMAIL, the ORACLE_WRAP_KEY secret).
 */
import { defineApp } from '../../shared/app';
import { transportFor } from './channels';
import { oracleConfig } from './config';
import { runDispatch } from './dispatch';
import routes from './routes';
import { MAX_SEALED_FILES_BYTES } from './schema';
import { sweepFiles } from './service';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    oracle: true;
    'oracle:checkin': true;
  }
}

export default defineApp({
  slug: 'oracle',
  name: 'Oracle',
  icon: '◷',
  purpose: 'A dead man’s switch: check in, or your encrypted messages go out.',
  routes,
  scopes: {
    oracle: 'Read, create and check in to your Oracle switches (Oracle API)',
    'oracle:checkin': 'Check in to your Oracle switches (POST /oracle/api/switches/:id/checkin), nothing else',
  },
  // A sealed message: 64 KiB of text is ≈ 87 KB of base64url, plus the form around it;
  // with its attachments (5 MiB, sealed), the message form may be larger.
  bodyLimit: 96 * 1024,
  largeBodies: [[/^\/oracle\/recipients\/[\w-]{22}\/message$/, 96 * 1024 + MAX_SEALED_FILES_BYTES + 64 * 1024]],
  cron: [
    {
      name: 'oracle.dispatch',
      run: (env, now) => {
        const config = oracleConfig(env);
        return runDispatch(env, now, transportFor(env, config), { wrapKey: config.wrapKey, sessionSecret: env.SESSION_SECRET });
      },
    },
    // Attachments of replaced messages and deleted recipients or switches, out of R2.
    { name: 'oracle.files', run: async (env, now) => ({ deleted: await sweepFiles(env, now) }) },
  ],
});
