import { env } from 'cloudflare:workers';
import { beforeAll, expect, it } from 'vitest';
import { requestScope } from '../../shared/context';
import type { Actor } from '../../workers/lexicon/rows';
import { searchTickets } from '../../workers/lexicon/search';
import * as writes from '../../workers/lexicon/writes';
import { actor } from '../support/lexicon';

let agent: Actor;
let alice: Actor;
let bob: Actor;
const ids: Record<string, number> = {};

beforeAll(async () => {
  agent = await actor('agent@example.com');
  alice = await actor('alice@example.com');
  bob = await actor('bob@example.com');
  const make = async (key: string, actor: Actor, subject: string, body: string) => {
    ids[key] = (await writes.createTicket(env.DB, { subject, body, priority: 'normal', tags: [], actor, now: Date.now() })).id;
  };
  await make('vpn', alice, 'VPN drops every hour', 'The Cisco client disconnects.');
  await make('printer', alice, 'Printer jam', 'Tray 2 is stuck.');
  await make('bobvpn', bob, 'Cannot reach VPN', 'From home.');
  await make('ab', alice, 'AB test dashboard', 'numbers look off');
  await writes.addComment(env.DB, {
    ticketId: ids.printer!,
    body: 'Ordered a new fuser unit',
    internal: false,
    actor: agent,
    viewer: { id: agent.id, staff: true },
    now: 1,
  });
  await writes.addComment(env.DB, {
    ticketId: ids.printer!,
    body: 'vendor contract expires soon',
    internal: true,
    actor: agent,
    viewer: { id: agent.id, staff: true },
    now: 2,
  });
});

const search = (query: string, viewer: { id: number; staff: boolean }) =>
  searchTickets(env.DB, { query, viewer, limit: 50 }).then((r) => r.map((t) => t.id).sort());

it('finds words in subject, body and comments (substrings, any case)', async () => {
  const staff = { id: agent.id, staff: true };
  expect(await search('vpn', staff)).toEqual([ids.vpn, ids.bobvpn].sort());
  expect(await search('cisco', staff)).toEqual([ids.vpn]);
  expect(await search('fuser', staff)).toEqual([ids.printer]);
  expect(await search('tray stuck', staff)).toEqual([ids.printer]);
  expect(await search('tray cisco', staff)).toEqual([]);
});

it('keeps internal notes out of requesters’ searches, and requesters to their own tickets', async () => {
  expect(await search('vendor contract', { id: agent.id, staff: true })).toEqual([ids.printer]);
  expect(await search('vendor contract', { id: alice.id, staff: false })).toEqual([]);
  expect(await search('vpn', { id: alice.id, staff: false })).toEqual([ids.vpn]);
});

it('falls back to a prefix search for terms under 3 characters', async () => {
  expect(await search('AB', { id: agent.id, staff: true })).toEqual([ids.ab]);
  expect(await search('%', { id: agent.id, staff: true })).toEqual([]); // wildcards are literal
});

it('treats FTS syntax in the query as text', async () => {
  for (const q of ['vpn OR printer', '"unbalanced', 'NEAR(vpn printer)', 'subject:vpn', '*', '^vpn']) {
    await expect(search(q, { id: agent.id, staff: true })).resolves.toBeInstanceOf(Array);
  }
  // Words under 3 characters are dropped when longer ones are present; the rest must all match.
  expect(await search('vpn OR printer', { id: agent.id, staff: true })).toEqual([]);
});

it('a requester’s search costs what they wrote, not how often a word occurs across the instance', async () => {
  // Bob's ticket gets 400 comments that all say "fuser"; Alice searching "fuser" must not read them.
  const stmt = env.DB.prepare("INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at) VALUES (?, ?, 'the fuser again', 0, ?)");
  await env.DB.batch(Array.from({ length: 400 }, (_, i) => stmt.bind(ids.bobvpn!, bob.id, 10 + i)));
  const rowsRead = async (query: string, viewer: { id: number; staff: boolean }) => {
    const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    const found = await requestScope.run({ requestId: 'test', cost }, () => search(query, viewer));
    return { found, rows: cost.rowsRead };
  };
  const alices = await rowsRead('fuser', { id: alice.id, staff: false });
  expect(alices.found).toEqual([ids.printer]); // through her ticket's public comment
  expect(alices.rows).toBeLessThan(30); // her 3 tickets and their few comments, not Bob's 400
  const staff = await rowsRead('fuser', { id: agent.id, staff: true });
  expect(staff.found).toEqual([ids.printer, ids.bobvpn].sort());
  expect(await search('%%%', { id: alice.id, staff: false })).toEqual([]); // no pattern syntax
  expect(await search('contract', { id: alice.id, staff: false })).toEqual([]); // notes stay hidden
});
