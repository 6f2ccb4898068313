import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, createToken, signedUp } from '../support/client';
import { apiPaste, pathOf, rawPaste } from '../support/codebin';
import { MAX_RENDER_LINES } from '../../workers/codebin/content';

const enc = (s: string) => new TextEncoder().encode(s);

async function rawBytes(slug: string): Promise<Uint8Array> {
  const res = await new Client().fetch(`/codebin/${slug}/raw`);
  expect(res.status).toBe(200);
  return new Uint8Array(await res.arrayBuffer());
}

describe('curl uploads', () => {
  it('curl --data-binary @app.py: the URL as one line of text, the delete token in a header', async () => {
    const res = await rawPaste('def main():\n    pass\n', '?filename=app.py');
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).toMatch(/^https:\/\/sixfold\.test\/codebin\/[1-9A-HJ-NP-Za-km-z]{16}\n$/);
    expect(res.headers.get('x-delete-token')).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(res.headers.get('location')).toBe(text.trim());
    const slug = text.trim().split('/').pop()!;
    const row = await env.DB.prepare('SELECT language, filename, delete_token_hash FROM pastes WHERE slug = ?').bind(slug).first<Record<string, string>>();
    expect(row).toMatchObject({ language: 'python', filename: 'app.py' });
    expect(row!.delete_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.delete_token_hash).not.toContain(res.headers.get('x-delete-token')!);
  });

  it('curl -T app.py …/api/pastes/app.py (PUT) names the paste after the file', async () => {
    const res = await new Client().fetch('/codebin/api/pastes/app.rs', { method: 'PUT', body: 'fn main() {}\n', bare: true });
    expect(res.status).toBe(201);
    const slug = (await res.text()).trim().split('/').pop()!;
    const page = await (await new Client().fetch(`/codebin/${slug}`)).text();
    expect(page).toContain('app.rs');
    expect(page).toContain('>Rust<');
  });

  it('curl -T with a control character in the file name is a 422 naming the problem', async () => {
    const res = await new Client().fetch('/codebin/api/pastes/a%0Ab.txt', { method: 'PUT', body: 'x', bare: true });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toContain('control characters');
  });

  it('answers JSON when asked', async () => {
    const res = await new Client().fetch('/codebin/api/pastes', { method: 'POST', body: 'x', headers: { accept: 'application/json' }, bare: true });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ slug: expect.any(String), deleteToken: expect.any(String), language: 'plaintext' });
  });

  const guesses: Array<[string, string, string]> = [
    ['?lang=ruby', 'def x; end', 'ruby'],
    ['?filename=x.go', 'package main', 'go'],
    ['', '#!/usr/bin/env python3\nprint(1)\n', 'python'],
    ['', '<?php echo 1;', 'php'],
    ['', 'plain words only', 'plaintext'],
    ['?lang=py', 'x = 1', 'python'],
  ];
  for (const [query, content, language] of guesses) {
    it(`language: ${query || JSON.stringify(content.slice(0, 20))} → ${language}`, async () => {
      const res = await rawPaste(content, query);
      expect(res.status).toBe(201);
      const slug = (await res.text()).trim().split('/').pop()!;
      const row = await env.DB.prepare('SELECT language FROM pastes WHERE slug = ?').bind(slug).first<{ language: string }>();
      expect(row?.language).toBe(language);
    });
  }
});

