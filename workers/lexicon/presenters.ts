/**
 * Every JSON shape Lexicon's API answers with, each a zod schema (the response
 * schema of its operation in the OpenAPI document) and the function that builds it,
 * typed by that schema. Times are ISO 8601; cursors are shared/pagination.ts's `key.id`.
 * What is not here is not said: a requester's answers are built from reads that
 * never return internal notes, and the history leaves out who wrote by email.
 */
import * as z from 'zod';
import { encodeCursor } from '../../shared/pagination';
import { ticketPath } from './paths';
import type { Queue } from './queues';
import type { Comment, Cursor, TicketDetail, TicketRow } from './rows';
import { nextStatuses, PRIORITIES, STATUSES } from './status';
import type { UserRow } from './queries';

const iso = (ms: number): string => new Date(ms).toISOString();
const cursorOrNull = (c: Cursor | null): string | null => (c ? encodeCursor([c.key, c.id]) : null);

const id = z.number().int().positive();
const time = z.string().describe('ISO 8601, UTC');
const cursor = z
  .string()
  .nullable()
  .describe('Opaque: send it back in the parameter this list documents (`cursor`, `after` or `before`) to continue; null: nothing more that way.');

export const PersonJson = z.object({ id, email: z.string(), name: z.string() });

export const TicketJson = z.object({
  id,
  subject: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  creatorId: id,
  assigneeId: id.nullable(),
  createdAt: time,
  updatedAt: time,
  resolutionDueAt: time,
  version: z.number().int().min(1).describe('Send it back with a PATCH: a change to a newer version is a 409.'),
  url: z.string().describe('The ticket’s page.'),
});

export function ticketJson(t: TicketRow): z.output<typeof TicketJson> {
  return {
    id: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    creatorId: t.creatorId,
    assigneeId: t.assigneeId,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    resolutionDueAt: iso(t.resolutionDueAt),
    version: t.version,
    url: ticketPath(t.id),
  };
}

export const CommentJson = z.object({
  id,
  body: z.string(),
  internal: z.boolean().describe('An internal note (staff only ever see these).'),
  fromStaff: z.boolean(),
  createdAt: time,
  author: PersonJson,
});

export function commentJson(m: Comment): z.output<typeof CommentJson> {
  return { id: m.id, body: m.body, internal: m.internal, fromStaff: m.fromStaff, createdAt: iso(m.createdAt), author: m.author };
}

export const HistoryJson = z.object({ action: z.string(), from: z.string().nullable(), to: z.string().nullable(), at: time, actor: z.string().nullable() });

/** `comments`: the newest page of the thread (oldest first); `history`: the newest entries. */
export const TicketDetailJson = TicketJson.extend({
  body: z.string(),
  tags: z.array(z.string()),
  creator: PersonJson,
  assignee: PersonJson.nullable(),
  followUpOf: id.nullable(),
  followUps: z.array(id),
  allowedNextStatuses: z.array(z.enum(STATUSES)),
  comments: z.array(CommentJson),
  commentsEarlierCursor: cursor,
  history: z.array(HistoryJson),
  historyTruncated: z.boolean(),
});

export function ticketDetailJson(d: TicketDetail): z.output<typeof TicketDetailJson> {
  return {
    ...ticketJson(d),
    body: d.body,
    tags: d.tags,
    creator: d.creator,
    assignee: d.assignee,
    followUpOf: d.followUpOf,
    followUps: d.followUps,
    allowedNextStatuses: nextStatuses(d.status),
    comments: d.comments.map(commentJson),
    commentsEarlierCursor: cursorOrNull(d.thread.earlier),
    history: d.history.map((h) => ({ action: h.action, from: h.from, to: h.to, at: iso(h.at), actor: h.actor })),
    historyTruncated: d.historyTruncated,
  };
}

// ---------------------------------------------------------------- whole answers

export const TicketList = z.object({
  queue: z.string().describe('The queue listed: a status, mine, unassigned, overdue, or own (a requester’s own tickets).'),
  tickets: z.array(TicketJson),
  nextCursor: cursor,
});

export function ticketList(queue: Queue | 'own', tickets: TicketRow[], next: Cursor | null): z.output<typeof TicketList> {
  return { queue, tickets: tickets.map(ticketJson), nextCursor: cursorOrNull(next) };
}

export const OneTicket = z.object({ ticket: TicketJson });
export const oneTicket = (t: TicketRow): z.output<typeof OneTicket> => ({ ticket: ticketJson(t) });

export const TicketDetailAnswer = z.object({ ticket: TicketDetailJson });
export const ticketDetailAnswer = (d: TicketDetail): z.output<typeof TicketDetailAnswer> => ({ ticket: ticketDetailJson(d) });

/** What a refused PATCH adds to its problem+json: the ticket as it is now (and, for a refused move, where it may go). */
export function refusedChangeMembers(fresh: TicketDetail | null, withAllowed: boolean): Record<string, unknown> | undefined {
  if (!fresh) return undefined;
  return { ...(withAllowed ? { allowedNextStatuses: nextStatuses(fresh.status) } : {}), ticket: ticketDetailJson(fresh) };
}

/** Where the rest of the thread is: cursors for ?before= | ?after= (null: nothing more that way). */
export const CommentPage = z.object({ comments: z.array(CommentJson), earlierCursor: cursor, laterCursor: cursor });

export function commentPage(d: TicketDetail): z.output<typeof CommentPage> {
  return { comments: d.comments.map(commentJson), earlierCursor: cursorOrNull(d.thread.earlier), laterCursor: cursorOrNull(d.thread.later) };
}

export const CommentPosted = z.object({
  comment: CommentJson.nullable().describe('null when the reply opened a follow-up ticket instead.'),
  ticket: TicketJson,
  followUp: TicketJson.optional().describe('The follow-up a requester’s reply to a closed ticket opened.'),
  reopened: z.boolean().describe('A requester’s reply reopened a pending ticket.'),
});

export function commentPosted(m: Comment, ticket: TicketRow, reopened: boolean): z.output<typeof CommentPosted> {
  return { comment: commentJson(m), ticket: ticketJson(ticket), reopened };
}

/** A closed ticket stays closed: the reply opened a follow-up ticket instead. */
export function followUpPosted(ticket: TicketRow, followUp: TicketRow): z.output<typeof CommentPosted> {
  return { comment: null, ticket: ticketJson(ticket), followUp: ticketJson(followUp), reopened: false };
}

export const UserJson = z.object({ id, email: z.string(), name: z.string(), role: z.string() });
export const UserList = z.object({ users: z.array(UserJson), nextCursor: cursor });

export function userList(users: UserRow[], next: number | null): z.output<typeof UserList> {
  return { users: users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role })), nextCursor: next === null ? null : encodeCursor([next]) };
}
