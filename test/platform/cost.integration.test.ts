// Cost is the point here: the request log line reports D1 work per request, and a
// signed-in request must stay at one query (the session check).
import { afterEach, expect, it, vi } from 'vitest';
import { Client, signedUp } from '../support/client';
import { logged } from '../support/logs';

type RequestLine = {
  msg: string;
  path: string;
  d1_queries: number;
  rows_read: number;
  rows_written: number;
  d1_statements: number;
  user_id: number | null;
  request_id: string;
};

/** The request line `path` logged (the one carrying the response's request id). */
async function requestLine(client: Client, path: string): Promise<RequestLine> {
  const { line } = await logged(() => client.fetch(path));
  expect(line.path).toBe(path);
  return line as unknown as RequestLine;
}

afterEach(() => vi.restoreAllMocks());

it('anonymous pages touch no D1 at all', async () => {
  const line = await requestLine(new Client(), '/');
  expect(line).toMatchObject({ d1_queries: 0, rows_read: 0, rows_written: 0, user_id: null });
});

it('a signed-in request costs one query reading two rows', async () => {
  const user = await signedUp();
  const line = await requestLine(user, '/api/me');
  expect(line.user_id).toBeGreaterThan(0);
  expect(line.d1_queries).toBe(1);
  expect(line.rows_read).toBeLessThanOrEqual(2);
  expect(line.rows_written).toBe(0);
});

it('the account page reads sessions, tokens, security events and two-factor with indexed queries, in one batch', async () => {
  const user = await signedUp();
  const line = await requestLine(user, '/account');
  // session check + one batch: sessions, tokens, security events, this session's sudo window, two-factor state
  expect(line.d1_queries).toBe(2);
  expect(line.d1_statements).toBe(6);
  expect(line.rows_read).toBeLessThanOrEqual(8);
});
