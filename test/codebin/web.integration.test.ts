import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, signedUp } from '../support/client';
import { apiPaste, pathOf } from '../support/codebin';

async function formClient(): Promise<Client> {
  const c = new Client();
  await c.visit('/codebin');
  return c;
}

describe('the create form', () => {
  it('htmx: 201 fragment with link, raw link, delete link and an inline SVG QR code', async () => {
    const c = await formClient();
    const res = await c.fetch('/codebin', { form: { content: 'print("hi")\n', language: 'auto', expiresIn: '1h', visibility: 'unlisted' }, htmx: true });
    expect(res.status).toBe(201);
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toMatch(/value="https:\/\/sixfold\.test\/codebin\/[1-9A-HJ-NP-Za-km-z]{16}"/);
    expect(html).toMatch(/href="https:\/\/sixfold\.test\/codebin\/\w+\/raw"/);
    expect(html).toMatch(/\/manage#token=[A-Za-z0-9_-]{32}"/);
    expect(html).not.toContain('?token=');
    expect(html).toMatch(/<figure class="qr"[^>]*><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(html).toContain('data-copy="#paste-url"');
  });

  it('without JavaScript: 303 to the manage page, the token only in the fragment', async () => {
    const c = await formClient();
    const res = await c.fetch('/codebin', { form: { content: 'no js\n' } });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/codebin\/\w+\/manage\?created=1#token=[\w-]{32}$/);
    const token = location.split('#token=')[1]!;
    const page = await (await c.fetch(location)).text();
    expect(page).toContain('Paste created');
    expect(page).toContain('<svg');
    expect(page).not.toContain(token);
    // The forms take the token (the page's script fills it in; without JS it is pasted).
    const slug = location.split('/')[2]!;
    expect((await c.fetch(`/codebin/${slug}/delete`, { form: { token } })).status).toBe(200);
  });

  it('undoes the CRLF that browsers add to textarea submissions (the API keeps bytes as sent)', async () => {
    const c = await formClient();
    const res = await c.fetch('/codebin', { form: { content: 'a\r\nb\r\n' }, htmx: true });
    const slug = /codebin\/([1-9A-HJ-NP-Za-km-z]{16})"/.exec(await res.text())![1]!;
    expect(await (await new Client().fetch(`/codebin/${slug}/raw`)).text()).toBe('a\nb\n');
  });

  it('empty or binary content re-renders the form with the message (422)', async () => {
    const c = await formClient();
    for (const [content, message] of [
      ['', 'The paste is empty.'],
      ['a\u0000b', 'binary files are not supported'],
    ] as const) {
      const res = await c.fetch('/codebin', { form: { content, filename: 'keep.txt' }, htmx: true });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('id="paste-form"');
      expect(html).toContain(message);
      expect(html).toContain('value="keep.txt"'); // what the person typed is kept
    }
  });

  it('lists public pastes and never unlisted or burn ones', async () => {
    const pub = await apiPaste({ content: 'public one', visibility: 'public', filename: 'pub.txt' });
    const unl = await apiPaste({ content: 'unlisted one', visibility: 'unlisted', filename: 'unl.txt' });
    const page = await (await new Client().fetch('/codebin')).text();
    expect(page).toContain(`/codebin/${pub.slug}`);
    expect(page).not.toContain(unl.slug);
  });

  it('clone and edit prefills the form, but never from a burn-after-reading paste', async () => {
    const src = await apiPaste({ content: 'SELECT 42;\n', language: 'sql', filename: 'q.sql' });
    const page = await (await new Client().fetch(`/codebin?from=${src.slug}`)).text();
    expect(page).toContain('SELECT 42;');
    expect(page).toMatch(/<option value="sql" selected/);
    const burn = await apiPaste({ content: 'secret burn', burnAfterReading: true });
    const none = await (await new Client().fetch(`/codebin?from=${burn.slug}`)).text();
    expect(none).not.toContain('secret burn');
    expect(await env.DB.prepare('SELECT 1 FROM pastes WHERE slug = ?').bind(burn.slug).first()).not.toBeNull();
  });

  it('is offered only where it can work: not on a burned or view-limited paste', async () => {
    const plain = await apiPaste({ content: 'clone me' });
    expect(await (await new Client().fetch(`/codebin/${plain.slug}`)).text()).toContain('Clone and edit');
    const limited = await apiPaste({ content: 'twice only', maxViews: 2 });
    expect(await (await new Client().fetch(`/codebin/${limited.slug}`)).text()).not.toContain('Clone and edit');
    const burn = await apiPaste({ content: 'once', burnAfterReading: true });
    const reader = new Client();
    await reader.visit(`/codebin/${burn.slug}`);
    const revealed = await (await reader.fetch(`/codebin/${burn.slug}/reveal`, { form: {} })).text();
    expect(revealed).toContain('once');
    expect(revealed).not.toContain('Clone and edit');
  });
});

describe('managing', () => {
  it('the owner manages from a session; others cannot without the token', async () => {
    const owner = await signedUp();
    const res = await owner.fetch('/codebin', { form: { content: 'def f(): pass\n', language: 'python' }, htmx: true });
    const slug = /codebin\/([1-9A-HJ-NP-Za-km-z]{16})"/.exec(await res.text())![1]!;
    const view = await (await owner.fetch(`/codebin/${slug}`)).text();
    expect(view).toContain(`href="/codebin/${slug}/manage"`);
    expect((await owner.fetch(`/codebin/${slug}/manage`)).status).toBe(200);
    expect(await (await owner.fetch(`/codebin/${slug}/manage`)).text()).not.toContain('data-delete-token'); // no token field for the owner
    const stranger = await signedUp();
    // A stranger gets the forms with a token field, and every action needs the token.
    expect(await (await stranger.fetch(`/codebin/${slug}/manage`)).text()).toContain('data-delete-token');
    expect((await stranger.fetch(`/codebin/${slug}/delete`, { form: {} })).status).toBe(403);
    expect((await stranger.fetch(`/codebin/${slug}/delete`, { form: { token: '' } })).status).toBe(403);
    expect((await stranger.fetch(`/codebin/${slug}/language`, { form: { language: 'ruby' } })).status).toBe(403);
    expect((await owner.fetch(`/codebin/${slug}/delete`, { form: {} })).status).toBe(200);
    expect((await owner.fetch(`/codebin/${slug}`)).status).toBe(404);
  });

  it('changing the language re-renders once and replaces the cached view', async () => {
    const p = await apiPaste({ content: 'SELECT 1;\n', language: 'plaintext' });
    const before = await (await new Client().fetch(`/codebin/${p.slug}`)).text();
    expect(before).not.toMatch(/class="l-/);
    const browser = new Client();
    await browser.fetch(pathOf(p.manageUrl));
    const res = await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: 'sql', token: p.deleteToken } });
    expect(res.status).toBe(303);
    const after = await (await new Client().fetch(`/codebin/${p.slug}`)).text();
    expect(after).toMatch(/class="l-[0-9a-f]{6} d-[0-9a-f]{6}">SELECT</);
    expect(after).toContain('>SQL<');
    const bad = await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: 'klingon', token: p.deleteToken }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Unknown language');
  });
});

