// An internal note is invisible to the requester, including the fact that one was
// written: nothing they can read (API or HTML) changes because of it, not even the
// ticket's version or updatedAt.
import { beforeAll, expect, it } from 'vitest';
import { api, newTicket, normalized, person, ticketRow, type Person } from '../support/lexicon';

let agent: Person;
let requester: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'Rita Requester');
});

/** Everything the requester can read about their ticket, with per-request noise (nonces, request ids, rendered times) removed. */
async function requesterSees(id: number): Promise<string[]> {
  const html = async (path: string) => normalized(await (await requester.fetch(path)).text()).replace(/<time[^>]*>[^<]*<\/time>/g, '<time/>');
  return [
    await (await api(requester, `/tickets/${id}`)).text(),
    await (await api(requester, `/tickets/${id}/comments`)).text(),
    await (await api(requester, '/tickets')).text(),
    await html(`/lexicon/tickets/${id}`),
    await html('/lexicon'),
    await html('/lexicon/search?q=printer'),
  ];
}

it('a note (web or API, with or without htmx) changes nothing the requester can see', async () => {
  const t = await newTicket(requester, { subject: 'Printer on fire' });
  await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { form: { body: 'Is it still burning?' } });
  const row = await ticketRow(t.id);
  const before = await requesterSees(t.id);
  expect(await agent.fetch(`/lexicon/tickets/${t.id}/note`, { htmx: true, form: { body: 'printer vendor contract lapsed' } }).then((r) => r.status)).toBe(200);
  expect(await agent.fetch(`/lexicon/tickets/${t.id}/note`, { form: { body: 'second printer note' } }).then((r) => r.status)).toBe(303);
  expect((await api(agent, `/tickets/${t.id}/comments`, { json: { body: 'API printer note', internal: true } })).status).toBe(201);
  expect(await ticketRow(t.id)).toEqual(row);
  expect(await requesterSees(t.id)).toEqual(before);
  // Staff see the notes; the version they hold still works (a note is no conflict).
  const staff = (await (await api(agent, `/tickets/${t.id}`)).json()) as { ticket: { version: number; comments: Array<{ internal: boolean }> } };
  expect(staff.ticket.comments.filter((c) => c.internal)).toHaveLength(3);
  expect((await api(agent, `/tickets/${t.id}`, { method: 'PATCH', json: { version: t.version + 1, status: 'open' } })).status).toBe(200);
});
