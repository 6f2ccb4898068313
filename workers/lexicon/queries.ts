/**
 * Lexicon's reads. Each is one statement, or one `batch()` of statements (one round
 * trip), each through an index chosen so the rows read stay close to the rows
 * returned. The statement builders are exported for writes.ts, whose batches end
 * with the read the response shows.
 */
import { sql, type SQL } from 'drizzle-orm';
import { all, batch, first } from '../../shared/db';
import type { Queue } from './queues';
import {
  HISTORY_PAGE,
  OVERDUE_CAP,
  parseContext,
  parseDetail,
  ROW,
  THREAD_PAGE,
  toRow,
  type CommentDb,
  type Cursor,
  type QueueContext,
  type ThreadWindow,
  type TicketDb,
  type TicketDetail,
  type TicketRow,
  type TicketView,
  type Viewer,
} from './rows';

export async function findTicket(db: D1Database, id: number): Promise<TicketRow | null> {
  const row = await first<TicketDb>(db, sql`SELECT ${ROW} FROM tickets WHERE id = ${id}`);
  return row && toRow(row);
}

/**
 * The live counts of every queue and the assignable staff, in ONE statement. The
 * status and unassigned counts are read from the trigger-maintained table (a
 * handful of rows, no scan), "Mine" from the per-assignee table, "Overdue" (which
 * changes with time, not with writes) from the partial index on resolution_due_at, capped,
 * and the staff from the partial index users_staff.
 */
export function contextQuery(userId: number, now: number): SQL {
  return sql`
    SELECT json_object(
      'counts', (SELECT json_group_object(queue, n) FROM (
          SELECT queue, n FROM lexicon_counts
          UNION ALL SELECT 'mine', coalesce(sum(n), 0) FROM lexicon_assignee_counts
                     WHERE assignee_id = ${userId} AND status IN ('new', 'open', 'pending')
          UNION ALL SELECT 'overdue', count(*) FROM (SELECT 1 FROM tickets INDEXED BY tickets_due
                     WHERE status IN ('new', 'open', 'pending') AND resolution_due_at < ${now} LIMIT ${OVERDUE_CAP}))),
      'agents', (SELECT json_group_array(json_object('id', id, 'name', coalesce(nullif(display_name, ''), email), 'email', email)) FROM (
          SELECT id, display_name, email FROM users INDEXED BY users_staff
           WHERE role IN ('agent', 'admin') AND disabled_at IS NULL ORDER BY display_name, id))
    ) AS context`;
}

export async function queueContext(db: D1Database, input: { userId: number; now: number }): Promise<QueueContext> {
  const context = parseContext(await first<{ context: string }>(db, contextQuery(input.userId, input.now)));
  if (!context) throw new Error('the queue context query returned no row');
  return context;
}

/**
 * One page of a queue after `cursor` (keyset pagination: ask for one row more than
 * the page, see shared/pagination.ts). Queues by status, "Mine", "Unassigned" and a
 * requester's own tickets are newest activity first (key = updated_at); "Overdue"
 * is most overdue first (key = resolution_due_at).
 */
export async function listQueue(
  db: D1Database,
  input: { queue: Queue | 'own'; viewer: Viewer; cursor: Cursor | null; limit: number; now: number },
): Promise<TicketRow[]> {
  return (await all<TicketDb>(db, queueQuery(input))).map(toRow);
}

/**
 * The SQL of one queue page. `{ statusOf: id }` is the queue of that ticket's status,
 * read in the same statement, so a ticket page can batch its list with its detail.
 */