describe('stylesheet', () => {
  it('defines a class for every colour the highlighter emits', async () => {
    const css = await (await new Client().fetch('/codebin/highlight.css')).text();
    const samples: Array<[string, string]> = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript source with a template literal, highlighted as text.
      ['typescript', 'import { x } from "y";\nexport const f = async (a: number): Promise<string> => `${a}`; // c\n'],
      ['python', '@dataclass\nclass A:\n    def f(self, x: int) -> str:\n        return f"{x!r}"  # c\n'],
      ['rust', 'fn main() { let mut v: Vec<u8> = vec![1]; println!("{}", v.len()); }\n'],
      ['markdown', '# Title\n\n*em* **strong** `code` [link](http://x)\n\n```js\nlet a = 1;\n```\n'],
      ['diff', '--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n'],
      ['html', '<!doctype html><div class="a" onclick="x()"><style>p{color:red}</style><script>let a=1</script></div>\n'],
    ];
    for (const [language, content] of samples) {
      const p = await apiPaste({ content, language });
      const html = await (await new Client().fetch(`/codebin/${p.slug}`)).text();
      const classes = new Set([...html.matchAll(/class="((?:[ld]-[0-9a-f]+ ?)+(?: f[ibus])*)"/g)].flatMap((m) => m[1]!.split(' ')));
      expect(classes.size, language).toBeGreaterThan(2);
      for (const cls of classes) {
        if (/^[ld]-/.test(cls)) expect(css, `${language}: .${cls}`).toContain(`.code .${cls}{`);
      }
    }
  });
});

describe('navigation and phone tables', () => {
  it('signed-in users get a link to My pastes; paste tables label every cell for stacked phone layouts', async () => {
    const user = await signedUp();
    await user.fetch('/codebin', { form: { content: 'listed', visibility: 'public' } });
    const page = await (await user.fetch('/codebin')).text();
    expect(page).toContain('href="/codebin/mine"');
    expect(await (await new Client().fetch('/codebin')).text()).not.toContain('href="/codebin/mine"');
    const mine = await (await user.fetch('/codebin/mine')).text();
    const cells = [...mine.matchAll(/<td( [^>]*)?>/g)].map((m) => m[1] ?? '');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.filter((attrs) => !/data-label="[^"]+"/.test(attrs))).toEqual([]);
  });
});

describe('manage errors sit next to the token field', () => {
  it('the page asks for the token once, for both actions', async () => {
    const p = await apiPaste({ content: 'one field' });
    const html = await (await new Client().fetch(`/codebin/${p.slug}/manage`)).text();
    expect(html.match(/name="token"/g)).toHaveLength(1);
    expect(html).toContain(`formaction="/codebin/${p.slug}/delete"`);
  });

  it('a wrong or missing token re-renders the manage page (403) with the message under the token field', async () => {
    const p = await apiPaste({ content: 'guarded' });
    const browser = new Client();
    await browser.visit(`/codebin/${p.slug}/manage`);
    // The one form sends the language select to delete too.
    const wrong = await browser.fetch(`/codebin/${p.slug}/delete`, { form: { token: 'x'.repeat(32), language: 'sql' } });
    expect(wrong.status).toBe(403);
    const html = await wrong.text();
    expect(html).toMatch(/id="m-token-error" role="alert">That token is wrong for this paste/);
    const missing = await (await browser.fetch(`/codebin/${p.slug}/language`, { form: { language: 'sql' } })).text();
    expect(missing).toMatch(/id="m-token-error" role="alert">Enter the delete token/);
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`)).status).toBe(200); // nothing happened
  });
});
