// Creating tickets and comments is rate limited per user: RL_LEXICON_TICKET (20 a
// minute) and RL_LEXICON_COMMENT (30 a minute), fixed one-minute windows. Each test
// tries 2 × limit + 1 times (fast, well under a minute, so at most two windows: one
// of them must see more than the limit), stops at the first 429, and checks what the
// person gets: a form with the message and their text kept (htmx and plain), or
// problem+json with Retry-After (API). Nothing is written by a refused request.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newTicket, person, type Person } from '../support/lexicon';

const TICKETS = 20;
const COMMENTS = 30;

let agent: Person;

beforeAll(async () => {
  // The limiter's keys are user ids; start this file's users far from other files' ids.
  const now = Date.now();
  await env.DB.prepare("INSERT INTO users (id, email, password_hash, role, created_at, updated_at) VALUES (?, ?, 'x', 'member', ?, ?)")
    .bind(500_000 + Math.floor(Math.random() * 400_000), `pad-${now}@example.com`, now, now)
    .run();
  await person('admin');
  agent = await person('agent');
});

async function until429(tries: number, send: (i: number) => Promise<Response>): Promise<{ statuses: number[]; last: Response }> {
  const statuses: number[] = [];
  let last!: Response;
  for (let i = 0; i < tries; i++) {
    last = await send(i);
    statuses.push(last.status);
    if (last.status === 429) break;
    await last.arrayBuffer();
  }
  return { statuses, last };
}

const count = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>())!.n;

describe('new tickets', () => {
  it('the form (htmx): 429 with the form again, the message and the text kept; nothing written', async () => {
    const requester = await person('member');
    const { statuses, last } = await until429(2 * TICKETS + 1, (i) =>
      requester.fetch('/lexicon/tickets', { htmx: true, form: { subject: `Printer ${i}`, body: 'It jams.' } }),
    );
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    expect(
      statuses.slice(0, -1).every((s) => s < 400),
      statuses.join(','),
    ).toBe(true);
    const html = await last.text();
    expect(last.headers.get('retry-after')).toBe('60');
    expect(html.startsWith('<form class="lx-new')).toBe(true);
    expect(html).toContain('faster than Lexicon allows (20 a minute)');
    expect(html).toContain(`value="Printer ${statuses.length - 1}"`);
    expect(await count('SELECT count(*) AS n FROM tickets WHERE creator_id = ?', requester.id)).toBe(statuses.length - 1);
  });

  it('the form without JavaScript: a 429 page with the form and the message', async () => {
    const requester = await person('member');
    const { statuses, last } = await until429(2 * TICKETS + 1, (i) =>
      requester.fetch('/lexicon/tickets', { form: { subject: `Plain ${i}`, body: 'It jams.' } }),
    );
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    const html = await last.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain('faster than Lexicon allows (20 a minute)');
  });

  it('the API: 429 problem+json with Retry-After; per user (someone else is not refused)', async () => {
    const requester = await person('member');
    const { statuses, last } = await until429(2 * TICKETS + 1, (i) => api(requester, '/tickets', { json: { subject: `API ${i}`, body: 'x' } }));
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(last.headers.get('retry-after')).toBe('60');
    expect(((await last.json()) as { detail: string }).detail).toContain('Too many new tickets');
    const other = await person('member');
    expect((await api(other, '/tickets', { json: { subject: 'Mine', body: 'x' } })).status).toBe(201);
  });
});

describe('comments', () => {
  it('a reply (htmx): 429 with the pane, the message under the box and the text kept', async () => {
    const requester = await person('member');
    const t = await newTicket(requester);
    const { statuses, last } = await until429(2 * COMMENTS + 1, (i) =>
      requester.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx: true, form: { body: `Still broken ${i}` } }),
    );
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    const html = await last.text();
    expect(html.startsWith('<article class="lx-ticket"')).toBe(true);
    expect(html).toContain('faster than Lexicon allows (30 a minute)');
    expect(html).toContain(`>Still broken ${statuses.length - 1}</textarea>`);
    expect(await count('SELECT count(*) AS n FROM lexicon_comments WHERE ticket_id = ?', t.id)).toBe(statuses.length - 1);
  });

  it('an internal note without JavaScript: a 429 page with the message', async () => {
    const requester = await person('member');
    const t = await newTicket(requester);
    const { statuses, last } = await until429(2 * COMMENTS + 1, (i) => agent.fetch(`/lexicon/tickets/${t.id}/note`, { form: { body: `Note ${i}` } }));
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    const html = await last.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain('faster than Lexicon allows (30 a minute)');
  });

  it('the API: 429 problem+json with Retry-After', async () => {
    const requester = await person('member');
    const t = await newTicket(requester);
    const { statuses, last } = await until429(2 * COMMENTS + 1, (i) => api(requester, `/tickets/${t.id}/comments`, { json: { body: `API ${i}` } }));
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(last.headers.get('retry-after')).toBe('60');
    expect(((await last.json()) as { detail: string }).detail).toContain('Too many replies and notes');
  });
});
