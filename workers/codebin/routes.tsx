/**
 * CodeBin, mounted at /codebin (paths.ts builds every URL below).
 *
 *   GET  /                      create page (+ recent public pastes; ?from=<slug> clones)      web.tsx
 *   POST /                      create from the form (htmx fragment, or 303 without JS)        web.tsx
 *   GET  /highlight.css         colour classes of the two Shiki themes (immutable)             web.tsx
 *   GET  /mine                  the signed-in user's pastes (keyset pagination)                web.tsx
 *   GET  /:slug                 view (burn-after-reading: an interstitial, nothing revealed)   web.tsx
 *   POST /:slug/reveal          burn-after-reading: reveal once and delete                     web.tsx
 *   GET  /:slug/raw             exact bytes (HEAD too; ?download=1 for an attachment)          web.tsx
 *   GET  /:slug/manage          language and delete forms (owner, or the delete token from #token=…)
 *   POST /:slug/language        change language (re-rendered on this write, or queued)         web.tsx
 *   POST /:slug/delete          delete                                                         web.tsx
 *   POST /api/pastes            JSON or raw body (curl --data-binary @file)                    api.tsx
 *   PUT  /api/pastes/:filename  raw body (curl -T file)                                        api.tsx
 *   DELETE /api/pastes/:slug    Authorization: Bearer <delete token> (or the owner's API token) api.tsx
 *
 * The API is mounted first, and web.tsx registers /highlight.css and /mine before
 * /:slug: Hono tries routes in the order they were added, so none of them is ever
 * taken for a paste's slug.
 *
 * Secrets stay out of URLs and logs: the delete token travels in the manage link's
 * fragment and in POST bodies; log lines name a paste by a keyed hash of its slug,
 * since the slug of a burn-after-reading paste is enough to burn it.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../shared/context';
import api from './api';
import web from './web';

const codebin = new Hono<AppEnv>();
codebin.route('/', api);
codebin.route('/', web);

export default codebin;
