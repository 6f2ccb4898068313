import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, signedUp } from '../support/client';
import { pathOf } from '../support/codebin';
import { scriptVectors, xssPayloads } from '../support/xss';

const payloads = xssPayloads();

async function html(res: Response): Promise<string> {
  expect(res.headers.get('content-type') ?? '').toMatch(/^text\/html/);
  return res.text();
}

describe('stored XSS corpus', () => {
  it(`has at least 200 payloads (${payloads.length})`, () => {
    expect(payloads.length).toBeGreaterThanOrEqual(200);
  });

  it('the checker itself catches what it must (it can fail)', async () => {
    expect(await scriptVectors('<p><script>alert(1)</script></p>', 't')).not.toEqual([]);
    expect(await scriptVectors('<img src=x onerror=alert(1)>', 't')).not.toEqual([]);
    expect(await scriptVectors('<a href=" jav&#x09;ascript:alert(1)">x</a>', 't')).not.toEqual([]);
    expect(await scriptVectors('<div hx-get="/x" hx-trigger="load">', 't')).toEqual([]); // ours-shaped
    expect(await scriptVectors('<div hx-on:click="alert(1)">', 't')).not.toEqual([]);
    expect(await scriptVectors('<p>&lt;script&gt;</p>', 't')).toEqual([]);
  });

  it('in content and filename: every page and fragment stays inert, and /raw round-trips', async () => {
    const owner = await signedUp();
    const problems: string[] = [];
    let checked = 0;
    for (const [i, payload] of payloads.entries()) {
      const creator = new Client();
      await creator.visit('/codebin');
      // The htmx form: its result fragment is the first page the payload reaches.
      const filename = payload.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255) || 'x';
      const created = await creator.fetch('/codebin', {
        form: { content: payload, filename, language: 'auto', expiresIn: '1d', visibility: i % 3 === 0 ? 'public' : 'unlisted' },
        htmx: true,
      });
      if (payload.includes('\u0000')) {
        expect(created.status).toBe(422); // NUL: refused, and the 422 form is checked below
        problems.push(...(await scriptVectors(await html(created), `422 #${i}`)));
        continue;
      }
      expect(created.status, `payload #${i}`).toBe(201);
      const fragment = await html(created);
      problems.push(...(await scriptVectors(fragment, `created #${i}`)));
      const url = /value="(https:\/\/sixfold\.test\/codebin\/[^"/]+)"/.exec(fragment)![1]!;
      const manage = /href="([^"]+\/manage#token=[^"]+)"/.exec(fragment)![1]!;
      const slug = url.split('/').pop()!;

      const viewer = new Client();
      problems.push(...(await scriptVectors(await html(await viewer.fetch(`/codebin/${slug}`)), `view #${i}`)));
      problems.push(...(await scriptVectors(await html(await viewer.fetch(pathOf(manage))), `manage #${i}`)));
      problems.push(...(await scriptVectors(await html(await viewer.fetch(`/codebin?from=${slug}`)), `clone #${i}`)));

      const raw = await viewer.fetch(`/codebin/${slug}/raw`);
      expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(raw.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(await raw.text(), `raw #${i}`).toBe(payload.replace(/\r\n/g, '\n'));
      checked++;
    }
    // Listings that show many payloads at once.
    problems.push(...(await scriptVectors(await html(await new Client().fetch('/codebin')), 'recent list')));
    for (let i = 0; i < 5; i++) {
      await owner.fetch('/codebin/api/pastes', {
        json: { content: payloads[i], filename: payloads[i]!.slice(0, 200).replace(/[\u0000-\u001f]/g, '') },
        headers: { 'x-csrf-token': owner.csrf, 'cf-connecting-ip': `10.77.0.${i}` },
      });
    }
    problems.push(...(await scriptVectors(await html(await owner.fetch('/codebin/mine')), 'my pastes')));
    expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(200);
    const stored = await env.DB.prepare('SELECT count(*) AS n FROM pastes').first<{ n: number }>();
    expect(stored!.n).toBeGreaterThanOrEqual(200);
  }, 180_000);

  it('in the language field: refused with 422, and the error fragment and problem+json stay inert', async () => {
    const problems: string[] = [];
    for (const [i, payload] of payloads.slice(0, 120).entries()) {
      const client = new Client();
      await client.visit('/codebin');
      const res = await client.fetch('/codebin', { form: { content: 'x', language: payload.slice(0, 40) }, htmx: true });
      expect(res.status, `#${i}`).toBe(422);
      problems.push(...(await scriptVectors(await html(res), `language form #${i}`)));
      const api = await new Client().fetch('/codebin/api/pastes', { json: { content: 'x', language: payload.slice(0, 40) }, bare: true });
      expect(api.status).toBe(422);
      expect(api.headers.get('content-type')).toContain('application/problem+json');
      const page = await new Client().fetch(`/codebin/api/pastes?lang=${encodeURIComponent(payload.slice(0, 40))}`, { method: 'POST', body: 'x', bare: true });
      expect(page.status).toBe(422);
    }
    expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  }, 120_000);
});
