// Standard Webhooks signing (https://www.standardwebhooks.com): the specification's own
// example, and the receiver's check done the way its libraries do it.
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook } from '../../workers/oracle/channels';

describe('webhook signatures', () => {
  it('match the Standard Webhooks example', async () => {
    const signature = await signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('a new secret is whsec_ and 24 random bytes, and a receiver verifies with it (any change breaks it)', async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(newWebhookSecret()).not.toBe(secret);
    const body = JSON.stringify({ type: 'oracle.test', data: { test: true } });
    const signature = await signWebhook(secret, 'test:abc', 1_700_000_000, body);
    // The receiver's side: HMAC-SHA256 over "id.timestamp.body" with the base64-decoded secret.
    const key = await crypto.subtle.importKey(
      'raw',
      Uint8Array.from(atob(secret.slice(6)), (c) => c.charCodeAt(0)),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    const mac = Uint8Array.from(atob(signature.slice(3)), (c) => c.charCodeAt(0));
    const verify = (id: string, ts: number, b: string) => crypto.subtle.verify('HMAC', key, mac, new TextEncoder().encode(`${id}.${ts}.${b}`));
    expect(await verify('test:abc', 1_700_000_000, body)).toBe(true);
    expect(await verify('test:abd', 1_700_000_000, body)).toBe(false);
    expect(await verify('test:abc', 1_700_000_001, body)).toBe(false);
    expect(await verify('test:abc', 1_700_000_000, `${body} `)).toBe(false);
  });
});
