import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import { signedUp } from '../support/client';
import { tamperedTokens } from '../support/jwt';

it('answers 401 to every tampered access cookie', async () => {
  const user = await signedUp();
  const ok = user.cookies.get('__Host-sf_at')!;
  user.cookies.delete('__Host-sf_rt'); // no refresh fall-back: the access token alone decides
  expect((await user.fetch('/api/me')).status).toBe(200);
  for (const [label, token] of await tamperedTokens(env.SESSION_SECRET, Date.now())) {
    user.cookies.set('__Host-sf_at', token);
    const res = await user.fetch('/api/me');
    expect(res.status, label).toBe(401);
    expect(res.headers.get('content-type'), label).toContain('application/problem+json');
  }
  user.cookies.set('__Host-sf_at', ok);
  expect((await user.fetch('/api/me')).status).toBe(200);
});
