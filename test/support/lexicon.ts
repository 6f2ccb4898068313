/**
 * Lexicon test helpers: people in each role, tickets made through the real routes,
 * and the request log line that reports a request's D1 cost.
 */
import { env } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import * as repo from '../../workers/lexicon/repository';
import type { Status } from '../../workers/lexicon/status';
import { TRANSITIONS } from '../../workers/lexicon/status';
import { createToken, signedUp, type Client, type RequestOptions } from './client';

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

/** Calls the JSON API with the person's bearer token (no cookies, as curl would). */
export async function api(p: Person, path: string, options: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  const { Client } = await import('./client');
  return new Client().fetch(`/lexicon/api${path}`, { method: options.method, json: options.json, headers: { ...options.headers, authorization: `Bearer ${p.token}` }, bare: true });
}

export type ApiTicket = { id: number; status: Status; version: number; priority: string; assigneeId: number | null; subject: string };

/**
 * Creates a ticket as `p` (a fixture). Through the repository, the same write the
 * routes make: the routes rate-limit ticket creation per user (20 a minute), and a
 * test that needs 25 tickets in its setup is not what that limit is about. The
 * routes themselves are exercised by tests that call them (api, submit, web, e2e).
 */
export async function newTicket(p: Person, fields: { subject?: string; body?: string; tags?: string[] } = {}): Promise<ApiTicket> {
  const ticket = await repo.createTicket(env.DB, {
    subject: fields.subject ?? 'Printer on 3rd floor jams', body: fields.body ?? 'It jams on every duplex job.', tags: fields.tags ?? [],
    priority: 'normal', actor: { id: p.id, requestId: null }, now: Date.now(),
  });
  return { id: ticket.id, status: ticket.status, version: ticket.version, priority: ticket.priority, assigneeId: ticket.assigneeId, subject: ticket.subject };
}

/** Adds a comment (or note) as `p`, through the repository (a fixture: see newTicket). */
export async function newComment(p: Person, ticketId: number, body: string, internal = false): Promise<void> {
  const result = await repo.addComment(env.DB, { ticketId, body, internal, actor: { id: p.id, requestId: null }, viewer: { id: p.id, staff: internal || p.role !== 'member' }, now: Date.now() });
  expect(result.detail, `comment on #${ticketId}`).not.toBeNull();
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

export type RequestLine = { msg: string; method: string; path: string; status: number; d1_queries: number; d1_statements: number; rows_read: number; rows_written: number };

/** Sends a request and returns it with the request log line the Worker wrote for it. */
export async function logged(client: Client, path: string, options: RequestOptions = {}): Promise<{ res: Response; line: RequestLine }> {
  const spy = vi.spyOn(console, 'log');
  const res = await client.fetch(path, options);
  const lines = spy.mock.calls.map((args) => String(args[0])).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RequestLine & { request_id: string });
  spy.mockRestore();
  const line = lines.find((l) => l.msg === 'request' && l.request_id === res.headers.get('x-request-id'));
  if (!line) throw new Error(`no request line for ${path}`);
  return { res, line };
}

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
