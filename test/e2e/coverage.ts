/**
 * Which unsafe routes Chromium drove, and how: the data behind the route coverage test
 * (coverage.e2e.test.ts, which the sequencer runs after every other e2e file).
 *
 * How a request gets here: every browser context of the e2e run sends
 * `X-Request-Id: e2e-walk-js` or `e2e-walk-nojs` (test/e2e/browser.ts); the Worker
 * logs it as `client_request_id` in its one request line, next to `route` (the Hono
 * pattern), `htmx` (whether htmx sent it) and `status`; scripts/dev-server.mjs, for
 * every server started during the run (a file that starts its own server included),
 * appends those lines to ROUTES_FILE. A `fetch` from test code carries no mark and
 * does not count.
 *
 * A route is walked in a mode when:
 *   htmx  a JavaScript-enabled page sent it through htmx (`hx-request: true`)
 *   js    a JavaScript-enabled page sent it, htmx or a plain form
 *   nojs  a page with JavaScript off sent it (a plain form)
 * and the answer was not a 5xx (a 4xx is a walk: a form's 422 is part of its flow).
 */
import { join } from 'node:path';

export const ROUTES_FILE = join(process.cwd(), 'test-results', 'e2e-routes.jsonl');

export type WalkMode = 'htmx' | 'js' | 'nojs';

/** One request line kept by scripts/dev-server.mjs. */
export type WalkedRequest = { mode: 'js' | 'nojs'; method: string; route: string; path: string; htmx: boolean; status: number };

/**
 * Routes that need less than htmx + no-JS, and why. Every other unsafe route must be
 * walked both ways. `api`: no page offers it (JSON for Bearer tokens and curl; its
 * tests are the integration suites). `plain`: the page's form has no htmx variant on
 * purpose, so the JavaScript walk is a plain submit from a page whose scripts run.
 * `socket`: only pages without JavaScript post it; with JavaScript the same forms go
 * over the page's WebSocket (hx-ws:send), so the no-JS walk is the only one there is.
 * `script`: the same, where the page's script sends the form's data elsewhere with JavaScript.
 * `live`: only htmx sends it (a live update as you type); without JavaScript the page
 * it updates draws the same thing on every load, so the htmx walk is the only one.
 */
