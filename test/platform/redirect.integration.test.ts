// Open redirect after sign-in: `next` must bring a person back to a page of this
// site, whatever tricks the value plays on the browser's URL parser. The browser
// strips tabs and newlines and reads `\` as `/`, so "/\t/evil.example" in a
// Location header lands on evil.example: the check must be the one the browser
// makes, `new URL(location, ourOrigin).origin === ourOrigin`.
import { describe, expect, it } from 'vitest';
import { Client, ORIGIN, PASSWORD, signedUp } from '../support/client';

const HOSTILE: Array<[string, string]> = [
  ['/\t/evil.example', 'a tab between the slashes (/%09/)'],
  ['/\n/evil.example', 'a newline between the slashes (/%0a/)'],
  ['/\r\n/evil.example', 'CR LF between the slashes'],
  ['/\n/x', 'a newline, short'],
  ['\t//evil.example', 'a leading tab'],
  ['//evil.example', 'protocol-relative'],
  ['///evil.example', 'three slashes'],
  ['/\\evil.example', 'slash backslash'],
  ['\\\\evil.example', 'two backslashes'],
  ['\\/evil.example', 'backslash slash'],
  ['/\\/evil.example', 'slash backslash slash'],
  ['/.//evil.example', 'a dot segment that leaves // behind'],
  ['/..//evil.example', 'a double-dot segment that leaves // behind'],
  ['/./\\evil.example', 'a dot segment then a backslash'],
  ['/%2e//evil.example', 'an encoded dot segment'],
  ['https://evil.example/', 'an absolute URL'],
  ['HTTPS://EVIL.EXAMPLE/', 'an absolute URL in capitals'],
  ['http:evil.example', 'another scheme without slashes'],
  ['https:/\\evil.example', 'scheme, slash, backslash'],
  ['//evil.example@sixfold.test/', 'credentials trick'],
  ['javascript:alert(1)', 'javascript:'],
  ['JaVaScRiPt:alert(1)', 'javascript: in mixed case'],
  [' javascript:alert(1)', 'javascript: after a space'],
  ['java\tscript:alert(1)', 'javascript: with a tab inside'],
  ['data:text/html,<script>alert(1)</script>', 'data:'],
  ['/\u0000//evil.example', 'a NUL byte'],
  ['/\u3002/evil.example', 'an ideographic full stop'],
  [`/${'a'.repeat(5000)}`, 'an over-long path'],
  ['x'.repeat(20_000), 'an over-long value'],
];

/** What the browser would do with this Location: stay on our origin, at a path. */
function staysHome(location: string | null, label: string): void {
  expect(location, label).not.toBeNull();
  expect(location!.startsWith('/'), `${label}: ${JSON.stringify(location)}`).toBe(true);
  expect(location, label).not.toMatch(/^[/\\]{2}|[\u0000-\u001f\u007f]/);
  expect(new URL(location!, ORIGIN).origin, `${label}: ${JSON.stringify(location)}`).toBe(ORIGIN);
  expect(location!.length, label).toBeLessThanOrEqual(2048);
}

describe('sign-in never sends anyone to another site', () => {
  it('POST /signin (plain form and htmx) with each hostile next', async () => {
    for (const [next, label] of HOSTILE) {
      // One account per value: sign-in attempts are rate limited per account.
      const user = await signedUp();
      const browser = new Client();
      await browser.visit('/signin');
      const page = await browser.fetch('/signin', { form: { email: user.email, password: PASSWORD, next } });
      expect(page.status, `${label} (page)`).toBe(303);
      staysHome(page.headers.get('location'), `${label} (page)`);

      const htmx = new Client();
      await htmx.visit('/signin');
      const res = await htmx.fetch('/signin', { form: { email: user.email, password: PASSWORD, next }, htmx: true });
      expect(res.status, `${label} (htmx)`).toBe(204);
      staysHome(res.headers.get('hx-redirect'), `${label} (htmx)`);
    }
  }, 20_000); // ~90 PBKDF2 runs (an account and two sign-ins per value): seconds on a busy machine

  it('GET /signin while signed in, with each hostile next in the query', async () => {
    const user = await signedUp();
    for (const [next, label] of HOSTILE) {
      const res = await user.fetch(`/signin?next=${encodeURIComponent(next)}`);
      expect(res.status, label).toBe(303);
      staysHome(res.headers.get('location'), label);
    }
    // The exact query strings from the report.
    for (const query of ['next=/%09/evil.example', 'next=/%0a/x', 'next=/%0d%0a/evil.example', 'next=%2F%5Cevil.example']) {
      const res = await user.fetch(`/signin?${query}`);
      expect(res.status, query).toBe(303);
      staysHome(res.headers.get('location'), query);
    }
  });

  it('a hostile next on the sign-in page is not carried into the form', async () => {
    const res = await new Client().fetch(`/signin?next=${encodeURIComponent('/\t/evil.example')}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('evil.example');
  });

  it('sign-up honours only local next values too', async () => {
    for (const [next, label] of HOSTILE.slice(0, 12)) {
      const browser = new Client();
      await browser.visit('/signup');
      const res = await browser.fetch('/signup', { form: { email: `r${crypto.randomUUID().slice(0, 8)}@example.com`, password: PASSWORD, next }, htmx: true });
      // Sign-ups are rate limited per address; each Client has its own.
      expect(res.status, label).toBe(204);
      staysHome(res.headers.get('hx-redirect'), label);
    }
  });

  it('keeps local paths, with their query and fragment, normalised', async () => {
    const user = await signedUp();
    const cases: Array<[string, string]> = [
      ['/account', '/account'],
      ['/admin/users?after=50', '/admin/users?after=50'],
      ['/codebin/abc#L3', '/codebin/abc#L3'],
      ['/a b', '/a%20b'],
      ['/lexicon?q=é', '/lexicon?q=%C3%A9'],
      // next is always a path (the sign-in redirect writes one); an absolute URL, even ours, goes home.
      [`${ORIGIN}/account`, '/'],
    ];
    for (const [next, expected] of cases) {
      const browser = new Client();
      await browser.visit('/signin');
      const res = await browser.fetch('/signin', { form: { email: user.email, password: PASSWORD, next } });
      expect(res.headers.get('location'), next).toBe(expected);
    }
  });
});