describe('JSON API', () => {
  it('POST {content, …} → 201 {slug, url, rawUrl, deleteToken, expiresAt}', async () => {
    const p = await apiPaste({ content: 'const a = 1;\n', language: 'typescript', filename: 'a.ts', expiresIn: '1d', visibility: 'public' });
    expect(p.slug).toHaveLength(8);
    expect(p.url).toBe(`https://sixfold.test/codebin/${p.slug}`);
    expect(p.rawUrl).toBe(`${p.url}/raw`);
    expect(p.deleteToken.length).toBeGreaterThanOrEqual(22); // ≥ 128 bits
    expect(Date.parse(p.expiresAt!) - Date.now()).toBeGreaterThan(23 * 3600_000);
  });

  const bad: Array<[string, unknown, number, RegExp]> = [
    ['unknown language', { content: 'x', language: 'cobol' }, 422, /Unknown language “cobol”\. Use one of: plaintext, typescript/],
    ['unknown field', { content: 'x', isAdmin: true }, 422, /Unknown field “isAdmin”/],
    ['empty content', { content: '' }, 422, /empty/],
    ['NUL byte', { content: 'a\u0000b' }, 422, /binary files are not supported/],
    ['lone surrogate', { content: 'a\ud800b' }, 422, /binary files are not supported/],
    ['bad expiry', { content: 'x', expiresIn: '2w' }, 422, /Expiry must be one of/],
    ['burn and max views', { content: 'x', burnAfterReading: true, maxViews: 3 }, 422, /not both/],
    ['max views out of range', { content: 'x', maxViews: 0 }, 422, /at least 1/],
    ['filename with a newline', { content: 'x', filename: 'a\nb' }, 422, /control characters/],
    ['content not a string', { content: 42 }, 422, /content/],
  ];
  for (const [label, body, status, message] of bad) {
    it(`refuses ${label} with ${status} problem+json, storing nothing`, async () => {
      const before = await env.DB.prepare('SELECT count(*) AS n FROM pastes').first<{ n: number }>();
      const res = await new Client().fetch('/codebin/api/pastes', { json: body, bare: true });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(message);
      const after = await env.DB.prepare('SELECT count(*) AS n FROM pastes').first<{ n: number }>();
      expect(after?.n).toBe(before?.n);
    });
  }

  it('malformed JSON is a 400 that says how to send a paste', async () => {
    const res = await new Client().fetch('/codebin/api/pastes', {
      method: 'POST',
      body: '{"content": ',
      headers: { 'content-type': 'application/json' },
      bare: true,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('curl --data-binary');
  });
});

describe('limits', () => {
  it('1 MiB is accepted; a byte more is 413 before the body is read', async () => {
    const ok = await rawPaste(new Uint8Array(1024 * 1024).fill(0x61));
    expect(ok.status).toBe(201);
    const big = new Uint8Array(1024 * 1024 + 65 * 1024).fill(0x61);
    const res = await new Client().fetch('/codebin/api/pastes', {
      method: 'POST',
      body: big,
      headers: { 'content-length': String(big.byteLength) },
      bare: true,
    });
    expect(res.status).toBe(413);
    const justOver = await rawPaste(new Uint8Array(1024 * 1024 + 1).fill(0x61));
    expect(justOver.status).toBe(413);
    expect(((await justOver.json()) as { detail: string }).detail).toContain('limit is 1 MiB');
  });

  it('binary uploads are refused with a plain message', async () => {
    for (const bytes of [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]), new Uint8Array([0xff, 0xfe, 0x41])]) {
      const res = await rawPaste(bytes);
      expect(res.status).toBe(422);
      expect(((await res.json()) as { detail: string }).detail).toContain('binary files are not supported');
    }
  });

  it('a line over the tokenizing cap is shown escaped and uncoloured; the lines around it are highlighted', async () => {
    const res = await rawPaste(`const a = 1;\nconst x = "${'<b>'.repeat(4000)}";\nconst b = 2;\n`, '?lang=typescript');
    const slug = (await res.text()).trim().split('/').pop()!;
    const html = await (await new Client().fetch(`/codebin/${slug}`)).text();
    expect(html).toMatch(/<span class="line" id="L1">.*class="l-[0-9a-f]{6}/);
    expect(html).toMatch(/<span class="line" id="L2"><a [^>]*><\/a>const x = &quot;(&lt;b&gt;){4000}&quot;;<\/span>/);
    expect(html).toMatch(/<span class="line" id="L3">.*class="l-[0-9a-f]{6}/);
  });

  it(`a paste over ${MAX_RENDER_LINES.toLocaleString('en')} lines is plain text without line numbers`, async () => {
    const res = await rawPaste(`const x = 1;\n`.repeat(MAX_RENDER_LINES + 1), '?lang=typescript');
    const slug = (await res.text()).trim().split('/').pop()!;
    const html = await (await new Client().fetch(`/codebin/${slug}`)).text();
    expect(html).toContain('shown as plain text');
    expect(html).toContain('no line numbers over 20,000 lines');
    expect(html).not.toMatch(/class="l-[0-9a-f]/);
    expect(html).not.toContain('id="L1"');
  });

  it('paste creation is rate limited per client with 429 and Retry-After', async () => {
    const client = new Client();
    const statuses: number[] = [];
    for (let i = 0; i < 62 && statuses.at(-1) !== 429; i++) {
      statuses.push((await client.fetch('/codebin/api/pastes', { method: 'POST', body: `n${i}`, bare: true })).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(30);
  });
});

describe('raw view', () => {
  const tricky: Array<[string, Uint8Array]> = [
    ['CRLF line endings', enc('a\r\nb\r\n')],
    ['mixed endings and a lone CR', enc('a\nb\r\nc\rd')],
    ['tabs and trailing whitespace', enc('\tindent  \n  \t\n')],
    ['no final newline', enc('last line')],
    ['mostly newlines', enc('\n\n\n.\n\n')],
    ['emoji and ZWJ sequences', enc('👩‍💻 🏳️‍🌈 👍🏽\n')],
    ['a BOM', enc('\uFEFFbom first\n')],
    ['combining characters and RTL', enc('e\u0301 \u05e9\u05dc\u05d5\u05dd \u202eevil\n')],
    ['HTML that must stay text', enc('<script>alert(1)</script>\n')],
    ['percent and plus signs (form-encoding traps)', enc('a+b=%20&c\n')],
  ];
  for (const [label, bytes] of tricky) {
    it(`returns the exact bytes: ${label}`, async () => {
      const res = await rawPaste(bytes);
      expect(res.status).toBe(201);
      const slug = (await res.text()).trim().split('/').pop()!;
      expect(await rawBytes(slug)).toEqual(bytes);
    });
  }

  it('JSON uploads round-trip exactly too', async () => {
    const content = 'tab\there\r\ncrlf\n  trailing  \n🎉';
    const p = await apiPaste({ content });
    expect(new TextDecoder().decode(await rawBytes(p.slug))).toBe(content);
  });

  it('is text/plain, nosniff, sandboxed, with an ETag, 304 and HEAD', async () => {
    const p = await apiPaste({ content: '<html><script>alert(1)</script></html>' });
    const res = await new Client().fetch(`/codebin/${p.slug}/raw`);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox/);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await new Client().fetch(`/codebin/${p.slug}/raw`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const head = await new Client().fetch(`/codebin/${p.slug}/raw`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('38');
    expect(await head.text()).toBe('');
    const download = await new Client().fetch(`/codebin/${p.slug}/raw?download=1`);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${p.slug}.txt"; filename*=UTF-8''${p.slug}.txt`);
  });
});

describe('deleting', () => {
  it('needs the paste’s own delete token', async () => {
    const a = await apiPaste({ content: 'a' });
    const b = await apiPaste({ content: 'b' });
    const del = (slug: string, token: string) =>
      new Client().fetch(`/codebin/api/pastes/${slug}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, bare: true });
    expect((await del(a.slug, 'x'.repeat(32))).status).toBe(403);
    expect((await del(a.slug, b.deleteToken)).status).toBe(403);
    expect((await new Client().fetch(`/codebin/api/pastes/${a.slug}`, { method: 'DELETE', bare: true })).status).toBe(403);
    expect((await new Client().fetch(`/codebin/${a.slug}/raw`)).status).toBe(200);
    expect((await del(a.slug, a.deleteToken)).status).toBe(204);
    expect((await new Client().fetch(`/codebin/${a.slug}/raw`)).status).toBe(404);
    expect((await del(a.slug, a.deleteToken)).status).toBe(404);
  });

  it('the delete link opens a manage page that deletes only on POST', async () => {
    const p = await apiPaste({ content: 'bye' });
    const browser = new Client();
    // The token rides in the fragment, which no browser sends to a server.
    expect(p.manageUrl).toBe(`https://sixfold.test/codebin/${p.slug}/manage#token=${p.deleteToken}`);
    const page = await browser.fetch(pathOf(p.manageUrl));
    expect(page.status).toBe(200);
    // An ordinary Referrer-Policy: with `no-referrer`, Chromium sent `Origin: null` on this page's forms and CSRF refused them.
    expect(page.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(await page.text()).toContain('data-delete-token');
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`)).status).toBe(200); // GET deleted nothing
    const wrong = await browser.fetch(`/codebin/${p.slug}/delete`, { form: { token: 'y'.repeat(32) } });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).toContain('token is wrong');
    const res = await browser.fetch(`/codebin/${p.slug}/delete`, { form: { token: p.deleteToken } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Paste deleted');
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(404);
  });
});

describe('accounts', () => {
  it('API tokens with codebin:write own their pastes; without it they are refused', async () => {
    const user = await signedUp();
    const write = await createToken(user, ['codebin:write']);
    const readOnly = await createToken(user, ['account:read']);
    const refused = await new Client().fetch('/codebin/api/pastes', {
      method: 'POST',
      body: 'x',
      headers: { authorization: `Bearer ${readOnly}` },
      bare: true,
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('codebin:write');

    const res = await new Client().fetch('/codebin/api/pastes', {
      json: { content: 'mine', filename: 'mine.txt' },
      headers: { authorization: `Bearer ${write}` },
      bare: true,
    });
    expect(res.status).toBe(201);
    const { slug } = (await res.json()) as { slug: string };
    const mine = await (await user.fetch('/codebin/mine')).text();
    expect(mine).toContain(`/codebin/${slug}`);
    // The owner's token deletes without the delete token.
    const del = await new Client().fetch(`/codebin/api/pastes/${slug}`, { method: 'DELETE', headers: { authorization: `Bearer ${write}` }, bare: true });
    expect(del.status).toBe(204);
  });

  it('My pastes pages by key, newest first', async () => {
    const user = await signedUp();
    for (let i = 0; i < 53; i++) {
      const res = await user.fetch('/codebin/api/pastes', {
        json: { content: `paste ${i}` },
        headers: { 'x-csrf-token': user.csrf, 'cf-connecting-ip': `10.9.${i}.1` },
      });
      expect(res.status).toBe(201);
    }
    const first = await (await user.fetch('/codebin/mine')).text();
    expect((first.match(/<tr><td data-label="Paste">/g) ?? []).length).toBe(50);
    const next = /href="\/codebin\/mine\?before=([^"]+)"/.exec(first)?.[1];
    expect(next).toMatch(/^\d+\.[1-9A-HJ-NP-Za-km-z]{8,32}$/); // the shared cursor: created_at.slug
    const second = await (await user.fetch(`/codebin/mine?before=${next}`)).text();
    expect((second.match(/<tr><td data-label="Paste">/g) ?? []).length).toBe(3);
    expect(second).not.toContain('Older pastes');
    // A cursor this server could not have given out is refused, not guessed at.
    for (const bad of ['1.2.3', 'x.abc', `${next}'`]) expect((await user.fetch(`/codebin/mine?before=${encodeURIComponent(bad)}`)).status, bad).toBe(422);
  });
});
