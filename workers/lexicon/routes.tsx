/**
 * Lexicon, mounted at /lexicon. Agents and admins ("staff") work the queues;
 * members are requesters and get a portal of their own tickets.
 *
 *   GET  /                       staff: queues + list + pane (htmx: the list, counts OOB); requesters: their tickets
 *                                (pages ignore query parameters they do not read: utm_* and friends are no 422)
 *   GET  /search?q=              results as a list fragment; without htmx (the plain GET search form) the whole screen
 *   GET  /tickets/new            new-ticket form (htmx: into the pane)
 *   POST /tickets                create
 *   GET  /tickets/:id            htmx: the pane (counts OOB); otherwise the full page; ?before= | ?after= a page of the thread
 *   GET  /tickets/:id/comments   ?before= | ?after=: htmx: the next page of the thread (a fragment); otherwise the ticket page there
 *   POST /tickets/:id/reply      public reply (a requester's reopens a pending ticket)
 *   POST /tickets/:id/note       internal note (staff)
 *   POST /tickets/:id/status     staff; version-guarded (409 with the fresh ticket)
 *   POST /tickets/:id/assign     staff; "me", "" or an agent's id
 *   POST /tickets/:id/priority   staff
 *   POST /tickets/:id/tags       staff
 *   POST /bulk                   staff: status or assignee of the selected rows, all or nothing
 *
 *   GET    /api/tickets                  ?status= | ?queue=, ?cursor=, ?limit=
 *   POST   /api/tickets                  {subject, body, tags?, priority? (staff)}
 *   GET    /api/tickets/:id              with creator, assignee, comments, history
 *   PATCH  /api/tickets/:id              staff: {version, status?, priority?, assigneeId?, tags?}
 *   GET    /api/tickets/:id/comments         ?before= | ?after= (cursors from the answer): one page of the thread
 *   POST   /api/tickets/:id/comments     {body, internal? (staff)}
 *   GET    /api/users                    staff: ?after=, ?limit=
 *
 * Creating tickets and comments is rate limited per user (RL_LEXICON_TICKET,
 * RL_LEXICON_COMMENT): a 429 with Retry-After; forms come back with the text kept.
 *
 * Every request costs at most 3 D1 queries (the session check included): reads are
 * one statement each, every mutation is one batch() that also reads back what the
 * response shows. A ticket the caller may not see is a 404 with the same body as a
 * ticket that does not exist; staff-only actions are a 403 for every id.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import { assertScope, currentAuth } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { HttpError } from '../../shared/http/http-error';
import { isHtmx } from '../../shared/http/request';
import { audit } from '../../shared/http/logging';
import { fragmentOrPage, navigate } from '../../shared/http/respond';
import { enforceRateLimit, underLimit } from '../../shared/http/rate-limit';
import { fieldErrors, invalidInput, rejectInvalid } from '../../shared/http/validation';
import type { FieldErrors } from '../../shared/http/http-error';
import { renderPage } from '../../shared/html/layout';
import { inQueue } from './queues';
import * as repo from './repository';
import * as schema from './schema';
import { article, nextStatuses, type Priority, type Status } from './status';
import * as views from './views';

const lexicon = new Hono<AppEnv>();
const TITLE = 'Lexicon';
const NOT_FOUND = 'There is no such ticket, or it is not yours to see.';
const STAFF_ONLY = 'Only agents and admins can do that.';
const PAGE = schema.PAGE;

// Everything in Lexicon needs a signed-in user; API tokens need the `lexicon` scope.
lexicon.use('*', async (c, next) => {
  assertScope(currentAuth(c), 'lexicon');
  await next();
});

// ---------------------------------------------------------------- helpers

const viewerOf = (c: Context<AppEnv>): repo.Viewer => {
  const user = currentAuth(c).user;
  return { id: user.id, staff: user.role !== 'member' };
};
const actorOf = (c: Context<AppEnv>): repo.Actor => ({ id: currentAuth(c).user.id, requestId: c.get('requestId') });

function requireStaff(c: Context<AppEnv>): repo.Viewer {
  const viewer = viewerOf(c);
  if (!viewer.staff) throw new HttpError(403, STAFF_ONLY);
  return viewer;
}

/** The :id of a ticket route; anything but a number is a ticket that does not exist. */
function ticketId(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,12}$/.test(raw)) throw new HttpError(404, NOT_FOUND);
  return Number(raw);
}

/** htmx wants a fragment, except when it restores history (then it wants the page). */
const wantsFragment = (c: Context<AppEnv>) => isHtmx(c) && c.req.header('hx-history-restore-request') !== 'true';

