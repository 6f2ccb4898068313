/**
 * CodeBin against hostile input: CPU and size blow-ups, background highlighting on
 * the Queue, HEAD requests and view limits, secrets in log lines, rate limits on
 * every route that highlights.
 */
import { createMessageBatch, getQueueResult, createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INLINE_HIGHLIGHT_BUDGET, highlightCost, MAX_CONTENT_BYTES } from '../../workers/codebin/content';
import { HIGHLIGHT_JOB_MAX_COST, highlightJob, runHighlightJob } from '../../workers/codebin/jobs';
import worker from '../../workers/index';
import { INVOCATION_BUDGET, runQueue } from '../../workers/queue';
import { Client } from '../support/client';
import { apiPaste, pathOf, rawPaste, usage } from '../support/codebin';
import { captureLogs, logged } from '../support/logs';

/** ~100 KB of ordinary TypeScript: over the request's budget, within the consumer's. */
const BIG_TS = `${Array.from({ length: 2_500 }, (_, i) => `export const value${i}: number = ${i} * 2; // n${i}`).join('\n')}\n`;

const NO_CAP = Number.MAX_SAFE_INTEGER;

async function row(slug: string) {
  return env.DB.prepare('SELECT highlighted, highlight_queued, length(html_gz) AS html, length(content) AS content FROM pastes WHERE slug = ?')
    .bind(slug)
    .first<{ highlighted: number; highlight_queued: number; html: number; content: number }>();
}

// Only the test named "the real queue delivers" lets messages reach the real
// queue, and it waits until they are consumed. Elsewhere `send` is recorded, not
// delivered: a message still in flight when the file ends can stall the workers
// pool mid-run (cloudflare/workers-sdk#15498), which once cost a CI run its 90 min.
let send: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  send = vi.spyOn(env.JOBS, 'send').mockResolvedValue(undefined as never);
});
afterEach(() => {
  send.mockRestore();
});