export function queueQuery(input: { queue: Queue | 'own' | { statusOf: number }; viewer: Viewer; cursor: Cursor | null; limit: number; now: number }): SQL {
  const c = input.cursor;
  const older = c ? sql`AND (updated_at, id) < (${c.key}, ${c.id})` : sql``;
  switch (input.queue) {
    case 'own':
      return sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_by_creator WHERE creator_id = ${input.viewer.id} ${older}
                  ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
    case 'mine':
      return sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_mine
                  WHERE assignee_id = ${input.viewer.id} AND assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending') ${older}
                  ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
    case 'unassigned':
      return sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_unassigned
                  WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending') ${older}
                  ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
    case 'overdue': {
      const later = c ? sql`AND (resolution_due_at, id) > (${c.key}, ${c.id})` : sql``;
      return sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_due
                  WHERE status IN ('new', 'open', 'pending') AND resolution_due_at < ${input.now} ${later}
                  ORDER BY resolution_due_at, id LIMIT ${input.limit}`;
    }
    default: {
      const status = typeof input.queue === 'object' ? sql`(SELECT status FROM tickets WHERE id = ${input.queue.statusOf})` : sql`${input.queue}`;
      return sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_by_status WHERE status = ${status} ${older}
                  ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
    }
  }
}

/** A person as JSON, for the two people a ticket names (a fixed set of aliases: nothing spliced). */
const PERSON = {
  c: sql`json_object('id', c.id, 'email', c.email, 'name', coalesce(nullif(c.display_name, ''), c.email))`,
  a: sql`json_object('id', a.id, 'email', a.email, 'name', coalesce(nullif(a.display_name, ''), a.email))`,
};

/** Assignments are audited as user ids; the history shows names. */
const WHO = {
  from: sql`(SELECT coalesce(nullif(display_name, ''), email) FROM users WHERE id = CAST(h.from_value AS INTEGER))`,
  to: sql`(SELECT coalesce(nullif(display_name, ''), email) FROM users WHERE id = CAST(h.to_value AS INTEGER))`,
};

/**
 * The ticket with its creator, assignee, tags, follow-ups and newest history in ONE
 * query, built with json_object / json_group_array. Requesters see only their own
 * tickets and never internal notes (nor that one was written); for anything else the
 * answer is null, exactly as for a ticket that does not exist.
 */
function detailQuery(id: number, viewer: Viewer): SQL {
  const staff = viewer.staff ? 1 : 0;
  // Requesters read the history through the partial index without notes: notes cost them no rows.
  const history = viewer.staff
    ? sql`SELECT * FROM lexicon_audit INDEXED BY lexicon_audit_by_ticket WHERE ticket_id = t.id ORDER BY id DESC LIMIT ${HISTORY_PAGE + 1}`
    : sql`SELECT * FROM lexicon_audit INDEXED BY lexicon_audit_public WHERE ticket_id = t.id AND action <> 'note' ORDER BY id DESC LIMIT ${HISTORY_PAGE + 1}`;
  return sql`
    SELECT json_object(
             'id', t.id, 'subject', t.subject, 'body', t.body, 'status', t.status, 'priority', t.priority,
             'creatorId', t.creator_id, 'assigneeId', t.assignee_id, 'createdAt', t.created_at, 'updatedAt', t.updated_at,
             'resolutionDueAt', t.resolution_due_at, 'version', t.version, 'tags', json(t.tags),
             'followUpOf', t.follow_up_of,
             'followUps', (SELECT json_group_array(f.id) FROM tickets f INDEXED BY tickets_follow_ups
                            WHERE f.follow_up_of = t.id AND (${staff} = 1 OR f.creator_id = ${viewer.id})),
             'creator', ${PERSON.c},
             'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE ${PERSON.a} END,
             'history', (SELECT json_group_array(json_object(
                            'id', h.id, 'action', h.action, 'at', h.created_at, 'actor', coalesce(nullif(u.display_name, ''), u.email), 'actorEmail', u.email,
                            'from', iif(h.action = 'assign', ${WHO.from}, h.from_value),
                            'to', iif(h.action = 'assign', ${WHO.to}, h.to_value)))
                           FROM (${history}) h
                           LEFT JOIN users u ON u.id = h.actor_id)
           ) AS ticket
      FROM tickets t
      JOIN users c ON c.id = t.creator_id
      LEFT JOIN users a ON a.id = t.assignee_id
     WHERE t.id = ${id} AND (${staff} = 1 OR t.creator_id = ${viewer.id})`;
}

/**
 * One page of a ticket's conversation (THREAD_PAGE + 1 rows, to know whether there
 * is more), one row per comment, through the index in the page's order: the rows
 * read are the rows shown, however long the thread. Requesters read the partial
 * index of public comments, so internal notes are neither shown nor read.
 */
function commentsQuery(id: number, viewer: Viewer, window: ThreadWindow = {}): SQL {
  const comments = viewer.staff ? sql`lexicon_comments INDEXED BY lexicon_comments_by_ticket` : sql`lexicon_comments INDEXED BY lexicon_comments_public`;
  const visible = viewer.staff ? sql`` : sql`AND internal = 0 AND EXISTS (SELECT 1 FROM tickets WHERE id = ${id} AND creator_id = ${viewer.id})`;
  const { before, after } = window;
  const range = after
    ? sql`AND (created_at, id) > (${after.key}, ${after.id}) ORDER BY created_at, id`
    : before
      ? sql`AND (created_at, id) < (${before.key}, ${before.id}) ORDER BY created_at DESC, id DESC`
      : sql`ORDER BY created_at DESC, id DESC`;
  return sql`
    SELECT m.id, m.body, m.internal, m.created_at, u.id AS author_id, u.email AS author_email,
           coalesce(nullif(u.display_name, ''), u.email) AS author_name, u.role AS author_role
      FROM (SELECT id, body, internal, created_at, author_id FROM ${comments}
             WHERE ticket_id = ${id} ${visible} ${range} LIMIT ${THREAD_PAGE + 1}) m
      JOIN users u ON u.id = m.author_id`;
}

/** The detail and the comment page: the statements of one read of a ticket, in this order. */
export function detailStatements(id: number, viewer: Viewer, window?: ThreadWindow): [SQL, SQL] {
  return [detailQuery(id, viewer), commentsQuery(id, viewer, window)];
}

export async function ticketDetail(db: D1Database, input: { id: number; viewer: Viewer; window?: ThreadWindow }): Promise<TicketDetail | null> {
  const [detail, comments] = await batch<{ ticket: string } & CommentDb>(db, detailStatements(input.id, input.viewer, input.window));
  return parseDetail(detail?.results[0], comments?.results, input.window);
}

/**
 * A ticket's detail and (for staff) the queue context, in one round trip; with
 * `listLimit` (a staff page), also the first rows of the queue of the ticket's status.
 */
export async function ticketView(
  db: D1Database,
  input: { id: number; viewer: Viewer; now: number; listLimit?: number | undefined; window?: ThreadWindow },
): Promise<TicketView> {
  const limit = input.viewer.staff ? input.listLimit : undefined;
  const [detail, comments, context, list] = await batch<{ ticket: string; context: string } & TicketDb & CommentDb>(db, [
    ...detailStatements(input.id, input.viewer, input.window),
    ...(input.viewer.staff ? [contextQuery(input.viewer.id, input.now)] : []),
    ...(limit ? [queueQuery({ queue: { statusOf: input.id }, viewer: input.viewer, cursor: null, limit, now: input.now })] : []),
  ]);
  return {
    detail: parseDetail(detail?.results[0], comments?.results, input.window),
    context: parseContext(context?.results[0]),
    ...(limit ? { list: (list?.results ?? []).map(toRow) } : {}),
  };
}

export type AuditRow = {
  id: number;
  ticketId: number;
  actorId: number | null;
  action: string;
  from: string | null;
  to: string | null;
  requestId: string | null;
  createdAt: number;
};

export async function auditTrail(db: D1Database, ticketId: number): Promise<AuditRow[]> {
  const rows = await all<{
    id: number;
    ticket_id: number;
    actor_id: number | null;
    action: string;
    from_value: string | null;
    to_value: string | null;
    request_id: string | null;
    created_at: number;
  }>(
    db,
    sql`SELECT id, ticket_id, actor_id, action, from_value, to_value, request_id, created_at FROM lexicon_audit WHERE ticket_id = ${ticketId} ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id,
    ticketId: r.ticket_id,
    actorId: r.actor_id,
    action: r.action,
    from: r.from_value,
    to: r.to_value,
    requestId: r.request_id,
    createdAt: r.created_at,
  }));
}

export type UserRow = { id: number; email: string; name: string; role: string };

/** Active users after `afterId` (keyset on id), for the API's user list: ask for one more than the page. */
export async function listUsers(db: D1Database, input: { afterId: number; limit: number }): Promise<UserRow[]> {
  return all<UserRow>(
    db,
    sql`
    SELECT id, email, coalesce(nullif(display_name, ''), email) AS name, role FROM users
     WHERE id > ${input.afterId} AND disabled_at IS NULL ORDER BY id LIMIT ${input.limit}`,
  );
}