/** The queue the browser is showing (from HX-Current-URL), so OOB counts keep it highlighted. */
function shownQueue(c: Context<AppEnv>): repo.Queue | null {
  try {
    const url = new URL(c.req.header('hx-current-url') ?? '');
    if (url.pathname !== '/lexicon') return null;
    const parsed = schema.queue.safeParse(url.searchParams.get('queue') ?? 'new');
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function pageOf(rows: repo.TicketRow[], queue: repo.Queue | 'own'): { rows: repo.TicketRow[]; after: repo.Cursor | null } {
  if (rows.length <= PAGE) return { rows, after: null };
  const page = rows.slice(0, PAGE);
  return { rows: page, after: repo.cursorAfter(queue, page[PAGE - 1]!) };
}

function logChange(c: Context<AppEnv>, event: string, fields: Record<string, unknown>) {
  audit(`lexicon.${event}`, { actor_id: currentAuth(c).user.id, ...fields });
}

type Notice = { kind: 'warn' | 'ok'; text: string };

/**
 * Per-user rate limits on what makes a ticket or its thread grow. Every Lexicon
 * request is signed in, so the key is the user id (an office behind one address is
 * not one person). The binding counts per Cloudflare location in fixed one-minute
 * windows: abuse control, not accounting. Paging keeps a long thread cheap to read;
 * these keep anyone from making one (or thousands of tickets) in a hurry.
 */
const LIMITS = {
  ticket: { binding: (env: Env) => env.RL_LEXICON_TICKET, what: 'new tickets', per: 20 },
  comment: { binding: (env: Env) => env.RL_LEXICON_COMMENT, what: 'replies and notes', per: 30 },
} as const;
const RETRY_AFTER = 60;

const tooMany = (which: keyof typeof LIMITS) =>
  `You are sending ${LIMITS[which].what} faster than Lexicon allows (${LIMITS[which].per} a minute). Nothing was saved; wait a minute and send it again.`;

/** One key per user and limit, shared by the forms and the API. */
const limitKey = (c: Context<AppEnv>, which: keyof typeof LIMITS) => `lexicon-${which}:${currentAuth(c).user.id}`;

/** Whether this user may create one more (counts the try). Forms answer a refusal themselves, keeping what was typed. */
async function allowed(c: Context<AppEnv>, which: keyof typeof LIMITS): Promise<boolean> {
  const ok = await underLimit(LIMITS[which].binding(c.env), limitKey(c, which));
  if (!ok) c.header('retry-after', String(RETRY_AFTER));
  return ok;
}

/** The API's form of the same limit: a 429 problem+json with Retry-After. */
function limitApi(c: Context<AppEnv>, which: keyof typeof LIMITS): Promise<void> {
  return enforceRateLimit(LIMITS[which].binding(c.env), limitKey(c, which), RETRY_AFTER, LIMITS[which].what);
}

type PaneOptions = {
  status?: number;
  notice?: Notice;
  /** Messages by field, shown next to the field (a 422). */
  errors?: FieldErrors;
  /** What was typed, given back with the errors. */
  drafts?: Record<string, string>;
  submissionKey?: string | undefined;
  /** The queue whose list is on screen (sent by the pane's forms): a row that left it is removed. */
  list?: repo.Queue | '' | undefined;
  /** A ticket just created: its row goes to the top of the list on screen, if it belongs there. */
  created?: boolean;
};

/**
 * What every ticket action answers: for htmx the pane, plus the ticket's row (or, if
 * it left the queue on screen, its removal) and the counts out of band; without htmx
 * a 303 back to the ticket (or, for a refusal, the ticket page with the message).
 */
function ticketResponse(c: Context<AppEnv>, view: repo.TicketView, options: PaneOptions = {}): Response | Promise<Response> {
  const d = view.detail;
  if (!d) throw new HttpError(404, NOT_FOUND);
  const viewer = viewerOf(c);
  const t = now();
  const pane = (
    <views.TicketPane d={d} context={view.context} viewer={viewer} csrf={c.get('csrfToken')} now={t} notice={options.notice}
      errors={options.errors} drafts={options.drafts} submissionKey={options.submissionKey} />
  );
  const status = options.status ?? 200;
  if (isHtmx(c)) {
    const list = options.list || (options.created ? shownQueue(c) : null);
    const gone = list !== null && !inQueue(list, d, viewer.id, t);
    const row = !view.context ? null
      : options.created ? (!gone && list !== null && <views.RowAdded t={d} agents={view.context.agents} now={t} />)
      : gone ? <views.RowGone id={d.id} /> : <views.Row t={d} agents={view.context.agents} now={t} oob />;
    return c.html(
      <>
        {pane}
        {row}
        {view.context && <views.QueueNav counts={view.context.counts} active={list ?? shownQueue(c)} oob />}
      </>,
      status as 200,
    );
  }
  if (status < 300) return navigate(c, views.ticketPath(d.id));
  return ticketPage(c, view, pane, status);
}

/**
 * A ticket as a whole page. For staff: the queues, the list of the ticket's status
 * (rendered here, so the page works without JavaScript; read in the same batch when
 * the view came from ticketView with `listLimit`, else one more query) and the pane.
 */
async function ticketPage(c: Context<AppEnv>, view: repo.TicketView, pane: Child, status = 200): Promise<Response> {
  const d = view.detail!;
  const title = `#${d.id} ${d.subject}`;
  if (!view.context) return renderPage(c, { title, status, ...views.LEXICON_STYLES }, <views.PortalTicketPage>{pane}</views.PortalTicketPage>);
  const viewer = viewerOf(c);
  const t = now();
  const rows = view.list ?? (await repo.listQueue(c.env.DB, { queue: d.status, viewer, cursor: null, limit: PAGE + 1, now: t }));
  const list = queueList(d.status, rows, view.context.agents, t);
  return renderPage(c, { title, status, ...views.LEXICON_ASSETS }, (
    <views.StaffPage context={view.context} active={null} list={list} pane={pane} csrf={c.get('csrfToken')} me={viewer.id} />
  ));
}

/** A queue's list region from its first page of rows (+1 to know whether there is more). */
function queueList(queue: repo.Queue, rows: repo.TicketRow[], agents: repo.Agent[], t: number) {
  const { rows: page, after } = pageOf(rows, queue);
  return (
    <views.TicketList title={views.QUEUE_LABELS[queue]} queue={queue} rows={page} agents={agents} now={t} next={after && views.queuePath(queue, after)} empty={`Nothing in ${views.QUEUE_LABELS[queue]}.`} />
  );
}

/** The submitted one-time key, if it is one we could have made (to render again after a 422). */
function keptKey(values: Record<string, unknown>): string | undefined {
  const parsed = schema.submissionKey.safeParse(values['idempotencyKey']);
  return parsed.success ? parsed.data : undefined;
}

/** Text fields of a form, to give back what the person typed. */
function drafts(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The refusal for a move the lifecycle does not allow: 409, what is allowed, nothing changed. */
function transitionMessage(from: Status, to: Status): string {
  const allowed = nextStatuses(from);
  return `${article(from)} ${from} ticket cannot become ${to}. ${allowed.length ? `Allowed next: ${allowed.join(', ')}.` : 'A closed ticket stays closed.'} Nothing was changed.`;
}

const CONFLICT = (version: number) =>
  `Someone else changed this ticket while you had it open (it is now at version ${version}). Nothing of yours was saved; this is the ticket as it is now.`;

const NOT_AGENT = 'That person is not an active agent or admin, so tickets cannot be assigned to them.';
const CLOSED = 'This ticket is closed, so its assignee, priority and tags stay as they are. A reply from the requester opens a follow-up ticket.';

/** Runs one staff change of a ticket and answers as ticketResponse does. */
async function changeTicket(c: Context<AppEnv>, version: number, set: repo.Changes, list?: repo.Queue | ''): Promise<Response> {
  const viewer = requireStaff(c);
  const id = ticketId(c);
  const result = await repo.updateTicket(c.env.DB, { id, expectedVersion: version, set, actor: actorOf(c), viewer, now: now() });
  // After a failed batch, the ticket is read again (with its list, for a page: still one query).
  const fresh = async () => {
    const view = await repo.ticketView(c.env.DB, { id, viewer, now: now(), listLimit: isHtmx(c) ? undefined : PAGE + 1 });
    if (!view.detail) throw new HttpError(404, NOT_FOUND);
    return view;
  };
  switch (result.outcome) {
    case 'changed':
      logChange(c, 'ticket.updated', { ticket_id: id, fields: Object.keys(set), version: result.ticket.version });
      return ticketResponse(c, result, { list });
    case 'unchanged':
      return ticketResponse(c, result, { list });
    case 'not_found':
      throw new HttpError(404, NOT_FOUND);
    case 'conflict':
      return ticketResponse(c, result, { status: 409, notice: { kind: 'warn', text: CONFLICT(result.detail!.version) }, list });
    case 'assignee_not_agent':
      return ticketResponse(c, await fresh(), { status: 422, errors: { assignee: NOT_AGENT }, list });
    case 'ticket_closed':
      return ticketResponse(c, await fresh(), { status: 409, notice: { kind: 'warn', text: CLOSED }, list });
    case 'invalid_transition': {
      const view = await fresh();
      return ticketResponse(c, view, { status: 409, notice: { kind: 'warn', text: transitionMessage(view.detail!.status, set.status!) }, list });
    }
  }
}

function assigneeId(c: Context<AppEnv>, value: string): number | null {
  if (value === 'me') return currentAuth(c).user.id;
  return value === '' ? null : Number(value);
}

// ---------------------------------------------------------------- queue page, portal, search

lexicon.get('/', zValidator('query', schema.QueueQuery, rejectInvalid), async (c) => {
  const viewer = viewerOf(c);
  const { queue = 'new', after } = c.req.valid('query');
  const t = now();
  if (!viewer.staff) {
    const { rows, after: next } = pageOf(await repo.listQueue(c.env.DB, { queue: 'own', viewer, cursor: after ?? null, limit: PAGE + 1, now: t }), 'own');
    const nextUrl = next && `/lexicon?after=${next.key}.${next.id}`;
    if (wantsFragment(c) && after) return c.html(<views.Rows rows={rows} agents={[]} now={t} next={nextUrl} link="page" />);
    return c.render(<views.PortalPage rows={rows} now={t} next={nextUrl} />, { title: TITLE, ...views.LEXICON_STYLES });
  }
  const context = await repo.queueContext(c.env.DB, { userId: viewer.id, now: t });
  const { rows, after: next } = pageOf(await repo.listQueue(c.env.DB, { queue, viewer, cursor: after ?? null, limit: PAGE + 1, now: t }), queue);
  const nextUrl = next && views.queuePath(queue, next);
  if (wantsFragment(c) && after) return c.html(<views.Rows rows={rows} agents={context.agents} now={t} next={nextUrl} />);
  const list = (
    <views.TicketList title={views.QUEUE_LABELS[queue]} queue={queue} rows={rows} agents={context.agents} now={t} next={nextUrl} empty={`Nothing in ${views.QUEUE_LABELS[queue]}.`} />
  );
  if (wantsFragment(c)) {
    return c.html(
      <>
        {list}
        <views.QueueNav counts={context.counts} active={queue} oob />
      </>,
    );
  }
  return c.render(
    <views.StaffPage context={context} active={queue} list={list} pane={<views.EmptyPane />} csrf={c.get('csrfToken')} me={viewer.id} />,
    { title: TITLE, ...views.LEXICON_ASSETS },
  );
});

lexicon.get('/search', zValidator('query', schema.SearchQuery, rejectInvalid), async (c) => {
  const viewer = viewerOf(c);
  const { q } = c.req.valid('query');
  const t = now();
  if (q.trim() === '' && viewer.staff && wantsFragment(c)) {
    // An emptied search box goes back to the queue on screen.
    const queue = shownQueue(c) ?? 'new';
    const context = await repo.queueContext(c.env.DB, { userId: viewer.id, now: t });
    const { rows, after } = pageOf(await repo.listQueue(c.env.DB, { queue, viewer, cursor: null, limit: PAGE + 1, now: t }), queue);
    return c.html(<views.TicketList title={views.QUEUE_LABELS[queue]} queue={queue} rows={rows} agents={context.agents} now={t} next={after && views.queuePath(queue, after)} empty={`Nothing in ${views.QUEUE_LABELS[queue]}.`} />);
  }
  const context = viewer.staff ? await repo.queueContext(c.env.DB, { userId: viewer.id, now: t }) : null;
  const agents = context?.agents ?? [];
  const rows = await repo.searchTickets(c.env.DB, { query: q, viewer, limit: PAGE });
  const list = (
    <views.TicketList
      title={q.trim() ? `Search: ${q.trim()}` : 'Search'}
      rows={rows} agents={agents} now={t} next={null} link={viewer.staff ? 'pane' : 'page'}
      empty={q.trim() ? 'No tickets match. Terms of 3+ characters search subject, text and comments; shorter ones match the start of the subject.' : 'Type something to search for.'}
    />
  );
  if (wantsFragment(c)) return c.html(list);
  // Without htmx (the plain GET form, a bookmark, a reload after hx-push-url): the whole screen with the results as its list.
  if (context) {
    return renderPage(c, { title: `Search · ${TITLE}`, ...views.LEXICON_ASSETS }, (
      <views.StaffPage context={context} active={null} list={list} pane={<views.EmptyPane />} csrf={c.get('csrfToken')} me={viewer.id} q={q} />
    ));
  }
  return c.render(<views.PortalPage rows={[]} now={t} next={null} q={q} list={list} />, { title: `Search · ${TITLE}`, ...views.LEXICON_STYLES });
});

// ---------------------------------------------------------------- create

lexicon.get('/tickets/new', async (c) => {
  const viewer = viewerOf(c);
  const form = <views.NewTicketForm csrf={c.get('csrfToken')} staff={viewer.staff} />;
  if (wantsFragment(c)) return c.html(form);
  return newTicketPage(c, form);
});

/** The new-ticket form as a page: the portal's, or the staff screen with the New queue listed beside it. */
async function newTicketPage(c: Context<AppEnv>, form: Child, status = 200): Promise<Response> {
  const viewer = viewerOf(c);
  const title = `New ticket · ${TITLE}`;
  if (!viewer.staff) return renderPage(c, { title, status, ...views.LEXICON_STYLES }, <views.PortalTicketPage>{form}</views.PortalTicketPage>);
  const t = now();
  const [context, rows] = await Promise.all([
    repo.queueContext(c.env.DB, { userId: viewer.id, now: t }),
    repo.listQueue(c.env.DB, { queue: 'new', viewer, cursor: null, limit: PAGE + 1, now: t }),
  ]);
  return renderPage(c, { title, status, ...views.LEXICON_ASSETS }, (
    <views.StaffPage context={context} active={null} list={queueList('new', rows, context.agents, t)} pane={form} csrf={c.get('csrfToken')} me={viewer.id} />
  ));
}

lexicon.post('/tickets', async (c) => {
  const viewer = viewerOf(c);
  const body = await c.req.parseBody();
  const parsed = (viewer.staff ? schema.StaffTicketForm : schema.RequesterTicketForm).safeParse(body);
  if (!parsed.success) {
    // The form again with each message by its field; for htmx the form alone (it is
    // swapped into #lx-pane, where the form was), never wrapped in a page region.
    const form = (
      <views.NewTicketForm csrf={c.get('csrfToken')} staff={viewer.staff} values={body as Record<string, unknown>} errors={fieldErrors(parsed.error, 'field')} submissionKey={keptKey(body)} />
    );
    if (isHtmx(c)) return c.html(form, 422);
    return newTicketPage(c, form, 422);
  }
  if (!(await allowed(c, 'ticket'))) {
    const form = <views.NewTicketForm csrf={c.get('csrfToken')} staff={viewer.staff} values={body as Record<string, unknown>} errors={{ _: tooMany('ticket') }} submissionKey={keptKey(body)} />;
    if (isHtmx(c)) return c.html(form, 429);
    return newTicketPage(c, form, 429);
  }
  const { idempotencyKey: key, list, ...fields } = { list: undefined, ...parsed.data };
  const priority: Priority = 'priority' in fields ? (fields.priority as Priority) : 'normal';
  const { ticket, replayed } = await repo.submitTicket(c.env.DB, { ...fields, priority, key, actor: actorOf(c), now: now() });
  if (!replayed) logChange(c, 'ticket.created', { ticket_id: ticket.id, via: 'form' });
  if (viewer.staff && isHtmx(c)) {
    c.header('hx-push-url', views.ticketPath(ticket.id));
    return ticketResponse(c, await repo.ticketView(c.env.DB, { id: ticket.id, viewer, now: now() }), { status: replayed ? 200 : 201, created: !replayed, list });
  }
  return navigate(c, views.ticketPath(ticket.id));
});

// ---------------------------------------------------------------- a ticket

lexicon.get('/tickets/:id', zValidator('query', schema.ThreadQuery, rejectInvalid), async (c) => {
  const viewer = viewerOf(c);
  const fragment = wantsFragment(c);
  const window = c.req.valid('query');
  const view = await repo.ticketView(c.env.DB, { id: ticketId(c), viewer, now: now(), listLimit: fragment ? undefined : PAGE + 1, window });
  if (!view.detail) throw new HttpError(404, NOT_FOUND);
  if (fragment) return ticketResponse(c, view);
  const pane = <views.TicketPane d={view.detail} context={view.context} viewer={viewer} csrf={c.get('csrfToken')} now={now()} />;
  return ticketPage(c, view, pane);
});

/**
 * "Show earlier" / "Show later" in a long thread. htmx swaps the answer in place of
 * the link it came from: that page's comments and the next link the same way.
 * Without htmx the link's href is the ticket page at that window, so this is only
 * reached by hand: it sends the browser there.
 */
lexicon.get('/tickets/:id/comments', zValidator('query', schema.ThreadQuery, rejectInvalid), async (c) => {
  const id = ticketId(c);
  const window = c.req.valid('query');
  const viewer = viewerOf(c);
  const d = await repo.ticketDetail(c.env.DB, { id, viewer, window });
  if (!d) throw new HttpError(404, NOT_FOUND);
  if (!wantsFragment(c)) return c.redirect(views.threadPath(id, window), 303);
  return c.html(<views.ThreadPage d={d} viewer={viewer} direction={window.after ? 'later' : 'earlier'} />);
});

/**
 * A reply or a note. Invalid input re-renders the pane with the message under the
 * box and the text given back (422). A requester's reply to a closed ticket opens a
 * follow-up ticket, where the browser is sent.
 */
async function comment(c: Context<AppEnv>, internal: boolean): Promise<Response> {
  const viewer = internal ? requireStaff(c) : viewerOf(c);
  const id = ticketId(c);
  const body = await c.req.parseBody();
  const parsed = schema.CommentForm.safeParse(body);
  if (!parsed.success) {
    const view = await repo.ticketView(c.env.DB, { id, viewer, now: now(), listLimit: isHtmx(c) ? undefined : PAGE + 1 });
    return ticketResponse(c, view, { status: 422, errors: fieldErrors(parsed.error, 'field'), drafts: drafts(body), submissionKey: keptKey(body) });
  }
  if (!(await allowed(c, 'comment'))) {
    const view = await repo.ticketView(c.env.DB, { id, viewer, now: now(), listLimit: isHtmx(c) ? undefined : PAGE + 1 });
    return ticketResponse(c, view, { status: 429, errors: { body: tooMany('comment') }, drafts: drafts(body), submissionKey: keptKey(body) });
  }
  const result = await repo.addComment(c.env.DB, { ticketId: id, body: parsed.data.body, internal, key: parsed.data.idempotencyKey, actor: actorOf(c), viewer, now: now() });
  if (!result.detail) throw new HttpError(404, NOT_FOUND);
  if (result.followUp) {
    logChange(c, 'ticket.created', { ticket_id: result.followUp.id, follow_up_of: id, via: 'form' });
    return navigate(c, views.ticketPath(result.followUp.id));
  }
  logChange(c, internal ? 'ticket.noted' : 'ticket.replied', { ticket_id: id, reopened: result.reopened });
  return ticketResponse(c, result, result.reopened ? { notice: { kind: 'ok', text: 'Your reply reopened the ticket.' } } : {});
}

lexicon.post('/tickets/:id/reply', (c) => comment(c, false));
lexicon.post('/tickets/:id/note', (c) => comment(c, true));

/** Staff form actions: validated before anything is read or written. */
function staffForm<S extends z.ZodType>(form: S, toChanges: (c: Context<AppEnv>, data: z.output<S>) => repo.Changes) {
  return [
    async (c: Context<AppEnv>, next: () => Promise<void>) => {
      requireStaff(c);
      ticketId(c);
      await next();
    },
    zValidator('form', form, paneHook),
    (c: Context<AppEnv>) => {
      const data = (c.req as unknown as { valid: (t: 'form') => z.output<S> & { version: number; list?: repo.Queue | '' } }).valid('form');
      return changeTicket(c, data.version, toChanges(c, data), data.list);
    },
  ] as const;
}

/**
 * Invalid input to a staff form: the pane again (422) with each message next to the
 * field it is about (the tags box, the assignee menu, …) and what was typed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function paneHook(result: { success: true } | { success: false; error: z.core.$ZodError; data?: unknown }, anyContext: Context<any>): Promise<Response | undefined> {
  if (result.success) return undefined;
  const c = anyContext as Context<AppEnv>;
  const values = (result.data ?? {}) as Record<string, unknown>;
  const list = schema.queue.safeParse(values['list']);
  const view = await repo.ticketView(c.env.DB, { id: ticketId(c), viewer: viewerOf(c), now: now(), listLimit: isHtmx(c) ? undefined : PAGE + 1 });
  return ticketResponse(c, view, { status: 422, errors: fieldErrors(result.error, 'field'), drafts: drafts(values), list: list.success ? list.data : undefined });
}

lexicon.post('/tickets/:id/status', ...staffForm(schema.StatusForm, (_c, d) => ({ status: d.status })));
lexicon.post('/tickets/:id/priority', ...staffForm(schema.PriorityForm, (_c, d) => ({ priority: d.priority })));
lexicon.post('/tickets/:id/assign', ...staffForm(schema.AssignForm, (c, d) => ({ assigneeId: assigneeId(c, d.assignee) })));
lexicon.post('/tickets/:id/tags', ...staffForm(schema.TagsForm, (_c, d) => ({ tags: d.tags })));

// ---------------------------------------------------------------- bulk

/**
 * Bulk: status or assignee of the selected rows, all or nothing. For htmx the outcome,
 * or what stood in the way, lands in the bulk bar (#lx-bulk-message) next to the
 * buttons; without JavaScript a refusal is a page with the message.
 */
lexicon.post('/bulk', async (c) => {
  requireStaff(c);
  const refuse = (status: 409 | 422, message: string): Response | Promise<Response> => {
    if (!isHtmx(c)) throw new HttpError(status, message);
    return c.html(<p class="notice notice-warn" role="alert">{message}</p>, status);
  };
  const parsed = schema.BulkForm.safeParse(await c.req.parseBody({ all: true }));
  if (!parsed.success) return refuse(422, Object.values(fieldErrors(parsed.error, 'field')).join(' '));
  const { ids, action, status, assignee } = parsed.data;
  if (!ids?.length) return refuse(422, 'Select at least one ticket first (the boxes in the list, or x on a row).');
  let set: { status: Status } | { assigneeId: number | null };
  if (action === 'status') {
    if (!status) return refuse(422, 'Choose the status to give the selected tickets.');
    set = { status };
  } else {
    set = { assigneeId: assigneeId(c, assignee ?? 'me') };
  }
  const t = now();
  const result = await repo.bulkUpdate(c.env.DB, { ids, set, actor: actorOf(c), now: t });
  if (!result.ok) {
    if (result.reason === 'assignee_not_agent') return refuse(422, NOT_AGENT);
    if (result.reason === 'ticket_closed') {
      const closed = result.blocking.map((b) => `#${b.id}`).join(', ');
      return refuse(409, `Nothing was changed: ${closed} ${result.blocking.length === 1 ? 'is' : 'are'} closed, and a closed ticket keeps its assignee. Deselect ${result.blocking.length === 1 ? 'it' : 'them'} and try again.`);
    }
    const blockers = result.blocking.map((b) => `#${b.id} (${b.status})`).join(', ');
    return refuse(409, `Nothing was changed: ${blockers} cannot become ${status}. Deselect ${result.blocking.length === 1 ? 'it' : 'them'} or move ${result.blocking.length === 1 ? 'it' : 'them'} first.`);
  }
  logChange(c, 'ticket.bulk', { ticket_ids: result.changed.map((r) => r.id), action, to: 'status' in set ? set.status : set.assigneeId });
  const message = `${result.changed.length} of ${new Set(ids).size} tickets changed${result.changed.length < new Set(ids).size ? ' (the others already were so)' : ''}.`;
  if (!isHtmx(c)) return navigate(c, '/lexicon');
  return c.html(
    <>
      <p class="notice notice-success">{message}</p>
      {/* The rows stay (and stay selected), ready for the next bulk action, even if they left the queue shown. */}
      {result.changed.map((r) => <views.Row t={r} agents={result.context.agents} now={t} oob selected />)}
      <views.QueueNav counts={result.context.counts} active={shownQueue(c)} oob />
    </>,
  );
});

// ---------------------------------------------------------------- JSON API

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function apiRow(t: repo.TicketRow) {
  return {
    id: t.id, subject: t.subject, status: t.status, priority: t.priority, creatorId: t.creatorId, assigneeId: t.assigneeId,
    createdAt: iso(t.createdAt), updatedAt: iso(t.updatedAt), resolutionDueAt: iso(t.resolutionDueAt), version: t.version,
    url: views.ticketPath(t.id),
  };
}

function apiComment(m: repo.TicketDetail['comments'][number]) {
  return { id: m.id, body: m.body, internal: m.internal, fromStaff: m.fromStaff, createdAt: iso(m.createdAt), author: m.author };
}

const cursorText = (c: repo.Cursor | null) => c && `${c.key}.${c.id}`;

/** Where the rest of the thread is: cursors for GET /api/tickets/:id/comments?before= | ?after= (null: nothing more that way). */
function apiThread(d: repo.TicketDetail) {
  return { earlierCursor: cursorText(d.thread.earlier), laterCursor: cursorText(d.thread.later) };
}

/** `comments`: the newest page of the thread (oldest first); `history`: the newest entries. */
function apiDetail(d: repo.TicketDetail) {
  return {
    ...apiRow(d), body: d.body, tags: d.tags, creator: d.creator, assignee: d.assignee, followUpOf: d.followUpOf, followUps: d.followUps,
    allowedNextStatuses: nextStatuses(d.status),
    comments: d.comments.map(apiComment),
    commentsEarlierCursor: cursorText(d.thread.earlier),
    history: d.history.map(({ id: _id, actorEmail: _email, ...h }) => ({ ...h, at: iso(h.at) })),
    historyTruncated: d.historyTruncated,
  };
}

/** The request's Idempotency-Key header (a retried POST with it creates nothing new), if any. */
function idempotencyKey(c: Context<AppEnv>): string | undefined {
  const raw = c.req.header('idempotency-key');
  if (raw === undefined) return undefined;
  const parsed = schema.submissionKey.safeParse(raw);
  if (!parsed.success) throw new HttpError(422, 'Idempotency-Key is 16 to 64 letters, digits, "-" or "_" (a UUID will do).', { fields: { 'Idempotency-Key': 'Use 16 to 64 letters, digits, "-" or "_".' } });
  return parsed.data;
}

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new HttpError(400, 'The body is not valid JSON. Send Content-Type: application/json and a JSON object.');
  }
}

lexicon.get('/api/tickets', zValidator('query', schema.ApiListQuery, rejectInvalid), async (c) => {
  const viewer = viewerOf(c);
  const q = c.req.valid('query');
  const queue: repo.Queue | 'own' = viewer.staff ? (q.status ?? q.queue ?? 'open') : 'own';
  const rows = await repo.listQueue(c.env.DB, { queue, viewer, cursor: q.cursor ?? null, limit: q.limit + 1, now: now() });
  const page = rows.slice(0, q.limit);
  const next = rows.length > q.limit ? repo.cursorAfter(queue, page[page.length - 1]!) : null;
  return c.json({ queue, tickets: page.map(apiRow), nextCursor: next && `${next.key}.${next.id}` });
});

lexicon.post('/api/tickets', async (c) => {
  const viewer = viewerOf(c);
  const parsed = (viewer.staff ? schema.StaffTicket : schema.RequesterTicket).safeParse(await jsonBody(c));
  if (!parsed.success) throw invalidInput(parsed.error, 'ticket');
  await limitApi(c, 'ticket');
  const priority: Priority = 'priority' in parsed.data ? (parsed.data.priority as Priority) : 'normal';
  const { ticket, replayed } = await repo.submitTicket(c.env.DB, { ...parsed.data, priority, key: idempotencyKey(c), actor: actorOf(c), now: now() });
  if (replayed) c.header('idempotent-replayed', 'true');
  else logChange(c, 'ticket.created', { ticket_id: ticket.id, via: 'api' });
  c.header('location', `/lexicon/api/tickets/${ticket.id}`);
  return c.json({ ticket: apiRow(ticket) }, 201);
});

lexicon.get('/api/tickets/:id', async (c) => {
  const detail = await repo.ticketDetail(c.env.DB, { id: ticketId(c), viewer: viewerOf(c) });
  if (!detail) throw new HttpError(404, NOT_FOUND);
  return c.json({ ticket: apiDetail(detail) });
});

lexicon.patch('/api/tickets/:id', async (c) => {
  const viewer = requireStaff(c);
  const id = ticketId(c);
  const parsed = schema.TicketPatch.safeParse(await jsonBody(c));
  if (!parsed.success) throw invalidInput(parsed.error, 'change');
  const { version, ...set } = parsed.data;
  const result = await repo.updateTicket(c.env.DB, { id, expectedVersion: version, set, actor: actorOf(c), viewer, now: now() });
  switch (result.outcome) {
    case 'changed':
      logChange(c, 'ticket.updated', { ticket_id: id, fields: Object.keys(set), version: result.ticket.version, via: 'api' });
      return c.json({ ticket: apiDetail(result.detail!) });
    case 'unchanged':
      return c.json({ ticket: apiDetail(result.detail!) });
    case 'not_found':
      throw new HttpError(404, NOT_FOUND);
    case 'conflict':
      throw new HttpError(409, CONFLICT(result.detail!.version), { members: { ticket: apiDetail(result.detail!) } });
    case 'assignee_not_agent':
      throw new HttpError(422, NOT_AGENT, { fields: { assigneeId: NOT_AGENT } });
    case 'ticket_closed':
      throw new HttpError(409, CLOSED);
    case 'invalid_transition': {
      const fresh = await repo.ticketDetail(c.env.DB, { id, viewer });
      if (!fresh) throw new HttpError(404, NOT_FOUND);
      throw new HttpError(409, transitionMessage(fresh.status, set.status!), {
        members: { allowedNextStatuses: nextStatuses(fresh.status), ticket: apiDetail(fresh) },
      });
    }
  }
});

lexicon.get('/api/tickets/:id/comments', zValidator('query', schema.ApiThreadQuery, rejectInvalid), async (c) => {
  const window = c.req.valid('query');
  const detail = await repo.ticketDetail(c.env.DB, { id: ticketId(c), viewer: viewerOf(c), window });
  if (!detail) throw new HttpError(404, NOT_FOUND);
  return c.json({ comments: detail.comments.map(apiComment), ...apiThread(detail) });
});

lexicon.post('/api/tickets/:id/comments', async (c) => {
  const id = ticketId(c);
  const parsed = schema.CommentJson.safeParse(await jsonBody(c));
  if (!parsed.success) throw invalidInput(parsed.error, 'comment');
  const viewer = parsed.data.internal ? requireStaff(c) : viewerOf(c);
  const key = idempotencyKey(c);
  await limitApi(c, 'comment');
  const result = await repo.addComment(c.env.DB, { ticketId: id, body: parsed.data.body, internal: parsed.data.internal, key, actor: actorOf(c), viewer, now: now() });
  if (!result.detail) throw new HttpError(404, NOT_FOUND);
  if (result.followUp) {
    // A closed ticket stays closed: the reply opened a follow-up ticket instead.
    logChange(c, 'ticket.created', { ticket_id: result.followUp.id, follow_up_of: id, via: 'api' });
    c.header('location', `/lexicon/api/tickets/${result.followUp.id}`);
    return c.json({ comment: null, ticket: apiRow(result.detail), followUp: apiRow(result.followUp), reopened: false }, 201);
  }
  logChange(c, parsed.data.internal ? 'ticket.noted' : 'ticket.replied', { ticket_id: id, reopened: result.reopened, via: 'api' });
  const created = result.detail.comments.findLast((m) => m.author.id === viewer.id);
  if (!created) throw new HttpError(409, 'Nothing was added to this ticket. Send the comment again with a new Idempotency-Key.');
  return c.json({ comment: apiComment(created), ticket: apiRow(result.detail), reopened: result.reopened }, 201);
});

lexicon.get('/api/users', zValidator('query', schema.UsersQuery, rejectInvalid), async (c) => {
  requireStaff(c);
  const { after, limit } = c.req.valid('query');
  const rows = await repo.listUsers(c.env.DB, { afterId: after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return c.json({ users: page, nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null });
});

export default lexicon;
