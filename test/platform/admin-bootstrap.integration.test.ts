// Own file: D1 is isolated per test file, so this one starts with no accounts.
//
// On a public hostname the first account does not become admin by being first:
// whoever found a fresh deployment first would own it. It takes something only the
// operator has: the ADMIN_SETUP_TOKEN secret typed into the sign-up form, or a
// `wrangler d1 execute` command. Locally (localhost, or LOCAL_DEV=true from
// `npm start`) the first account is still the admin in one step.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../../shared/env';
import { Client, PASSWORD, uniqueEmail } from '../support/client';

const PUBLIC = 'https://sixfold.example.com';
const SETUP_TOKEN = 'Qm9vdHN0cmFwLXRva2VuLWZvci10ZXN0cy0xMjM0';

const roleOf = async (email: string) => (await env.DB.prepare('SELECT role FROM users WHERE email = ?').bind(email).first<{ role: string }>())?.role;
const admins = async () => (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").first<{ n: number }>())!.n;

async function signUp(client: Client, form: Record<string, string>) {
  await client.visit('/signup');
  return client.fetch('/signup', { form: { password: PASSWORD, ...form } });
}

describe('a public deployment', () => {
  it('with sign-up closed and no admin yet, a stranger cannot create the first account', async () => {
    const stranger = new Client({ SIGNUP: 'closed' }, { origin: PUBLIC });
    const page = await (await stranger.fetch('/signup')).text();
    expect(page).not.toContain('it becomes the administrator');
    const res = await signUp(stranger, { email: uniqueEmail('early') });
    expect(res.status).toBe(403);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>())!.n).toBe(0);
  });

  it('without ADMIN_SETUP_TOKEN, the first account is a member and the page says how the operator makes an admin', async () => {
    const first = new Client(undefined, { origin: PUBLIC });
    const page = await (await first.fetch('/signup')).text();
    expect(page).not.toContain('it becomes the administrator');
    expect(page).toContain('no administrator yet');
    expect(page).toContain('wrangler d1 execute');
    expect(page).not.toContain('name="setupToken"');
    const email = uniqueEmail('first');
    expect((await signUp(first, { email })).status).toBe(303);
    expect(await roleOf(email)).toBe('member');
    expect((await first.fetch('/admin/users')).status).toBe(403);
  });

  it('with ADMIN_SETUP_TOKEN, only the right token makes the admin, and only while there is none', async () => {
    const operatorEnv = { ADMIN_SETUP_TOKEN: SETUP_TOKEN };
    const page = await (await new Client(operatorEnv, { origin: PUBLIC }).fetch('/signup')).text();
    expect(page).toContain('name="setupToken"');

    const guesser = new Client(operatorEnv, { origin: PUBLIC });
    const wrongEmail = uniqueEmail('guess');
    const wrong = await signUp(guesser, { email: wrongEmail, setupToken: 'not-the-token-at-all-0123456789' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('setup token is not right');
    expect(await roleOf(wrongEmail)).toBeUndefined();

    const operator = new Client(operatorEnv, { origin: PUBLIC });
    const email = uniqueEmail('operator');
    expect((await signUp(operator, { email, setupToken: SETUP_TOKEN })).status).toBe(303);
    expect(await roleOf(email)).toBe('admin');
    expect((await operator.fetch('/admin/users')).status).toBe(200);

    // Once there is an admin the field is gone, and the token makes nobody else admin.
    expect(await (await new Client(operatorEnv, { origin: PUBLIC }).fetch('/signup')).text()).not.toContain('name="setupToken"');
    const late = uniqueEmail('late');
    expect((await signUp(new Client(operatorEnv, { origin: PUBLIC }), { email: late, setupToken: SETUP_TOKEN })).status).toBe(303);
    expect(await roleOf(late)).toBe('member');
    expect(await admins()).toBe(1);
  });

  it('a weak ADMIN_SETUP_TOKEN is a configuration error', async () => {
    const res = await new Client({ ADMIN_SETUP_TOKEN: 'admin' }, { origin: PUBLIC }).fetch('/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('ADMIN_SETUP_TOKEN');
  });
});

describe('what counts as local', () => {
  const cases: Array<[string, boolean]> = [
    ['http://localhost:8787/', true],
    ['http://127.0.0.1:8787/', true],
    ['http://127.8.9.10/', true],
    ['http://[::1]:8787/', true],
    ['http://sixfold.localhost/', true],
    ['https://sixfold.test/', true], // RFC 6761: .test is never delegated, so never a public deployment
    ['https://sixfold.example.com/', false],
    ['https://sixfold.workers.dev/', false],
    ['https://localhost.example.com/', false],
    ['https://127.0.0.1.nip.io/', false],
    ['http://192.168.1.20:8787/', false],
    ['http://10.0.0.1/', false],
  ];
  for (const [url, local] of cases) it(url, () => expect(isLocalHost(new URL(url).hostname)).toBe(local));
});
