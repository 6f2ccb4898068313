/**
 * What Lexicon reads from D1, as the rest of the app sees it: the types, the
 * columns every ticket read selects, and the mapping of rows to those types.
 *
 * The one-statement reads (a ticket with its people and history, the queue counts
 * with the agents) come back as JSON documents built by `json_object` in SQL. They
 * are parsed here with zod, never cast: a column renamed in a migration is an error
 * that names the field, not an `undefined` that renders as a blank.
 */
import { sql } from 'drizzle-orm';
import * as z from 'zod';
import { keysetPage } from '../../shared/pagination';
import type { Queue } from './queues';
import { PRIORITIES, STATUSES, type Priority, type Status } from './status';

// ---------------------------------------------------------------- tickets

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

/** A ticket row as D1 returns it. */
export type TicketDb = {
  id: number;
  subject: string;
  status: Status;
  priority: Priority;
  creator_id: number;
  assignee_id: number | null;
  created_at: number;
  updated_at: number;
  resolution_due_at: number;
  version: number;
};

/** The columns of a TicketRow, unqualified and as `t.` (for queries that join). */
export const ROW = sql`id, subject, status, priority, creator_id, assignee_id, created_at, updated_at, resolution_due_at, version`;
export const ROW_T = sql`t.id, t.subject, t.status, t.priority, t.creator_id, t.assignee_id, t.created_at, t.updated_at, t.resolution_due_at, t.version`;

export function toRow(r: TicketDb): TicketRow {
  return {
    id: r.id,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    creatorId: r.creator_id,
    assigneeId: r.assignee_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    resolutionDueAt: r.resolution_due_at,
    version: r.version,
  };
}

export type Actor = { id: number; requestId: string | null };
/** Who is looking: staff (agents, admins) see every ticket and internal notes; requesters their own tickets' public side. */
export type Viewer = { id: number; staff: boolean };

/** A keyset position: the sort key (a time) and the id that breaks ties. Written `key.id` in URLs (shared/pagination.ts). */
export type Cursor = { key: number; id: number };

/** The cursor that continues a queue after this row. */
export function cursorAfter(queue: Queue | 'own', row: TicketRow): Cursor {
  return { key: queue === 'overdue' ? row.resolutionDueAt : row.updatedAt, id: row.id };
}

export type Changes = { status?: Status; priority?: Priority; assigneeId?: number | null; tags?: string[] };

// ---------------------------------------------------------------- the queue context

/**
 * "Overdue" is the one count no write keeps: tickets become overdue as time passes.
 * It is counted from the partial index, but only up to this many (shown as "99+"),
 * so a backlog of thousands of late tickets cannot make every page read thousands of rows.
 */
export const OVERDUE_CAP = 100;

const count = z.number().int();
const ContextDoc = z.object({
  counts: z.object({ new: count, open: count, pending: count, resolved: count, closed: count, mine: count, unassigned: count, overdue: count }),
  agents: z.array(z.object({ id: z.number().int(), name: z.string(), email: z.string() })),
});

/** What every staff screen shows around a ticket: the live queue counts and the people tickets can go to. */
export type QueueContext = z.output<typeof ContextDoc>;
export type QueueCounts = QueueContext['counts'];
export type Agent = QueueContext['agents'][number];

/** The `context` document of contextQuery (queries.ts). */
export function parseContext(row: { context: string } | undefined | null): QueueContext | null {
  return row ? ContextDoc.parse(JSON.parse(row.context)) : null;
}

// ---------------------------------------------------------------- one ticket

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

const PersonDoc = z.object({ id: z.number().int(), email: z.string(), name: z.string() });
export type Person = z.output<typeof PersonDoc>;

const HistoryDoc = z.object({
  id: z.number().int(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  at: z.number(),
  actor: z.string().nullable(),
  actorEmail: z.string().nullable(),
});

/** The `ticket` document of detailQuery (queries.ts). */
const DetailDoc = z.object({
  id: z.number().int(),
  subject: z.string(),
  body: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  creatorId: z.number().int(),
  assigneeId: z.number().int().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  resolutionDueAt: z.number(),
  version: z.number().int(),
  tags: z.array(z.string()),
  followUpOf: z.number().int().nullable(),
  followUps: z.array(z.number().int()),
  creator: PersonDoc,
  assignee: PersonDoc.nullable(),
  history: z.array(HistoryDoc).nullable(),
});

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
  history: Array<z.output<typeof HistoryDoc>>;
  historyTruncated: boolean;
};

/** A comment row as commentsQuery (queries.ts) returns it. */
export type CommentDb = {
  id: number;
  body: string;
  internal: number;
  created_at: number;
  author_id: number;
  author_email: string;
  author_name: string;
  author_role: string;
};

const oldestFirst = (a: { createdAt: number; id: number }, b: { createdAt: number; id: number }) => a.createdAt - b.createdAt || a.id - b.id;
const commentCursor = (m: Comment): Cursor => ({ key: m.createdAt, id: m.id });

/**
 * A ticket from its document and one page of comment rows (THREAD_PAGE + 1 of them,
 * fetched in the window's direction): the page, and the cursors on either side.
 */
export function parseDetail(row: { ticket: string } | undefined | null, commentRows: CommentDb[] = [], window: ThreadWindow = {}): TicketDetail | null {
  if (!row) return null;
  const d = DetailDoc.parse(JSON.parse(row.ticket));
  const comments = commentRows.map(
    (m): Comment => ({
      id: m.id,
      body: m.body,
      internal: m.internal === 1,
      fromStaff: m.author_role === 'agent' || m.author_role === 'admin',
      createdAt: m.created_at,
      author: { id: m.author_id, email: m.author_email, name: m.author_name },
    }),
  );
  // The join with users keeps no order: put the rows back in the order they were
  // fetched (forward after a cursor, backward otherwise), page them, show oldest first.
  let thread: TicketDetail['thread'];
  let page: Comment[];
  if (window.after) {
    const { items, next } = keysetPage(comments.sort(oldestFirst), THREAD_PAGE, commentCursor);
    page = items;
    thread = { earlier: items[0] ? commentCursor(items[0]) : window.after, later: next };
  } else {
    const { items, next } = keysetPage(
      comments.sort((a, b) => oldestFirst(b, a)),
      THREAD_PAGE,
      commentCursor,
    );
    page = items.reverse();
    const last = page.at(-1);
    thread = { earlier: next, later: window.before ? (last ? commentCursor(last) : window.before) : null };
  }
  // History: the newest HISTORY_PAGE + 1 entries, to know whether there are older ones.
  const history = keysetPage(
    (d.history ?? []).sort((a, b) => b.id - a.id),
    HISTORY_PAGE,
    (h) => h.id,
  );
  return { ...d, comments: page, thread, history: history.items.reverse(), historyTruncated: history.next !== null };
}

const TagsDoc = z.array(z.string());

/** The tags of a 'tag' audit value (the JSON array the tickets.tags column held), or null if it is not one. */
export function auditTags(value: string): string[] | null {
  try {
    return TagsDoc.nullable().catch(null).parse(JSON.parse(value));
  } catch {
    return null; // not JSON at all
  }
}

/** `list`: the first page (+1) of the queue of the ticket's status, when asked for. */
export type TicketView = { detail: TicketDetail | null; context: QueueContext | null; list?: TicketRow[] };
