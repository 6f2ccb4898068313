// Search input is text, never FTS5 syntax: whatever arrives in ?q= (quotes, NEAR, *,
// ^, column filters, boolean operators, NUL, lone surrogates, malformed UTF-8, long
// input) answers 200 with a list, or a clear 422 when over the length limit.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchTickets } from '../../workers/lexicon/search';
import { newTicket, person, type Person } from '../support/lexicon';

let agent: Person;
let requester: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent');
  requester = await person('member');
  await newTicket(requester, { subject: 'VPN drops every hour', body: 'The "Cisco" client (v5) says NEAR: session*expired ^x' });
  await newTicket(requester, { subject: 'Printer jam', body: 'subject:printer {notes}:secret' });
});

const FTS = [
  '"',
  '""',
  '"""',
  '"vpn',
  'vpn"',
  '"vpn" "cisco"',
  "'",
  "''",
  '`',
  'NEAR',
  'NEAR(vpn printer)',
  'NEAR(vpn printer, 2)',
  'NEAR/3',
  '"vpn" NEAR/3 "cisco"',
  '*',
  '***',
  'vpn*',
  '*vpn',
  'vp*n',
  '^',
  '^vpn',
  '^^^',
  '^"vpn"',
  'subject:vpn',
  'subject : vpn',
  '{subject body}:vpn',
  '{notes}:secret',
  'notes:secret',
  'comments:x',
  '-subject:vpn',
  'nosuchcolumn:vpn',
  ':',
  ':::',
  'a:b:c',
  '(',
  ')',
  '(vpn',
  'vpn)',
  '((()))',
  '(vpn OR printer) AND NOT cisco',
  'AND',
  'OR',
  'NOT',
  'vpn AND',
  'AND vpn',
  'vpn OR printer',
  'NOT vpn',
  'vpn NOT',
  'OR OR OR',
  'vpn + printer',
  '+',
  '-',
  '- vpn',
  '\u0000',
  'vpn\u0000',
  '\u0000vpn',
  '"\u0000"',
  'a\u0000b\u0000c',
  '\u0000\u0000\u0000',
  'vpn\u0000 printer',
  '\u0001\u0002\u0003',
  '\t\n\r',
  '\u007f\u007f\u007f',
  '\u200b\u200b\u200b',
  '\u202evpn',
  '\ufeff\ufeff\ufeff',
  '\ud800',
  '\udc00',
  'ab\ud800cd',
  '\ud800\ud800\ud800',
  '\udfff\ud800',
  '😀😀😀',
  'vpn😀',
  '\\',
  '\\\\\\',
  '%',
  '%%%',
  '_',
  '___',
  '%_\\',
  ' ',
  '   ',
  '',
  'x'.repeat(200),
  'ab '.repeat(66),
  '" '.repeat(100),
  'NEAR('.repeat(40),
  '\u0000'.repeat(200),
  '😀'.repeat(100),
];

/** Raw query strings, including bytes no browser would send (malformed UTF-8, overlong NUL). */
const RAW = [
  '%00',
  '%00%00%00',
  'vpn%00',
  '%ED%A0%80',
  '%ED%A0%80%ED%A0%80%ED%A0%80',
  '%C0%80',
  '%C0%80%C0%80%C0%80',
  '%FF%FE%FD',
  '%E2%80',
  '%25%00',
  'vpn%22%00%22',
  '%F4%90%80%80',
];

describe('the search route', () => {
  for (const [who, label] of [
    [() => agent, 'an agent'],
    [() => requester, 'a requester'],
  ] as const) {
    it(`answers ${label} 200 for every FTS5-looking or hostile input, with and without htmx`, async () => {
      const failures: string[] = [];
      const queries = [...FTS.map((q) => new URLSearchParams({ q }).toString()), ...RAW.map((r) => `q=${r}`)];
      for (const query of queries) {
        for (const htmx of [true, false]) {
          const res = await who().fetch(`/lexicon/search?${query}`, { htmx });
          if (res.status !== 200) failures.push(`${res.status} ${query} htmx=${htmx}: ${(await res.text()).slice(0, 200)}`);
          else await res.arrayBuffer();
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
    }, 30_000); // ~200 requests, the page ones rendering the whole staff screen
  }

  it('refuses over-long input with a clear 422, and still finds plain words', async () => {
    const res = await agent.fetch(`/lexicon/search?q=${'x'.repeat(201)}`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Search terms are at most 200 characters.');
    const found = await (await agent.fetch(`/lexicon/search?q=${encodeURIComponent('"cisco"')}`, { htmx: true })).text();
    expect(found).toContain('VPN drops every hour');
    const nul = await (await agent.fetch('/lexicon/search?q=vpn%00', { htmx: true })).text();
    expect(nul).toContain('VPN drops every hour');
  });
});

describe('the repository', () => {
  it('never throws on any of these (lone surrogates included, which no URL can carry)', async () => {
    for (const query of FTS) {
      for (const staff of [true, false]) {
        await expect(searchTickets(env.DB, { query, viewer: { id: requester.id, staff }, limit: 50 }), JSON.stringify(query)).resolves.toBeInstanceOf(Array);
      }
    }
  });
});
