/**
 * Lexicon's SQL. Reads are one query each; every mutation is one `batch()` that
 * changes the ticket (guarded by its version), writes the audit row only if that
 * change happened (`WHERE changes() = 1`: D1 runs a batch's statements in order on
 * one connection, in one transaction), and lets the triggers keep the queue counts.
 */
import { sha256Hex } from '../../shared/crypto';
import { sql, type SQL } from 'drizzle-orm';
import { all, batch, first, raisedCode } from '../../shared/db';
import { dueTimes, SLA, type Priority, type Status } from './status';

export type TicketRow = {
  id: number;
  subject: string;
  status: Status;
  priority: Priority;
  creatorId: number;
  assigneeId: number | null;
  createdAt: number;
  updatedAt: number;
  resolutionDueAt: number;
  version: number;
};

type TicketDb = {
  id: number; subject: string; status: Status; priority: Priority; creator_id: number; assignee_id: number | null;
  created_at: number; updated_at: number; resolution_due_at: number; version: number;
};

function toRow(r: TicketDb): TicketRow {
  return {
    id: r.id, subject: r.subject, status: r.status, priority: r.priority, creatorId: r.creator_id, assigneeId: r.assignee_id,
    createdAt: r.created_at, updatedAt: r.updated_at, resolutionDueAt: r.resolution_due_at, version: r.version,
  };
}

const ROW = sql.raw('id, subject, status, priority, creator_id, assignee_id, created_at, updated_at, resolution_due_at, version');

export type Actor = { id: number; requestId: string | null };
/** Who is looking: staff (agents, admins) see every ticket and internal notes; requesters their own tickets' public side. */
export type Viewer = { id: number; staff: boolean };

const AUDIT = sql.raw('INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)');

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

export async function findTicket(db: D1Database, id: number): Promise<TicketRow | null> {
  const row = await first<TicketDb>(db, sql`SELECT ${ROW} FROM tickets WHERE id = ${id}`);
  return row && toRow(row);
}

export type Agent = { id: number; name: string; email: string };
export type QueueCounts = Record<Status | 'unassigned' | 'mine' | 'overdue', number>;
/** What every staff screen shows around a ticket: the live queue counts and the people tickets can go to. */
export type QueueContext = { counts: QueueCounts; agents: Agent[] };

/**
 * "Overdue" is the one count no write keeps: tickets become overdue as time passes.
 * It is counted from the partial index, but only up to this many (shown as "99+"),
 * so a backlog of thousands of late tickets cannot make every page read thousands of rows.
 */
export const OVERDUE_CAP = 100;

/**
 * The live counts of every queue and the assignable staff, in ONE statement. The
 * status and unassigned counts are read from the trigger-maintained table (a
 * handful of rows, no scan), "Mine" from the per-assignee table, "Overdue" (which
 * changes with time, not with writes) from the partial index on resolution_due_at, capped,
 * and the staff from the partial index users_staff.
 */