describe('highlighting within a CPU budget', () => {
  it('a paste over the request budget is stored plain, queued, and shown with a note', async () => {
    expect(highlightCost(BIG_TS)).toBeGreaterThan(INLINE_HIGHLIGHT_BUDGET);
    const highlight = await import('../../workers/codebin/highlight');
    const spy = vi.spyOn(highlight, 'highlightTokens');
    const p = await apiPaste({ content: BIG_TS, language: 'typescript' });
    expect(spy).not.toHaveBeenCalled(); // Shiki never ran on the request
    expect(send).toHaveBeenCalledWith({ kind: 'codebin.highlight', slug: p.slug, language: 'typescript' });
    spy.mockRestore();
    expect(await row(p.slug)).toMatchObject({ highlighted: 0, highlight_queued: 1, html: 0 });
    const view = await (await new Client().fetch(`/codebin/${p.slug}`)).text();
    expect(view).toContain('highlighting in the background');
    expect(view).toContain('id="L2500"');
    expect(view).not.toMatch(/class="l-[0-9a-f]/);
  });

  it('the consumer highlights it, and a repeated or stale message changes nothing', async () => {
    const p = await apiPaste({ content: BIG_TS, language: 'typescript' });
    const job = highlightJob(p.slug, 'typescript');
    const done = await runHighlightJob(env.DB, job, Date.now(), NO_CAP);
    expect(done.outcome).toBe('highlighted');
    expect(done.cost).toBeGreaterThan(INLINE_HIGHLIGHT_BUDGET);
    expect(await row(p.slug)).toMatchObject({ highlighted: 1, highlight_queued: 0 });
    expect(await runHighlightJob(env.DB, job, Date.now(), NO_CAP)).toEqual({ outcome: 'stale', cost: 0 }); // at-least-once: a second delivery is a no-op
    const view = await (await new Client().fetch(`/codebin/${p.slug}`)).text();
    expect(view).toMatch(/class="l-[0-9a-f]{6} d-[0-9a-f]{6}"/);
    expect(view).not.toContain('highlighting in the background');
    // A message for a language the paste no longer has, or for a deleted paste, is stale.
    expect((await runHighlightJob(env.DB, highlightJob(p.slug, 'python'), Date.now(), NO_CAP)).outcome).toBe('stale');
    expect((await runHighlightJob(env.DB, highlightJob('NoSuchPaste1234', 'typescript'), Date.now(), NO_CAP)).outcome).toBe('stale');
  });

  it('at CodeBin’s cap the consumer leaves the paste plain and stops waiting, without growing usage', async () => {
    const p = await apiPaste({ content: BIG_TS, language: 'typescript' });
    const before = await usage();
    const outcome = await runHighlightJob(env.DB, highlightJob(p.slug, 'typescript'), Date.now(), before + 1000);
    expect(outcome.outcome).toBe('full');
    expect(await row(p.slug)).toMatchObject({ highlighted: 0, highlight_queued: 0, html: 0 });
    expect(await usage()).toBe(before);
  });

  it('one queue invocation starts no job that could take it past its CPU budget: the rest are re-sent, not retried', async () => {
    const pastes = await Promise.all(Array.from({ length: 4 }, () => apiPaste({ content: BIG_TS, language: 'typescript' })));
    const batch = createMessageBatch<unknown>(
      'sixfold-jobs',
      pastes.map((p, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: highlightJob(p.slug, 'typescript') })),
    );
    send.mockClear();
    const ctx = createExecutionContext();
    // A budget with room for one worst-case job after one real one: the first job
    // always runs, the second fits (cost + max <= budget), the third would not.
    const perJob = Math.ceil(highlightCost(BIG_TS));
    await runQueue(batch, env, HIGHLIGHT_JOB_MAX_COST + perJob);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([]); // deferring spends none of a message's retries
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1', 'm2', 'm3']);
    const rows = await Promise.all(pastes.map((p) => row(p.slug)));
    expect(rows.map((r) => r?.highlighted)).toEqual([1, 1, 0, 0]);
    expect(send.mock.calls).toEqual([[highlightJob(pastes[2]!.slug, 'typescript')], [highlightJob(pastes[3]!.slug, 'typescript')]]);
    expect(INVOCATION_BUDGET).toBeLessThanOrEqual(30_000 - HIGHLIGHT_JOB_MAX_COST); // and the real budget leaves headroom under 30 s
  });

  it('the Worker’s queue() acks good and malformed messages alike, one by one', async () => {
    const p = await apiPaste({ content: BIG_TS, language: 'typescript' });
    const batch = createMessageBatch<unknown>('sixfold-jobs', [
      { id: 'a', timestamp: new Date(), attempts: 1, body: highlightJob(p.slug, 'typescript') },
      { id: 'b', timestamp: new Date(), attempts: 1, body: { kind: 'codebin.highlight', slug: '<script>', language: 'typescript', extra: 1 } },
      { id: 'c', timestamp: new Date(), attempts: 1, body: 'not a job' },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['a', 'b', 'c']);
    expect(result.retryMessages).toEqual([]);
    expect(await row(p.slug)).toMatchObject({ highlighted: 1, highlight_queued: 0 });
  });

  it('the real queue delivers: a queued paste becomes highlighted without anyone calling the consumer', async () => {
    send.mockRestore();
    const p = await apiPaste({ content: BIG_TS, language: 'typescript' });
    let state = await row(p.slug);
    for (let i = 0; i < 100 && state?.highlight_queued === 1; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = await row(p.slug);
    }
    expect(state).toMatchObject({ highlighted: 1, highlight_queued: 0 });
  });

  it('changing the language of a big paste queues it as well (and is rate limited like creating)', async () => {
    const p = await apiPaste({ content: BIG_TS, language: 'plaintext' });
    expect(await row(p.slug)).toMatchObject({ highlighted: 0, highlight_queued: 0 });
    const browser = new Client();
    await browser.fetch(pathOf(p.manageUrl));
    const res = await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: 'typescript', token: p.deleteToken } });
    expect(res.status).toBe(303);
    expect((await row(p.slug))?.highlight_queued).toBe(1);
    expect(send).toHaveBeenCalledWith({ kind: 'codebin.highlight', slug: p.slug, language: 'typescript' });
    // The same language again is a no-op: no second job, the queued state untouched.
    expect((await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: 'typescript', token: p.deleteToken } })).status).toBe(303);
    expect(send).toHaveBeenCalledTimes(1);
    // RL_PASTE allows 30 a minute in fixed windows. 61 tries fit in under a minute, so
    // they span at most two windows and one of them must see more than 30: a 429 is
    // certain even when the loop straddles a window boundary (it once did, in CI).
    const statuses: number[] = [];
    for (let i = 0; i < 61 && statuses.at(-1) !== 429; i++) {
      statuses.push((await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: i % 2 ? 'plaintext' : 'rust', token: p.deleteToken } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('size blow-ups: 1 MiB of the worst shapes', () => {
  const MiB = MAX_CONTENT_BYTES;
  const shapes: Array<[string, string]> = [
    ['newlines (one visible character)', `x${'\n'.repeat(MiB - 1)}`],
    ['one line', 'a'.repeat(MiB)],
    ['<', '<'.repeat(MiB)],
    ['"', '"'.repeat(MiB)],
    ['emoji', '😀'.repeat(MiB / 4)],
    ['short lines', 'a\n'.repeat(MiB / 2)],
  ];
  for (const [label, content] of shapes) {
    it(`${label}: created, stored within a D1 row, viewed, raw byte-exact`, async () => {
      const res = await rawPaste(content, '?lang=typescript');
      expect(res.status).toBe(201);
      const slug = (await res.text()).trim().split('/').pop()!;
      const stored = (await row(slug))!;
      expect(stored.html + stored.content).toBeLessThan(2_000_000);
      const view = await new Client().fetch(`/codebin/${slug}`);
      expect(view.status).toBe(200);
      const html = await view.text();
      expect(html.length).toBeLessThan(8 * MiB);
      const raw = await new Client().fetch(`/codebin/${slug}/raw`);
      expect(await raw.text()).toBe(content);
    });
  }
});

describe('HEAD never spends a view', () => {
  it('of a max-views paste, on the view and on raw', async () => {
    const p = await apiPaste({ content: 'twice', maxViews: 1 });
    for (let i = 0; i < 3; i++) {
      expect((await new Client().fetch(`/codebin/${p.slug}`, { method: 'HEAD' })).status).toBe(200);
      expect((await new Client().fetch(`/codebin/${p.slug}/raw`, { method: 'HEAD' })).status).toBe(200);
    }
    const read = await new Client().fetch(`/codebin/${p.slug}/raw`);
    expect(await read.text()).toBe('twice');
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe('secrets stay out of log lines', () => {
  it('no log line names a paste’s slug (request lines included), and none its delete token', async () => {
    const logs = captureLogs();
    const burn = await apiPaste({ content: 'secret', burnAfterReading: true });
    const plain = await apiPaste({ content: 'plain' });
    const browser = new Client();
    await browser.visit(`/codebin/${burn.slug}`);
    expect((await browser.fetch(`/codebin/${burn.slug}/reveal`, { form: {} })).status).toBe(200);
    await browser.fetch(`/codebin/${plain.slug}/delete`, { form: { token: plain.deleteToken } });
    const lines = logs.raw();
    const audits = logs.audits('paste.');
    const reveal = logs.lines().find((l) => l.msg === 'request' && l.route === '/codebin/:slug/reveal')!;
    logs.stop();
    expect(audits.map((a) => a.event).sort()).toEqual(['paste.burned', 'paste.created', 'paste.created', 'paste.deleted']);
    for (const slug of [burn.slug, plain.slug])
      expect(
        lines.filter((l) => l.includes(slug)),
        slug,
      ).toEqual([]);
    for (const token of [burn.deleteToken, plain.deleteToken])
      expect(
        lines.filter((l) => l.includes(token)),
        token,
      ).toEqual([]);
    // The keyed hash still correlates one paste's lines: the request line's path
    // names the burned paste by the same ref as its audit lines.
    const refs = audits.map((a) => a.paste);
    expect(new Set(refs).size).toBe(2);
    const burned = audits.find((a) => a.event === 'paste.burned')!;
    expect(reveal.path).toBe(`/codebin/~${String(burned.paste)}/reveal`);
    expect(reveal.htmx).toBe(false);
  });
});

describe('the raw path has the same memory tier as the view', () => {
  it('repeated raw reads are byte-exact and, once cached, touch neither D1 nor the Cache API', async () => {
    const content = 'raw\r\n\tbytes 👍\n';
    const p = await apiPaste({ content, visibility: 'public' });
    const match = vi.spyOn(caches.default, 'match');
    const queries: unknown[] = [];
    for (let i = 0; i < 5; i++) {
      const { res, line } = await logged(() => new Client().fetch(`/codebin/${p.slug}/raw`));
      expect(await res.text()).toBe(content);
      queries.push(line.d1_queries);
    }
    expect(queries[0]).toBe(1);
    // Public bytes: no CSRF cookie (a Set-Cookie would keep shared caches from storing it), no session lookup.
    const bare = await new Client().fetch(`/codebin/${p.slug}/raw`);
    expect(bare.headers.get('set-cookie')).toBeNull();
    expect(bare.headers.get('cache-control')).toBe('public, no-cache');
    expect(queries.slice(2)).toEqual([0, 0, 0]);
    match.mockClear();
    expect(await (await new Client().fetch(`/codebin/${p.slug}/raw`)).text()).toBe(content);
    expect(match).not.toHaveBeenCalled();
    match.mockRestore();
  });
});

describe('hidden characters', () => {
  it('a paste with a bidi override or a zero-width space warns on its view; an emoji paste does not', async () => {
    const trojan = await apiPaste({ content: 'access = "user\u202e \u2066// admin\u2069 \u2066";\n', language: 'javascript' });
    const zw = await apiPaste({ content: 'pass\u200bword\n' });
    const emoji = await apiPaste({ content: '👩‍💻 🏳️‍🌈\n' });
    const view = async (slug: string) => (await new Client().fetch(`/codebin/${slug}`)).text();
    expect(await view(trojan.slug)).toContain('contains bidirectional Unicode control characters');
    expect(await view(zw.slug)).toContain('contains invisible Unicode characters');
    expect(await view(emoji.slug)).not.toContain('id="hidden-chars"');
  });
});
