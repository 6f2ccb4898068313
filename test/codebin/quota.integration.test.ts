/**
 * Anonymous writers cannot fill the D1 database that accounts also need: a daily
 * allowance per address, "never" only with an account, and an operator's cap on
 * CodeBin's total, at which pastes are refused and sign-in keeps working.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signedIn, signedUp } from '../support/client';

const KB = 1024;
const usage = async () => (await env.DB.prepare('SELECT bytes FROM codebin_usage WHERE id = 1').first<{ bytes: number }>())!.bytes;

function post(client: Client, content: string, query = '') {
  return client.fetch(`/codebin/api/pastes${query}`, { method: 'POST', body: content, headers: { 'content-type': 'text/plain' }, bare: true });
}

describe('anonymous pastes', () => {
  it('"never" needs an account (API and form)', async () => {
    const anon = new Client();
    const res = await post(anon, 'forever', '?expiresIn=never');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('never expire need an account');
    const form = await anon.fetch('/codebin');
    expect(await form.text()).not.toContain('value="never"');
    const user = await signedUp();
    expect(await (await user.fetch('/codebin')).text()).toContain('value="never"');
    expect((await user.fetch('/codebin', { form: { content: 'mine forever', expiresIn: 'never' } })).status).toBe(303);
  });

  it('one address gets a daily allowance; signed-in users from it are not limited by it', async () => {
    const anon = new Client({ CODEBIN_ANON_DAILY_MB: '1' });
    const chunk = 'x'.repeat(400 * KB);
    expect((await post(anon, chunk)).status).toBe(201);
    expect((await post(anon, chunk)).status).toBe(201);
    const refused = await post(anon, chunk);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
    expect(await refused.text()).toContain('Sign in to paste more');
    // A small paste still fits what is left of the day.
    expect((await post(anon, 'y'.repeat(100 * KB))).status).toBe(201);
  });

  it('parallel posts cannot overshoot the allowance (one guarded upsert)', async () => {
    const anon = new Client({ CODEBIN_ANON_DAILY_MB: '1' });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => post(anon, 'z'.repeat(300 * KB)).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe("the operator's cap on CodeBin's total", () => {
  it('usage follows inserts and deletes (triggers)', async () => {
    const before = await usage();
    const client = new Client();
    const res = await client.fetch('/codebin/api/pastes', { json: { content: 'abcdef' }, bare: true });
    const { slug, deleteToken } = (await res.json()) as { slug: string; deleteToken: string };
    expect(await usage()).toBe(before + 6);
    await client.fetch(`/codebin/api/pastes/${slug}`, { method: 'DELETE', headers: { authorization: `Bearer ${deleteToken}` }, bare: true });
    expect(await usage()).toBe(before);
  });

  it('at the cap a paste is refused with a clear 507, nothing is stored, and signing in still works', async () => {
    const user = await signedUp();
    const capped = Math.ceil((await usage()) / (1024 * 1024)) + 1; // room for about one more MiB
    const full = new Client({ CODEBIN_MAX_TOTAL_MB: String(capped) });
    const big = 'q'.repeat(700 * KB);
    const first = await post(full, big);
    expect(first.status).toBe(201);
    const before = await usage();
    const refused = await post(full, big);
    expect(refused.status).toBe(507);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.text()).toContain('CodeBin is full');
    expect(await usage()).toBe(before);
    const again = await signedIn(user.email, PASSWORD);
    expect((await again.fetch('/account')).status).toBe(200);
  });
});