export const EXEMPT: Record<string, { kind: 'api' | 'plain' | 'socket' | 'script' | 'live'; reason: string }> = {
  'POST /signout': { kind: 'plain', reason: 'a plain form in the header: signing out leaves the page for the home page either way' },
  'POST /codebin/:slug/reveal': { kind: 'plain', reason: 'the burn interstitial opens the paste as a new page (the POST is what burns it)' },
  'POST /codebin/:slug/language': {
    kind: 'plain',
    reason: 'the manage page posts plainly and lands on the paste; codebin.js only fills the token from #token=',
  },
  'POST /codebin/:slug/delete': { kind: 'plain', reason: 'the manage page posts plainly and lands on a "deleted" page; codebin.js only fills the token' },
  'POST /codebin/api/pastes': { kind: 'api', reason: 'JSON API for curl and scripts (Bearer token or anonymous), no page posts to it' },
  'PUT /codebin/api/pastes/:filename': { kind: 'api', reason: 'curl --upload-file API, no page uses it' },
  'DELETE /codebin/api/pastes/:slug': { kind: 'api', reason: 'JSON API with the delete token, no page uses it' },
  'POST /lexicon/api/tickets': { kind: 'api', reason: 'JSON API for Bearer tokens, no page posts to it' },
  'PATCH /lexicon/api/tickets/:id': { kind: 'api', reason: 'JSON API for Bearer tokens, no page uses it' },
  'POST /lexicon/api/tickets/:id/comments': { kind: 'api', reason: 'JSON API for Bearer tokens, no page posts to it' },
  'POST /aura': { kind: 'plain', reason: 'the new-room form posts plainly and lands on the new room (a page of its own, with its WebSocket)' },
  'POST /aura/r/:id/update': {
    kind: 'plain',
    reason: 'the owner panel posts plainly and reloads the room (the lock and who may present decide who the page is for)',
  },
  'POST /aura/r/:id/end': { kind: 'plain', reason: 'ending the room posts plainly and lands on /aura: the room page is gone' },
  'POST /aura/r/:id/control': {
    kind: 'socket',
    reason: 'the presenter forms without JavaScript; with it, the same forms send their message over the room WebSocket (hx-ws:send) instead',
  },
  'POST /melos/recipes': { kind: 'plain', reason: 'saving a new recipe posts the editor plainly and lands on the recipe’s own page' },
  'POST /melos/recipes/:id': { kind: 'plain', reason: 'saving changes posts the editor plainly and reloads the recipe (its title and renders)' },
  'POST /melos/recipes/:id/duplicate': { kind: 'plain', reason: 'duplicating lands on the new copy’s page' },
  'POST /melos/recipes/:id/delete': { kind: 'plain', reason: 'deleting lands on /melos: the recipe’s page is gone' },
  'POST /melos/recipes/:id/share': { kind: 'plain', reason: 'sharing reloads the recipe with its link (or without it)' },
  'POST /melos/s/:token/remix': { kind: 'plain', reason: 'remixing lands on the remixer’s new recipe' },
  'POST /melos/roll': {
    kind: 'live',
    reason: 'the piano roll follows the editor as you type (htmx, debounced); without JavaScript every editor page draws the roll itself',
  },
  'POST /oracle/switches': { kind: 'plain', reason: 'creating a switch lands on its own page' },
  'POST /oracle/switches/:id': { kind: 'plain', reason: 'the settings page posts plainly and lands back on the switch' },
  'POST /oracle/switches/:id/checkin': { kind: 'plain', reason: 'the big button posts plainly and reloads the switch with its new deadline' },
  'POST /oracle/switches/:id/pause': { kind: 'plain', reason: 'pausing reloads the switch, whose whole status changes' },
  'POST /oracle/switches/:id/test': { kind: 'plain', reason: 'testing reloads the switch with a notice (and the test in its delivery log)' },
  'POST /oracle/switches/:id/delete': { kind: 'plain', reason: 'deleting lands on /oracle: the switch’s page is gone' },
  'POST /oracle/switches/:id/recipients': { kind: 'plain', reason: 'adding reloads the switch (a webhook’s secret is shown on that answer, once)' },
  'POST /oracle/recipients/:id/delete': { kind: 'plain', reason: 'removing reloads the switch' },
  'POST /oracle/switches/:id/owner-webhook': {
    kind: 'plain',
    reason: 'setting the owner’s webhook reloads the switch (its secret is shown on that answer, once); removing it too',
  },
  'POST /oracle/recipients/:id/message': {
    kind: 'live',
    reason:
      'oracle.js seals the text in the browser and posts the sealed fields itself (marked hx-request, to get a notice back); without JavaScript the form is disabled and says why: sealing is the point',
  },
  'POST /oracle/c/:token': { kind: 'plain', reason: 'the check-in link’s page has one button, which lands on "checked in"' },
  'POST /oracle/p/:token': { kind: 'plain', reason: 'the trusted contact’s page has one button, which lands on "postponed"' },
  'POST /oracle/api/switches': { kind: 'api', reason: 'JSON API for Bearer tokens, no page posts to it' },
  'POST /oracle/api/switches/:id/checkin': { kind: 'api', reason: 'curl check-in with an oracle:checkin token, no page posts to it' },
  'POST /insightdash/api/points': { kind: 'api', reason: 'JSON ingestion API for Bearer tokens and curl, no page posts to it' },
  'POST /insightdash/api/write': { kind: 'api', reason: 'Influx line protocol for Telegraf and curl, no page posts to it' },
  'POST /insightdash/api/import': {
    kind: 'api',
    reason: 'CSV ingestion API for Bearer tokens and curl, no page posts to it (the page posts /insightdash/import)',
  },
  'POST /insightdash/import/parts': {
    kind: 'live',
    reason:
      'insightdash.js posts a chosen file in parts itself (marked hx-request, with a progress bar); without JavaScript the same form posts the whole file to /insightdash/import',
  },
  'POST /insightdash/import': {
    kind: 'script',
    reason:
      'the import form without JavaScript (the home page comes back with the result); with JavaScript insightdash.js sends the file in parts to /insightdash/import/parts',
  },
  'POST /insightdash/dashboards': { kind: 'plain', reason: 'making a dashboard lands on its own page' },
  'POST /insightdash/d/:id/cards': { kind: 'plain', reason: 'adding a card reloads the dashboard, whose cards then load on their own' },
  'POST /insightdash/d/:id/cards/:card/move': { kind: 'plain', reason: 'moving a card reloads the dashboard in its new order' },
  'POST /insightdash/d/:id/cards/:card/delete': { kind: 'plain', reason: 'removing a card reloads the dashboard' },
  'POST /insightdash/d/:id/rename': { kind: 'plain', reason: 'renaming reloads the dashboard (its heading and title)' },
  'POST /insightdash/d/:id/delete': { kind: 'plain', reason: 'deleting lands on /insightdash: the dashboard’s page is gone' },
  'POST /insightdash/d/:id/share': { kind: 'plain', reason: 'sharing reloads the dashboard with its link (or without it)' },
  'POST /insightdash/series/:id': { kind: 'plain', reason: 'saving a series’ settings reloads its page' },
  'POST /insightdash/series/:id/points/delete': { kind: 'plain', reason: 'deleting points reloads the series’ page at its range, chart and list without them' },
  'POST /insightdash/series/:id/delete': { kind: 'plain', reason: 'deleting a series lands on /insightdash: its page is gone' },
  'POST /insightdash/pulls': { kind: 'plain', reason: 'adding a pull reloads the home page, whose list shows it (and, after the cron, its outcome)' },
  'POST /insightdash/pulls/:id/run': { kind: 'plain', reason: '"Pull now" reloads the home page: the pull runs at the next cron tick' },
  'POST /insightdash/pulls/:id/delete': { kind: 'plain', reason: 'deleting a pull reloads the home page' },
  'POST /insightdash/annotations': { kind: 'plain', reason: 'adding an annotation reloads the page it came from, whose charts then show it' },
  'POST /insightdash/annotations/:id/delete': { kind: 'plain', reason: 'deleting an annotation reloads the page it came from' },
  'POST /melos/api/recipes': { kind: 'api', reason: 'JSON API for Bearer tokens, no page posts to it' },
  'PUT /melos/api/recipes/:id': { kind: 'api', reason: 'JSON API for Bearer tokens, no page uses it' },
  'DELETE /melos/api/recipes/:id': { kind: 'api', reason: 'JSON API for Bearer tokens, no page uses it' },
  'DELETE /melos/api/renders/:id': { kind: 'api', reason: 'JSON API for Bearer tokens, no page uses it' },
  'POST /melos/api/recipes/:id/renders': { kind: 'api', reason: 'JSON API for Bearer tokens, no page posts to it (the page posts /melos/recipes/:id/renders)' },
};

