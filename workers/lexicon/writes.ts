/**
 * Lexicon's writes. Every mutation is one `batch()` that changes the ticket (guarded
 * by its version), writes the audit row only if that change happened (`WHERE
 * changes() = 1`: D1 runs a batch's statements in order on one connection, in one
 * transaction), lets the triggers keep the queue counts, and ends with the read the
 * response shows (queries.ts), so an action costs one round trip.
 *
 * What the caller must answer comes back as a result (shared/result.ts): `{ ok: true, … }`
 * or `{ ok: false, reason }`, with the reasons of refusals.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { sha256Hex } from '../../shared/crypto';
import { all, batch, raisedCode } from '../../shared/db';
import { ok, refused, type Ok, type Refused } from '../../shared/result';
import { contextQuery, detailStatements } from './queries';
import {
  parseContext,
  parseDetail,
  ROW,
  toRow,
  type Actor,
  type Changes,
  type CommentDb,
  type QueueContext,
  type TicketDb,
  type TicketDetail,
  type TicketRow,
  type TicketView,
  type Viewer,
} from './rows';
import { dueTimes, SLA, type Priority, type Status } from './status';

const AUDIT = sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)`;

/**
 * Creates a ticket (status new; the tag index follows by trigger) and its audit row in
 * one batch. With a submission key (the one-time key a form carries, or an API
 * Idempotency-Key), a second request with the same key creates nothing: the INSERT
 * meets the unique index (creator, key) and does nothing, the audit row is guarded by
 * `changes()`, and the batch's last statement reads back the ticket the first one made.
 */
export async function submitTicket(
  db: D1Database,
  input: { subject: string; body: string; priority: Priority; tags: string[]; actor: Actor; now: number; key?: string | null },
): Promise<{ ticket: TicketRow; replayed: boolean }> {
  const due = dueTimes(input.priority, input.now);
  const key = input.key ?? null;
  const [inserted, , existing] = await batch<TicketDb>(db, [
    sql`INSERT INTO tickets (subject, body, priority, tags, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at, submission_key)
        VALUES (${input.subject}, ${input.body}, ${input.priority}, ${tagsJson(input.tags)}, ${input.actor.id}, ${input.now}, ${input.now},
                ${due.firstResponseDueAt}, ${due.resolutionDueAt}, ${key})
        ON CONFLICT DO NOTHING
        RETURNING ${ROW}`,
    sql`${AUDIT} SELECT last_insert_rowid(), ${input.actor.id}, 'create', NULL, 'new', ${input.actor.requestId}, ${input.now} WHERE changes() = 1`,
    ...(key ? [sql`SELECT ${ROW} FROM tickets WHERE creator_id = ${input.actor.id} AND submission_key = ${key}`] : []),
  ]);
  const created = inserted?.results[0];
  const row = created ?? existing?.results[0];
  if (!row) throw new Error('ticket insert returned no row');
  return { ticket: toRow(row), replayed: !created };
}

/** Creates a ticket (no submission key): see submitTicket. */
export async function createTicket(
  db: D1Database,
  input: { subject: string; body: string; priority: Priority; tags: string[]; actor: Actor; now: number },
): Promise<TicketRow> {
  return (await submitTicket(db, input)).ticket;
}

/** The canonical form of a tag set: unique, sorted, as JSON. */
export function tagsJson(tags: readonly string[]): string {
  return JSON.stringify([...new Set(tags)].sort());
}

/** Why a change of one ticket was refused (refusals.ts says what each means to a person). */
export type UpdateRefusal = 'conflict' | 'not_found' | 'invalid_transition' | 'assignee_not_agent' | 'ticket_closed';

/**
 * `changed: false` is a change asking for what already is so (nothing written). A
 * 'conflict' carries the ticket as it is now; the trigger refusals carry nothing
 * (the batch rolled back, its read with it).
 */
export type UpdateResult =
  | Ok<{ changed: true; ticket: TicketRow } & TicketView>
  | Ok<{ changed: false } & TicketView>
  | Refused<'conflict', TicketView>
  | Refused<Exclude<UpdateRefusal, 'conflict'>>;

/**
 * Changes a ticket's status, priority, assignee and/or tags if it is still at
 * `expectedVersion`, as ONE batch:
 *   1. one audit row per field that really changes, reading the from-value from
 *      the row itself (`WHERE version = expected`, so a stale request audits nothing);
 *   2. the UPDATE, guarded by the version, bumping it once (the lifecycle and
 *      assignee triggers refuse illegal values and roll the whole batch back);
 *   3. the fresh detail and queue context for the response.
 * A stale version is a 'conflict' (with the fresh detail); asking for what is
 * already so is 'unchanged' (no version bump, no audit row).
 */
