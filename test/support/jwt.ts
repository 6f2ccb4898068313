/** Tampered access tokens, each of which a verifier must refuse (unit and integration tests). */
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken } from '../../shared/auth/jwt';
import { base64url, hmacBase64url, hmacKey } from '../../shared/crypto';

const enc = (value: object) => base64url(new TextEncoder().encode(JSON.stringify(value)));

export async function tamperedTokens(secret: string, now: number): Promise<Array<[string, string]>> {
  const good = await signAccessToken(secret, { userId: 1, sessionId: 'session-abc' }, now);
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (ch) => ch.charCodeAt(0))));
  return [
    ['alg: none', `${enc({ alg: 'none', typ: 'at+jwt' })}.${payload}.`],
    ['alg: none with the old signature', `${enc({ alg: 'none', typ: 'at+jwt' })}.${payload}.${signature}`],
    ['wrong audience', await resign(secret, { ...claims, aud: 'someone-else' }, header)],
    ['wrong issuer', await resign(secret, { ...claims, iss: 'evil' }, header)],
    ['wrong typ header', await resign(secret, claims, enc({ alg: 'HS256', typ: 'JWT' }))],
    ['expired', await signAccessToken(secret, { userId: 1, sessionId: 'session-abc' }, now - (ACCESS_TOKEN_TTL_SECONDS + 5) * 1000)],
    ['modified payload (sub 1 → 2)', `${header}.${enc({ ...claims, sub: '2' })}.${signature}`],
    ['signed with another secret', await signAccessToken('another-secret-another-secret-0123456789', { userId: 1, sessionId: 'session-abc' }, now)],
    ['garbage', 'not.a.jwt'],
  ];
}

async function resign(secret: string, claims: object, header: string): Promise<string> {
  // Re-sign with the real key so only the claim under test is wrong.
  const body = `${header}.${enc(claims)}`;
  return `${body}.${await hmacBase64url(await hmacKey(secret, 'jwt'), body)}`;
}
