// Findings from a newcomer's walk through Lexicon, each pinned: pages ignore query
// parameters they do not read; search is a plain GET form too; a closed ticket offers
// no action that cannot apply; "An open ticket"; agents see the address behind every
// display name. (Layout findings are checked in Chromium: test/e2e/lexicon-forms.)
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newTicket, patch, person, ticketAt, type Person } from '../support/lexicon';

let agent: Person;
let requester: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'IT Support'); // a display name that impersonates
});

describe('unknown query parameters', () => {
  it('are ignored by pages (utm_*, fbclid …), still validated where read; the JSON API stays strict', async () => {
    const t = await newTicket(requester, { subject: 'Campaign link' });
    for (const [who, path] of [
      [agent, '/lexicon?utm_x=1'],
      [requester, '/lexicon?utm_x=1'],
      [agent, '/lexicon?queue=open&fbclid=abc'],
      [agent, '/lexicon/search?q=campaign&utm_source=mail'],
      [requester, `/lexicon/tickets/${t.id}?utm_campaign=x`],
      [agent, '/lexicon/tickets/new?ref=x'],
    ] as const) {
      const res = await who.fetch(path);
      expect(res.status, path).toBe(200);
      await res.arrayBuffer();
    }
    expect((await agent.fetch('/lexicon?queue=nonsense&utm_x=1')).status).toBe(422);
    expect((await api(agent, '/tickets?bogus=1')).status).toBe(422);
  });
});

describe('search without JavaScript', () => {
  it('is a GET form on the staff screen and in the portal; its answer is the whole screen with the results', async () => {
    await newTicket(requester, { subject: 'Monitor flickers', body: 'Since the update' });
    for (const who of [agent, requester]) {
      const page = await (await who.fetch('/lexicon')).text();
      expect(page).toMatch(/<form class="lx-toolbar" role="search" method="get" action="\/lexicon\/search"/);
      expect(page).toMatch(/<button type="submit" class="small secondary">Search<\/button>/);
    }
    const results = await (await agent.fetch('/lexicon/search?q=flickers')).text();
    expect(results).toContain('id="lx-queues"'); // the staff screen, not a bare list
    expect(results).toContain('Monitor flickers');
    expect(results).toContain('value="flickers"'); // the box keeps the query
    const portal = await (await requester.fetch('/lexicon/search?q=flickers')).text();
    expect(portal).toContain('Monitor flickers');
    expect(portal).toContain('Your tickets');
  });
});

describe('a ticket at the end of its lifecycle', () => {
  it('closed: no status, assignee or priority forms, and a sentence saying why; notes still possible', async () => {
    const t = await ticketAt(requester, agent, 'closed', 'Closed for good');
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    for (const action of ['status', 'assign', 'priority']) expect(pane, action).not.toContain(`/lexicon/tickets/${t.id}/${action}"`);
    expect(pane).toContain('A closed ticket stays closed');
    expect(pane).toContain(`/lexicon/tickets/${t.id}/note"`);
  });

  it('resolved: offers "Reopen" and "Close", nothing else', async () => {
    const t = await ticketAt(requester, agent, 'resolved', 'Resolved');
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    const buttons = [...pane.matchAll(/<button type="submit" name="status" value="(\w+)" class="small">([^<]+)<\/button>/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(buttons).toEqual(['open:Reopen', 'closed:Close']);
  });

  it('a refused move reads "An open ticket", not "A open ticket" (form and API)', async () => {
    const t = await ticketAt(requester, agent, 'open', 'Grammar');
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'closed', version: String(t.version) } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('An open ticket cannot become closed.');
    const apiRes = await patch(agent, t.id, { version: t.version, status: 'new' });
    expect(((await apiRes.json()) as { detail: string }).detail).toContain('An open ticket cannot become new.');
  });
});

describe('display names', () => {
  it('agents see the address next to every display name (creator, comment authors, history); requesters see names', async () => {
    const t = await newTicket(requester, { subject: 'Reset my password' });
    await requester.fetch(`/lexicon/tickets/${t.id}/reply`, { form: { body: 'Please hurry' } });
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    const shown = `IT Support <span class="lx-email">&lt;${requester.email}&gt;</span>`;
    expect(pane.split(shown).length - 1, 'creator, comment author, history (create, comment)').toBeGreaterThanOrEqual(3);
    const own = await (await requester.fetch(`/lexicon/tickets/${t.id}`)).text();
    expect(own).not.toContain('class="lx-email"');
  });
});

describe('history in words', () => {
  it('shows a tags change as the tags, not as JSON', async () => {
    const t = await newTicket(requester, { subject: 'Tagged', tags: ['network'] });
    const res = await patch(agent, t.id, { version: t.version, tags: ['network', 'vpn'] });
    expect(res.status).toBe(200);
    const page = await (await agent.fetch(`/lexicon/tickets/${t.id}`)).text();
    expect(page).toContain('network → network, vpn');
    expect(page).not.toContain('[&quot;network&quot;');
  });
});
