/**
 * The six apps, in home-page order. Each is one descriptor (shared/app.ts),
 * exported from `workers/<app>/index.ts`; everything the platform wires up is
 * derived from this list: routes at `/<slug>` (app.tsx), the home page and header
 * menu, cron jobs (scheduled.ts), Queue job kinds (queue.ts), API-token scopes,
 * body limits and public reads.
 *
 * Adding an app: its folder with `index.ts`, one line here, and its bindings in
 * wrangler.toml (plus `durable-objects/index.ts` for a Durable Object class).
 * Apps never import each other; what they share lives in shared/.
 */
import type { AppDescriptor, CronJob, QueueJob } from '../shared/app';
import type { Scope } from '../shared/auth/scopes';
import type { BodyLimits } from '../shared/http/security';
import { CSRF_HEADER } from '../shared/http/request';
import aura from './aura';
import codebin from './codebin';
import insightdash from './insightdash';
import lexicon from './lexicon';
import melos from './melos';
import oracle from './oracle';
import { PLATFORM_SCOPES } from './platform/scopes';

export const APPS = [codebin, insightdash, oracle, lexicon, aura, melos] as const satisfies readonly AppDescriptor[];

export type AppSlug = (typeof APPS)[number]['slug'];

const descriptors: readonly AppDescriptor[] = APPS;

/** Every API-token scope with what it allows: the platform's, then each app's. */
export const SCOPES = Object.assign({}, PLATFORM_SCOPES, ...descriptors.map((a) => a.scopes ?? {})) as Record<Scope, string>;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

export const BODY_LIMITS: BodyLimits = descriptors.flatMap((a) => [
  // Only for the app's own scripts, which send the CSRF token as a header, and API tokens (shared/http/security.ts):
  // neither has its body parsed before it is authenticated.
  ...(a.largeBodies ?? []).flatMap(([pattern, bytes]) => [[pattern, bytes, CSRF_HEADER] as const, [pattern, bytes, 'authorization'] as const]),
  ...(a.bodyLimit === undefined ? [] : [[`/${a.slug}`, a.bodyLimit] as const]),
]);

export const CRON_JOBS: readonly CronJob[] = descriptors.flatMap((a) => a.cron ?? []);

export const QUEUE_JOBS: readonly QueueJob[] = descriptors.flatMap((a) => a.queue ?? []);

export const DURABLE_OBJECTS: Readonly<Record<string, unknown>> = Object.assign({}, ...descriptors.map((a) => a.durableObjects ?? {}));

/** Whether a GET/HEAD of `path` is one of an app's public reads (no CSRF cookie, no session lookup). */
export function isPublicRead(path: string): boolean {
  return descriptors.some((a) => a.publicReads !== undefined && path.startsWith(`/${a.slug}/`) && a.publicReads.test(path.slice(a.slug.length + 1)));
}
