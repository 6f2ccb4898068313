/**
 * Oracle's SQL: switches, recipients, sealed messages, the outbox of deliveries and
 * the development mail outbox. Every write that depends on a state says so in its
 * WHERE (and answers with RETURNING), so a check-in racing the dispatcher, or two
 * dispatcher runs, cannot both win. Someone else's switch is the same as no switch:
 * every owner's read and write names the owner.
 */
import { type SQL, sql } from 'drizzle-orm';
import { all, batch, first, run } from '../../shared/db';
import { type Clockwork, deadlineOf, dueAt, type SwitchState } from './lifecycle';
import type { MessageMode } from './schema';

export type SwitchRow = Clockwork & {
  id: string;
  ownerId: number;
  name: string;
  deadlineAt: number;
  dueAt: number | null;
  origin: string;
  trustedContact: string | null;
  /** The owner's own webhook for their notices (its secret stays in D1, wrapped). */
  ownerWebhook: string | null;
  createdAt: number;
  updatedAt: number;
};

type SwitchSqlRow = {
  id: string;
  owner_id: number;
  name: string;
  interval_ms: number;
  grace_ms: number;
  ladder: string;
  state: SwitchState;
  checked_in_at: number;
  deadline_at: number;
  due_at: number | null;
  rung: number;
  cycle: number;
  trigger_seq: number;
  paused_until: number | null;
  triggered_at: number | null;
  origin: string;
  trusted_contact: string | null;
  owner_webhook: string | null;
  postponed_ms: number;
  created_at: number;
  updated_at: number;
};

const SWITCH_COLUMNS = sql.raw(
  'id, owner_id, name, interval_ms, grace_ms, ladder, state, checked_in_at, deadline_at, due_at, rung, cycle, trigger_seq, paused_until, triggered_at, origin, trusted_contact, owner_webhook, postponed_ms, created_at, updated_at',
);

