/**
 * Lexicon's pages and htmx fragments, mounted at /lexicon (routes.ts). Agents and
 * admins ("staff") work the queues; members are requesters and get a portal of
 * their own tickets.
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
 * Input is read with `c.req.valid(...)` only: the validators (shared/http/validation.tsx)
 * run first, and a refused form comes back re-rendered around its messages (422) by
 * the hooks below. New tickets and comments are rate limited per user (limits.ts):
 * the form comes back (429) with what was typed.
 *
 * Every request costs at most 3 D1 queries (the session check included): reads are
 * one statement each, every mutation is one batch() that also reads back what the
 * response shows. A ticket the caller may not see is a 404 with the same body as a
 * ticket that does not exist; staff-only actions are a 403 for every id.
 */
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type * as z from 'zod';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { renderPage } from '../../shared/html/layout';
import { HttpError, type FieldErrors } from '../../shared/http/http-error';
import { refusal } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { navigate } from '../../shared/http/respond';
import { byRole, fieldErrors, form, query } from '../../shared/http/validation';
import { keysetPage } from '../../shared/pagination';
import { actorOf, assigneeId, isStaff, logChange, staffOnly, ticketParams, validTicketId, viewerOf } from './access';
import { allowed, tooMany } from './limits';
import { HOME, portalPath, queuePath, threadPath, ticketPath } from './paths';
import * as queries from './queries';
import { inQueue, type Queue } from './queues';
import { bulkRefusal, ticketRefusal, TICKET_REFUSALS } from './refusals';
import { cursorAfter, type Agent, type Changes, type TicketRow, type TicketView } from './rows';
import * as schema from './schema';
import { searchTickets } from './search';
import type { Priority, Status } from './status';
import { LEXICON_ASSETS, LEXICON_STYLES, QUEUE_LABELS } from './views/common';
import { Row, RowAdded, RowGone, Rows, TicketList } from './views/list';
import { NewTicketForm } from './views/new-ticket';
import { PortalPage, PortalTicketPage } from './views/portal';
import { EmptyPane, QueueNav, StaffPage } from './views/queue';
import { ThreadPage, TicketPane } from './views/ticket';
import * as writes from './writes';

const web = new Hono<AppEnv>();
const TITLE = 'Lexicon';
const PAGE = schema.PAGE;

// ---------------------------------------------------------------- helpers

/** The ticket id and the thread window of a ticket page or fragment (validated as the API validates them). */
const pageTicketParams = ticketParams;
const threadQuery = query(schema.ThreadQuery);

/** htmx wants a fragment, except when it restores history (then it wants the page). */
const wantsFragment = (c: Context<AppEnv>) => isHtmx(c) && c.req.header('hx-history-restore-request') !== 'true';

/** The queue the browser is showing (from HX-Current-URL), so OOB counts keep it highlighted. */
const shownQueue = (c: Context<AppEnv>): Queue | null => schema.queueOfUrl(c.req.header('hx-current-url'));

/** How many list rows a ticket read should bring along: a whole page needs its list (+1 to know if there is more); a fragment none. */
const pageList = (c: Context<AppEnv>): number | undefined => (isHtmx(c) ? undefined : PAGE + 1);

/** One page of a queue from its rows (fetched with PAGE + 1), and the link to the next. */
function queuePage(queue: Queue, rows: TicketRow[]): { rows: TicketRow[]; next: string | null } {
  const { items, next } = keysetPage(rows, PAGE, (r) => cursorAfter(queue, r));
  return { rows: items, next: next && queuePath(queue, next) };
}

/** A queue's list region from its first page of rows (+1 to know whether there is more). */
function queueList(queue: Queue, rows: TicketRow[], agents: Agent[], t: number) {
  const page = queuePage(queue, rows);
  return (
    <TicketList
      title={QUEUE_LABELS[queue]}
      queue={queue}
      rows={page.rows}
      agents={agents}
      now={t}
      next={page.next}
      empty={`Nothing in ${QUEUE_LABELS[queue]}.`}
    />
  );
}

