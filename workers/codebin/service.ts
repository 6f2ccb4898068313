/**
 * Creating and re-rendering pastes: the write path, where all the expensive work
 * (highlighting, compression, hashing) happens once.
 */
import { gzipText } from '../../shared/compress';
import { randomToken, sha256Hex, timingSafeEqual } from '../../shared/crypto';
import type { Auth } from '../../shared/auth/types';
import { countLines, shouldHighlight, splitLines } from './content';
import { expiresAt as computeExpiry, type ExpiryChoice } from './expiry';
import { detectLanguage, type Language } from './language';
import { renderPlainLines, renderTokenLines } from './render';
import { insertPaste, type Visibility } from './repository';
import { generateSlug, slugLengthFor } from './slug';

export type CreateInput = {
  content: string;
  bytes: number;
  language: Language | null;
  filename: string | null;
  expiry: ExpiryChoice;
  burnAfterReading: boolean;
  maxViews: number | null;
  visibility: Visibility;
  ownerId: number | null;
  now: number;
};

export type Created = {
  slug: string;
  deleteToken: string;
  language: Language;
  expiresAt: number | null;
  highlighted: boolean;
  burnAfterReading: boolean;
};

/** Renders a paste's HTML: Shiki when the language and size allow it, escaped plain text otherwise. */
export async function renderContent(content: string, bytes: number, language: Language): Promise<{ html: string; highlighted: boolean }> {
  if (language !== 'plaintext' && shouldHighlight(content, bytes)) {
    const { highlightTokens } = await import('./highlight');
    const lines = await highlightTokens(content, language);
    // Shiki yields an empty last line after a final newline; the plain renderer does not.
    if (lines.length > 1 && lines[lines.length - 1]!.every((t) => t.content === '') && /\r?\n$/.test(content)) lines.pop();
    return { html: renderTokenLines(lines), highlighted: true };
  }
  return { html: renderPlainLines(splitLines(content)), highlighted: false };
}

const SLUG_ATTEMPTS = 5;

export async function createPaste(db: D1Database, input: CreateInput): Promise<Created> {
  const language = detectLanguage({ explicit: input.language, filename: input.filename, content: input.content });
  const { html, highlighted } = await renderContent(input.content, input.bytes, language);
  const deleteToken = randomToken(24); // 192 bits
  const burnAfterReading = input.burnAfterReading;
  const visibility: Visibility = burnAfterReading ? 'unlisted' : input.visibility;
  const row = {
    ownerId: input.ownerId,
    content: input.content,
    size: input.bytes,
    lines: Math.max(1, countLines(input.content)),
    language,
    filename: input.filename,
    htmlGz: await gzipText(html),
    highlighted,
    visibility,
    burnAfterReading,
    viewsLeft: burnAfterReading ? null : input.maxViews,
    deleteTokenHash: await sha256Hex(deleteToken),
    etag: (await sha256Hex(input.content)).slice(0, 32),
    createdAt: input.now,
    expiresAt: computeExpiry(input.expiry, input.now),
  };
  // A collision is astronomically rare at these lengths, but never silent:
  // INSERT … ON CONFLICT DO NOTHING reports it and we draw again.
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const slug = generateSlug(slugLengthFor(visibility, burnAfterReading));
    if (await insertPaste(db, { ...row, slug })) {
      return { slug, deleteToken, language, expiresAt: row.expiresAt, highlighted, burnAfterReading };
    }
  }
  throw new Error(`no free slug after ${SLUG_ATTEMPTS} attempts`);
}

/** The owner (signed in, or their API token with codebin:write) or whoever holds the delete token. */
export async function mayManage(
  paste: { ownerId: number | null; deleteTokenHash: string },
  who: { auth: Auth | null; token: string | undefined },
): Promise<boolean> {
  const { auth, token } = who;
  if (auth && paste.ownerId !== null && auth.user.id === paste.ownerId) {
    if (auth.via === 'session' || auth.scopes.includes('codebin:write')) return true;
  }
  if (!token) return false;
  // Compare hashes (fixed length) in constant time.
  return timingSafeEqual(await sha256Hex(token), paste.deleteTokenHash);
}
