import { describe, expect, it } from 'vitest';
import { tamperedTokens } from '../support/jwt';
import { signAccessToken, verifyAccessToken } from '../../shared/auth/jwt';

const SECRET = 'unit-test-secret-unit-test-secret-0123456789';
const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
describe('access tokens', () => {
  it('round-trip user and session', async () => {
    const token = await signAccessToken(SECRET, { userId: 42, sessionId: 's1' }, NOW);
    expect(await verifyAccessToken(SECRET, token, NOW + 1000)).toEqual({ userId: 42, sessionId: 's1' });
    expect(JSON.parse(atob(token.split('.')[0]!))).toEqual({ alg: 'HS256', typ: 'at+jwt' });
  });

  it('expire after 15 minutes', async () => {
    const token = await signAccessToken(SECRET, { userId: 42, sessionId: 's1' }, NOW);
    expect(await verifyAccessToken(SECRET, token, NOW + 14 * 60_000)).not.toBeNull();
    expect(await verifyAccessToken(SECRET, token, NOW + 16 * 60_000)).toBeNull();
  });

  it('refuse every tampered variant', async () => {
    const variants = await tamperedTokens(SECRET, NOW);
    expect(variants.length).toBeGreaterThanOrEqual(8);
    for (const [label, token] of variants) {
      expect(await verifyAccessToken(SECRET, token, NOW), label).toBeNull();
    }
  });
});