function contextQuery(userId: number, now: number): SQL {
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

function parseContext(row: { context: string } | undefined | null): QueueContext | null {
  return row ? (JSON.parse(row.context) as QueueContext) : null;
}

export async function queueContext(db: D1Database, input: { userId: number; now: number }): Promise<QueueContext> {
  return parseContext(await first<{ context: string }>(db, contextQuery(input.userId, input.now)))!;
}

export type Cursor = { key: number; id: number };
export const QUEUES = ['new', 'open', 'pending', 'resolved', 'closed', 'mine', 'unassigned', 'overdue'] as const;
export type Queue = (typeof QUEUES)[number];

/**
 * One page of a queue after `cursor` (key pagination), each through its own index
 * so the rows read stay close to the rows returned. Queues by status, "Mine",
 * "Unassigned" and a requester's own tickets are newest activity first (key =
 * updated_at); "Overdue" is most overdue first (key = resolution_due_at).
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
function queueQuery(input: { queue: Queue | 'own' | { statusOf: number }; viewer: Viewer; cursor: Cursor | null; limit: number; now: number }): SQL {
  const c = input.cursor;
  const older = c ? sql`AND (updated_at, id) < (${c.key}, ${c.id})` : sql``;
  let query: SQL;
  switch (input.queue) {
    case 'own':
      query = sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_by_creator WHERE creator_id = ${input.viewer.id} ${older}
                   ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
      break;
    case 'mine':
      query = sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_mine
                   WHERE assignee_id = ${input.viewer.id} AND assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending') ${older}
                   ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
      break;
    case 'unassigned':
      query = sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_unassigned
                   WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending') ${older}
                   ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
      break;
    case 'overdue': {
      const later = c ? sql`AND (resolution_due_at, id) > (${c.key}, ${c.id})` : sql``;
      query = sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_due
                   WHERE status IN ('new', 'open', 'pending') AND resolution_due_at < ${input.now} ${later}
                   ORDER BY resolution_due_at, id LIMIT ${input.limit}`;
      break;
    }
    default: {
      const status = typeof input.queue === 'object' ? sql`(SELECT status FROM tickets WHERE id = ${input.queue.statusOf})` : sql`${input.queue}`;
      query = sql`SELECT ${ROW} FROM tickets INDEXED BY tickets_by_status WHERE status = ${status} ${older}
                   ORDER BY updated_at DESC, id DESC LIMIT ${input.limit}`;
    }
  }
  return query;
}

/** The cursor that continues a queue after this row. */
export function cursorAfter(queue: Queue | 'own', row: TicketRow): Cursor {
  return { key: queue === 'overdue' ? row.resolutionDueAt : row.updatedAt, id: row.id };
}

export type Person = { id: number; email: string; name: string };
export type Comment = { id: number; body: string; internal: boolean; fromStaff: boolean; createdAt: number; author: Person };

export type TicketDetail = TicketRow & {
  body: string;
  creator: Person;
  assignee: Person | null;
  tags: string[];
  /** The closed ticket this one follows up, and the follow-ups of this one (that the viewer may see). */
  followUpOf: number | null;
  followUps: number[];
  /** One page of the conversation (at most THREAD_PAGE comments), oldest first. `fromStaff`: written by an agent or admin. */
  comments: Comment[];
  /** Cursors to the comments before and after this page, if there are any (keyset on created_at, id). */
  thread: { earlier: Cursor | null; later: Cursor | null };
  /** The newest HISTORY_PAGE entries of the audit trail, oldest first; `historyTruncated` if there are older ones. */
  history: Array<{ id: number; action: string; from: string | null; to: string | null; at: number; actor: string | null; actorEmail: string | null }>;
  historyTruncated: boolean;
};

/**
 * How much of a ticket one read returns. A ticket's conversation and history grow
 * without bound (10,000 comments is a test case), so the ticket is read as a fixed
 * number of rows: its own row, one page of comments, the newest history entries.
 * A comment is at most 20,000 characters, so a page is at most ~50 × 120 KB of JSON
 * even when every character needs escaping: each comment is its own result row,
 * never one string that could reach D1's 2 MB limit.
 */
export const THREAD_PAGE = 50;
export const HISTORY_PAGE = 50;

/** Which page of the conversation: the newest (default), the one before a comment, or the one after it. */
export type ThreadWindow = { before?: Cursor | undefined; after?: Cursor | undefined };

/**
 * The ticket with its creator, assignee, tags, follow-ups and newest history in ONE
 * query, built with json_object / json_group_array. Requesters see only their own
 * tickets and never internal notes (nor that one was written); for anything else the
 * answer is null, exactly as for a ticket that does not exist.
 */
function detailQuery(id: number, viewer: Viewer): SQL {
  const staff = viewer.staff ? 1 : 0;
  const person = (alias: string) => sql.raw(`json_object('id', ${alias}.id, 'email', ${alias}.email, 'name', coalesce(nullif(${alias}.display_name, ''), ${alias}.email))`);
  // Assignments are audited as user ids; the history shows names.
  const who = (column: string) => sql.raw(`(SELECT coalesce(nullif(display_name, ''), email) FROM users WHERE id = CAST(h.${column} AS INTEGER))`);
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
             'creator', ${person('c')},
             'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE ${person('a')} END,
             'history', (SELECT json_group_array(json_object(
                            'id', h.id, 'action', h.action, 'at', h.created_at, 'actor', coalesce(nullif(u.display_name, ''), u.email), 'actorEmail', u.email,
                            'from', iif(h.action = 'assign', ${who('from_value')}, h.from_value),
                            'to', iif(h.action = 'assign', ${who('to_value')}, h.to_value)))
                           FROM (${history}) h
                           LEFT JOIN users u ON u.id = h.actor_id)
           ) AS ticket
      FROM tickets t
      JOIN users c ON c.id = t.creator_id
      LEFT JOIN users a ON a.id = t.assignee_id
     WHERE t.id = ${id} AND (${staff} = 1 OR t.creator_id = ${viewer.id})`;
}

type CommentDb = { id: number; body: string; internal: number; created_at: number; author_id: number; author_email: string; author_name: string; author_role: string };

/**
 * One page of a ticket's conversation (THREAD_PAGE + 1 rows, to know whether there
 * is more), one row per comment, through the index in the page's order: the rows
 * read are the rows shown, however long the thread. Requesters read the partial
 * index of public comments, so internal notes are neither shown nor read.
 */
function commentsQuery(id: number, viewer: Viewer, window: ThreadWindow = {}): SQL {
  const index = sql.raw(viewer.staff ? 'lexicon_comments_by_ticket' : 'lexicon_comments_public');
  const visible = viewer.staff ? sql`` : sql`AND internal = 0 AND EXISTS (SELECT 1 FROM tickets WHERE id = ${id} AND creator_id = ${viewer.id})`;
  const { before, after } = window;
  const range = after ? sql`AND (created_at, id) > (${after.key}, ${after.id}) ORDER BY created_at, id`
    : before ? sql`AND (created_at, id) < (${before.key}, ${before.id}) ORDER BY created_at DESC, id DESC`
    : sql`ORDER BY created_at DESC, id DESC`;
  return sql`
    SELECT m.id, m.body, m.internal, m.created_at, u.id AS author_id, u.email AS author_email,
           coalesce(nullif(u.display_name, ''), u.email) AS author_name, u.role AS author_role
      FROM (SELECT id, body, internal, created_at, author_id FROM lexicon_comments INDEXED BY ${index}
             WHERE ticket_id = ${id} ${visible} ${range} LIMIT ${THREAD_PAGE + 1}) m
      JOIN users u ON u.id = m.author_id`;
}

/** The detail and the comment page: the statements of one read of a ticket, in this order. */
function detailStatements(id: number, viewer: Viewer, window?: ThreadWindow): [SQL, SQL] {
  return [detailQuery(id, viewer), commentsQuery(id, viewer, window)];
}

const byTime = (a: { createdAt: number; id: number }, b: { createdAt: number; id: number }) => a.createdAt - b.createdAt || a.id - b.id;

function parseDetail(row: { ticket: string } | undefined | null, commentRows: CommentDb[] = [], window: ThreadWindow = {}): TicketDetail | null {
  if (!row) return null;
  const d = JSON.parse(row.ticket) as Omit<TicketDetail, 'comments' | 'thread' | 'historyTruncated'> & { history: TicketDetail['history'] | null };
  const all = commentRows
    .map((m): Comment => ({
      id: m.id, body: m.body, internal: m.internal === 1, fromStaff: m.author_role === 'agent' || m.author_role === 'admin', createdAt: m.created_at,
      author: { id: m.author_id, email: m.author_email, name: m.author_name },
    }))
    .sort(byTime);
  const more = all.length > THREAD_PAGE;
  // Forward pages keep their first THREAD_PAGE rows; backward pages (newest, before) their last.
  const comments = window.after ? all.slice(0, THREAD_PAGE) : all.slice(more ? 1 : 0);
  const cursor = (m: Comment | undefined): Cursor | null => (m ? { key: m.createdAt, id: m.id } : null);
  const thread = window.after
    ? { earlier: cursor(comments[0]) ?? window.after, later: more ? cursor(comments.at(-1)) : null }
    : { earlier: more ? cursor(comments[0]) : null, later: window.before ? (cursor(comments.at(-1)) ?? window.before) : null };
  const history = (d.history ?? []).sort((a, b) => a.id - b.id);
  const historyTruncated = history.length > HISTORY_PAGE;
  return { ...d, comments, thread, history: historyTruncated ? history.slice(1) : history, historyTruncated };
}

export async function ticketDetail(db: D1Database, input: { id: number; viewer: Viewer; window?: ThreadWindow }): Promise<TicketDetail | null> {
  const [detail, comments] = await batch<{ ticket: string } & CommentDb>(db, detailStatements(input.id, input.viewer, input.window));
  return parseDetail(detail?.results[0], comments?.results, input.window);
}

/**
 * A ticket's detail and (for staff) the queue context, in one round trip; with
 * `listLimit` (a staff page), also the first rows of the queue of the ticket's status.
 */
export async function ticketView(db: D1Database, input: { id: number; viewer: Viewer; now: number; listLimit?: number; window?: ThreadWindow }): Promise<TicketView> {
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

/** `list`: the first page (+1) of the queue of the ticket's status, when asked for. */
export type TicketView = { detail: TicketDetail | null; context: QueueContext | null; list?: TicketRow[] };

export type Changes = { status?: Status; priority?: Priority; assigneeId?: number | null; tags?: string[] };

export type UpdateResult = TicketView &
  (
    | { outcome: 'changed'; ticket: TicketRow }
    | { outcome: 'unchanged' | 'conflict' | 'not_found' }
    | { outcome: 'invalid_transition' | 'assignee_not_agent' | 'ticket_closed' }
  );

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
  if (status !== null) audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'status', status, ${status}, ${actor.requestId}, ${now} ${current} AND status <> ${status}`);
  if (priority !== null) audits.push(sql`${AUDIT} SELECT id, ${actor.id}, 'priority', priority, ${priority}, ${actor.requestId}, ${now} ${current} AND priority <> ${priority}`);
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
    if (updated) return { outcome: 'changed', ticket: toRow(updated), ...view };
    if (!view.detail) return { outcome: 'not_found', ...view };
    return { outcome: view.detail.version === v ? 'unchanged' : 'conflict', ...view };
  } catch (error) {
    for (const code of ['invalid_transition', 'assignee_not_agent', 'ticket_closed'] as const) {
      if (raisedCode(error, code)) return { outcome: code, detail: null, context: null };
    }
    throw error;
  }
}

