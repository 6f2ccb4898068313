// Own file: D1 is isolated per test file, so this one starts with no accounts.
import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { Client, PASSWORD, uniqueEmail } from '../support/client';

const closed = { SIGNUP: 'closed' } as const;

it('with SIGNUP=closed the first account is still created (as admin), and no other', async () => {
  const first = new Client(closed);
  const form = await first.fetch('/signup');
  expect(await form.text()).toContain('it becomes the administrator');
  const res = await first.fetch('/signup', { form: { email: uniqueEmail('owner'), password: PASSWORD } });
  expect(res.status).toBe(303);
  expect(await (await first.fetch('/api/me')).json()).toMatchObject({ role: 'admin' });

  const second = new Client(closed);
  const page = await second.fetch('/signup');
  expect(await page.text()).toContain('Sign-up is closed');
  const refused = await second.fetch('/signup', { form: { email: uniqueEmail('late'), password: PASSWORD } });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('Sign-up is closed on this Sixfold');
  const n = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
  expect(n?.n).toBe(1);

  // Opening sign-up again lets the same person in.
  const open = new Client({ SIGNUP: 'open' });
  await open.visit('/signup');
  expect((await open.fetch('/signup', { form: { email: uniqueEmail('late'), password: PASSWORD } })).status).toBe(303);
});

it('an invalid SIGNUP value is a configuration error that says what to fix', async () => {
  const res = await new Client({ SIGNUP: 'sometimes' }).fetch('/');
  expect(res.status).toBe(503);
  expect(await res.text()).toContain('SIGNUP must be &quot;open&quot; or &quot;closed&quot;');
});

it('sign-ups are rate limited per address', async () => {
  const client = new Client();
  await client.visit('/signup');
  const statuses: number[] = [];
  // RL_SIGNUP allows 5 per 60 s window; 12 tries cover one window boundary.
  for (let i = 0; i < 12 && statuses.at(-1) !== 429; i++) {
    statuses.push((await client.fetch('/signup', { form: { email: 'not-an-email', password: 'x' } })).status);
  }
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.filter((s) => s === 422).length).toBeGreaterThanOrEqual(5);
});
