/**
 * The steps of a write that the form (web.tsx) and the API (api.tsx) share: who
 * owns a new paste, which expiry it may have, room for it under the instance's cap
 * and the writer's daily allowance, storing it, and the audit line. Refusals are
 * thrown as `refusal(REFUSALS, reason)`, so both audiences say the same thing.
 *
 * Log lines name a paste by a keyed hash of its slug (`pasteRef`), never the slug:
 * the slug of a burn-after-reading paste is enough to burn it.
 */
import type { Context } from 'hono';
import { assertScope } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { hmacBase64url, hmacKey } from '../../shared/crypto';
import { HttpError } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { limitPerAddress } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { clientAddress } from '../../shared/http/request';
import { formatBytes } from '../../shared/http/security';
import { codebinConfig } from './config';
import type { ContentCheck } from './content';
import type { ExpiryChoice } from './expiry';
import { highlightJob } from './jobs';
import type { Language } from './language';
import { REFUSALS } from './refusals';
import * as repo from './repository';
import type { Upload } from './schema';
import { createPaste, type Created } from './service';

/** Paste creation, from the form or the API, and language changes (both highlight): 30 a minute per address (RL_PASTE). */
export const pasteLimit = limitPerAddress((env) => env.RL_PASTE, 'paste', 'pastes');

export const originOf = (c: Context) => new URL(c.req.url).origin;

/** A paste's name in log lines (shared logRef): the same as the request line's `~ref` for its slug. */
export function pasteRef(c: Context<AppEnv>, slug: string): Promise<string> {
  return logRef(c.env.SESSION_SECRET, slug);
}

/** The expiries the form offers: "never" only to signed-in users (checkExpiry enforces it). */
export function offeredExpiries(c: Context<AppEnv>): ExpiryChoice[] {
  const { expiries } = codebinConfig(c.env);
  return c.get('auth') ? expiries : expiries.filter((e) => e !== 'never');
}

/** The user a new paste belongs to: a session user, or an API token with codebin:write. */
export function ownerFor(c: Context<AppEnv>): number | null {
  const auth = c.get('auth');
  if (!auth) return null;
  assertScope(auth, 'codebin:write', 'Create a token with it on your account page, or send no token to paste anonymously.');
  return auth.user.id;
}

/** A content check's refusal (413 over 1 MiB, 422 empty or binary), the message filed under `content`. */
export function contentRefused(checked: Extract<ContentCheck, { ok: false }>): HttpError {
  return new HttpError(checked.status, checked.message, { fields: { content: checked.message } });
}

function checkExpiry(c: Context<AppEnv>, choice: string | undefined, ownerId: number | null): ExpiryChoice {
  const cfg = codebinConfig(c.env);
  const expiry = (choice ?? cfg.defaultExpiry) as ExpiryChoice;
  if (!cfg.expiries.includes(expiry)) {
    throw refusal(REFUSALS, 'expiry_not_offered', {
      message: `This CodeBin keeps pastes at most ${cfg.maxExpiry}. Choose one of: ${cfg.expiries.join(', ')}.`,
    });
  }
  if (expiry === 'never' && ownerId === null) throw refusal(REFUSALS, 'never_needs_account');
  return expiry;
}

const DAY_MS = 24 * 3600_000;

/**
 * Room for `bytes` more in CodeBin: under the instance's total (507 at the cap, which
 * leaves accounts and the other apps working), and under the writer's daily
 * allowance (429 until the next UTC day): per account, or per client address
 * (IPv6: per /64) for anonymous writers, named by a keyed hash, never the address.
 */
async function reserveRoom(c: Context<AppEnv>, content: number, filename: string | null, ownerId: number | null): Promise<void> {
  const cfg = codebinConfig(c.env);
  // Charged as stored, less the HTML (not rendered yet; insertPaste's guard counts it).
  const bytes = repo.storedBytes(content, '', filename);
  const t = now();
  const day = Math.floor(t / DAY_MS);
  const daily =
    ownerId === null
      ? {
          who: `a:${(await hmacBase64url(await hmacKey(c.env.SESSION_SECRET, 'codebin-address'), clientAddress(c))).slice(0, 22)}`,
          day,
          limit: cfg.anonDailyBytes,
        }
      : { who: `u:${ownerId}`, day, limit: cfg.userDailyBytes };
  const reserved = await repo.reserveStorage(c.env.DB, { bytes, maxTotal: cfg.maxTotalBytes, daily });
  if (reserved.ok) return;
  if (reserved.reason === 'full') throw refusal(REFUSALS, 'full');
  const message =
    ownerId === null
      ? `Without an account you can paste ${formatBytes(cfg.anonDailyBytes)} a day from one address, and this one has used it. Sign in to paste more, or try again tomorrow (UTC).`
      : `An account can paste ${formatBytes(cfg.userDailyBytes)} a day on this instance, and yours has used today's. Try again tomorrow (UTC), or delete pastes you no longer need.`;
  // Retry-After says when the next UTC day starts.
  throw refusal(REFUSALS, 'daily_limit', { message, headers: { 'retry-after': String(Math.ceil(((day + 1) * DAY_MS - t) / 1000)) } });
}

/** Hands a paste's highlighting to the Queue consumer when it did not fit this request's budget. */
export async function enqueueHighlight(c: Context<AppEnv>, slug: string, language: Language, queued: boolean): Promise<void> {
  if (queued) await c.env.JOBS.send(highlightJob(slug, language));
}

/**
 * Stores a checked upload as a new paste owned by `ownerId`: its expiry allowed,
 * room reserved, rendered, inserted, highlighting queued if it did not fit the
 * request, and one `paste.created` audit line (`via`: form, api-json, api-raw).
 */
export async function storeUpload(c: Context<AppEnv>, upload: Upload, ownerId: number | null, via: string): Promise<Created> {
  const expiry = checkExpiry(c, upload.expiresIn, ownerId);
  await reserveRoom(c, upload.bytes, upload.filename, ownerId);
  const created = await createPaste(c.env.DB, {
    content: upload.content,
    bytes: upload.bytes,
    language: upload.language,
    filename: upload.filename,
    expiry,
    burnAfterReading: upload.burnAfterReading,
    maxViews: upload.maxViews,
    visibility: upload.visibility,
    ownerId,
    now: now(),
    maxTotal: codebinConfig(c.env).maxTotalBytes,
  });
  if (!created.ok) throw refusal(REFUSALS, created.reason);
  await enqueueHighlight(c, created.slug, created.language, created.queued);
  audit('paste.created', {
    actor_id: c.get('auth')?.user.id ?? null,
    paste: await pasteRef(c, created.slug),
    via,
    language: created.language,
    size: upload.bytes,
    highlighted: created.highlighted,
    highlight_queued: created.queued,
    burn: created.burnAfterReading,
  });
  return created;
}
