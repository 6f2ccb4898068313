// CodeBin's stored-XSS corpus against Lexicon's subject, body, comment and tags,
// on every page and fragment they reach: the staff page, pane and list rows, the
// requester's portal and ticket page, search results, and the bulk answer.
import { describe, expect, it } from 'vitest';
import { Linkified } from '../../workers/lexicon/views/common';
import { newComment, newTicket, person, type Person } from '../support/lexicon';
import { scriptVectors, xssPayloads } from '../support/xss';

const payloads = xssPayloads();

/** What the API will store of a payload as a tag: no commas or control characters, ≤ 40 characters. */
const asTag = (p: string) =>
  p
    .replace(/[,\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, 40)
    .trim() || 'x';
const asSubject = (p: string) => p.trim().slice(0, 200) || 'x';
const asComment = (p: string) => (p.trim() ? p : `x${p}`);

async function html(res: Response, label: string): Promise<string> {
  expect(res.status, label).toBeLessThan(400);
  expect(res.headers.get('content-type') ?? '', label).toMatch(/^text\/html/);
  return res.text();
}

describe('stored XSS corpus on Lexicon', () => {
  it(`subject, body, comment and tags stay inert on every page and fragment (${payloads.length} payloads)`, async () => {
    await person('admin'); // the first account of a file is the admin
    const agent: Person = await person('agent');
    const requester: Person = await person('member');
    const problems: string[] = [];
    const ids: number[] = [];
    for (const [i, payload] of payloads.entries()) {
      // Stored through the repository (the routes' rate limits are not what this test is about; the stored text is).
      const ticket = await newTicket(requester, { subject: asSubject(payload), body: payload, tags: [asTag(payload)] });
      ids.push(ticket.id);
      await newComment(requester, ticket.id, asComment(payload));
      await newComment(agent, ticket.id, `see ${payload} https://example.com/?q=${payload}`, true);

      problems.push(...(await scriptVectors(await html(await agent.fetch(`/lexicon/tickets/${ticket.id}`, { htmx: true }), `pane #${i}`), `pane #${i}`)));
      problems.push(...(await scriptVectors(await html(await requester.fetch(`/lexicon/tickets/${ticket.id}`), `portal ticket #${i}`), `portal ticket #${i}`)));
      if (i % 10 === 0) problems.push(...(await scriptVectors(await html(await agent.fetch(`/lexicon/tickets/${ticket.id}`), `page #${i}`), `page #${i}`)));
    }
    // Lists: the staff queue (every page, through "load more"), the portal, search, a bulk answer.
    let next: string | null = '/lexicon?queue=new';
    let rows = 0;
    while (next) {
      const fragment = await html(await agent.fetch(next, { htmx: true }), next);
      problems.push(...(await scriptVectors(fragment, `queue ${next}`)));
      rows += (fragment.match(/<li id="t-/g) ?? []).length;
      next = /hx-get="(\/lexicon\?queue=new&amp;after=[\d.]+)"/.exec(fragment)?.[1]?.replace(/&amp;/g, '&') ?? null;
    }
    expect(rows).toBe(payloads.length);
    problems.push(...(await scriptVectors(await html(await agent.fetch('/lexicon'), 'staff page'), 'staff page')));
    problems.push(...(await scriptVectors(await html(await requester.fetch('/lexicon'), 'portal'), 'portal')));
    for (const q of ['script', 'alert', 'onerror', 'javascript']) {
      problems.push(...(await scriptVectors(await html(await agent.fetch(`/lexicon/search?q=${q}`, { htmx: true }), `search ${q}`), `search ${q}`)));
      problems.push(...(await scriptVectors(await html(await requester.fetch(`/lexicon/search?q=${q}`), `portal search ${q}`), `portal search ${q}`)));
    }
    const bulk = await agent.fetch('/lexicon/bulk', { htmx: true, form: { ids: ids.slice(0, 100).map(String), action: 'assign', assignee: 'me' } });
    problems.push(...(await scriptVectors(await html(bulk, 'bulk'), 'bulk')));
    expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  }, 300_000);
});

describe('links in comments', () => {
  const render = (text: string) => String(Linkified({ text }));

  it('make http(s) URLs clickable, safely, and leave the rest as escaped text', () => {
    expect(render('see https://example.com/a?b=1&c=2.')).toBe(
      'see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc" target="_blank">https://example.com/a?b=1&amp;c=2</a>.',
    );
    expect(render('<b>bold</b> http://x.example')).toContain('&lt;b&gt;bold&lt;/b&gt; <a href="http://x.example/"');
  });

  it('never link other schemes, and never let a URL break out of its attribute', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example',
    ]) {
      expect(render(text), text).not.toContain('<a ');
    }
    const tricky = render('https://example.com/"onmouseover="alert(1) https://example.com/<script> https://example.com/\'x');
    expect(tricky).not.toContain('"onmouseover');
    expect(tricky).not.toContain('<script');
    expect((tricky.match(/<a /g) ?? []).length).toBe(3);
  });
});