/** SLA due time of a ticket created `now`, computed in SQL from the priority of `tickets` (for follow-ups). */
function dueFrom(now: number, which: 'firstResponse' | 'resolution'): SQL {
  const by = (p: Priority) => SLA[p][which];
  return sql`${now} + CASE priority WHEN 'urgent' THEN ${by('urgent')} WHEN 'high' THEN ${by('high')} WHEN 'low' THEN ${by('low')} ELSE ${by('normal')} END`;
}

export type CommentResult = TicketView & { reopened: boolean; followUp: TicketRow | null };

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
 * Returns the fresh detail (and, for staff, the queue context); `detail: null` means
 * no such ticket for this viewer.
 */
/** A submission key bound to what it was sent for (48 hex characters, within the column's CHECK). */
async function scopedKey(scope: string, key: string): Promise<string> {
  return (await sha256Hex(`${scope}\u0000${key}`)).slice(0, 48);
}

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
    if (followUpKey) earlierFollowUp = at(sql`SELECT ${ROW} FROM tickets WHERE creator_id = ${actor.id} AND submission_key = ${followUpKey} AND follow_up_of = ${id}`);
  }
  const [detailSql, commentsSql] = detailStatements(id, viewer);
  const detail = at(detailSql);
  const thread = at(commentsSql);
  const context = viewer.staff ? at(contextQuery(viewer.id, now)) : -1;
  const results = await batch<TicketDb & CommentDb & { ticket: string; context: string }>(db, statements);
  const followUpRow = results[followUp]?.results[0] ?? results[earlierFollowUp]?.results[0];
  return {
    reopened: (results[reopen]?.results.length ?? 0) === 1,
    detail: parseDetail(results[detail]?.results[0], results[thread]?.results),
    context: parseContext(results[context]?.results[0]),
    followUp: followUpRow ? toRow(followUpRow) : null,
  };
}

