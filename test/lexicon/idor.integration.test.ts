// Object-level checks on every Lexicon :id route, as a matrix:
// roles × routes × verbs (page, htmx, API) × ids (someone else's, missing, malformed).
// A requester asking for a ticket that is not theirs gets exactly the 404 a missing
// ticket gets; staff-only actions are a 403 for every id, so they reveal nothing either.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../workers/app';
import { Client } from '../support/client';
import { api, newTicket, normalized, person, type Person } from '../support/lexicon';

type Kind = 'page' | 'htmx' | 'api';
type Route = { method: string; path: string; kind: Kind[]; staffOnly: boolean; body?: Record<string, unknown> };

/** Every Lexicon route with an :id, and how a caller reaches it. */
const ROUTES: Route[] = [
  { method: 'GET', path: '/lexicon/tickets/:id', kind: ['page', 'htmx'], staffOnly: false },
  { method: 'GET', path: '/lexicon/tickets/:id/comments', kind: ['page', 'htmx'], staffOnly: false },
  { method: 'POST', path: '/lexicon/tickets/:id/reply', kind: ['page', 'htmx'], staffOnly: false, body: { body: 'me too' } },
  { method: 'POST', path: '/lexicon/tickets/:id/note', kind: ['page', 'htmx'], staffOnly: true, body: { body: 'secret' } },
  { method: 'POST', path: '/lexicon/tickets/:id/status', kind: ['page', 'htmx'], staffOnly: true, body: { status: 'open', version: '1' } },
  { method: 'POST', path: '/lexicon/tickets/:id/assign', kind: ['page', 'htmx'], staffOnly: true, body: { assignee: 'me', version: '1' } },
  { method: 'POST', path: '/lexicon/tickets/:id/priority', kind: ['page', 'htmx'], staffOnly: true, body: { priority: 'urgent', version: '1' } },
  { method: 'POST', path: '/lexicon/tickets/:id/tags', kind: ['page', 'htmx'], staffOnly: true, body: { tags: 'x', version: '1' } },
  { method: 'GET', path: '/lexicon/api/tickets/:id', kind: ['api'], staffOnly: false },
  { method: 'PATCH', path: '/lexicon/api/tickets/:id', kind: ['api'], staffOnly: true, body: { version: 1, priority: 'urgent' } },
  { method: 'GET', path: '/lexicon/api/tickets/:id/comments', kind: ['api'], staffOnly: false },
  { method: 'POST', path: '/lexicon/api/tickets/:id/comments', kind: ['api'], staffOnly: false, body: { body: 'me too' } },
];

let owner: Person;
let stranger: Person;
let agent: Person;
let admin: Person;
let theirs: number;
const MISSING = 987_654_321;

beforeAll(async () => {
  admin = await person('admin');
  agent = await person('agent');
  owner = await person('member');
  stranger = await person('member');
});

async function call(who: Person | Client, route: Route, kind: Kind, id: string | number): Promise<Response> {
  const path = route.path.replace(':id', String(id));
  if (kind === 'api') {
    if (!('token' in who)) return new Client().fetch(path, { method: route.method, json: route.body, bare: true });
    return new Client().fetch(path, {
      method: route.method,
      json: route.method === 'GET' ? undefined : route.body,
      headers: { authorization: `Bearer ${who.token}` },
      bare: true,
    });
  }
  const form = route.method === 'GET' ? undefined : Object.fromEntries(Object.entries(route.body ?? {}).map(([k, v]) => [k, String(v)]));
  return who.fetch(path, { method: route.method, form, htmx: kind === 'htmx' });
}

async function snapshot() {
  return env.DB.prepare(
    "SELECT (SELECT group_concat(id || status || priority || coalesce(assignee_id, '-') || version || tags) FROM tickets) AS t, (SELECT count(*) FROM lexicon_comments) AS c, (SELECT count(*) FROM lexicon_audit) AS a",
  ).first();
}

