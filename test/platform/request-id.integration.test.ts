// The request id in logs and audit rows is ours: a client cannot choose it (to
// collide with, forge or inject into someone else's trail). A client's own
// X-Request-Id is kept, sanitised and capped, as `client_request_id` in the
// request's log line only, for correlating with the client's logs.
import { env } from 'cloudflare:workers';
import { afterEach, expect, it, vi } from 'vitest';
import { Client, createToken, PASSWORD, signedUp, uniqueEmail } from '../support/client';
import { logged } from '../support/logs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => vi.restoreAllMocks());

it('ignores the client’s X-Request-Id for our own id, and keeps it apart', async () => {
  const client = new Client();
  await client.visit('/signup');
  const email = uniqueEmail();
  const { res, lines } = await logged(() =>
    client.fetch('/signup', { form: { email, password: PASSWORD }, headers: { 'x-request-id': 'chosen-by-client-0001' } }),
  );
  expect(res.status).toBe(303);
  const ours = res.headers.get('x-request-id')!;
  expect(ours).toMatch(UUID);
  const request = lines.find((l) => l.msg === 'request' && l.path === '/signup');
  expect(request).toMatchObject({ request_id: ours, client_request_id: 'chosen-by-client-0001' });
  const audits = lines.filter((l) => l.msg === 'audit');
  expect(audits.map((a) => a.event)).toEqual(expect.arrayContaining(['user.created', 'session.created']));
  for (const a of audits) {
    expect(a.request_id).toBe(ours);
    expect(a).not.toHaveProperty('client_request_id');
  }
});

it('every request gets a fresh id, even when a client repeats a well-formed UUID', async () => {
  const fixed = '11111111-1111-4111-8111-111111111111';
  const ids = new Set<string>();
  for (let i = 0; i < 3; i++) {
    const res = await new Client().fetch('/', { headers: { 'x-request-id': fixed } });
    ids.add(res.headers.get('x-request-id')!);
  }
  expect(ids.size).toBe(3);
  expect(ids.has(fixed)).toBe(false);
});

it('sanitises and caps what it keeps of the client’s id', async () => {
  const cases: Array<[string, string | undefined]> = [
    ['abc-DEF_123.45:6', 'abc-DEF_123.45:6'],
    ['"},"level":"error","x":"', 'level:errorx:'],
    ['<script>alert(1)</script>', 'scriptalert1script'],
    ['x'.repeat(5000), 'x'.repeat(64)],
    ['\t \t', undefined],
  ];
  for (const [sent, kept] of cases) {
    const { line } = await logged(() => new Client().fetch('/healthz', { headers: { 'x-request-id': sent } }));
    expect(line.client_request_id, sent.slice(0, 40)).toBe(kept);
  }
});

it('the Lexicon audit table records our id, not the client’s', async () => {
  const user = await signedUp();
  const token = await createToken(user, ['lexicon']);
  const res = await new Client().fetch('/lexicon/api/tickets', {
    json: { subject: 'Request id check', body: 'Which id is recorded?' },
    headers: { authorization: `Bearer ${token}`, 'x-request-id': 'forged-audit-id' },
    bare: true,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  const rows = await env.DB.prepare('SELECT request_id FROM lexicon_audit WHERE request_id IS NOT NULL').all<{ request_id: string }>();
  const recorded = rows.results.map((r) => r.request_id);
  expect(recorded).toContain(res.headers.get('x-request-id'));
  expect(recorded).not.toContain('forged-audit-id');
});
