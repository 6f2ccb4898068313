/**
 * The links in Oracle's mail that work without signing in: `<switch id>.<cycle>.<mac>`,
 * an HMAC under SESSION_SECRET, one purpose each:
 *
 *   - the check-in link in a warning (to the owner): spent by any check-in;
 *   - the postpone link to the trusted contact (when grace starts): spent by the
 *     postponement or by a check-in.
 *
 * Each opens a page with a button (a link scanner that follows it changes nothing);
 * the next cycle's mail carries a new one.
 */
import { hmacBase64url, hmacKey, timingSafeEqual } from '../../shared/crypto';

export type LinkPurpose = 'checkin' | 'postpone';

export async function linkToken(secret: string, purpose: LinkPurpose, switchId: string, cycle: number): Promise<string> {
  return `${switchId}.${cycle}.${await hmacBase64url(await hmacKey(secret, `oracle:${purpose}-link`), `${switchId}.${cycle}`)}`;
}

/** The switch and cycle a token names, or null if it is not one of ours (for this purpose). */
export async function readLinkToken(secret: string, purpose: LinkPurpose, token: string): Promise<{ switchId: string; cycle: number } | null> {
  const m = /^([A-Za-z0-9_-]{22})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, switchId, cycle] = m;
  const expected = await linkToken(secret, purpose, switchId!, Number(cycle));
  return timingSafeEqual(expected, token) ? { switchId: switchId!, cycle: Number(cycle) } : null;
}
