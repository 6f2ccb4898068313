/**
 * The check-in link in a warning: `<switch id>.<cycle>.<mac>`, an HMAC under
 * SESSION_SECRET. It works without signing in (the owner reads it on their phone),
 * opens a page with a button (a link scanner that follows it changes nothing), and
 * is spent by any check-in: the next cycle's mail carries a new one.
 */
import { hmacBase64url, hmacKey, timingSafeEqual } from '../../shared/crypto';

const PURPOSE = 'oracle:checkin-link';

export async function checkinToken(secret: string, switchId: string, cycle: number): Promise<string> {
  return `${switchId}.${cycle}.${await hmacBase64url(await hmacKey(secret, PURPOSE), `${switchId}.${cycle}`)}`;
}

/** The switch and cycle a token names, or null if it is not one of ours. */
export async function readCheckinToken(secret: string, token: string): Promise<{ switchId: string; cycle: number } | null> {
  const m = /^([A-Za-z0-9_-]{22})\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, switchId, cycle] = m;
  const expected = await checkinToken(secret, switchId!, Number(cycle));
  return timingSafeEqual(expected, token) ? { switchId: switchId!, cycle: Number(cycle) } : null;
}
