// Cost is the point here: the request log line reports D1 work per request, and a
// signed-in request must stay at one query (the session check).
import { afterEach, expect, it, vi } from 'vitest';
import { Client, signedUp } from '../support/client';

type RequestLine = { msg: string; path: string; d1_queries: number; rows_read: number; rows_written: number; user_id: number | null; request_id: string };

async function logged(client: Client, path: string): Promise<RequestLine> {
  const spy = vi.spyOn(console, 'log');
  const res = await client.fetch(path);
  const lines = spy.mock.calls.map((args) => String(args[0])).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RequestLine);
  spy.mockRestore();
  const line = lines.find((l) => l.msg === 'request' && l.path === path);
  if (!line) throw new Error(`no request line for ${path}`);
  expect(line.request_id).toBe(res.headers.get('x-request-id'));
  return line;
}

afterEach(() => vi.restoreAllMocks());

it('anonymous pages touch no D1 at all', async () => {
  const line = await logged(new Client(), '/');
  expect(line).toMatchObject({ d1_queries: 0, rows_read: 0, rows_written: 0, user_id: null });
});

it('a signed-in request costs one query reading two rows', async () => {
  const user = await signedUp();
  const line = await logged(user, '/api/me');
  expect(line.user_id).toBeGreaterThan(0);
  expect(line.d1_queries).toBe(1);
  expect(line.rows_read).toBeLessThanOrEqual(2);
  expect(line.rows_written).toBe(0);
});

it('the account page reads sessions, tokens and security events with indexed queries, in one batch', async () => {
  const user = await signedUp();
  const line = await logged(user, '/account');
  // session check + one batch: sessions, tokens, security events, this session's sudo window
  expect(line.d1_queries).toBe(2);
  expect((line as RequestLine & { d1_statements: number }).d1_statements).toBe(5);
  expect(line.rows_read).toBeLessThanOrEqual(7);
});
