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
  // A sealed message: 64 KiB of text is ≈ 87 KB of base64url, plus the form around it.
  bodyLimit: 96 * 1024,
  cron: [
    {
      name: 'oracle.dispatch',
      run: (env, now) => {
        const config = oracleConfig(env);
        return runDispatch(env, now, transportFor(env, config), { wrapKey: config.wrapKey, sessionSecret: env.SESSION_SECRET });
      },
    },
  ],
});