export type AuditRow = { id: number; ticketId: number; actorId: number | null; action: string; from: string | null; to: string | null; requestId: string | null; createdAt: number };

export async function auditTrail(db: D1Database, ticketId: number): Promise<AuditRow[]> {
  const rows = await all<{ id: number; ticket_id: number; actor_id: number | null; action: string; from_value: string | null; to_value: string | null; request_id: string | null; created_at: number }>(
    db,
    sql`SELECT id, ticket_id, actor_id, action, from_value, to_value, request_id, created_at FROM lexicon_audit WHERE ticket_id = ${ticketId} ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, ticketId: r.ticket_id, actorId: r.actor_id, action: r.action, from: r.from_value, to: r.to_value, requestId: r.request_id, createdAt: r.created_at }));
}

/**
 * Full-text search over subject, body and each comment (and internal notes, for staff).
 * Terms of 3+ characters go through the trigram index; a shorter query falls back
 * to a prefix match on the subject. Requesters only ever search their own tickets.
 */
export async function searchTickets(
  db: D1Database,
  input: { query: string; viewer: { id: number; staff: boolean }; limit: number },
): Promise<TicketRow[]> {
  const terms = searchable(input.query).trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const mine = input.viewer.staff ? sql`` : sql`AND t.creator_id = ${input.viewer.id}`;
  if (terms.length === 0) return [];
  if (terms.every((t) => [...t].length < 3)) {
    // Too short for trigrams: prefix search on the subject (LIKE's wildcards escaped).
    const prefix = `${terms.join(' ').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await all<TicketDb>(db, sql`
      SELECT ${sql.raw(ROW_T)} FROM tickets t
       WHERE t.subject LIKE ${prefix} ESCAPE '\\' ${mine}
       ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`);
    return rows.map(toRow);
  }
  if (!input.viewer.staff) return searchOwnTickets(db, input.viewer.id, terms.filter((t) => [...t].length >= 3), input.limit);
  // Each term is quoted (an FTS5 string), so user input is never FTS syntax. A ticket
  // matches a term through its subject or body, or through any one of its comments
  // (each comment is its own FTS row: see migrations/0013); requesters' terms never
  // look at internal notes. Every term must match somewhere in the ticket.
  const notes = input.viewer.staff ? sql`` : sql`AND internal = 0`;
  const matches = terms
    .filter((t) => [...t].length >= 3)
    .map((t) => {
      const phrase = `"${t.replace(/"/g, '""')}"`;
      return sql`AND t.id IN (SELECT rowid FROM lexicon_search WHERE lexicon_search MATCH ${phrase}
                     UNION SELECT ticket_id FROM lexicon_comment_search WHERE lexicon_comment_search MATCH ${`body : ${phrase}`} ${notes})`;
    });
  const rows = await all<TicketDb>(db, sql`
    SELECT ${sql.raw(ROW_T)} FROM tickets t
     WHERE 1 = 1 ${sql.join(matches, sql` `)} ${mine}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`);
  return rows.map(toRow);
}

/**
 * A requester's search walks their own tickets (tickets_by_creator, newest first) and
 * their public comments, with a substring test: its cost is bounded by what they wrote, never by
 * how often a word occurs across the instance (an FTS match reads every matching row
 * before the creator filter could apply: "the" read 40,000 rows in the hostile review).
 */
async function searchOwnTickets(db: D1Database, creatorId: number, terms: string[], limit: number): Promise<TicketRow[]> {
  // instr() on lower(): a substring test with no pattern syntax to escape and no
  // pattern-length limit (LIKE refuses long patterns), case-insensitive like the trigram index.
  const has = (column: SQL, term: string) => sql`instr(lower(${column}), ${term.toLowerCase()}) > 0`;
  const matches = terms.map((term) => sql`AND (${has(sql`t.subject`, term)} OR ${has(sql`t.body`, term)}
      OR EXISTS (SELECT 1 FROM lexicon_comments c WHERE c.ticket_id = t.id AND c.internal = 0 AND ${has(sql`c.body`, term)}))`);
  const rows = await all<TicketDb>(db, sql`
    SELECT ${sql.raw(ROW_T)} FROM tickets t INDEXED BY tickets_by_creator
     WHERE t.creator_id = ${creatorId} ${sql.join(matches, sql` `)}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${limit}`);
  return rows.map(toRow);
}

/**
 * The query as text SQLite can take: control characters (NUL ends an FTS5 string
 * early: "unterminated string", a 500) become spaces, and lone UTF-16 surrogates
 * (not valid UTF-8, so not bindable as text) become U+FFFD.
 */
function searchable(query: string): string {
  // eslint-disable-next-line no-control-regex
  return query.replace(/[\u0000-\u001f\u007f]/g, ' ').toWellFormed();
}

const ROW_T = 't.id, t.subject, t.status, t.priority, t.creator_id, t.assignee_id, t.created_at, t.updated_at, t.resolution_due_at, t.version';

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
  | { ok: true; changed: TicketRow[]; context: QueueContext }
  | { ok: false; reason: 'invalid_transition'; blocking: Array<{ id: number; status: Status }> }
  | { ok: false; reason: 'assignee_not_agent' }
  | { ok: false; reason: 'ticket_closed'; blocking: Array<{ id: number; status: Status }> }
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
    return { ok: true, changed: (updated?.results ?? []).map(toRow), context: parseContext(context?.results[0])! };
  } catch (error) {
    if (raisedCode(error, 'assignee_not_agent')) return { ok: false, reason: 'assignee_not_agent' };
    if (raisedCode(error, 'ticket_closed')) {
      const closed = await all<{ id: number; status: Status }>(db, sql`
        SELECT id, status FROM tickets WHERE id IN (SELECT value FROM json_each(${ids})) AND status = 'closed' ORDER BY id`);
      return { ok: false, reason: 'ticket_closed', blocking: closed };
    }
    if (!raisedCode(error, 'invalid_transition') || !('status' in input.set)) throw error;
    // Say which tickets stood in the way (those with no path to the target status).
    const rows = await all<{ id: number; status: Status }>(db, sql`
      SELECT t.id, t.status FROM tickets t
       WHERE t.id IN (SELECT value FROM json_each(${ids})) AND t.status <> ${input.set.status}
         AND NOT EXISTS (SELECT 1 FROM lexicon_transitions x WHERE x.from_status = t.status AND x.to_status = ${input.set.status})
       ORDER BY t.id`);
    return { ok: false, reason: 'invalid_transition', blocking: rows };
  }
}

/** Staff and requesters, for the API's user list (key pagination by id). */
export async function listUsers(db: D1Database, input: { afterId: number; limit: number }): Promise<Array<{ id: number; email: string; name: string; role: string }>> {
  return all(db, sql`
    SELECT id, email, coalesce(nullif(display_name, ''), email) AS name, role FROM users
     WHERE id > ${input.afterId} AND disabled_at IS NULL ORDER BY id LIMIT ${input.limit}`);
}
