/**
 * Paste slugs: short, unguessable, easy to read aloud.
 *
 * Base58 (Bitcoin's alphabet) leaves out the look-alikes 0, O, I and l. Each
 * character comes from one random byte, with rejection sampling: bytes ≥ 232
 * (= 4 × 58) are thrown away so every character is exactly equally likely
 * (a plain `byte % 58` would favour the first 24 characters).
 *
 * Lengths: 8 characters (≈ 46.9 bits) for public pastes, which are listed anyway;
 * 16 (≈ 93.7 bits) for unlisted and burn-after-reading pastes, whose only secret
 * is the URL.
 */
export const SLUG_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const PUBLIC_SLUG_LENGTH = 8;
export const PRIVATE_SLUG_LENGTH = 16;
const LIMIT = 256 - (256 % SLUG_ALPHABET.length); // 232

/** A random slug of `length` base58 characters. `random` is injectable for tests. */
export function generateSlug(length: number, random: (bytes: Uint8Array) => void = (b) => crypto.getRandomValues(b)): string {
  let out = '';
  const buffer = new Uint8Array(Math.ceil(length * 1.25) + 4);
  while (out.length < length) {
    random(buffer);
    for (const byte of buffer) {
      if (byte >= LIMIT) continue;
      out += SLUG_ALPHABET[byte % SLUG_ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function slugLengthFor(visibility: 'public' | 'unlisted', burnAfterReading: boolean): number {
  return visibility === 'public' && !burnAfterReading ? PUBLIC_SLUG_LENGTH : PRIVATE_SLUG_LENGTH;
}

const SLUG_RE = new RegExp(`^[${SLUG_ALPHABET}]{${PUBLIC_SLUG_LENGTH},32}$`);

/** Whether a URL segment can be a slug at all (checked before any query). */
export function isSlug(value: string): boolean {
  return SLUG_RE.test(value);
}
