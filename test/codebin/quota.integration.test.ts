/**
 * Anonymous writers cannot fill the D1 database that accounts also need: a daily
 * allowance per address, "never" only with an account, and an operator's cap on
 * CodeBin's total, at which pastes are refused and sign-in keeps working.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { ROW_OVERHEAD } from '../../workers/codebin/repository';
import { Client, PASSWORD, signedIn, signedUp } from '../support/client';
import { usage } from '../support/codebin';

const KB = 1024;

function post(client: Client, content: string, query = '', headers: Record<string, string> = {}) {
  return client.fetch(`/codebin/api/pastes${query}`, { method: 'POST', body: content, headers: { 'content-type': 'text/plain', ...headers }, bare: true });
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

  it('an IPv6 /64 is one address: rotating through it does not renew the allowance', async () => {
    const anon = new Client({ CODEBIN_ANON_DAILY_MB: '1' });
    const chunk = 'v'.repeat(400 * KB);
    const from = (host: string) => ({ 'cf-connecting-ip': `2001:db8:77:1:${host}` });
    expect((await post(anon, chunk, '', from('a:b:c:1'))).status).toBe(201);
    expect((await post(anon, chunk, '', from('ffff:1:2:3'))).status).toBe(201);
    expect((await post(anon, chunk, '', from('0:0:0:99'))).status).toBe(429);
    // The neighbouring /64 is someone else.
    expect((await post(anon, chunk, '', { 'cf-connecting-ip': '2001:db8:77:2::1' })).status).toBe(201);
  });

  it('parallel posts cannot overshoot the allowance (one guarded upsert)', async () => {
    const anon = new Client({ CODEBIN_ANON_DAILY_MB: '1' });
    const statuses = await Promise.all(Array.from({ length: 8 }, () => post(anon, 'z'.repeat(300 * KB)).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });
});

describe('accounts', () => {
  it('have a daily allowance of their own, with a message that fits them', async () => {
    const user = await signedUp({ env: { CODEBIN_USER_DAILY_MB: '1' } });
    const chunk = 'u'.repeat(400 * KB);
    const paste = () => user.fetch('/codebin', { form: { content: chunk, expiresIn: '1d' } });
    expect((await paste()).status).toBe(303);
    expect((await paste()).status).toBe(303);
    const refused = await paste();
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('An account can paste 1 MiB a day');
  });
});

describe("the operator's cap on CodeBin's total", () => {
  it('counts what a paste stores, its highlighted HTML included, and follows a language change', async () => {
    const client = new Client();
    const code = Array.from({ length: 40 }, (_, i) => `const v${i} = { a: [${i}, "s"], b: () => v${i} };`).join('\n');
    const before = await usage();
    const res = await client.fetch('/codebin/api/pastes', { json: { content: code, language: 'javascript' }, bare: true });
    const { slug, deleteToken } = (await res.json()) as { slug: string; deleteToken: string };
    const html = (await env.DB.prepare('SELECT length(html_gz) AS n FROM pastes WHERE slug = ?').bind(slug).first<{ n: number }>())!.n;
    expect(html).toBeGreaterThan(0);
    expect(await usage()).toBe(before + code.length + html + ROW_OVERHEAD);
    const browser = new Client();
    await browser.visit(`/codebin/${slug}/manage`);
    expect((await browser.fetch(`/codebin/${slug}/language`, { form: { language: 'plaintext', token: deleteToken } })).status).toBe(303);
    expect(await usage()).toBe(before + code.length + ROW_OVERHEAD);
  });

  it('charges a paste’s file name and row too: a one-byte paste with a long name is not free', async () => {
    const client = new Client();
    const filename = '漢'.repeat(255); // 765 bytes of UTF-8
    const before = await usage();
    const res = await client.fetch('/codebin/api/pastes', { json: { content: 'x', filename }, bare: true });
    expect(res.status).toBe(201);
    expect(await usage()).toBe(before + 1 + 765 + ROW_OVERHEAD);
    const { slug, deleteToken } = (await res.json()) as { slug: string; deleteToken: string };
    await client.fetch(`/codebin/api/pastes/${slug}`, { method: 'DELETE', headers: { authorization: `Bearer ${deleteToken}` }, bare: true });
    expect(await usage()).toBe(before);
  });

  it('a language change that would pass the cap is refused with 507 and changes nothing', async () => {
    const code = Array.from({ length: 400 }, (_, i) => `let x${i} = [${i}, "${i}", x${i}];`).join('\n');
    const anon = new Client();
    const res = await anon.fetch('/codebin/api/pastes', { json: { content: code, language: 'plaintext' }, bare: true });
    const { slug, deleteToken } = (await res.json()) as { slug: string; deleteToken: string };
    const tight = new Client({ CODEBIN_MAX_TOTAL_MB: String(Math.ceil((await usage()) / (1024 * 1024))) });
    // Top up to within a few bytes of the cap so that no highlighting fits.
    const room = Math.ceil((await usage()) / (1024 * 1024)) * 1024 * 1024 - (await usage());
    if (room > 100)
      await env.DB.prepare('UPDATE codebin_usage SET bytes = bytes + ? WHERE id = 1')
        .bind(room - 100)
        .run();
    const before = await usage();
    await tight.visit(`/codebin/${slug}/manage`);
    const refused = await tight.fetch(`/codebin/${slug}/language`, { form: { language: 'javascript', token: deleteToken } });
    expect(refused.status).toBe(507);
    expect(await refused.text()).toContain('keeps its current language');
    expect(await usage()).toBe(before);
    expect(await env.DB.prepare('SELECT language, html_gz FROM pastes WHERE slug = ?').bind(slug).first()).toMatchObject({
      language: 'plaintext',
      html_gz: '',
    });
    if (room > 100)
      await env.DB.prepare('UPDATE codebin_usage SET bytes = bytes - ? WHERE id = 1')
        .bind(room - 100)
        .run();
  });

  it('parallel posts cannot overshoot the cap together (the insert itself is guarded)', async () => {
    const capMiB = Math.ceil((await usage()) / (1024 * 1024)) + 1;
    const room = capMiB * 1024 * 1024 - (await usage());
    const size = 300 * KB;
    const fits = Math.floor(room / (size + ROW_OVERHEAD));
    const full = new Client({ CODEBIN_MAX_TOTAL_MB: String(capMiB), CODEBIN_ANON_DAILY_MB: '64' });
    const statuses = await Promise.all(Array.from({ length: fits + 4 }, (_, i) => post(full, String(i % 10).repeat(size)).then((r) => r.status)));
    expect(statuses.filter((s) => s === 201)).toHaveLength(fits);
    expect(statuses.filter((s) => s === 507)).toHaveLength(4);
    expect(await usage()).toBeLessThanOrEqual(capMiB * 1024 * 1024);
  });

  it('usage follows inserts and deletes (triggers)', async () => {
    const before = await usage();
    const client = new Client();
    const res = await client.fetch('/codebin/api/pastes', { json: { content: 'abcdef' }, bare: true });
    const { slug, deleteToken } = (await res.json()) as { slug: string; deleteToken: string };
    expect(await usage()).toBe(before + 6 + ROW_OVERHEAD);
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
    const errors = vi.spyOn(console, 'error');
    const warnings = vi.spyOn(console, 'warn');
    const refused = await post(full, big);
    expect(refused.status).toBe(507);
    // A refusal anyone can trigger is a warning without a stack, not an error line per request.
    expect(errors.mock.calls.filter((a) => String(a[0]).includes('CodeBin is full'))).toEqual([]);
    expect(
      warnings.mock.calls.map((a) => String(a[0])).filter((l) => l.includes('"msg":"refused"') && l.includes('"status":507') && !l.includes('stack')),
    ).toHaveLength(1);
    errors.mockRestore();
    warnings.mockRestore();
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await refused.text()).toContain('CodeBin is full');
    expect(await usage()).toBe(before);
    const again = await signedIn(user.email, PASSWORD);
    expect((await again.fetch('/account')).status).toBe(200);
  });
});
