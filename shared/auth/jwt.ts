/**
 * Short-lived access tokens for browser sessions: a JWT (jose, HS256) in the
 * `__Host-sf_at` cookie. Everything a verifier could be tricked on is pinned:
 * the algorithm list (so `alg: none` and RS/HS confusion fail), issuer, audience,
 * `typ` header and expiry. The token names the user and the session; the session
 * row is still checked on every request (see middleware.ts), so sign-out,
 * revocation and disabling an account take effect at once, not after 15 minutes.
 */
import { SignJWT, jwtVerify } from 'jose';
import { hmacKey } from '../crypto';

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
const ISSUER = 'sixfold';
const AUDIENCE = 'sixfold:web';
const TYP = 'at+jwt';

export type AccessClaims = { userId: number; sessionId: string };

async function key(secret: string): Promise<CryptoKey> {
  return hmacKey(secret, 'jwt');
}

export async function signAccessToken(secret: string, claims: AccessClaims, nowMs: number): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: 'HS256', typ: TYP })
    .setSubject(String(claims.userId))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TOKEN_TTL_SECONDS)
    .sign(await key(secret));
}

/** The claims of a valid token, or null for anything else (tampered, expired, wrong audience…). */
export async function verifyAccessToken(secret: string, token: string, nowMs: number): Promise<AccessClaims | null> {
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      typ: TYP,
      currentDate: new Date(nowMs),
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    const userId = Number(payload.sub);
    const sessionId = payload.sid;
    if (!Number.isSafeInteger(userId) || typeof sessionId !== 'string') return null;
    return { userId, sessionId };
  } catch {
    return null;
  }
}
