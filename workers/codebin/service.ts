/**
 * Creating and re-rendering pastes: the write path, where all the expensive work
 * (highlighting, compression, hashing) happens once.
 */
import { gunzipText, gzipText } from '../../shared/compress';
import { randomToken, sha256Hex, timingSafeEqual } from '../../shared/crypto';
import type { Auth } from '../../shared/auth/types';
import { ok, refused, type Ok, type Refused } from '../../shared/result';
import { countLines, hiddenCharacters, highlightPlan, MAX_RENDER_LINES, splitLines } from './content';
import { expiresAt as computeExpiry, type ExpiryChoice } from './expiry';
import { detectLanguage, type Language } from './language';
import { escapeHtml, renderPlainLines, renderTokenLines } from './render';
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
  /** The instance's cap on CodeBin's stored bytes (content + HTML), enforced by the insert itself. */
  maxTotal: number;
};

export type Created = {
  slug: string;
  deleteToken: string;
  language: Language;
  expiresAt: number | null;
  highlighted: boolean;
  /** Highlighting was handed to the Queue consumer (enqueue it). */
  queued: boolean;
  burnAfterReading: boolean;
};

/** D1 refuses rows over 2 MB; a highlighted paste stores its content and its gzipped HTML in one. */
const MAX_ROW_BYTES = 1_900_000;

export type Rendering = {
  /** Gzipped highlighted HTML, or '' when the paste is shown as plain text (rendered on read). */
  htmlGz: string;
  highlighted: boolean;
  /** Too costly for this request: plain for now, the Queue consumer highlights it. */
  queued: boolean;
};

const PLAIN: Rendering = { htmlGz: '', highlighted: false, queued: false };

/**
 * Highlights `content` with Shiki if that fits `where`'s budget (highlightPlan).
 * Plain text is not stored as HTML at all: the read path escapes it (renderPlain),
 * which costs less than a gunzip and cannot outgrow a D1 row.
 */
export async function renderContent(content: string, bytes: number, language: Language, where: 'request' | 'background' = 'request'): Promise<Rendering> {
  if (language === 'plaintext') return PLAIN;
  const plan = highlightPlan(content, bytes);
  if (plan === 'never') return PLAIN;
  if (plan === 'background' && where === 'request') return { ...PLAIN, queued: true };
  const { highlightTokens } = await import('./highlight');
  const lines = await highlightTokens(content, language);
  // Shiki yields an empty last line after a final newline; the plain renderer does not.
  if (lines.length > 1 && lines[lines.length - 1]!.every((t) => t.content === '') && /\r?\n$/.test(content)) lines.pop();
  const htmlGz = await gzipText(renderTokenLines(lines));
  if (htmlGz.length + bytes > MAX_ROW_BYTES) return PLAIN;
  return { htmlGz, highlighted: true, queued: false };
}

/** The HTML of a paste stored without highlighting: line-numbered up to MAX_RENDER_LINES, one escaped block beyond. */
export function renderPlain(content: string): string {
  const lines = splitLines(content);
  return lines.length <= MAX_RENDER_LINES ? renderPlainLines(lines) : escapeHtml(content);
}

/** The code HTML of a paste row: the stored highlighting, or plain text escaped now. */
export async function pasteHtml(row: { htmlGz: string; content?: string | null | undefined }): Promise<string> {
  if (row.htmlGz !== '') return gunzipText(row.htmlGz);
  return renderPlain(row.content ?? '');
}

const SLUG_ATTEMPTS = 5;

/**
 * Renders and stores a new paste under a fresh slug. `full`: it does not fit under
 * `input.maxTotal` (refusals.ts says 507).
 */
export async function createPaste(db: D1Database, input: CreateInput): Promise<Ok<Created> | Refused<'full'>> {
  const language = detectLanguage({ explicit: input.language, filename: input.filename, content: input.content });
  const rendering = await renderContent(input.content, input.bytes, language);
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
    htmlGz: rendering.htmlGz,
    highlighted: rendering.highlighted,
    highlightQueued: rendering.queued,
    hiddenChars: hiddenCharacters(input.content),
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
    const inserted = await insertPaste(db, { ...row, slug }, input.maxTotal);
    if (inserted.ok) {
      return ok({ slug, deleteToken, language, expiresAt: row.expiresAt, highlighted: rendering.highlighted, queued: rendering.queued, burnAfterReading });
    }
    if (inserted.reason === 'full') return refused('full');
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