describe('the IDOR matrix', () => {
  it('covers every Lexicon route that takes an :id', () => {
    const registered = new Set(
      app.routes.filter((r) => r.path.startsWith('/lexicon') && r.path.includes(':id') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    expect(registered).toEqual(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)));
  });

  it("a requester gets, for someone else's ticket, exactly the 404 of a missing one (or the 403 every id gets); nothing changes", async () => {
    theirs = (await newTicket(owner, { subject: 'Salary spreadsheet will not open', body: 'confidential' })).id;
    await agent.fetch(`/lexicon/tickets/${theirs}/note`, { form: { body: 'internal: HR escalation' } });
    const before = await snapshot();
    const cells: string[] = [];
    for (const route of ROUTES) {
      for (const kind of route.kind) {
        const a = await call(stranger, route, kind, theirs);
        const b = await call(stranger, route, kind, MISSING);
        const expected = route.staffOnly ? 403 : 404;
        const label = `${route.method} ${route.path} [${kind}]`;
        expect(a.status, `${label} someone else's`).toBe(expected);
        expect(b.status, `${label} missing`).toBe(expected);
        const [bodyA, bodyB] = [await a.text(), await b.text()];
        expect(normalized(bodyA, [theirs]), label).toBe(normalized(bodyB, [MISSING]));
        for (const secret of ['Salary', 'confidential', 'HR escalation']) expect(bodyA, label).not.toContain(secret);
        expect(bodyA).toContain(route.staffOnly ? 'Only agents and admins can do that.' : 'There is no such ticket, or it is not yours to see.');
        // A malformed id is the same "no such ticket" (or the same 403).
        const c = await call(stranger, route, kind, 'abc');
        expect(c.status, `${label} malformed`).toBe(expected);
        cells.push(label);
      }
    }
    expect(cells.length).toBe(20);
    expect(await snapshot()).toEqual(before);
  });

  it('the owner reaches their own ticket on every requester route, and staff-only routes stay 403', async () => {
    for (const route of ROUTES) {
      for (const kind of route.kind) {
        const res = await call(owner, route, kind, theirs);
        const label = `${route.method} ${route.path} [${kind}]`;
        if (route.staffOnly) expect(res.status, label).toBe(403);
        else expect(res.status, label).toBeLessThan(400);
        expect(await res.text(), label).not.toContain('HR escalation');
      }
    }
  });

  it('agents and admins reach every ticket; a missing one is a 404 for them too', async () => {
    for (const staff of [agent, admin]) {
      for (const route of ROUTES) {
        for (const kind of route.kind) {
          const label = `${route.method} ${route.path} [${kind}]`;
          const missing = await call(staff, route, kind, MISSING);
          expect(missing.status, `${label} missing`).toBe(404);
          const res = await call(staff, route, kind, theirs);
          // Version-guarded actions may meet a newer version (409): reached, refused as stale.
          expect([200, 201, 303, 409], `${label} → ${res.status}`).toContain(res.status);
        }
      }
    }
  });

  it('anonymous callers are sent to sign in (pages) or get 401 (htmx, API)', async () => {
    const anon = new Client();
    await anon.visit('/');
    for (const route of ROUTES) {
      for (const kind of route.kind) {
        const res = await call(anon, route, kind, theirs);
        const label = `${route.method} ${route.path} [${kind}]`;
        if (kind === 'page' && route.method === 'GET') {
          expect(res.status, label).toBe(303);
          expect(res.headers.get('location'), label).toMatch(/^\/signin\?next=/);
        } else if (kind === 'htmx') {
          expect(res.status, label).toBe(204); // htmx follows HX-Redirect to the sign-in page
          expect(res.headers.get('hx-redirect'), label).toMatch(/^\/signin\?next=/);
        } else if (kind === 'api') {
          expect(res.status, label).toBe(401);
        } else {
          expect(res.status, label).toBe(303);
          expect(res.headers.get('location'), label).toMatch(/^\/signin/);
        }
        expect(await res.text()).not.toContain('Salary');
      }
    }
  });

  it("a requester's list and search never include someone else's ticket", async () => {
    const list = await (await stranger.fetch('/lexicon')).text();
    expect(list).not.toContain('Salary');
    const found = await (await stranger.fetch('/lexicon/search?q=Salary', { htmx: true })).text();
    expect(found).not.toContain('Salary spreadsheet');
    const apiList = await (await api(stranger, '/tickets')).text();
    expect(apiList).not.toContain('Salary');
  });
});
