// A ticket cannot be made to fail by size. 10,000 comments (and their 10,000 audit
// rows) on one ticket: the ticket page, the pane, the portal and the API still open,
// each reading a bounded number of D1 rows and answering a bounded number of bytes;
// the thread pages back with "show earlier" (with and without htmx, and in the API);
// replying and changing the status still work; search still finds a ticket by the
// words of any one comment (each comment is its own FTS row), and a requester's
// search never looks at internal notes.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newTicket, person, type Person } from '../support/lexicon';
import { logged, type LogLine } from '../support/logs';
import { Client } from '../support/client';

const N = 10_000;
/** What one request on the ticket may cost, whatever the thread's length (measured ~220 rows, ~45 KB). */
const MAX_ROWS_READ = 500;
const MAX_BYTES = 150_000;

let agent: Person;
let requester: Person;
let id: number;
const base = Date.now() - N * 1000;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'Rita Requester');
  id = (await newTicket(requester, { subject: 'A very long thread', body: 'It keeps going.' })).id;
  // 10,000 comments in one statement: every 10th an internal note by the agent, the
  // rest alternating agent / requester, ~150 characters each. Comment 1 carries a word
  // found nowhere else, comment 10 (a note) another. Each comment writes its audit row,
  // as the routes do. The FTS triggers run for every row.
  await env.DB.batch([
    env.DB.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
      INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at)
      SELECT ?2, iif(i % 10 = 0 OR i % 2 = 1, ?3, ?4),
             'comment number ' || i || ' ' || iif(i = 1, 'zanzibarquux ', '') || iif(i = 10, 'secretnoteword ', '') || substr(hex(randomblob(64)), 1, 120),
             iif(i % 10 = 0, 1, 0), ?5 + i * 1000
        FROM n`).bind(N, id, agent.id, requester.id, base),
    env.DB.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
      INSERT INTO lexicon_audit (ticket_id, actor_id, action, created_at)
      SELECT ?2, iif(i % 10 = 0 OR i % 2 = 1, ?3, ?4), iif(i % 10 = 0, 'note', 'comment'), ?5 + i * 1000 FROM n`).bind(N, id, agent.id, requester.id, base),
  ]);
}, 60_000);

const report: string[] = [];
function measured(what: string, line: LogLine, bytes: number) {
  report.push(`${what}: rows_read=${line.rows_read} rows_written=${line.rows_written} bytes=${bytes}`);
  console.info(report.at(-1));
  expect(line.rows_read, `${what} rows_read`).toBeLessThan(MAX_ROWS_READ);
  expect(bytes, `${what} bytes`).toBeLessThan(MAX_BYTES);
}