export async function updateTicket(
  db: D1Database,
  input: { id: number; expectedVersion: number; set: Changes; actor: Actor; viewer: Viewer; now: number },
): Promise<UpdateResult> {
  const { id, expectedVersion: v, set, actor, now } = input;
  const status = set.status ?? null;
  const priority = set.priority ?? null;
  const setAssignee = set.assigneeId !== undefined ? 1 : 0;
  const assignee = set.assigneeId ?? null;
  const tags = set.tags ? tagsJson(set.tags) : null;
  const current = sql`FROM tickets WHERE id = ${id} AND version = ${v}`;
  const audits: SQL[] = [];
  if (status !== null)
    audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'status', status, ${status}, ${actor.requestId}, ${now} ${current} AND status <> ${status}`);
  if (priority !== null)
    audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'priority', priority, ${priority}, ${actor.requestId}, ${now} ${current} AND priority <> ${priority}`);
  if (setAssignee) {
    audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'assign', CAST(assignee_id AS TEXT), ${assignee === null ? null : String(assignee)}, ${actor.requestId}, ${now}
                    ${current} AND assignee_id IS NOT ${assignee}`);
  }
  if (tags !== null) audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'tag', tags, ${tags}, ${actor.requestId}, ${now} ${current} AND tags <> ${tags}`);
  try {
    const results = await batch<TicketDb & CommentDb & { ticket: string; context: string }>(db, [
      ...audits,
      sql`UPDATE tickets
             SET status = coalesce(${status}, status),
                 priority = coalesce(${priority}, priority),
                 assignee_id = iif(${setAssignee}, ${assignee}, assignee_id),
                 tags = coalesce(${tags}, tags),
                 version = version + 1,
                 updated_at = ${now},
                 resolved_at = CASE WHEN ${status} = 'resolved' THEN ${now} WHEN ${status} = 'open' THEN NULL ELSE resolved_at END
           WHERE id = ${id} AND version = ${v}
             AND (status IS NOT coalesce(${status}, status) OR priority IS NOT coalesce(${priority}, priority)
                  OR assignee_id IS NOT iif(${setAssignee}, ${assignee}, assignee_id) OR tags IS NOT coalesce(${tags}, tags))
       RETURNING ${ROW}`,
      ...detailStatements(id, input.viewer),
      contextQuery(input.viewer.id, now),
    ]);
    const updated = results[audits.length]?.results[0];
    const view = {
      detail: parseDetail(results[audits.length + 1]?.results[0], results[audits.length + 2]?.results),
      context: parseContext(results[audits.length + 3]?.results[0]),
    };
    if (updated) return ok({ changed: true as const, ticket: toRow(updated), ...view });
    if (!view.detail) return refused('not_found');
    return view.detail.version === v ? ok({ changed: false as const, ...view }) : refused('conflict', view);
  } catch (error) {
    for (const code of ['invalid_transition', 'assignee_not_agent', 'ticket_closed'] as const) {
      if (raisedCode(error, code)) return refused(code);
    }
    throw error;
  }
}

/** SLA due time of a ticket created `now`, computed in SQL from the priority of `tickets` (for follow-ups). */
function dueFrom(now: number, which: 'firstResponse' | 'resolution'): SQL {
  const by = (p: Priority) => SLA[p][which];
  return sql`${now} + CASE priority WHEN 'urgent' THEN ${by('urgent')} WHEN 'high' THEN ${by('high')} WHEN 'low' THEN ${by('low')} ELSE ${by('normal')} END`;
}

/** A submission key bound to what it was sent for (48 hex characters, within the column's CHECK). */
async function scopedKey(scope: string, key: string): Promise<string> {
  return (await sha256Hex(`${scope}\u0000${key}`)).slice(0, 48);
}

/** `followUp`: the ticket a requester's reply to a closed ticket opened (the reply is its description). */
export type CommentResult = Ok<{ detail: TicketDetail; context: QueueContext | null; reopened: boolean; followUp: TicketRow | null }> | Refused<'not_found'>;

