/**
 * Melos as the platform sees it: one descriptor (shared/app.ts). Listed in
 * workers/apps.ts; nothing else outside this folder names Melos, except its
 * bindings in wrangler.toml (the R2 bucket MELOS_FILES, two rate limits; its jobs
 * ride the platform's queue).
 */
import { defineApp } from '../../shared/app';
import { failRenderJob, RENDER_JOB_MAX_COST, RenderJob, runRenderJob } from './jobs';
import routes from './routes';
import { purgePreviews } from './service';

declare module '../../shared/auth/scopes' {
  interface ScopeMap {
    melos: true;
  }
}

/** Previews are made again in a moment; a day is plenty to listen to one. */
const PREVIEWS_KEPT_MS = 86_400_000;

export default defineApp({
  slug: 'melos',
  name: 'Melos',
  icon: '♫',
  purpose: 'Turn a recipe into music: see it as a piano roll, download it as MIDI and WAV.',
  routes,
  scopes: { melos: 'Write your Melos recipes, render them and download the files (Melos API)' },
  cron: [
    {
      name: 'melos.purge_previews',
      run: async (env, now) => ({ deleted: await purgePreviews(env.MELOS_FILES, now - PREVIEWS_KEPT_MS) }),
    },
  ],
  queue: [
    {
      kind: 'melos.render',
      schema: RenderJob,
      maxCost: RENDER_JOB_MAX_COST,
      run: (env, job, now) => runRenderJob(env, job, now),
      deadLetter: (env, job, now) => failRenderJob(env, job, now),
    },
  ],
});
