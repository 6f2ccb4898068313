/**
 * What the pages and the API both do to a switch, in one place: create, check in,
 * pause, add a recipient (with its webhook secret, shown once), seal a message.
 * Each answers a result (shared/result.ts) the caller turns into its own answer.
 */
import { fromBase64url, randomToken } from '../../shared/crypto';
import { sql } from 'drizzle-orm';
import { logEvent } from '../../shared/http/logging';
import { ok, type Ok, type Refused, refused } from '../../shared/result';
import { newWebhookSecret } from './channels';
import { oracleConfig } from './config';
import { advance, CHECK_IN_STATES, checkIn as checkInClock, DAY_MS, firesAt, pause as pauseClock, postpone as postponeClock } from './lifecycle';
import type { OracleRefusal } from './refusals';
import * as repo from './repository';
import type { MessageMode, SwitchSettings } from './schema';
import { openReadable, ownerWebhookLabel, shareLabel, webhookLabel, wrap } from './wrap';

/** The switch as it is at `now` (a due transition the dispatcher has not made yet is shown as made). */
export function current(s: repo.SwitchRow, now: number): repo.SwitchRow {
  const { next } = advance(s, now);
  return { ...s, ...next };
}

export async function createSwitch(
  env: Env,
  ownerId: number,
  settings: SwitchSettings,
  origin: string,
  now: number,
): Promise<Ok<{ id: string }> | Refused<OracleRefusal>> {
  const id = randomToken(16);
  const made = await repo.createSwitch(env.DB, {
    id,
    ownerId,
    name: settings.name,
    intervalMs: settings.interval,
    graceMs: settings.grace,
    ladder: settings.warnings,
    trustedContact: settings.contact,
    origin,
    now,
  });
  return made ? ok({ id }) : refused('too_many_switches');
}

/**
 * A check-in: a full interval from now. Decided by the guarded UPDATE: if the
 * dispatcher moved the switch in between, read it again and try once more; a switch
 * that has fired answers `already_triggered`, never a silent success.
 */
export async function checkIn(
  env: Env,
  s: repo.SwitchRow,
  now: number,
  link: { cycle?: number } = {},
): Promise<Ok<{ switch: repo.SwitchRow }> | Refused<OracleRefusal>> {
  let seen = s;
  for (let tries = 0; tries < 3; tries++) {
    // A check-in link is for one cycle: once any check-in has moved it on, it is spent.
    if (link.cycle !== undefined && seen.cycle !== link.cycle) return refused('link_used');
    // What the dispatcher would do now decides first: past deadline + grace, it has fired.
    if (current(seen, now).state === 'triggered' || !CHECK_IN_STATES.includes(seen.state)) return refused('already_triggered');
    if (await repo.transition(env.DB, seen, checkInClock(seen, now), now)) return ok({ switch: (await repo.findSwitch(env.DB, seen.id))! });
    const again = await repo.findSwitch(env.DB, seen.id);
    if (!again) return refused('missing');
    seen = again;
  }
  return refused('changed');
}

/** Pauses until the start of `until` (UTC), at most a year ahead; it resumes by itself then. */
export async function pauseUntil(
  env: Env,
  s: repo.SwitchRow,
  until: number,
  now: number,
): Promise<Ok<{ switch: repo.SwitchRow }> | Refused<OracleRefusal | 'bad_date'>> {
  if (!Number.isFinite(until) || until <= now || until > now + 366 * DAY_MS) return refused('bad_date');
  if (current(s, now).state === 'triggered' || !CHECK_IN_STATES.includes(s.state)) return refused('already_triggered');
  if (!(await repo.transition(env.DB, s, pauseClock(s, until), now))) return refused('changed');
  return ok({ switch: (await repo.findSwitch(env.DB, s.id))! });
}

export async function updateSettings(env: Env, s: repo.SwitchRow, settings: SwitchSettings, origin: string, now: number): Promise<Ok | Refused<OracleRefusal>> {
  if (s.state === 'triggered' || s.state === 'completed' || current(s, now).state === 'triggered') return refused('fired');
  const done = await repo.updateSettings(
    env.DB,
    s,
    { name: settings.name, intervalMs: settings.interval, graceMs: settings.grace, ladder: settings.warnings, trustedContact: settings.contact, origin },
    now,
  );
  return done ? ok({}) : refused('changed');
}

/** Adds a recipient; a webhook's signing secret is returned once (stored wrapped) for the owner to copy. */
export async function addRecipient(
  env: Env,
  s: repo.SwitchRow,
  r: { name: string; channel: 'email' | 'webhook'; target: string },
  now: number,
): Promise<Ok<{ id: string; webhookSecret: string | null }> | Refused<OracleRefusal>> {
  if (s.state === 'triggered' || s.state === 'completed') return refused('fired');
  const id = randomToken(16);
  const secret = r.channel === 'webhook' ? newWebhookSecret() : null;
  const wrapped = secret === null ? null : await wrap(oracleConfig(env).wrapKey, webhookLabel(id), new TextEncoder().encode(secret));
  const added = await repo.addRecipient(env.DB, { id, switchId: s.id, ownerId: s.ownerId, ...r, webhookSecret: wrapped, messageId: randomToken(16), now });
  if (added === 'duplicate') return refused('duplicate_recipient');
  if (!added) return refused((await repo.listRecipients(env.DB, s.id)).length >= repo.MAX_RECIPIENTS ? 'too_many_recipients' : 'fired');
  return ok({ id, webhookSecret: secret });
}

/**
 * Stores a message sealed in the owner's browser; the server share is wrapped before
 * it touches D1. A message readable by the server (the weaker mode) must open with
 * that share alone now, or its recipient would get nothing at dispatch; its length is
 * then counted here.
 */