/**
 * Adds a public reply or an internal note, as ONE batch. The viewer must be able to
 * see the ticket (requesters: their own), or nothing is written.
 *   - A requester's reply reopens a pending ticket, with its own audit row; the first
 *     public reply by staff records the first response (SLA).
 *   - A public reply bumps the ticket's version and updated_at; an internal note
 *     writes only the comment (and its audit row): nothing a requester can read,
 *     not even the version, moves because of a note.
 *   - A requester's reply to a CLOSED ticket is not added to it (closed stays closed):
 *     it opens a follow-up ticket, with the reply as its description, the closed
 *     ticket's priority and tags, and `follow_up_of` pointing back.
 *   - With a submission key, a replay adds nothing (the comment's or the follow-up's
 *     unique index) and answers as the first request did.
 * Returns the fresh detail (and, for staff, the queue context); 'not_found' means
 * no such ticket for this viewer (and nothing was written).
 */
export async function addComment(
  db: D1Database,
  input: { ticketId: number; body: string; internal: boolean; actor: Actor; viewer: Viewer; now: number; key?: string | null },
): Promise<CommentResult> {
  const { ticketId: id, actor, now, viewer } = input;
  // The key is stored scoped to this ticket (and, for a follow-up, to its purpose): a key
  // sent again to another ticket is a new comment, never a replay of the other ticket's,
  // and a follow-up never collides with the ticket that same key once created.
  const key = input.key ? await scopedKey(`comment:${id}`, input.key) : null;
  const followUpKey = input.key ? await scopedKey(`follow-up:${id}`, input.key) : null;
  const staff = viewer.staff ? 1 : 0;
  const requesterReply = !viewer.staff && !input.internal;
  const firstResponse = viewer.staff && !input.internal ? 1 : 0;
  const visible = sql`id = ${id} AND (${staff} = 1 OR creator_id = ${actor.id})`;
  // Not a replay of a comment this author already sent with this key (NULL never matches).
  const fresh = sql`NOT EXISTS (SELECT 1 FROM lexicon_comments WHERE author_id = ${actor.id} AND submission_key = ${key})`;
  const comment = (guard: SQL) => sql`
    INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at, submission_key)
    SELECT ${id}, ${actor.id}, ${input.body}, ${input.internal ? 1 : 0}, ${now}, ${key} ${guard}
    ON CONFLICT DO NOTHING`;
  const statements: SQL[] = [];
  const at = (q: SQL) => statements.push(q) - 1;
  const reopen = requesterReply
    ? at(sql`${AUDIT} SELECT id, ${actor.id}, 'status', 'pending', 'open', ${actor.requestId}, ${now} FROM tickets
              WHERE ${visible} AND status = 'pending' AND ${fresh} RETURNING id`)
    : -1;
  if (input.internal) {
    // A note touches no column of the ticket (staff see every ticket).
    at(comment(sql`FROM tickets WHERE ${visible} AND ${fresh}`));
  } else {
    // RETURNING, not meta.changes: D1's `changes` also counts the rows the count triggers touch.
    at(sql`UPDATE tickets
              SET version = version + 1, updated_at = ${now},
                  status = iif(${requesterReply ? 1 : 0} = 1 AND status = 'pending', 'open', status),
                  first_responded_at = iif(${firstResponse} = 1, coalesce(first_responded_at, ${now}), first_responded_at)
            WHERE ${visible} AND (${staff} = 1 OR status <> 'closed') AND ${fresh}
        RETURNING id`);
    at(comment(sql`WHERE changes() = 1`));
  }
  at(sql`${AUDIT} SELECT ${id}, ${actor.id}, ${input.internal ? 'note' : 'comment'}, NULL, NULL, ${actor.requestId}, ${now} WHERE changes() = 1`);
  let followUp = -1;
  let earlierFollowUp = -1;
  if (requesterReply) {
    followUp = at(sql`
      INSERT INTO tickets (subject, body, priority, tags, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at, follow_up_of, submission_key)
      SELECT substr('Follow-up to #' || id || ': ' || subject, 1, 200), ${input.body}, priority, tags, creator_id, ${now}, ${now},
             ${dueFrom(now, 'firstResponse')}, ${dueFrom(now, 'resolution')}, id, ${followUpKey}
        FROM tickets WHERE ${visible} AND status = 'closed'
      ON CONFLICT DO NOTHING
      RETURNING ${ROW}`);
    at(sql`${AUDIT} SELECT last_insert_rowid(), ${actor.id}, 'create', NULL, 'new', ${actor.requestId}, ${now} WHERE changes() = 1`);
    // A replayed key: the follow-up its first request opened.
    if (followUpKey)
      earlierFollowUp = at(sql`SELECT ${ROW} FROM tickets WHERE creator_id = ${actor.id} AND submission_key = ${followUpKey} AND follow_up_of = ${id}`);
  }
  const [detailSql, commentsSql] = detailStatements(id, viewer);
  const detail = at(detailSql);
  const thread = at(commentsSql);
  const context = viewer.staff ? at(contextQuery(viewer.id, now)) : -1;
  const results = await batch<TicketDb & CommentDb & { ticket: string; context: string }>(db, statements);
  const followUpRow = results[followUp]?.results[0] ?? results[earlierFollowUp]?.results[0];
  const read = parseDetail(results[detail]?.results[0], results[thread]?.results);
  if (!read) return refused('not_found');
  return ok({
    reopened: (results[reopen]?.results.length ?? 0) === 1,
    detail: read,
    context: parseContext(results[context]?.results[0]),
    followUp: followUpRow ? toRow(followUpRow) : null,
  });
}