const toSwitch = (r: SwitchSqlRow): SwitchRow => ({
  id: r.id,
  ownerId: r.owner_id,
  name: r.name,
  intervalMs: r.interval_ms,
  graceMs: r.grace_ms,
  ladder: JSON.parse(r.ladder) as number[],
  state: r.state,
  checkedInAt: r.checked_in_at,
  deadlineAt: r.deadline_at,
  dueAt: r.due_at,
  rung: r.rung,
  cycle: r.cycle,
  triggerSeq: r.trigger_seq,
  pausedUntil: r.paused_until,
  triggeredAt: r.triggered_at,
  origin: r.origin,
  trustedContact: r.trusted_contact,
  ownerWebhook: r.owner_webhook,
  postponedMs: r.postponed_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type RecipientRow = {
  id: string;
  switchId: string;
  name: string;
  channel: 'email' | 'webhook';
  target: string;
  messageId: string;
  /** Characters in the sealed message, or null: none written yet. */
  messageLength: number | null;
  /** How it opens: with a key card, or readable by this server (the weaker mode). */
  messageMode: MessageMode | null;
  /** Its sealed attachments: how many, and their bytes together. */
  files: number;
  fileBytes: number;
  messageUpdatedAt: number | null;
  createdAt: number;
};

export type DeliveryState = 'pending' | 'sending' | 'sent' | 'dead';
export type DeliveryKind = 'message' | 'warning' | 'overdue' | 'fired' | 'dead' | 'test' | 'contact' | 'postponed';

export type DeliveryRow = {
  id: number;
  switchId: string;
  kind: DeliveryKind;
  recipientId: string | null;
  recipientName: string | null;
  channel: 'email' | 'webhook';
  target: string;
  detail: string;
  idempotencyKey: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
};

export const MAX_SWITCHES = 50;
export const MAX_RECIPIENTS = 20;
/** All of one account's sealed messages together (as stored, base64url): 4 MiB, ≈ 48 of the largest. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** All of one account's sealed attachments together (bytes of ciphertext in R2). */
export const MAX_FILE_BYTES_PER_OWNER = 25 * 1024 * 1024;

// ---------------------------------------------------------------- switches

/** The columns a transition writes, from the state machine's view of the switch. */
function clockworkSet(s: Clockwork, now: number): SQL {
  return sql`state = ${s.state}, checked_in_at = ${s.checkedInAt}, deadline_at = ${deadlineOf(s)}, due_at = ${dueAt(s)},
             rung = ${s.rung}, cycle = ${s.cycle}, trigger_seq = ${s.triggerSeq}, paused_until = ${s.pausedUntil},
             triggered_at = ${s.triggeredAt}, postponed_ms = ${s.postponedMs}, updated_at = ${now}`;
}

export async function createSwitch(
  db: D1Database,
  s: {
    id: string;
    ownerId: number;
    name: string;
    intervalMs: number;
    graceMs: number;
    ladder: readonly number[];
    trustedContact: string | null;
    origin: string;
    now: number;
  },
): Promise<boolean> {
  const clock: Clockwork = {
    state: 'armed',
    intervalMs: s.intervalMs,
    graceMs: s.graceMs,
    ladder: s.ladder,
    checkedInAt: s.now,
    rung: 0,
    cycle: 1,
    triggerSeq: 0,
    pausedUntil: null,
    triggeredAt: null,
    postponedMs: 0,
  };
  const rows = await all<{ id: string }>(
    db,
    sql`INSERT INTO oracle_switches (id, owner_id, name, interval_ms, grace_ms, ladder, state, checked_in_at, deadline_at, due_at, rung, cycle, trusted_contact, origin, created_at, updated_at)
        SELECT ${s.id}, ${s.ownerId}, ${s.name}, ${s.intervalMs}, ${s.graceMs}, ${JSON.stringify(s.ladder)}, 'armed', ${s.now}, ${deadlineOf(clock)}, ${dueAt(clock)}, 0, 1, ${s.trustedContact}, ${s.origin}, ${s.now}, ${s.now}
        WHERE (SELECT count(*) FROM oracle_switches WHERE owner_id = ${s.ownerId}) < ${MAX_SWITCHES}
        RETURNING id`,
  );
  return rows.length === 1;
}

/** The owner's switches, each with how many recipients have a sealed message (the list warns of none). */
export async function listSwitches(db: D1Database, ownerId: number): Promise<Array<SwitchRow & { messages: number }>> {
  const rows = await all<SwitchSqlRow & { messages: number }>(
    db,
    sql`SELECT ${SWITCH_COLUMNS},
               (SELECT count(*) FROM oracle_recipients r JOIN oracle_messages m ON m.id = r.message_id WHERE r.switch_id = oracle_switches.id) AS messages
        FROM oracle_switches WHERE owner_id = ${ownerId} ORDER BY created_at, id`,
  );
  return rows.map((r) => ({ ...toSwitch(r), messages: r.messages }));
}

export async function findOwnSwitch(db: D1Database, id: string, ownerId: number): Promise<SwitchRow | null> {
  const row = await first<SwitchSqlRow>(db, sql`SELECT ${SWITCH_COLUMNS} FROM oracle_switches WHERE id = ${id} AND owner_id = ${ownerId}`);
  return row ? toSwitch(row) : null;
}

export async function findSwitch(db: D1Database, id: string): Promise<SwitchRow | null> {
  const row = await first<SwitchSqlRow>(db, sql`SELECT ${SWITCH_COLUMNS} FROM oracle_switches WHERE id = ${id}`);
  return row ? toSwitch(row) : null;
}

/**
 * Writes `next` over the switch only if it is still as `seen` (state, cycle, due
 * time): the compare-and-set every transition goes through. True if it won.
 */
export async function transition(db: D1Database, seen: SwitchRow, next: Clockwork, now: number, extra: SQL = sql``): Promise<boolean> {
  const rows = await all<{ id: string }>(db, transitionSql(seen, next, now, extra));
  return rows.length === 1;
}

export function transitionSql(seen: SwitchRow, next: Clockwork, now: number, extra: SQL = sql``): SQL {
  return sql`UPDATE oracle_switches SET ${clockworkSet(next, now)} ${extra}
             WHERE id = ${seen.id} AND state = ${seen.state} AND cycle = ${seen.cycle} AND due_at IS ${seen.dueAt}
             RETURNING id`;
}

/** Name, interval, grace and ladder; the deadline moves with the interval (from the last check-in). */
export async function updateSettings(
  db: D1Database,
  seen: SwitchRow,
  s: { name: string; intervalMs: number; graceMs: number; ladder: readonly number[]; trustedContact: string | null; origin: string },
  now: number,
): Promise<boolean> {
  const next: Clockwork = { ...seen, intervalMs: s.intervalMs, graceMs: s.graceMs, ladder: s.ladder };
  // The new ladder counts from the last check-in: rungs already behind us count as passed
  // (no burst of stale warnings), and the state follows the new deadline.
  const deadline = deadlineOf(next);
  let rung = 0;
  while (rung < next.ladder.length && deadline - next.ladder[rung]! <= now) rung++;
  const state: SwitchState = seen.state === 'paused' ? 'paused' : now >= deadline ? 'grace' : rung > 0 ? 'warning' : 'armed';
  const moved: Clockwork = { ...next, state, rung: state === 'paused' ? 0 : state === 'grace' ? next.ladder.length : rung };
  return transition(
    db,
    seen,
    moved,
    now,
    sql`, name = ${s.name}, interval_ms = ${s.intervalMs}, grace_ms = ${s.graceMs}, ladder = ${JSON.stringify(s.ladder)}, trusted_contact = ${s.trustedContact}, origin = ${s.origin}`,
  );
}

/** A fired switch (its messages, their open links) is kept this long before it may be deleted. */
export const FIRED_KEPT_MS = 30 * 24 * 3_600_000;

/**
 * Deletes a switch with its recipients, messages and deliveries (RETURNING: D1's
 * `changes` counts the cascade too). A fired one only FIRED_KEPT_MS after it fired:
 * its recipients may still be opening their messages, and firing cannot be undone.
 */
export async function deleteSwitch(db: D1Database, id: string, ownerId: number, now: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`DELETE FROM oracle_switches
        WHERE id = ${id} AND owner_id = ${ownerId}
          AND (state NOT IN ('triggered', 'completed') OR (state = 'completed' AND triggered_at <= ${now - FIRED_KEPT_MS}))
        RETURNING id`,
  );
  return rows.length === 1;
}

/** Switches whose `due_at` has come, oldest first (the partial index on due_at). */
export async function dueSwitches(db: D1Database, now: number, limit: number): Promise<SwitchRow[]> {
  const rows = await all<SwitchSqlRow>(db, sql`SELECT ${SWITCH_COLUMNS} FROM oracle_switches WHERE due_at <= ${now} ORDER BY due_at LIMIT ${limit}`);
  return rows.map(toSwitch);
}

/** Fired switches whose deliveries have all ended (sent or dead) become completed. */
export async function completeFired(db: D1Database, now: number): Promise<number> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE oracle_switches SET state = 'completed', updated_at = ${now}
        WHERE state = 'triggered'
          AND NOT EXISTS (SELECT 1 FROM oracle_deliveries d WHERE d.switch_id = oracle_switches.id AND d.state IN ('pending', 'sending'))
        RETURNING id`,
  );
  return rows.length;
}

// ---------------------------------------------------------------- recipients and messages

type RecipientSqlRow = {
  id: string;
  switch_id: string;
  name: string;
  channel: 'email' | 'webhook';
  target: string;
  message_id: string;
  message_length: number | null;
  message_updated_at: number | null;
  message_mode: MessageMode | null;
  files: number;
  file_bytes: number;
  created_at: number;
};

const toRecipient = (r: RecipientSqlRow): RecipientRow => ({
  id: r.id,
  switchId: r.switch_id,
  name: r.name,
  channel: r.channel,
  target: r.target,
  messageId: r.message_id,
  messageLength: r.message_length,
  messageUpdatedAt: r.message_updated_at,
  messageMode: r.message_mode,
  files: r.files,
  fileBytes: r.file_bytes,
  createdAt: r.created_at,
});

/** A message's attachments in one row: how many, and their bytes. */
const FILE_COUNTS = sql`(SELECT count(*) FROM oracle_files f WHERE f.message_id = r.message_id) AS files,
                        (SELECT coalesce(sum(f.size), 0) FROM oracle_files f WHERE f.message_id = r.message_id) AS file_bytes`;

const RECIPIENT_SELECT = sql`SELECT r.id, r.switch_id, r.name, r.channel, r.target, r.message_id, r.created_at,
                                    m.length AS message_length, m.updated_at AS message_updated_at, m.mode AS message_mode, ${FILE_COUNTS}
                             FROM oracle_recipients r LEFT JOIN oracle_messages m ON m.id = r.message_id`;

export async function listRecipients(db: D1Database, switchId: string): Promise<RecipientRow[]> {
  const rows = await all<RecipientSqlRow>(db, sql`${RECIPIENT_SELECT} WHERE r.switch_id = ${switchId} ORDER BY r.created_at, r.id`);
  return rows.map(toRecipient);
}

/** The owner's recipient (with its switch's state), or null for anyone else's. */
export async function findOwnRecipient(
  db: D1Database,
  id: string,
  ownerId: number,
): Promise<(RecipientRow & { switchState: SwitchState; switchName: string }) | null> {
  const row = await first<RecipientSqlRow & { switch_state: SwitchState; switch_name: string }>(
    db,
    sql`SELECT r.id, r.switch_id, r.name, r.channel, r.target, r.message_id, r.created_at,
               m.length AS message_length, m.updated_at AS message_updated_at, m.mode AS message_mode, ${FILE_COUNTS},
               s.state AS switch_state, s.name AS switch_name
        FROM oracle_recipients r
        JOIN oracle_switches s ON s.id = r.switch_id
        LEFT JOIN oracle_messages m ON m.id = r.message_id
        WHERE r.id = ${id} AND s.owner_id = ${ownerId}`,
  );
  return row ? { ...toRecipient(row), switchState: row.switch_state, switchName: row.switch_name } : null;
}

/** Adds a recipient unless the switch has MAX_RECIPIENTS already or has fired (one statement). */
export async function addRecipient(
  db: D1Database,
  r: {
    id: string;
    switchId: string;
    ownerId: number;
    name: string;
    channel: 'email' | 'webhook';
    target: string;
    webhookSecret: string | null;
    messageId: string;
    now: number;
  },
): Promise<boolean | 'duplicate'> {
  const rows = await all<{ id: string }>(
    db,
    sql`INSERT INTO oracle_recipients (id, switch_id, name, channel, target, webhook_secret, message_id, created_at)
        SELECT ${r.id}, ${r.switchId}, ${r.name}, ${r.channel}, ${r.target}, ${r.webhookSecret}, ${r.messageId}, ${r.now}
        FROM oracle_switches s
        WHERE s.id = ${r.switchId} AND s.owner_id = ${r.ownerId} AND s.state NOT IN ('triggered', 'completed')
          AND (SELECT count(*) FROM oracle_recipients WHERE switch_id = ${r.switchId}) < ${MAX_RECIPIENTS}
        ON CONFLICT (switch_id, channel, target) DO NOTHING
        RETURNING id`,
  );
  if (rows.length === 1) return true;
  const existing = await first<{ id: string }>(
    db,
    sql`SELECT id FROM oracle_recipients WHERE switch_id = ${r.switchId} AND channel = ${r.channel} AND target = ${r.target}`,
  );
  return existing ? 'duplicate' : false;
}

/**
 * Removes a recipient (and its message) of a switch that has not fired; what was still
 * to be sent to them (a test ping) is cancelled, not left to go out unsigned.
 */
export async function deleteRecipient(db: D1Database, id: string, ownerId: number): Promise<boolean> {
  const own = sql`switch_id IN (SELECT id FROM oracle_switches WHERE owner_id = ${ownerId} AND state NOT IN ('triggered', 'completed'))`;
  const [, deleted] = await batch<{ id: string }>(db, [
    sql`UPDATE oracle_deliveries SET state = 'dead', lease_token = NULL, lease_until = NULL, last_error = 'cancelled: the recipient was removed'
        WHERE recipient_id = ${id} AND state IN ('pending', 'sending') AND ${own}`,
    sql`DELETE FROM oracle_recipients WHERE id = ${id} AND ${own} RETURNING id`,
  ]);
  return (deleted?.results.length ?? 0) === 1;
}

/** A sealed attachment as stored: its R2 object, IV and size (bytes of ciphertext). */
export type StoredFile = { key: string; iv: string; size: number };

/** How long an upload's objects may sit in R2 before the batch that stores their rows (else the cron deletes them). */
export const UPLOAD_GRACE_MS = 3_600_000;

/**
 * Before an upload: its objects go into the trash, to be deleted after UPLOAD_GRACE_MS
 * unless the save's batch takes them out. So an upload that fails, or is cut off
 * between R2 and D1, leaves nothing behind for long.
 */
export async function reserveUploads(db: D1Database, input: { ownerId: number; files: StoredFile[]; now: number }): Promise<void> {
  if (input.files.length === 0) return;
  await run(
    db,
    sql`INSERT INTO oracle_file_trash (r2_key, owner_id, size, delete_after)
        SELECT json_extract(value, '$.key'), ${input.ownerId}, json_extract(value, '$.size'), ${input.now + UPLOAD_GRACE_MS}
        FROM json_each(${JSON.stringify(input.files)})`,
  );
}

/** The R2 keys of a recipient's message's attachments now (before it is replaced). */
export async function messageFileKeys(db: D1Database, recipientId: string): Promise<string[]> {
  const rows = await all<{ r2_key: string }>(
    db,
    sql`SELECT f.r2_key FROM oracle_files f JOIN oracle_recipients r ON r.message_id = f.message_id WHERE r.id = ${recipientId}`,
  );
  return rows.map((r) => r.r2_key);
}

/**
 * Stores (or replaces) a recipient's sealed message and its attachments (already in
 * R2, reserved in the trash), only while its switch has not fired, in one batch. The
 * owner's messages stay within MAX_MESSAGE_BYTES, and their attachments, with
 * everything of theirs still in R2 (the trash: replaced objects not yet deleted, and
 * this upload), within MAX_FILE_BYTES_PER_OWNER (checked in the insert: no race). A
 * replaced message's old attachments go to the trash (the trigger).
 */
export async function saveMessage(
  db: D1Database,
  m: {
    recipientId: string;
    ownerId: number;
    iv: string;
    ciphertext: string;
    serverShare: string;
    length: number;
    mode: MessageMode;
    files: StoredFile[];
    now: number;
  },
): Promise<boolean> {
  const messageId = sql`(SELECT message_id FROM oracle_recipients WHERE id = ${m.recipientId})`;
  const keys = JSON.stringify(m.files.map((f) => f.key));
  // The statements after the upsert act only if it went in (this save's IV is on the row).
  const saved = sql`EXISTS (SELECT 1 FROM oracle_messages WHERE id = ${messageId} AND iv = ${m.iv} AND updated_at = ${m.now})`;
  const [upsert] = await batch<{ id: string }>(db, [
    sql`INSERT INTO oracle_messages (id, switch_id, iv, ciphertext, server_share, length, mode, updated_at)
        SELECT r.message_id, r.switch_id, ${m.iv}, ${m.ciphertext}, ${m.serverShare}, ${m.length}, ${m.mode}, ${m.now}
        FROM oracle_recipients r JOIN oracle_switches s ON s.id = r.switch_id
        WHERE r.id = ${m.recipientId} AND s.owner_id = ${m.ownerId} AND s.state NOT IN ('triggered', 'completed')
          -- The owner's other messages and this one within MAX_MESSAGE_BYTES (checked in the insert: no race).
          AND ${m.ciphertext.length} + (SELECT coalesce(sum(length(m2.ciphertext)), 0) FROM oracle_messages m2 JOIN oracle_switches s2 ON s2.id = m2.switch_id
                                        WHERE s2.owner_id = ${m.ownerId} AND m2.id <> r.message_id) <= ${MAX_MESSAGE_BYTES}
          -- …and everything of theirs in R2 (other messages' attachments, the trash with this upload) within MAX_FILE_BYTES_PER_OWNER.
          AND (SELECT coalesce(sum(size), 0) FROM oracle_files WHERE owner_id = ${m.ownerId} AND message_id <> r.message_id)
            + (SELECT coalesce(sum(size), 0) FROM oracle_file_trash WHERE owner_id = ${m.ownerId}) <= ${MAX_FILE_BYTES_PER_OWNER}
        ON CONFLICT (id) DO UPDATE SET iv = excluded.iv, ciphertext = excluded.ciphertext, server_share = excluded.server_share,
                                       length = excluded.length, mode = excluded.mode, updated_at = excluded.updated_at
        RETURNING id`,
    sql`DELETE FROM oracle_files WHERE message_id = ${messageId} AND ${saved}`,
    sql`INSERT INTO oracle_files (message_id, idx, r2_key, iv, size, owner_id)
        SELECT ${messageId}, j.key, json_extract(j.value, '$.key'), json_extract(j.value, '$.iv'), json_extract(j.value, '$.size'), ${m.ownerId}
        FROM json_each(${JSON.stringify(m.files)}) j WHERE ${saved}`,
    // This upload is kept: out of the trash.
    sql`DELETE FROM oracle_file_trash WHERE r2_key IN (SELECT value FROM json_each(${keys})) AND ${saved}`,
  ]);
  return (upsert?.results.length ?? 0) === 1;
}

/**
 * A message's ciphertext for its open link: only once it has been dispatched (a
 * message delivery exists for its recipient). Before that it is the 404 of a
 * message that does not exist.
 */
export async function dispatchedMessage(
  db: D1Database,
  messageId: string,
): Promise<{ id: string; switchId: string; iv: string; ciphertext: string; files: Array<{ iv: string; size: number }> } | null> {
  const row = await first<{ id: string; switchId: string; iv: string; ciphertext: string; files: string }>(
    db,
    sql`SELECT m.id, m.switch_id AS switchId, m.iv, m.ciphertext,
               (SELECT json_group_array(json_object('iv', f.iv, 'size', f.size))
                  FROM (SELECT iv, size FROM oracle_files WHERE message_id = m.id ORDER BY idx) f) AS files
        FROM oracle_messages m JOIN oracle_recipients r ON r.message_id = m.id
        WHERE m.id = ${messageId} AND ${DISPATCHED}`,
  );
  return row && { ...row, files: JSON.parse(row.files) as Array<{ iv: string; size: number }> };
}

/** The message's recipient has been sent it (a message delivery exists): only then is anything of it served. */
const DISPATCHED = sql`EXISTS (SELECT 1 FROM oracle_deliveries d WHERE d.recipient_id = r.id AND d.kind = 'message')`;

/** An attachment's R2 key, once its message has been dispatched (else null, as for one that does not exist). */
export async function dispatchedFile(db: D1Database, messageId: string, index: number): Promise<{ key: string; size: number } | null> {
  return first(
    db,
    sql`SELECT f.r2_key AS "key", f.size
        FROM oracle_files f JOIN oracle_recipients r ON r.message_id = f.message_id
        WHERE f.message_id = ${messageId} AND f.idx = ${index} AND ${DISPATCHED}`,
  );
}

/** Up to `limit` R2 keys due for deletion (the trash), oldest first (indexed: reads only those rows). */
export async function trashedFiles(db: D1Database, now: number, limit: number): Promise<string[]> {
  const rows = await all<{ r2_key: string }>(db, sql`SELECT r2_key FROM oracle_file_trash WHERE delete_after <= ${now} ORDER BY delete_after LIMIT ${limit}`);
  return rows.map((r) => r.r2_key);
}

/** Forgets trashed keys (after their objects were deleted from R2). */
export async function forgetTrashed(db: D1Database, keys: string[]): Promise<void> {
  if (keys.length > 0) await run(db, sql`DELETE FROM oracle_file_trash WHERE r2_key IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`);
}

// ---------------------------------------------------------------- the outbox

type DeliverySqlRow = {
  id: number;
  switch_id: string;
  kind: DeliveryKind;
  recipient_id: string | null;
  recipient_name: string | null;
  channel: 'email' | 'webhook';
  target: string;
  detail: string;
  idempotency_key: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
};

const toDelivery = (r: DeliverySqlRow): DeliveryRow => ({
  id: r.id,
  switchId: r.switch_id,
  kind: r.kind,
  recipientId: r.recipient_id,
  recipientName: r.recipient_name,
  channel: r.channel,
  target: r.target,
  detail: r.detail,
  idempotencyKey: r.idempotency_key,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** A switch's deliveries, newest first. */
export async function listDeliveries(db: D1Database, switchId: string, limit: number): Promise<DeliveryRow[]> {
  const rows = await all<DeliverySqlRow>(
    db,
    sql`SELECT d.id, d.switch_id, d.kind, d.recipient_id, r.name AS recipient_name, d.channel, d.target, d.detail, d.idempotency_key,
               d.state, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at
        FROM oracle_deliveries d LEFT JOIN oracle_recipients r ON r.id = d.recipient_id
        WHERE d.switch_id = ${switchId} ORDER BY d.id DESC LIMIT ${limit}`,
  );
  return rows.map(toDelivery);
}

/** A delivery that gave up, as the admins' page lists it (no content: what, to whom, why). */
export type FailedDelivery = DeliveryRow & { switchName: string; ownerEmail: string };

/** Deliveries that gave up, across every switch, newest first (the partial index on dead rows). */
export async function listFailedDeliveries(db: D1Database, limit: number): Promise<FailedDelivery[]> {
  const rows = await all<DeliverySqlRow & { switch_name: string; owner_email: string }>(
    db,
    sql`SELECT d.id, d.switch_id, d.kind, d.recipient_id, r.name AS recipient_name, d.channel, d.target, d.detail, d.idempotency_key,
               d.state, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at, s.name AS switch_name, u.email AS owner_email
        FROM oracle_deliveries d
        JOIN oracle_switches s ON s.id = d.switch_id
        JOIN users u ON u.id = s.owner_id
        LEFT JOIN oracle_recipients r ON r.id = d.recipient_id
        WHERE d.state = 'dead' ORDER BY d.id DESC LIMIT ${limit}`,
  );
  return rows.map((r) => ({ ...toDelivery(r), switchName: r.switch_name, ownerEmail: r.owner_email }));
}

/** How many deliveries gave up since `since` (for the admins' notice on Oracle's page). */
export async function countFailedDeliveries(db: D1Database, since: number): Promise<number> {
  const row = await first<{ n: number }>(db, sql`SELECT count(*) AS n FROM oracle_deliveries WHERE state = 'dead' AND created_at > ${since}`);
  return row?.n ?? 0;
}

/** An owner's notice into the outbox, written only if the switch is (still) as `guard` says. */
export function ownerNoticeSql(n: { switchId: string; kind: DeliveryKind; key: string; detail: Record<string, unknown>; now: number }, guard: SQL): SQL {
  return sql`INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, next_attempt_at, created_at)
             SELECT s.id, ${n.kind}, o.channel, CASE o.channel WHEN 'email' THEN u.email ELSE s.owner_webhook END,
                    ${JSON.stringify(n.detail)}, ${n.key} || o.suffix, ${n.now}, ${n.now}
             FROM oracle_switches s JOIN users u ON u.id = s.owner_id ${OWNER_CHANNELS}
             WHERE s.id = ${n.switchId} AND ${guard}
             ON CONFLICT (idempotency_key) DO NOTHING`;
}

/**
 * The owner's channels, one row each: email always, and their own webhook when the
 * switch has one (its deliveries keyed like the email's, plus `:webhook`).
 */
const OWNER_CHANNELS = sql`JOIN (SELECT 'email' AS channel, '' AS suffix UNION ALL SELECT 'webhook', ':webhook') o
                             ON o.channel = 'email' OR s.owner_webhook IS NOT NULL`;

/** The owner's "your switch fired" notice, saying how many messages go out (none is worth knowing). */
export function firedNoticeSql(switchId: string, seq: number, now: number, guard: SQL): SQL {
  return sql`INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, next_attempt_at, created_at)
             SELECT s.id, 'fired', o.channel, CASE o.channel WHEN 'email' THEN u.email ELSE s.owner_webhook END,
                    json_object('triggered_at', ${now},
                                'messages', (SELECT count(*) FROM oracle_recipients r JOIN oracle_messages m ON m.id = r.message_id WHERE r.switch_id = s.id)),
                    ${`fired:${switchId}:${seq}`} || o.suffix, ${now}, ${now}
             FROM oracle_switches s JOIN users u ON u.id = s.owner_id ${OWNER_CHANNELS}
             WHERE s.id = ${switchId} AND ${guard}
             ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** The trusted contact's notice (grace began), written only if the switch has a contact and is as `guard` says. */
