/**
 * Lexicon's JSON API, mounted at /lexicon (routes.ts), for API tokens with the
 * `lexicon` scope. Requesters see and create their own tickets and comment on them;
 * agents and admins see everything and may PATCH. Errors are problem+json.
 *
 *   GET    /api/tickets                  ?status= | ?queue=, ?cursor=, ?limit=
 *   POST   /api/tickets                  {subject, body, tags?, priority? (staff)}; Idempotency-Key
 *   GET    /api/tickets/:id              with creator, assignee, comments, history
 *   PATCH  /api/tickets/:id              staff: {version, status?, priority?, assigneeId?, tags?}
 *   GET    /api/tickets/:id/comments     ?before= | ?after= (cursors from the answer): one page of the thread
 *   POST   /api/tickets/:id/comments     {body, internal? (staff)}; Idempotency-Key
 *   GET    /api/users                    staff: ?after=, ?limit=
 *
 * Each route describes itself (`api(...)`, first) and validates its inputs with the
 * same zod schemas the OpenAPI document shows; answers are built by presenters.ts,
 * refusals told by refusals.ts (the words the pane uses too).
 */
import { Hono } from 'hono';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { HttpError } from '../../shared/http/http-error';
import { api } from '../../shared/http/openapi';
import { refusal } from '../../shared/http/refusal';
import { byRole, headers, json, query } from '../../shared/http/validation';
import { keysetPage } from '../../shared/pagination';
import { actorOf, isStaff, logChange, requireStaff, staffOnly, ticketParams, viewerOf } from './access';
import { enforceLimit } from './limits';
import { apiTicketPath } from './paths';
import * as presenters from './presenters';
import * as queries from './queries';
import type { Queue } from './queues';
import { ticketRefusal, TICKET_REFUSALS } from './refusals';
import { cursorAfter } from './rows';
import * as schema from './schema';
import type { Priority } from './status';
import * as writes from './writes';

const jsonApi = new Hono<AppEnv>();
const tag = 'Lexicon';
const scope = 'lexicon';

jsonApi.get(
  '/api/tickets',
  api({
    tag,
    scope,
    summary: 'List tickets',
    description:
      'Staff: one queue (a status, or mine, unassigned, overdue; open by default). Requesters: their own tickets, whatever they ask for. Newest activity first (overdue: most overdue first), keyset-paginated.',
    responses: { 200: { description: 'One page of the queue.', schema: presenters.TicketList } },
  }),
  query(schema.ApiListQuery),
  async (c) => {
    const viewer = viewerOf(c);
    const q = c.req.valid('query');
    const queue: Queue | 'own' = viewer.staff ? (q.status ?? q.queue ?? 'open') : 'own';
    const rows = await queries.listQueue(c.env.DB, { queue, viewer, cursor: q.cursor ?? null, limit: q.limit + 1, now: now() });
    const { items, next } = keysetPage(rows, q.limit, (r) => cursorAfter(queue, r));
    return c.json(presenters.ticketList(queue, items, next));
  },
);

jsonApi.post(
  '/api/tickets',
  api({
    tag,
    scope,
    summary: 'Open a ticket',
    description:
      'Requesters send subject, body and tags; agents may also set the priority. A retry with the same Idempotency-Key creates nothing new and answers with the first ticket (Idempotent-Replayed: true).',
    responses: { 201: { description: 'The ticket (Location: its API URL).', schema: presenters.OneTicket } },
    errors: [429],
  }),
  byRole((s) => json(s), isStaff, { yes: schema.StaffTicket, no: schema.RequesterTicket }),
  headers(schema.IdempotencyHeaders),
  async (c) => {
    const data = c.req.valid('json');
    await enforceLimit(c, 'ticket');
    const priority: Priority = 'priority' in data ? data.priority : 'normal';
    const key = c.req.valid('header')['idempotency-key'];
    const { ticket, replayed } = await writes.submitTicket(c.env.DB, { ...data, priority, key, actor: actorOf(c), now: now() });
    if (replayed) c.header('idempotent-replayed', 'true');
    else logChange(c, 'ticket.created', { ticket_id: ticket.id, via: 'api' });
    c.header('location', apiTicketPath(ticket.id));
    return c.json(presenters.oneTicket(ticket), 201);
  },
);

jsonApi.get(
  '/api/tickets/:id',
  api({
    tag,
    scope,
    summary: 'One ticket',
    description:
      'With creator, assignee, tags, its newest comments (with authors), history and the statuses it may move to next. Someone else’s ticket is the 404 of one that does not exist.',
    responses: { 200: { description: 'The ticket.', schema: presenters.TicketDetailAnswer } },
    errors: [404],
  }),
  ticketParams,
  async (c) => {
    const detail = await queries.ticketDetail(c.env.DB, { id: c.req.valid('param').id, viewer: viewerOf(c) });
    if (!detail) throw refusal(TICKET_REFUSALS, 'not_found');
    return c.json(presenters.ticketDetailAnswer(detail));
  },
);

