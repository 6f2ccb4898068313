/**
 * Lexicon test helpers: people in each role, tickets made through the real routes
 * or the repository, and the audit rows a ticket has. (A request's log line, with
 * its D1 cost, is read with `logged` of ./logs.ts.)
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { Actor } from '../../workers/lexicon/rows';
import type { Status } from '../../workers/lexicon/status';
import { TRANSITIONS } from '../../workers/lexicon/status';
import * as writes from '../../workers/lexicon/writes';
import { createToken, signedUp, type Client } from './client';

export type Person = Client & { email: string; id: number; token: string; role: 'member' | 'agent' | 'admin' };

/** A signed-in person with a role, and an API token with the `lexicon` scope. */
export async function person(role: 'member' | 'agent' | 'admin', name?: string): Promise<Person> {
  const client = await signedUp();
  const row = await env.DB.prepare('UPDATE users SET role = ?, display_name = ? WHERE email = ? RETURNING id')
    .bind(role, name ?? client.email.split('@')[0], client.email)
    .first<{ id: number }>();
  const token = await createToken(client, ['lexicon']);
  await client.visit('/lexicon'); // as a person would: the page sets the CSRF token the forms use
  return Object.assign(client, { id: row!.id, token, role });
}

/**
 * A bare user row with a role (no password, no session), as the Actor the repository
 * takes: for tests of queries.ts, writes.ts and search.ts, which need ids, not sign-ins.
 */
export async function actor(email: string, role: 'member' | 'agent' | 'admin' = 'member', requestId: string | null = null): Promise<Actor> {
  const row = await env.DB.prepare("INSERT INTO users (email, password_hash, role, created_at, updated_at) VALUES (?, 'x', ?, 0, 0) RETURNING id")
    .bind(email, role)
    .first<{ id: number }>();
  return { id: row!.id, requestId };
}

/** Calls the JSON API with the person's bearer token (no cookies, as curl would). */
export async function api(p: Person, path: string, options: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const { Client } = await import('./client');
  return new Client().fetch(`/lexicon/api${path}`, {
    method: options.method,
    json: options.json,
    headers: { ...options.headers, authorization: `Bearer ${p.token}` },
    bare: true,
  });
}

export type ApiTicket = { id: number; status: Status; version: number; priority: string; assigneeId: number | null; subject: string };

/**
 * Creates a ticket as `p` (a fixture). Through the repository, the same write the
 * routes make: the routes rate-limit ticket creation per user (20 a minute), and a
 * test that needs 25 tickets in its setup is not what that limit is about. The
 * routes themselves are exercised by tests that call them (api, submit, web, e2e).
 */
export async function newTicket(p: Person, fields: { subject?: string; body?: string; tags?: string[] } = {}): Promise<ApiTicket> {
  const ticket = await writes.createTicket(env.DB, {
    subject: fields.subject ?? 'Printer on 3rd floor jams',
    body: fields.body ?? 'It jams on every duplex job.',
    tags: fields.tags ?? [],
    priority: 'normal',
    actor: { id: p.id, requestId: null },
    now: Date.now(),
  });
  return { id: ticket.id, status: ticket.status, version: ticket.version, priority: ticket.priority, assigneeId: ticket.assigneeId, subject: ticket.subject };
}

/** Adds a comment (or note) as `p`, through the repository (a fixture: see newTicket). */
export async function newComment(p: Person, ticketId: number, body: string, internal = false): Promise<void> {
  const result = await writes.addComment(env.DB, {
    ticketId,
    body,
    internal,
    actor: { id: p.id, requestId: null },
    viewer: { id: p.id, staff: internal || p.role !== 'member' },
    now: Date.now(),
  });
  expect(result.ok, `comment on #${ticketId}`).toBe(true);
}

export async function patch(p: Person, id: number, body: Record<string, unknown>): Promise<Response> {
  return api(p, `/tickets/${id}`, { method: 'PATCH', json: body });
}

/** The shortest path of allowed moves from new to `target`. */
export function pathTo(target: Status): Status[] {
  const queue: Status[][] = [['new']];
  while (queue.length) {
    const path = queue.shift()!;
    const last = path[path.length - 1]!;
    if (last === target) return path.slice(1);
    for (const [f, t] of TRANSITIONS) if (f === last && !path.includes(t)) queue.push([...path, t]);
  }
  throw new Error(`unreachable ${target}`);
}

/** A ticket from `requester`, walked by `agent` through the API to `status`. */
export async function ticketAt(requester: Person, agent: Person, status: Status, subject?: string): Promise<ApiTicket> {
  let t = await newTicket(requester, { subject: subject ?? `at ${status}` });
  for (const to of pathTo(status)) {
    const res = await patch(agent, t.id, { version: t.version, status: to });
    expect(res.status, await res.clone().text()).toBe(200);
    t = ((await res.json()) as { ticket: ApiTicket }).ticket;
  }
  return t;
}

/** How many audit rows a ticket has (the one helper for it). */
export async function auditCount(ticketId: number): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM lexicon_audit WHERE ticket_id = ?').bind(ticketId).first<{ n: number }>())!.n;
}

export async function ticketRow(id: number) {
  return env.DB.prepare('SELECT status, priority, assignee_id, tags, version, updated_at FROM tickets WHERE id = ?').bind(id).first();
}

/** Replaces what differs between two otherwise equal responses: request ids, nonces, paths' ids. */
export function normalized(text: string, ids: Array<string | number> = []): string {
  let out = text
    .replace(/"request_id":"[^"]*"/g, '"request_id":"…"')
    .replace(/"instance":"[^"]*"/g, '"instance":"…"')
    .replace(/nonce="[^"]*"/g, 'nonce="…"')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>');
  for (const id of ids) out = out.split(`/${id}`).join('/<id>');
  return out;
}