describe(`a ticket with ${N.toLocaleString('en')} comments`, () => {
  it('opens as a page, a pane and in the portal: the newest 50 comments, a "show earlier" link, bounded rows and bytes', async () => {
    for (const [who, htmx, label] of [
      [agent, false, 'agent page'],
      [agent, true, 'agent pane (htmx)'],
      [requester, false, 'requester page'],
    ] as const) {
      const { res, line } = await logged(() => who.fetch(`/lexicon/tickets/${id}`, { htmx }));
      const html = await res.text();
      expect(res.status, label).toBe(200);
      measured(label, line, html.length);
      expect(html, label).toContain(`comment number ${who === requester ? N - 1 : N} `); // the 10,000th is a note
      expect(html, label).not.toContain('comment number 1 zanzibarquux');
      expect(html, label).toContain('Show earlier comments');
      expect(html.match(/class="lx-comment /g)?.length, label).toBeLessThanOrEqual(50);
      if (who === requester) expect(html, label).not.toContain('internal note');
    }
  });

  it('pages back to the first comment with "show earlier": htmx in place, and as plain links without JavaScript', async () => {
    // htmx: each answer is that page's comments and the next "show earlier" link.
    let page = await (await agent.fetch(`/lexicon/tickets/${id}`, { htmx: true })).text();
    const earlier = (html: string) => /<li class="lx-thread-more lx-thread-earlier"><a href="([^"]+)" hx-get="([^"]+)"/.exec(html);
    const seen = new Set<string>();
    let link = earlier(page);
    let steps = 0;
    while (link && steps < 3) {
      const next = link[2]!.replace(/&amp;/g, '&');
      const { res, line } = await logged(() => agent.fetch(next, { htmx: true }));
      page = await res.text();
      expect(res.status).toBe(200);
      if (steps === 0) measured('show earlier (htmx fragment)', line, page.length);
      expect(page.startsWith('<li class="lx-thread-more') || page.startsWith('<li class="lx-comment')).toBe(true);
      for (const m of page.matchAll(/id="c-(\d+)"/g)) {
        expect(seen.has(m[1]!), `comment ${m[1]} twice`).toBe(false);
        seen.add(m[1]!);
      }
      link = earlier(page);
      steps++;
    }
    expect(seen.size).toBe(150);
    // Without JavaScript the link is the ticket page at that window, with a way back ("show later").
    const plain = earlier(await (await agent.fetch(`/lexicon/tickets/${id}`)).text())!;
    const { res, line } = await logged(() => agent.fetch(plain[1]!.replace(/&amp;/g, '&')));
    const html = await res.text();
    expect(res.status).toBe(200);
    measured('ticket page ?before=', line, html.length);
    expect(html).toContain('Show later comments');
    expect(html).toContain('Show earlier comments');
    expect(html).not.toContain(`comment number ${N} `);
    // The fragment route sends a browser without htmx to that page.
    const redirect = await agent.fetch(plain[2]!.replace(/&amp;/g, '&'));
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get('location')).toBe(plain[1]!.replace(/&amp;/g, '&'));
    // The very first comment is reachable: oldest page via ?after= from before the first.
    const first = await (await agent.fetch(`/lexicon/tickets/${id}?after=0.0`)).text();
    expect(first).toContain('comment number 1 zanzibarquux');
    expect(first).toContain('Show later comments');
  });

  it('the API answers the newest page and cursors through the rest, bounded', async () => {
    const { res, line } = await logged(() =>
      new Client().fetch(`/lexicon/api/tickets/${id}`, { headers: { authorization: `Bearer ${agent.token}` }, bare: true }),
    );
    const text = await res.text();
    expect(res.status).toBe(200);
    measured('API GET ticket', line, text.length);
    const { ticket } = JSON.parse(text) as {
      ticket: { comments: Array<{ id: number; body: string }>; commentsEarlierCursor: string | null; history: unknown[]; historyTruncated: boolean };
    };
    expect(ticket.comments).toHaveLength(50);
    expect(ticket.comments.at(-1)!.body).toContain(`comment number ${N} `);
    expect(ticket.history.length).toBeLessThanOrEqual(50);
    expect(ticket.historyTruncated).toBe(true);
    const older = await api(agent, `/tickets/${id}/comments?before=${ticket.commentsEarlierCursor}`);
    const page = (await older.json()) as { comments: Array<{ id: number }>; earlierCursor: string | null; laterCursor: string | null };
    expect(page.comments).toHaveLength(50);
    expect(Math.max(...page.comments.map((c) => c.id))).toBeLessThan(Math.min(...ticket.comments.map((c) => c.id)));
    expect(page.earlierCursor).toMatch(/^\d+\.\d+$/);
    expect(page.laterCursor).toMatch(/^\d+\.\d+$/);
    // A requester's API view: public comments only.
    const mine = (await (await api(requester, `/tickets/${id}/comments`)).json()) as { comments: Array<{ internal: boolean }> };
    expect(mine.comments).toHaveLength(50);
    expect(mine.comments.every((c) => !c.internal)).toBe(true);
    expect((await api(agent, `/tickets/${id}/comments?before=nonsense`)).status).toBe(422);
  });

  it('a reply, a note and a status change still work on it, each bounded', async () => {
    const pane = await (await agent.fetch(`/lexicon/tickets/${id}`, { htmx: true })).text();
    const version = Number(/data-version="(\d+)"/.exec(pane)![1]);
    const replied = await logged(() => agent.fetch(`/lexicon/tickets/${id}/reply`, { htmx: true, form: { body: 'Reply number ten thousand and one' } }));
    const r = await replied.res.text();
    expect(replied.res.status).toBe(200);
    measured('reply (htmx)', replied.line, r.length);
    expect(r).toContain('Reply number ten thousand and one');
    const noted = await logged(() => agent.fetch(`/lexicon/tickets/${id}/note`, { htmx: true, form: { body: 'A note on a long thread' } }));
    expect(noted.res.status).toBe(200);
    measured('note (htmx)', noted.line, (await noted.res.text()).length);
    const opened = await logged(() => agent.fetch(`/lexicon/tickets/${id}/status`, { htmx: true, form: { status: 'open', version: String(version + 1) } }));
    const o = await opened.res.text();
    expect(opened.res.status, o.slice(0, 300)).toBe(200);
    measured('status → open (htmx)', opened.line, o.length);
    expect(o).toContain('<b class="st st-open">open</b>');
    // The requester's reply through the API.
    const api201 = await api(requester, `/tickets/${id}/comments`, { json: { body: 'Still broken, thanks' } });
    expect(api201.status).toBe(201);
    expect(((await api201.json()) as { comment: { body: string } }).comment.body).toBe('Still broken, thanks');
  });

  it('search finds the ticket by the words of one comment; a requester never through an internal note', async () => {
    const agentHit = await (await agent.fetch('/lexicon/search?q=zanzibarquux', { htmx: true })).text();
    expect(agentHit).toContain(`id="t-${id}"`);
    const requesterHit = await (await requester.fetch('/lexicon/search?q=zanzibarquux')).text();
    expect(requesterHit).toContain(`/lexicon/tickets/${id}`);
    expect(await (await agent.fetch('/lexicon/search?q=secretnoteword', { htmx: true })).text()).toContain(`id="t-${id}"`);
    expect(await (await requester.fetch('/lexicon/search?q=secretnoteword')).text()).not.toContain(`/lexicon/tickets/${id}`);
    // Terms may match in different places of the ticket (subject + one comment).
    expect(await (await agent.fetch('/lexicon/search?q=thread+zanzibarquux', { htmx: true })).text()).toContain(`id="t-${id}"`);
  });

  it('no search row grows with the thread: one FTS row per comment, none longer than a comment', async () => {
    const row = await env.DB.prepare('SELECT count(*) AS n, max(length(body)) AS longest FROM lexicon_comment_search WHERE ticket_id = ?')
      .bind(id)
      .first<{ n: number; longest: number }>();
    expect(row!.n).toBeGreaterThanOrEqual(N);
    expect(row!.longest).toBeLessThan(300);
    const ticketRow = await env.DB.prepare('SELECT length(subject) + length(body) AS size FROM lexicon_search WHERE rowid = ?')
      .bind(id)
      .first<{ size: number }>();
    expect(ticketRow!.size).toBeLessThan(100);
  });
});