export function contactNoticeSql(n: { switchId: string; key: string; detail: Record<string, unknown>; now: number }, guard: SQL): SQL {
  return sql`INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, next_attempt_at, created_at)
             SELECT s.id, 'contact', 'email', s.trusted_contact, ${JSON.stringify(n.detail)}, ${n.key}, ${n.now}, ${n.now}
             FROM oracle_switches s
             WHERE s.id = ${n.switchId} AND s.trusted_contact IS NOT NULL AND ${guard}
             ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** Sets (or, with null, removes) the owner's own webhook of a switch, with its wrapped secret. */
export async function setOwnerWebhook(
  db: D1Database,
  input: { switchId: string; ownerId: number; url: string | null; secret: string | null; now: number },
): Promise<boolean> {
  const [update] = await batch<{ id: string }>(db, [
    sql`UPDATE oracle_switches SET owner_webhook = ${input.url}, owner_webhook_secret = ${input.secret}, updated_at = ${input.now}
        WHERE id = ${input.switchId} AND owner_id = ${input.ownerId} AND state <> 'completed' RETURNING id`,
    // Notices still due to the old webhook do not go there any more (nor get the new secret).
    sql`UPDATE oracle_deliveries SET state = 'dead', lease_token = NULL, lease_until = NULL, last_error = 'cancelled: you changed your webhook'
        WHERE switch_id = ${input.switchId} AND recipient_id IS NULL AND channel = 'webhook' AND state IN ('pending', 'sending')
          AND target IS NOT ${input.url}
          AND EXISTS (SELECT 1 FROM oracle_switches WHERE id = ${input.switchId} AND owner_id = ${input.ownerId})`,
  ]);
  return (update?.results.length ?? 0) === 1;
}

/** How the owner is named to their trusted contact: their display name, or their email. */
export async function ownerName(db: D1Database, ownerId: number): Promise<string> {
  const row = await first<{ name: string }>(db, sql`SELECT coalesce(nullif(display_name, ''), email) AS name FROM users WHERE id = ${ownerId}`);
  return row?.name ?? 'The owner';
}

/**
 * One message delivery per recipient with a message, for the `seq`-th firing:
 * keyed `switch:recipient:channel:seq`. Written only if the switch has fired that time.
 */
export function messageDeliveriesSql(switchId: string, seq: number, now: number): SQL {
  return sql`INSERT INTO oracle_deliveries (switch_id, kind, recipient_id, channel, target, idempotency_key, next_attempt_at, created_at)
             SELECT s.id, 'message', r.id, r.channel, r.target, s.id || ':' || r.id || ':' || r.channel || ':' || ${seq}, ${now}, ${now}
             FROM oracle_switches s
             JOIN oracle_recipients r ON r.switch_id = s.id
             JOIN oracle_messages m ON m.id = r.message_id
             WHERE s.id = ${switchId} AND s.state = 'triggered' AND s.trigger_seq = ${seq}
             ON CONFLICT (idempotency_key) DO NOTHING`;
}

/** How often a switch may be tested. */
export const TEST_EVERY_MS = 10 * 60_000;

/**
 * "Test this switch": the owner's summary of what each recipient would get (by email),
 * and a signed test event to each webhook recipient. Nothing secret travels: no share,
 * no message. At most one test per switch every TEST_EVERY_MS (checked in the statement).
 */
export async function queueTest(db: D1Database, switchId: string, ownerId: number, now: number): Promise<boolean> {
  const recent = sql`NOT EXISTS (SELECT 1 FROM oracle_deliveries WHERE switch_id = ${switchId} AND kind = 'test' AND created_at > ${now - TEST_EVERY_MS})`;
  const [summary] = await batch<{ id: number }>(db, [
    sql`INSERT INTO oracle_deliveries (switch_id, kind, channel, target, detail, idempotency_key, next_attempt_at, created_at)
        SELECT s.id, 'test', 'email', u.email,
               json_object('recipients', (SELECT json_group_array(json_object('name', r.name, 'channel', r.channel, 'target', r.target,
                                                                             'message', m.id IS NOT NULL, 'readable', m.mode = 'server'))
                                          FROM oracle_recipients r LEFT JOIN oracle_messages m ON m.id = r.message_id
                                          WHERE r.switch_id = s.id)),
               'test:' || s.id || ':' || ${now}, ${now}, ${now}
        FROM oracle_switches s JOIN users u ON u.id = s.owner_id
        WHERE s.id = ${switchId} AND s.owner_id = ${ownerId} AND s.state NOT IN ('triggered', 'completed') AND ${recent}
        RETURNING id`,
    // The webhooks' pings, only if the summary above went in (same test, same moment).
    sql`INSERT INTO oracle_deliveries (switch_id, kind, recipient_id, channel, target, idempotency_key, next_attempt_at, created_at)
        SELECT r.switch_id, 'test', r.id, 'webhook', r.target, 'test:' || r.switch_id || ':' || r.id || ':' || ${now}, ${now}, ${now}
        FROM oracle_recipients r
        WHERE r.switch_id = ${switchId} AND r.channel = 'webhook'
          AND EXISTS (SELECT 1 FROM oracle_deliveries WHERE idempotency_key = 'test:' || ${switchId} || ':' || ${now})`,
    // …and the owner's own webhook's.
    sql`INSERT INTO oracle_deliveries (switch_id, kind, channel, target, idempotency_key, next_attempt_at, created_at)
        SELECT s.id, 'test', 'webhook', s.owner_webhook, 'test:' || s.id || ':owner:' || ${now}, ${now}, ${now}
        FROM oracle_switches s
        WHERE s.id = ${switchId} AND s.owner_webhook IS NOT NULL
          AND EXISTS (SELECT 1 FROM oracle_deliveries WHERE idempotency_key = 'test:' || ${switchId} || ':' || ${now})`,
  ]);
  return (summary?.results.length ?? 0) === 1;
}

export async function runBatch(db: D1Database, statements: SQL[]): Promise<D1Result<Record<string, unknown>>[]> {
  return statements.length === 0 ? [] : batch(db, statements);
}

/** What a claimed delivery needs to be composed and sent. */
export type ClaimedDelivery = DeliveryRow & {
  leaseToken: string;
  switchName: string;
  origin: string;
  ownerEmail: string;
  ownerName: string;
  webhookSecret: string | null;
  messageId: string | null;
  serverShare: string | null;
  /** A message readable by the server (the weaker mode): its ciphertext, for dispatch to open. Null for key-card messages. */
  readable: { iv: string; ciphertext: string } | null;
  /** How many attachments the message has. */
  files: number;
  checkinCycle: number;
};

/**
 * Claims up to `limit` due deliveries for this run: pending ones, and 'sending' ones
 * whose lease ran out (a run that crashed mid-send). One statement: two runs get
 * disjoint sets. Each claim counts as an attempt.
 */
export async function claimDeliveries(db: D1Database, now: number, leaseToken: string, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const claimed = await all<{ id: number }>(
    db,
    // Fair shares: the owners' own notices first (a warning is only useful on time), then
    // one delivery of each owner in turn, so one account's thousand messages cannot hold
    // up everyone else's.
    sql`UPDATE oracle_deliveries SET state = 'sending', lease_token = ${leaseToken}, lease_until = ${now + leaseMs}, attempts = attempts + 1
        WHERE id IN (SELECT id FROM (SELECT d.id, d.kind, d.next_attempt_at,
                                            row_number() OVER (PARTITION BY s.owner_id
                                                               ORDER BY d.kind IN ('warning', 'overdue', 'contact', 'postponed') DESC, d.next_attempt_at, d.id) AS turn
                                     FROM oracle_deliveries d JOIN oracle_switches s ON s.id = d.switch_id
                                     WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= ${now}
                                       AND (d.lease_until IS NULL OR d.lease_until <= ${now}))
                     ORDER BY turn, kind IN ('warning', 'overdue', 'contact', 'postponed') DESC, next_attempt_at, id
                     LIMIT ${limit})
        RETURNING id`,
  );
  if (claimed.length === 0) return [];
  const rows = await all<
    DeliverySqlRow & {
      lease_token: string;
      switch_name: string;
      origin: string;
      owner_email: string;
      owner_name: string;
      webhook_secret: string | null;
      message_id: string | null;
      server_share: string | null;
      readable_iv: string | null;
      readable_ciphertext: string | null;
      file_count: number;
      cycle: number;
    }
  >(
    db,
    sql`SELECT d.id, d.switch_id, d.kind, d.recipient_id, r.name AS recipient_name, d.channel, d.target, d.detail, d.idempotency_key,
               d.state, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at, d.lease_token,
               s.name AS switch_name, s.origin, s.cycle, u.email AS owner_email, u.display_name AS owner_name,
               -- A recipient's secret; or the owner's, only for a delivery to the owner's webhook as it is now
               -- (one to a changed webhook, or a removed recipient's, has none and fails unsent).
               CASE WHEN d.recipient_id IS NOT NULL THEN r.webhook_secret
                    WHEN d.channel = 'webhook' AND d.target = s.owner_webhook THEN s.owner_webhook_secret END AS webhook_secret,
               r.message_id, m.server_share,
               CASE WHEN m.mode = 'server' THEN m.iv END AS readable_iv, CASE WHEN m.mode = 'server' THEN m.ciphertext END AS readable_ciphertext,
               (SELECT count(*) FROM oracle_files f WHERE f.message_id = m.id) AS file_count
        FROM oracle_deliveries d
        JOIN oracle_switches s ON s.id = d.switch_id
        JOIN users u ON u.id = s.owner_id
        LEFT JOIN oracle_recipients r ON r.id = d.recipient_id
        LEFT JOIN oracle_messages m ON m.id = r.message_id
        WHERE d.id IN (SELECT value FROM json_each(${JSON.stringify(claimed.map((c) => c.id))})) AND d.lease_token = ${leaseToken}
        ORDER BY d.id`,
  );
  return rows.map((r) => ({
    ...toDelivery(r),
    leaseToken: r.lease_token,
    switchName: r.switch_name,
    origin: r.origin,
    ownerEmail: r.owner_email,
    ownerName: r.owner_name,
    webhookSecret: r.webhook_secret,
    messageId: r.message_id,
    serverShare: r.server_share,
    readable: r.readable_iv && r.readable_ciphertext ? { iv: r.readable_iv, ciphertext: r.readable_ciphertext } : null,
    files: r.file_count,
    checkinCycle: r.cycle,
  }));
}

/** Sent: only where this run's lease still holds (a run whose lease ran out lost the row). */
export async function markSent(db: D1Database, id: number, leaseToken: string, now: number): Promise<boolean> {
  const meta = await run(
    db,
    sql`UPDATE oracle_deliveries SET state = 'sent', sent_at = ${now}, lease_token = NULL, lease_until = NULL, last_error = NULL
        WHERE id = ${id} AND lease_token = ${leaseToken}`,
  );
  return meta.changes === 1;
}

/**
 * A failed attempt: back to pending with the next attempt at `retryAt`, or dead (no
 * `retryAt`) with the owner told, in one batch, under the lease.
 */
export async function markFailed(db: D1Database, d: ClaimedDelivery, error: string, retryAt: number | null, now: number): Promise<boolean> {
  const reason = error.slice(0, 300);
  if (retryAt !== null) {
    const meta = await run(
      db,
      sql`UPDATE oracle_deliveries SET state = 'pending', next_attempt_at = ${retryAt}, lease_token = NULL, lease_until = NULL, last_error = ${reason}
          WHERE id = ${d.id} AND lease_token = ${d.leaseToken}`,
    );
    return meta.changes === 1;
  }
  const statements = [
    sql`UPDATE oracle_deliveries SET state = 'dead', lease_token = NULL, lease_until = NULL, last_error = ${reason}
        WHERE id = ${d.id} AND lease_token = ${d.leaseToken} RETURNING id`,
  ];
  // The owner hears of a delivery that gave up (a notice that gave up is only logged: no loop).
  if (d.kind !== 'dead') {
    statements.push(
      ownerNoticeSql(
        {
          switchId: d.switchId,
          kind: 'dead',
          key: `dead:${d.channel}:${d.idempotencyKey}`,
          detail: { kind: d.kind, recipient: d.recipientName, error: reason },
          now,
        },
        sql`EXISTS (SELECT 1 FROM oracle_deliveries WHERE id = ${d.id} AND state = 'dead')`,
      ),
    );
  }
  const [updated] = await batch<{ id: number }>(db, statements);
  return (updated?.results.length ?? 0) === 1;
}

// ---------------------------------------------------------------- the development outbox

export type MailRow = { id: number; recipient: string; subject: string; body: string; createdAt: number };

export async function listMail(db: D1Database, limit: number): Promise<MailRow[]> {
  return all<MailRow>(db, sql`SELECT id, recipient, subject, body, created_at AS createdAt FROM oracle_mail ORDER BY id DESC LIMIT ${limit}`);
}