/** Text fields of a refused form, to give back what the person typed. */
function drafts(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The pane's form field for an API field that a refusal names. */
const FORM_FIELDS: Record<string, string> = { assigneeId: 'assignee' };

type Notice = { kind: 'warn' | 'ok'; text: string };

type PaneOptions = {
  status?: number;
  notice?: Notice;
  /** Messages by field, shown next to the field (a 422). */
  errors?: FieldErrors;
  /** What was typed, given back with the errors. */
  drafts?: Record<string, string>;
  submissionKey?: string | undefined;
  /** The queue whose list is on screen (sent by the pane's forms): a row that left it is removed. */
  list?: Queue | '' | undefined;
  /** A ticket just created: its row goes to the top of the list on screen, if it belongs there. */
  created?: boolean;
};

/**
 * What every ticket action answers: for htmx the pane, plus the ticket's row (or, if
 * it left the queue on screen, its removal) and the counts out of band; without htmx
 * a 303 back to the ticket (or, for a refusal, the ticket page with the message).
 */
function ticketResponse(c: Context<AppEnv>, view: TicketView, options: PaneOptions = {}): Response | Promise<Response> {
  const d = view.detail;
  if (!d) throw refusal(TICKET_REFUSALS, 'not_found');
  const viewer = viewerOf(c);
  const t = now();
  const pane = (
    <TicketPane
      d={d}
      context={view.context}
      viewer={viewer}
      csrf={c.get('csrfToken')}
      now={t}
      notice={options.notice}
      errors={options.errors}
      drafts={options.drafts}
      submissionKey={options.submissionKey}
    />
  );
  const status = options.status ?? 200;
  if (isHtmx(c)) {
    const list = options.list || (options.created ? shownQueue(c) : null);
    const gone = list !== null && !inQueue(list, d, viewer.id, t);
    const row = !view.context ? null : options.created ? (
      !gone && list !== null && <RowAdded t={d} agents={view.context.agents} now={t} />
    ) : gone ? (
      <RowGone id={d.id} />
    ) : (
      <Row t={d} agents={view.context.agents} now={t} oob />
    );
    return c.html(
      <>
        {pane}
        {row}
        {view.context && <QueueNav counts={view.context.counts} active={list ?? shownQueue(c)} oob />}
      </>,
      status as 200,
    );
  }
  if (status < 300) return navigate(c, ticketPath(d.id));
  return ticketPage(c, view, pane, status);
}

/**
 * A ticket as a whole page. For staff: the queues, the list of the ticket's status
 * (rendered here, so the page works without JavaScript; read in the same batch when
 * the view came from ticketView with `listLimit`, else one more query) and the pane.
 */
async function ticketPage(c: Context<AppEnv>, view: TicketView, pane: Child, status = 200): Promise<Response> {
  const d = view.detail!;
  const title = `#${d.id} ${d.subject}`;
  if (!view.context) return renderPage(c, { title, status, ...LEXICON_STYLES }, <PortalTicketPage>{pane}</PortalTicketPage>);
  const viewer = viewerOf(c);
  const t = now();
  const rows = view.list ?? (await queries.listQueue(c.env.DB, { queue: d.status, viewer, cursor: null, limit: PAGE + 1, now: t }));
  return renderPage(
    c,
    { title, status, ...LEXICON_ASSETS },
    <StaffPage
      context={view.context}
      active={null}
      list={queueList(d.status, rows, view.context.agents, t)}
      pane={pane}
      csrf={c.get('csrfToken')}
      me={viewer.id}
    />,
  );
}

/** The ticket as it is now (after a refusal), with its list when a whole page will show it. */
async function freshView(c: Context<AppEnv>, id: number): Promise<TicketView> {
  const view = await queries.ticketView(c.env.DB, { id, viewer: viewerOf(c), now: now(), listLimit: pageList(c) });
  if (!view.detail) throw refusal(TICKET_REFUSALS, 'not_found');
  return view;
}

type FormRefusal = { error: z.core.$ZodError; data: Record<string, unknown> };

/**
 * Invalid input to a staff form: the pane again (422) with each message next to the
 * field it is about (the tags box, the assignee menu, …) and what was typed.
 */
async function paneHook(result: FormRefusal, c: Context<AppEnv>): Promise<Response> {
  const view = await queries.ticketView(c.env.DB, { id: validTicketId(c), viewer: viewerOf(c), now: now(), listLimit: pageList(c) });
  return ticketResponse(c, view, {
    status: 422,
    errors: fieldErrors(result.error, 'field'),
    drafts: drafts(result.data),
    list: schema.listedQueue(result.data.list),
  });
}

/** An invalid reply or note: the pane again (422) with the message under the box, the text and its one-time key kept. */
async function commentHook(result: FormRefusal, c: Context<AppEnv>): Promise<Response> {
  const view = await queries.ticketView(c.env.DB, { id: validTicketId(c), viewer: viewerOf(c), now: now(), listLimit: pageList(c) });
  return ticketResponse(c, view, {
    status: 422,
    errors: fieldErrors(result.error, 'field'),
    drafts: drafts(result.data),
    submissionKey: schema.keptKey(result.data.idempotencyKey),
  });
}

/** Runs one staff change of a ticket and answers as ticketResponse does; a refusal says what refusals.ts says. */
async function changeTicket(c: Context<AppEnv>, input: { id: number; version: number; set: Changes; list?: Queue | '' | undefined }): Promise<Response> {
  const { id, version, set, list } = input;
  const result = await writes.updateTicket(c.env.DB, { id, expectedVersion: version, set, actor: actorOf(c), viewer: viewerOf(c), now: now() });
  if (result.ok) {
    if (result.changed) logChange(c, 'ticket.updated', { ticket_id: id, fields: Object.keys(set), version: result.ticket.version });
    return ticketResponse(c, result, { list });
  }
  if (result.reason === 'not_found') throw refusal(TICKET_REFUSALS, 'not_found');
  // A conflict carries the ticket as it is now; a trigger's refusal rolled the batch
  // back, its read with it, so the ticket is read again (with its list, for a page: still one query).
  const view = result.reason === 'conflict' ? result : await freshView(c, id);
  const entry = ticketRefusal(result.reason, view.detail, set);
  const field = entry.field && FORM_FIELDS[entry.field];
  return ticketResponse(c, view, {
    status: entry.status,
    list,
    ...(field ? { errors: { [field]: entry.message } } : { notice: { kind: 'warn', text: entry.message } }),
  });
}

// ---------------------------------------------------------------- queue page, portal, search

web.get('/', query(schema.QueueQuery), async (c) => {
  const viewer = viewerOf(c);
  const { queue = 'new', after } = c.req.valid('query');
  const t = now();
  if (!viewer.staff) {
    const rows = await queries.listQueue(c.env.DB, { queue: 'own', viewer, cursor: after ?? null, limit: PAGE + 1, now: t });
    const { items, next } = keysetPage(rows, PAGE, (r) => cursorAfter('own', r));
    const nextUrl = next && portalPath(next);
    if (wantsFragment(c) && after) return c.html(<Rows rows={items} agents={[]} now={t} next={nextUrl} link="page" />);
    return c.render(<PortalPage rows={items} now={t} next={nextUrl} />, { title: TITLE, ...LEXICON_STYLES });
  }
  const context = await queries.queueContext(c.env.DB, { userId: viewer.id, now: t });
  const rows = await queries.listQueue(c.env.DB, { queue, viewer, cursor: after ?? null, limit: PAGE + 1, now: t });
  if (wantsFragment(c) && after) {
    const page = queuePage(queue, rows);
    return c.html(<Rows rows={page.rows} agents={context.agents} now={t} next={page.next} />);
  }
  const list = queueList(queue, rows, context.agents, t);
  if (wantsFragment(c)) {
    return c.html(
      <>
        {list}
        <QueueNav counts={context.counts} active={queue} oob />
      </>,
    );
  }
  return c.render(<StaffPage context={context} active={queue} list={list} pane={<EmptyPane />} csrf={c.get('csrfToken')} me={viewer.id} />, {
    title: TITLE,
    ...LEXICON_ASSETS,
  });
});

web.get('/search', query(schema.SearchQuery), async (c) => {
  const viewer = viewerOf(c);
  const { q } = c.req.valid('query');
  const t = now();
  if (q.trim() === '' && viewer.staff && wantsFragment(c)) {
    // An emptied search box goes back to the queue on screen.
    const queue = shownQueue(c) ?? 'new';
    const context = await queries.queueContext(c.env.DB, { userId: viewer.id, now: t });
    const rows = await queries.listQueue(c.env.DB, { queue, viewer, cursor: null, limit: PAGE + 1, now: t });
    return c.html(queueList(queue, rows, context.agents, t));
  }
  const context = viewer.staff ? await queries.queueContext(c.env.DB, { userId: viewer.id, now: t }) : null;
  const agents = context?.agents ?? [];
  const rows = await searchTickets(c.env.DB, { query: q, viewer, limit: PAGE });
  const list = (
    <TicketList
      title={q.trim() ? `Search: ${q.trim()}` : 'Search'}
      rows={rows}
      agents={agents}
      now={t}
      next={null}
      link={viewer.staff ? 'pane' : 'page'}
      empty={
        q.trim()
          ? 'No tickets match. Terms of 3+ characters search subject, text and comments; shorter ones match the start of the subject.'
          : 'Type something to search for.'
      }
    />
  );
  if (wantsFragment(c)) return c.html(list);
  // Without htmx (the plain GET form, a bookmark, a reload after hx-push-url): the whole screen with the results as its list.
  if (context) {
    return renderPage(
      c,
      { title: `Search · ${TITLE}`, ...LEXICON_ASSETS },
      <StaffPage context={context} active={null} list={list} pane={<EmptyPane />} csrf={c.get('csrfToken')} me={viewer.id} q={q} />,
    );
  }
  return c.render(<PortalPage rows={[]} now={t} next={null} q={q} list={list} />, { title: `Search · ${TITLE}`, ...LEXICON_STYLES });
});

// ---------------------------------------------------------------- create

web.get('/tickets/new', async (c) => {
  const viewer = viewerOf(c);
  const newForm = <NewTicketForm csrf={c.get('csrfToken')} staff={viewer.staff} />;
  if (wantsFragment(c)) return c.html(newForm);
  return newTicketPage(c, newForm);
});

/** The new-ticket form as a page: the portal's, or the staff screen with the New queue listed beside it. */
async function newTicketPage(c: Context<AppEnv>, newForm: Child, status = 200): Promise<Response> {
  const viewer = viewerOf(c);
  const title = `New ticket · ${TITLE}`;
  if (!viewer.staff) return renderPage(c, { title, status, ...LEXICON_STYLES }, <PortalTicketPage>{newForm}</PortalTicketPage>);
  const t = now();
  const [context, rows] = await Promise.all([
    queries.queueContext(c.env.DB, { userId: viewer.id, now: t }),
    queries.listQueue(c.env.DB, { queue: 'new', viewer, cursor: null, limit: PAGE + 1, now: t }),
  ]);
  return renderPage(
    c,
    { title, status, ...LEXICON_ASSETS },
    <StaffPage context={context} active={null} list={queueList('new', rows, context.agents, t)} pane={newForm} csrf={c.get('csrfToken')} me={viewer.id} />,
  );
}

/**
 * The new-ticket form again, refused (422) or over the limit (429), with each message
 * by its field and what was typed; for htmx the form alone (it is swapped into
 * #lx-pane, where the form was), never wrapped in a page region.
 */
function newTicketRefused(
  c: Context<AppEnv>,
  status: 422 | 429,
  state: { values: Record<string, unknown>; errors: FieldErrors; submissionKey: string | undefined },
): Response | Promise<Response> {
  const refused = <NewTicketForm csrf={c.get('csrfToken')} staff={viewerOf(c).staff} {...state} />;
  if (isHtmx(c)) return c.html(refused, status);
  return newTicketPage(c, refused, status);
}

const newTicketHook = (result: FormRefusal, c: Context<AppEnv>) =>
  newTicketRefused(c, 422, { values: result.data, errors: fieldErrors(result.error, 'field'), submissionKey: schema.keptKey(result.data.idempotencyKey) });

web.post(
  '/tickets',
  byRole((s) => form(s, newTicketHook), isStaff, { yes: schema.StaffTicketForm, no: schema.RequesterTicketForm }),
  async (c) => {
    const viewer = viewerOf(c);
    const data = c.req.valid('form');
    if (!(await allowed(c, 'ticket'))) return newTicketRefused(c, 429, { values: data, errors: { _: tooMany('ticket') }, submissionKey: data.idempotencyKey });
    const { idempotencyKey: key, list, ...fields } = { list: undefined, ...data };
    const priority: Priority = 'priority' in fields ? fields.priority : 'normal';
    const { ticket, replayed } = await writes.submitTicket(c.env.DB, { ...fields, priority, key, actor: actorOf(c), now: now() });
    if (!replayed) logChange(c, 'ticket.created', { ticket_id: ticket.id, via: 'form' });
    if (viewer.staff && isHtmx(c)) {
      c.header('hx-push-url', ticketPath(ticket.id));
      return ticketResponse(c, await queries.ticketView(c.env.DB, { id: ticket.id, viewer, now: now() }), {
        status: replayed ? 200 : 201,
        created: !replayed,
        list,
      });
    }
    return navigate(c, ticketPath(ticket.id));
  },
);

// ---------------------------------------------------------------- a ticket

web.get('/tickets/:id', pageTicketParams, threadQuery, async (c) => {
  const viewer = viewerOf(c);
  const fragment = wantsFragment(c);
  const { id } = c.req.valid('param');
  const window = c.req.valid('query');
  const view = await queries.ticketView(c.env.DB, { id, viewer, now: now(), listLimit: fragment ? undefined : PAGE + 1, window });
  if (!view.detail) throw refusal(TICKET_REFUSALS, 'not_found');
  if (fragment) return ticketResponse(c, view);
  const pane = <TicketPane d={view.detail} context={view.context} viewer={viewer} csrf={c.get('csrfToken')} now={now()} />;
  return ticketPage(c, view, pane);
});

/**
 * "Show earlier" / "Show later" in a long thread. htmx swaps the answer in place of
 * the link it came from: that page's comments and the next link the same way.
 * Without htmx the link's href is the ticket page at that window, so this is only
 * reached by hand: it sends the browser there.
 */
web.get('/tickets/:id/comments', pageTicketParams, threadQuery, async (c) => {
  const { id } = c.req.valid('param');
  const window = c.req.valid('query');
  const viewer = viewerOf(c);
  const d = await queries.ticketDetail(c.env.DB, { id, viewer, window });
  if (!d) throw refusal(TICKET_REFUSALS, 'not_found');
  if (!wantsFragment(c)) return c.redirect(threadPath(id, window), 303);
  return c.html(<ThreadPage d={d} viewer={viewer} direction={window.after ? 'later' : 'earlier'} />);
});

/**
 * A reply or a note. Invalid input re-renders the pane with the message under the
 * box and the text given back (422: commentHook); over the rate limit, the same with
 * a 429. A requester's reply to a closed ticket opens a follow-up ticket, where the
 * browser is sent.
 */
async function comment(c: Context<AppEnv>, id: number, input: { body: string; idempotencyKey?: string | undefined }, internal: boolean): Promise<Response> {
  const viewer = viewerOf(c);
  if (!(await allowed(c, 'comment'))) {
    return ticketResponse(c, await freshView(c, id), {
      status: 429,
      errors: { body: tooMany('comment') },
      drafts: { body: input.body },
      submissionKey: input.idempotencyKey,
    });
  }
  const result = await writes.addComment(c.env.DB, {
    ticketId: id,
    body: input.body,
    internal,
    key: input.idempotencyKey,
    actor: actorOf(c),
    viewer,
    now: now(),
  });
  if (!result.ok) throw refusal(TICKET_REFUSALS, result.reason);
  if (result.followUp) {
    logChange(c, 'ticket.created', { ticket_id: result.followUp.id, follow_up_of: id, via: 'form' });
    return navigate(c, ticketPath(result.followUp.id));
  }
  logChange(c, internal ? 'ticket.noted' : 'ticket.replied', { ticket_id: id, reopened: result.reopened });
  return ticketResponse(c, result, result.reopened ? { notice: { kind: 'ok', text: 'Your reply reopened the ticket.' } } : {});
}

web.post('/tickets/:id/reply', pageTicketParams, form(schema.CommentForm, commentHook), (c) => comment(c, c.req.valid('param').id, c.req.valid('form'), false));
web.post('/tickets/:id/note', staffOnly, pageTicketParams, form(schema.CommentForm, commentHook), (c) =>
  comment(c, c.req.valid('param').id, c.req.valid('form'), true),
);

// Staff actions on one ticket: staff first (a 403 for every id), then the id, then the form.
web.post('/tickets/:id/status', staffOnly, pageTicketParams, form(schema.StatusForm, paneHook), (c) => {
  const { status, version, list } = c.req.valid('form');
  return changeTicket(c, { id: c.req.valid('param').id, version, list, set: { status } });
});
web.post('/tickets/:id/priority', staffOnly, pageTicketParams, form(schema.PriorityForm, paneHook), (c) => {
  const { priority, version, list } = c.req.valid('form');
  return changeTicket(c, { id: c.req.valid('param').id, version, list, set: { priority } });
});
web.post('/tickets/:id/assign', staffOnly, pageTicketParams, form(schema.AssignForm, paneHook), (c) => {
  const { assignee, version, list } = c.req.valid('form');
  return changeTicket(c, { id: c.req.valid('param').id, version, list, set: { assigneeId: assigneeId(c, assignee) } });
});
web.post('/tickets/:id/tags', staffOnly, pageTicketParams, form(schema.TagsForm, paneHook), (c) => {
  const { tags, version, list } = c.req.valid('form');
  return changeTicket(c, { id: c.req.valid('param').id, version, list, set: { tags } });
});

// ---------------------------------------------------------------- bulk

/**
 * What stood in the way of a bulk action: for htmx it lands in the bulk bar
 * (#lx-bulk-message) next to the buttons; without JavaScript it is a page with the message.
 */
function bulkRefused(c: Context<AppEnv>, status: 409 | 422, message: string): Response | Promise<Response> {
  if (!isHtmx(c)) throw new HttpError(status, message);
  return c.html(
    <p class="notice notice-warn" role="alert">
      {message}
    </p>,
    status,
  );
}

/** Bulk: status or assignee of the selected rows, all or nothing. */
web.post(
  '/bulk',
  staffOnly,
  form(schema.BulkForm, (result, c) => bulkRefused(c, 422, Object.values(fieldErrors(result.error, 'field')).join(' '))),
  async (c) => {
    const { ids, action, status, assignee } = c.req.valid('form');
    if (!ids?.length) return bulkRefused(c, 422, 'Select at least one ticket first (the boxes in the list, or x on a row).');
    let set: { status: Status } | { assigneeId: number | null };
    if (action === 'status') {
      if (!status) return bulkRefused(c, 422, 'Choose the status to give the selected tickets.');
      set = { status };
    } else {
      set = { assigneeId: assigneeId(c, assignee ?? 'me') };
    }
    const t = now();
    const result = await writes.bulkUpdate(c.env.DB, { ids, set, actor: actorOf(c), now: t });
    if (!result.ok) {
      const entry = bulkRefusal(result, status || undefined);
      return bulkRefused(c, entry.status === 422 ? 422 : 409, entry.message);
    }
    logChange(c, 'ticket.bulk', { ticket_ids: result.changed.map((r) => r.id), action, to: 'status' in set ? set.status : set.assigneeId });
    const selected = new Set(ids).size;
    const message = `${result.changed.length} of ${selected} tickets changed${result.changed.length < selected ? ' (the others already were so)' : ''}.`;
    if (!isHtmx(c)) return navigate(c, HOME);
    return c.html(
      <>
        <p class="notice notice-success">{message}</p>
        {/* The rows stay (and stay selected), ready for the next bulk action, even if they left the queue shown. */}
        {result.changed.map((r) => (
          <Row t={r} agents={result.context.agents} now={t} oob selected />
        ))}
        <QueueNav counts={result.context.counts} active={shownQueue(c)} oob />
      </>,
    );
  },
);

export default web;