/** The modes a route must be walked in. */
export function requiredModes(route: string): WalkMode[] {
  const exempt = EXEMPT[route];
  if (exempt?.kind === 'api') return [];
  if (exempt?.kind === 'plain') return ['js', 'nojs'];
  if (exempt?.kind === 'socket' || exempt?.kind === 'script') return ['nojs'];
  if (exempt?.kind === 'live') return ['htmx'];
  return ['htmx', 'nojs'];
}

/** The modes each `METHOD /route` was walked in. */
export function walkedModes(requests: WalkedRequest[]): Map<string, Set<WalkMode>> {
  const walked = new Map<string, Set<WalkMode>>();
  for (const r of requests) {
    if (r.status >= 500) continue;
    const key = `${r.method} ${r.route}`;
    const modes = walked.get(key) ?? new Set<WalkMode>();
    if (r.mode === 'nojs') modes.add('nojs');
    else {
      modes.add('js');
      if (r.htmx) modes.add('htmx');
    }
    walked.set(key, modes);
  }
  return walked;
}

const MODE_WORDS: Record<WalkMode, string> = {
  htmx: 'with JavaScript, sent by htmx',
  js: 'with JavaScript (a plain submit is fine)',
  nojs: 'without JavaScript (a plain form post)',
};

/** One line per route and missing mode, e.g. `POST /account/tokens/:id/revoke: not walked without JavaScript (…)`. */
export function coverageGaps(routes: string[], walked: Map<string, Set<WalkMode>>): string[] {
  const gaps: string[] = [];
  for (const route of routes) {
    const seen = walked.get(route) ?? new Set<WalkMode>();
    for (const mode of requiredModes(route)) {
      if (!seen.has(mode)) gaps.push(`${route}: not walked ${MODE_WORDS[mode]}`);
    }
  }
  return gaps;
}