export async function saveMessage(
  env: Env,
  recipient: repo.RecipientRow & { switchState: string },
  ownerId: number,
  m: { iv: string; ciphertext: string; server_share: string; length: number; mode: MessageMode; file: File[]; file_iv: string[] },
  now: number,
): Promise<Ok | Refused<OracleRefusal>> {
  let length = m.length;
  if (m.mode === 'server') {
    const text = await openReadable({ iv: m.iv, ciphertext: m.ciphertext }, m.server_share, recipient.switchId, recipient.messageId);
    if (text === null) return refused('unreadable_message');
    if (text.length === 0) return refused('empty_message');
    length = [...text].length;
  }
  const share = fromBase64url(m.server_share);
  const serverShare = await wrap(oracleConfig(env).wrapKey, shareLabel(recipient.messageId), share);
  share.fill(0);
  // The attachments go to R2 first (under a new version), so a row never names a missing
  // object; they are entered in the trash before, so a failure halfway leaves nothing.
  const version = randomToken(9);
  const files = m.file.map((f, i) => ({ key: `oracle/${recipient.messageId}/${version}/${i}`, iv: m.file_iv[i]!, size: f.size }));
  const replaced = await repo.messageFileKeys(env.DB, recipient.id);
  await repo.reserveUploads(env.DB, { ownerId, files, now });
  const puts = await Promise.allSettled(
    m.file.map(async (f, i) => env.ORACLE_FILES.put(files[i]!.key, await f.arrayBuffer(), { httpMetadata: { contentType: 'application/octet-stream' } })),
  );
  if (puts.some((p) => p.status === 'rejected')) {
    await deleteObjects(
      env,
      files.map((f) => f.key),
    );
    return refused('storage_unavailable');
  }
  const saved = await repo.saveMessage(env.DB, {
    recipientId: recipient.id,
    ownerId,
    iv: m.iv,
    ciphertext: m.ciphertext,
    serverShare,
    length,
    mode: m.mode,
    files,
    now,
  });
  if (saved) {
    // The replaced attachments leave R2 now (the cron would, from the trash, if this fails).
    await deleteObjects(env, replaced);
    return ok({});
  }
  await deleteObjects(
    env,
    files.map((f) => f.key),
  );
  return refused(recipient.switchState === 'triggered' || recipient.switchState === 'completed' ? 'fired' : 'storage_full');
}

/** Sets the owner's own webhook of a switch (a new secret, returned once), or removes it (null). */
export async function setOwnerWebhook(
  env: Env,
  s: repo.SwitchRow,
  url: string | null,
  now: number,
): Promise<Ok<{ secret: string | null }> | Refused<OracleRefusal>> {
  const secret = url === null ? null : newWebhookSecret();
  const wrapped = secret === null ? null : await wrap(oracleConfig(env).wrapKey, ownerWebhookLabel(s.id), new TextEncoder().encode(secret));
  const set = await repo.setOwnerWebhook(env.DB, { switchId: s.id, ownerId: s.ownerId, url, secret: wrapped, now });
  return set ? ok({ secret }) : refused('missing');
}

/**
 * Deletes objects from R2 and then their trash rows (best effort: if R2 fails, the rows
 * stay and the cron tries again).
 */
async function deleteObjects(env: Env, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await env.ORACLE_FILES.delete(keys);
    await repo.forgetTrashed(env.DB, keys);
  } catch (error) {
    logEvent('warn', 'oracle_files_not_deleted', { count: keys.length, error: error instanceof Error ? error.message : String(error) });
  }
}

/** R2 deletes up to 1,000 keys a call; a tick makes at most this many calls. */
const SWEEP_BATCH = 1000;
const SWEEP_CALLS = 5;

/**
 * Cron: deletes from R2 the attachments due in the trash (replaced messages, deleted
 * recipients and switches, uploads that never made it), up to SWEEP_CALLS × 1,000 a tick.
 */
export async function sweepFiles(env: Env, now: number): Promise<number> {
  let deleted = 0;
  for (let call = 0; call < SWEEP_CALLS; call++) {
    const keys = await repo.trashedFiles(env.DB, now, SWEEP_BATCH);
    if (keys.length === 0) break;
    await env.ORACLE_FILES.delete(keys);
    await repo.forgetTrashed(env.DB, keys);
    deleted += keys.length;
    if (keys.length < SWEEP_BATCH) break;
  }
  return deleted;
}

/**
 * The trusted contact's postponement (once a cycle, POSTPONE_MS), with the owner's
 * notice in the same batch: both or neither.
 */
export async function postpone(env: Env, s: repo.SwitchRow, now: number): Promise<Ok<{ switch: repo.SwitchRow }> | Refused<OracleRefusal>> {
  const seen = current(s, now);
  if (seen.state === 'triggered' || seen.state === 'completed') return refused('already_triggered');
  const next = postponeClock(s, now);
  if (next === null) return refused(s.state === 'paused' ? 'postpone_spent' : 'postponed_already');
  const [moved] = await repo.runBatch(env.DB, [
    repo.transitionSql(s, next, now),
    repo.ownerNoticeSql(
      { switchId: s.id, kind: 'postponed', key: `postponed:${s.id}:${s.cycle}`, detail: { fires_at: firesAt(next) }, now },
      sql`s.cycle = ${s.cycle} AND s.postponed_ms > 0`,
    ),
  ]);
  if ((moved?.results.length ?? 0) !== 1) return refused('changed');
  return ok({ switch: (await repo.findSwitch(env.DB, s.id))! });
}
