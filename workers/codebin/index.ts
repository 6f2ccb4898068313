/**
 * CodeBin as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names CodeBin.
 */
import { defineApp } from '../../shared/app';
import { codebinConfig } from './config';
import { HIGHLIGHT_JOB_MAX_COST, HighlightJob, runHighlightJob } from './jobs';
import { purgeDailyAllowances, purgeExpired } from './repository';
import routes from './routes';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    'codebin:write': true;
  }
}

export default defineApp({
  slug: 'codebin',
  name: 'CodeBin',
  icon: '⌘',
  purpose: 'Share code with short links, expiry, burn after reading and server-side highlighting.',
  routes,
  scopes: { 'codebin:write': 'Create pastes as you, and delete your pastes (CodeBin API)' },
  // 1 MiB of content, plus room for the other fields and multipart/JSON framing.
  // The content itself is measured again, exactly, after parsing.
  bodyLimit: 1024 * 1024 + 64 * 1024,
  // The raw view: curl, `<script src>` tags of other sites and link checkers hit it, and it is the hot read path.
  publicReads: /^\/[^/]+\/raw$/,
  cron: [
    {
      // Expired pastes are already invisible (every query checks expires_at); this frees the rows.
      name: 'codebin.purge_expired',
      run: async (env, now) => ({ deleted: (await purgeExpired(env.DB, now)).length }),
    },
    {
      // Daily allowances (anonymous addresses, accounts) only matter for today (UTC).
      name: 'codebin.purge_daily_allowances',
      run: async (env, now) => ({ deleted: await purgeDailyAllowances(env.DB, Math.floor(now / 86_400_000)) }),
    },
  ],
  queue: [
    {
      kind: 'codebin.highlight',
      schema: HighlightJob,
      maxCost: HIGHLIGHT_JOB_MAX_COST,
      run: (env, job, now) => runHighlightJob(env.DB, job, now, codebinConfig(env).maxTotalBytes),
    },
  ],
});