/**
 * Moves many tickets to one status, or gives them to one assignee, atomically.
 * The audit rows are written first, reading each ticket's current value as `from`;
 * then one UPDATE changes them all. If any ticket may not make the move, the
 * lifecycle trigger (or the assignee trigger) aborts that UPDATE and D1 rolls back
 * the whole batch, audit rows included: the set is all or nothing. Tickets that
 * already have the value are left alone (and not audited). The batch ends with the
 * queue context, for the counts in the response.
 */
export async function bulkUpdate(
  db: D1Database,
  input: { ids: number[]; set: { status: Status } | { assigneeId: number | null }; actor: Actor; now: number },
): Promise<
  | Ok<{ changed: TicketRow[]; context: QueueContext }>
  | Refused<'invalid_transition' | 'ticket_closed', { blocking: Array<{ id: number; status: Status }> }>
  | Refused<'assignee_not_agent'>
> {
  const ids = JSON.stringify([...new Set(input.ids)]);
  const { actor, now } = input;
  const selected = sql`id IN (SELECT value FROM json_each(${ids}))`;
  const statements =
    'status' in input.set
      ? [
          sql`${AUDIT} SELECT id, ${actor.id}, 'status', status, ${input.set.status}, ${actor.requestId}, ${now}
                FROM tickets WHERE ${selected} AND status <> ${input.set.status}`,
          sql`UPDATE tickets SET status = ${input.set.status}, version = version + 1, updated_at = ${now},
                     resolved_at = CASE WHEN ${input.set.status} = 'resolved' THEN ${now} WHEN ${input.set.status} = 'open' THEN NULL ELSE resolved_at END
               WHERE ${selected} AND status <> ${input.set.status}
           RETURNING ${ROW}`,
        ]
      : [
          sql`${AUDIT} SELECT id, ${actor.id}, 'assign', CAST(assignee_id AS TEXT), ${input.set.assigneeId === null ? null : String(input.set.assigneeId)}, ${actor.requestId}, ${now}
                FROM tickets WHERE ${selected} AND assignee_id IS NOT ${input.set.assigneeId}`,
          sql`UPDATE tickets SET assignee_id = ${input.set.assigneeId}, version = version + 1, updated_at = ${now}
               WHERE ${selected} AND assignee_id IS NOT ${input.set.assigneeId}
           RETURNING ${ROW}`,
        ];
  try {
    const [, updated, context] = await batch<TicketDb & { context: string }>(db, [...statements, contextQuery(actor.id, now)]);
    const counts = parseContext(context?.results[0]);
    if (!counts) throw new Error('the queue context query returned no row');
    return ok({ changed: (updated?.results ?? []).map(toRow), context: counts });
  } catch (error) {
    if (raisedCode(error, 'assignee_not_agent')) return refused('assignee_not_agent');
    if (raisedCode(error, 'ticket_closed')) {
      const closed = await all<{ id: number; status: Status }>(
        db,
        sql`
        SELECT id, status FROM tickets WHERE id IN (SELECT value FROM json_each(${ids})) AND status = 'closed' ORDER BY id`,
      );
      return refused('ticket_closed', { blocking: closed });
    }
    if (!raisedCode(error, 'invalid_transition') || !('status' in input.set)) throw error;
    // Say which tickets stood in the way (those with no path to the target status).
    const rows = await all<{ id: number; status: Status }>(
      db,
      sql`
      SELECT t.id, t.status FROM tickets t
       WHERE t.id IN (SELECT value FROM json_each(${ids})) AND t.status <> ${input.set.status}
         AND NOT EXISTS (SELECT 1 FROM lexicon_transitions x WHERE x.from_status = t.status AND x.to_status = ${input.set.status})
       ORDER BY t.id`,
    );
    return refused('invalid_transition', { blocking: rows });
  }
}