jsonApi.patch(
  '/api/tickets/:id',
  api({
    tag,
    scope,
    summary: 'Change a ticket (staff)',
    description:
      'Status, priority, assignee (null: nobody) and tags, with the version you read. A stale version is a 409 with the ticket as it is now; a move the lifecycle refuses is a 409 with allowedNextStatuses; nothing is changed by either.',
    responses: { 200: { description: 'The ticket after the change (or as it was, if it already was so).', schema: presenters.TicketDetailAnswer } },
    errors: [403, 404, 409],
  }),
  staffOnly,
  ticketParams,
  json(schema.TicketPatch),
  async (c) => {
    const viewer = viewerOf(c);
    const { id } = c.req.valid('param');
    const { version, ...set } = c.req.valid('json');
    const result = await writes.updateTicket(c.env.DB, { id, expectedVersion: version, set, actor: actorOf(c), viewer, now: now() });
    if (result.ok) {
      if (!result.detail) throw refusal(TICKET_REFUSALS, 'not_found');
      if (result.changed) logChange(c, 'ticket.updated', { ticket_id: id, fields: Object.keys(set), version: result.ticket.version, via: 'api' });
      return c.json(presenters.ticketDetailAnswer(result.detail));
    }
    if (result.reason === 'not_found') throw refusal(TICKET_REFUSALS, 'not_found');
    // A conflict carries the ticket as it is now; a refused move reads it (the batch rolled back) to say where it may go.
    const fresh =
      result.reason === 'conflict' ? result.detail : result.reason === 'invalid_transition' ? await queries.ticketDetail(c.env.DB, { id, viewer }) : null;
    if (result.reason === 'invalid_transition' && !fresh) throw refusal(TICKET_REFUSALS, 'not_found');
    const { message } = ticketRefusal(result.reason, fresh, set);
    throw refusal(TICKET_REFUSALS, result.reason, { message, members: presenters.refusedChangeMembers(fresh, result.reason === 'invalid_transition') });
  },
);

jsonApi.get(
  '/api/tickets/:id/comments',
  api({
    tag,
    scope,
    summary: 'A page of a ticket’s conversation',
    description: 'The newest page, or the one before/after a cursor from an earlier answer. Requesters never see internal notes.',
    responses: { 200: { description: 'The comments (oldest first) and the cursors either side.', schema: presenters.CommentPage } },
    errors: [404],
  }),
  ticketParams,
  query(schema.ApiThreadQuery),
  async (c) => {
    const detail = await queries.ticketDetail(c.env.DB, { id: c.req.valid('param').id, viewer: viewerOf(c), window: c.req.valid('query') });
    if (!detail) throw refusal(TICKET_REFUSALS, 'not_found');
    return c.json(presenters.commentPage(detail));
  },
);

jsonApi.post(
  '/api/tickets/:id/comments',
  api({
    tag,
    scope,
    summary: 'Reply, or add an internal note (staff)',
    description:
      'A requester’s reply reopens a pending ticket; to a closed ticket it opens a linked follow-up ticket instead (`followUp`, Location). A retry with the same Idempotency-Key adds nothing.',
    responses: { 201: { description: 'The comment and the ticket after it.', schema: presenters.CommentPosted } },
    errors: [403, 404, 409, 429],
  }),
  ticketParams,
  json(schema.CommentPost),
  headers(schema.IdempotencyHeaders),
  async (c) => {
    const { id } = c.req.valid('param');
    const { body, internal } = c.req.valid('json');
    const viewer = internal ? requireStaff(c) : viewerOf(c);
    await enforceLimit(c, 'comment');
    const key = c.req.valid('header')['idempotency-key'];
    const result = await writes.addComment(c.env.DB, { ticketId: id, body, internal, key, actor: actorOf(c), viewer, now: now() });
    if (!result.ok) throw refusal(TICKET_REFUSALS, result.reason);
    if (result.followUp) {
      logChange(c, 'ticket.created', { ticket_id: result.followUp.id, follow_up_of: id, via: 'api' });
      c.header('location', apiTicketPath(result.followUp.id));
      return c.json(presenters.followUpPosted(result.detail, result.followUp), 201);
    }
    logChange(c, internal ? 'ticket.noted' : 'ticket.replied', { ticket_id: id, reopened: result.reopened, via: 'api' });
    const created = result.detail.comments.findLast((m) => m.author.id === viewer.id);
    if (!created) throw new HttpError(409, 'Nothing was added to this ticket. Send the comment again with a new Idempotency-Key.');
    return c.json(presenters.commentPosted(created, result.detail, result.reopened), 201);
  },
);

jsonApi.get(
  '/api/users',
  api({
    tag,
    scope,
    summary: 'People (staff)',
    description: 'Active accounts by id, for assignee ids: pass nextCursor back as ?after=.',
    responses: { 200: { description: 'One page of people.', schema: presenters.UserList } },
    errors: [403],
  }),
  staffOnly,
  query(schema.UsersQuery),
  async (c) => {
    const { after, limit } = c.req.valid('query');
    const rows = await queries.listUsers(c.env.DB, { afterId: after?.id ?? 0, limit: limit + 1 });
    const { items, next } = keysetPage(rows, limit, (u) => u.id);
    return c.json(presenters.userList(items, next));
  },
);

export default jsonApi;
