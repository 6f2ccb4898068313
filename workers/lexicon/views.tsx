/**
 * Lexicon's HTML: pure components, everything they show comes in as props.
 *
 * The staff screen is three regions: the queue nav with live counts (#lx-queues),
 * the list (#lx-list, 50 rows, key-paginated) and the ticket pane (#lx-pane).
 * Every action answers with the pane plus out-of-band swaps of the ticket's row
 * (#t-<id>) and the counts, so nothing else on the page re-renders. Every form also
 * works without JavaScript (a normal POST and a 303 back to the ticket).
 *
 * The pane shows one page of the conversation (the newest 50 comments); "show
 * earlier/later" are links to the ticket page at another window, which htmx loads in
 * place instead. However long a thread grows, a pane is a bounded number of rows.
 */
import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../../shared/http/http-error';
import { CsrfField } from '../../shared/html/layout';
import { FormError, Time } from '../../shared/html/components';
import { HISTORY_PAGE, OVERDUE_CAP, type Agent, type Comment, type Cursor, type Queue, type QueueContext, type QueueCounts, type ThreadWindow, type TicketDetail, type TicketRow } from './repository';
import { MAX_TAGS } from './schema';
import { article, nextStatuses, PRIORITIES, type Status } from './status';

/** Lexicon's own styles (every Lexicon page) and keyboard module (the staff screen). */
/** A tags audit value (a JSON array) as people write it: "network, vpn", or "none". */
function tagList(json: string): string {
  try {
    const tags: unknown = JSON.parse(json);
    if (Array.isArray(tags)) return tags.length ? tags.join(', ') : 'none';
  } catch {
    // Not JSON: show it as stored.
  }
  return json;
}

/** How a reply or note's answer swaps into the pane: the thread's end scrolled into view. */
const AFTER_SEND = 'innerHTML show:bottom showTarget:#lx-thread';

export const LEXICON_STYLES = { styles: ['/lexicon.css?v=3'] };
export const LEXICON_ASSETS = { ...LEXICON_STYLES, scripts: ['/lexicon.js?v=2'] };

/** What a status means, for requesters (agents read the short labels). */
export const PLAIN_STATUS: Record<Status, string> = {
  new: 'Received', open: 'In progress', pending: 'Waiting for your reply', resolved: 'Solved', closed: 'Closed',
};

/**
 * Double-submit guard for htmx: a second submit while the first is in flight is
 * dropped, and the buttons are disabled meanwhile. Plain attributes (no hx-on, no
 * eval: the CSP forbids them). Without JavaScript the server's one-time key is the guard.
 */
const ONCE = { 'hx-sync': 'this:drop', 'hx-disable': 'findAll button' } as const;

/** A one-time key for a form that creates something (see migrations/0007). */
export function SubmissionKey({ value }: { value?: string | undefined }) {
  return <input type="hidden" name="idempotencyKey" value={value ?? crypto.randomUUID()} />;
}

function StatusBadge({ status, plain }: { status: Status; plain?: boolean | undefined }) {
  return plain ? <b class={`st st-${status} plain`}>{PLAIN_STATUS[status]}</b> : <b class={`st st-${status}`}>{status}</b>;
}

export const QUEUE_LABELS: Record<Queue, string> = {
  new: 'New', open: 'Open', pending: 'Pending', resolved: 'Resolved', closed: 'Closed',
  mine: 'Mine', unassigned: 'Unassigned', overdue: 'Overdue',
};
const NAV: Queue[] = ['new', 'open', 'pending', 'resolved', 'mine', 'unassigned', 'overdue', 'closed'];

const STATUS_VERBS: Record<Status, string> = { new: 'New', open: 'Open', pending: 'Pending', resolved: 'Resolve', closed: 'Close' };

export const ticketPath = (id: number) => `/lexicon/tickets/${id}`;
const cursorParam = (c: Cursor) => `${c.key}.${c.id}`;
/** The ticket page showing one page of its thread (the newest without a window). */
export const threadPath = (id: number, window: ThreadWindow = {}) =>
  `${ticketPath(id)}${window.after ? `?after=${cursorParam(window.after)}` : window.before ? `?before=${cursorParam(window.before)}` : ''}`;
export const queuePath = (queue: Queue, after?: Cursor) => `/lexicon?queue=${queue}${after ? `&after=${after.key}.${after.id}` : ''}`;

/** Text with http(s) links made clickable; everything else stays escaped text. */
export function Linkified({ text }: { text: string }) {
  const parts: Child[] = [];
  let last = 0;
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"'`]+/gi)) {
    const url = match[0].replace(/[.,;:!?)\]}]+$/, '');
    const start = match.index;
    let href: string | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      /* not a URL after all: leave it as text */
    }
    parts.push(text.slice(last, start), href ? <a href={href} rel="nofollow noopener noreferrer ugc" target="_blank">{url}</a> : url);
    last = start + url.length;
  }
  parts.push(text.slice(last));
  return <>{parts}</>;
}

// ---------------------------------------------------------------- queue nav

export function QueueNav({ counts, active, oob }: { counts: QueueCounts; active: Queue | null; oob?: boolean }) {
  return (
    <nav id="lx-queues" class="lx-queues" aria-label="Queues" hx-swap-oob={oob ? 'true' : undefined}>
      {NAV.map((q) => (
        <a
          href={queuePath(q)}
          hx-get={queuePath(q)}
          hx-target="#lx-list"
          hx-push-url="true"
          aria-current={q === active ? 'page' : undefined}
          class={q === 'overdue' && counts.overdue > 0 ? 'lx-q warn' : 'lx-q'}
        >
          <span>{QUEUE_LABELS[q]}</span>
          <span class="lx-count" data-queue={q}>{q === 'overdue' && counts.overdue >= OVERDUE_CAP ? `${OVERDUE_CAP - 1}+` : counts[q]}</span>
        </a>
      ))}
    </nav>
  );
}

// ---------------------------------------------------------------- rows and lists

function name(agents: Agent[], id: number | null): string {
  if (id === null) return '—';
  return agents.find((a) => a.id === id)?.name ?? `#${id}`;
}

const ACTIVE: ReadonlySet<Status> = new Set(['new', 'open', 'pending']);

/** One ticket in a list: ~500 bytes, ≤ 2 KB even with a 200-character subject of markup. */
/**
 * One ticket in a list: ~500 bytes, ≤ 2 KB even with a 200-character subject of markup.
 * `link="page"` is the requester's portal: plain words, no priority, no bulk box.
 */
export function Row({ t, agents, now, oob, link = 'pane', selected }: { t: TicketRow; agents: Agent[]; now: number; oob?: boolean; link?: 'pane' | 'page'; selected?: boolean }) {
  const overdue = ACTIVE.has(t.status) && t.resolutionDueAt < now;
  const staff = link === 'pane';
  return (
    <li id={`t-${t.id}`} class={`lx-row p-${t.priority}${overdue ? ' overdue' : ''}`} hx-swap-oob={oob ? 'true' : undefined}>
      {staff && <input type="checkbox" name="ids" value={t.id} form="lx-bulk" aria-label={`Select #${t.id}`} checked={selected} />}
      <a class="lx-subj" href={ticketPath(t.id)}>{t.subject}</a>
      <span class="lx-meta">
        #{t.id} <StatusBadge status={t.status} plain={!staff} />{staff && <> <b class={`pr pr-${t.priority}`}>{t.priority}</b> {name(agents, t.assigneeId)}</>} <Time ms={t.updatedAt} />
      </span>
    </li>
  );
}

/** A new ticket's row, put at the top of the list on screen (an htmx 4 partial: it goes wherever hx-target says). */
export function RowAdded({ t, agents, now }: { t: TicketRow; agents: Agent[]; now: number }) {
  return (
    <hx-partial hx-target="#lx-rows" hx-swap="afterbegin">
      <Row t={t} agents={agents} now={now} />
    </hx-partial>
  );
}

/** Removes a ticket's row from the list on screen (out of band): it left the queue shown. */
export function RowGone({ id }: { id: number }) {
  return <li id={`t-${id}`} hx-swap-oob="delete"></li>;
}

function MoreRows({ next }: { next: string | null }) {
  return next ? (
    <li class="lx-more">
      <a href={next} hx-get={next} hx-target="closest li" hx-swap="outerHTML" hx-push-url="false">Load 50 more</a>
    </li>
  ) : null;
}

/** Rows and the "load more" link: what a "load more" answers, and the body of a list. */
export function Rows({ rows, agents, now, next, link }: { rows: TicketRow[]; agents: Agent[]; now: number; next: string | null; link?: 'pane' | 'page' }) {
  return (
    <>
      {rows.map((t) => <Row t={t} agents={agents} now={now} link={link} />)}
      <MoreRows next={next} />
    </>
  );
}

/** The list region: a heading, the rows, and what to do when there are none. */
export function TicketList(props: { title: string; rows: TicketRow[]; agents: Agent[]; now: number; next: string | null; empty: string; link?: 'pane' | 'page'; queue?: Queue | null }) {
  return (
    <>
      {/* The queue this list shows ("" for search results): the pane's forms send it (hx-include), so their answer can drop a row that left it. */}
      {props.link !== 'page' && <input type="hidden" id="lx-list-queue" name="list" value={props.queue ?? ''} />}
      <h2 class="lx-list-title" id="lx-list-title">
        {props.link !== 'page' && <input type="checkbox" id="lx-select-all" aria-label="Select all rows" />}
        {props.title}
      </h2>
      {/* Always there; lexicon.css hides it while the list has rows, so it comes back when the last row leaves (or goes when one arrives). */}
      <p class="muted lx-empty">{props.empty}</p>
      {/* Staff lists open rows in the pane: the links are boosted (hx-target and hx-push-url come from #lx-list), so a row carries no hx-get of its own. */}
      <ol id="lx-rows" class="lx-rows" aria-labelledby="lx-list-title" hx-boost:inherited={props.link === 'page' ? undefined : 'true'}>
        <Rows rows={props.rows} agents={props.agents} now={props.now} next={props.next} link={props.link} />
      </ol>
    </>
  );
}

// ---------------------------------------------------------------- the ticket pane

function PaneNotice({ notice }: { notice: { kind: 'warn' | 'ok'; text: string } | undefined }) {
  return notice ? <p class={`notice notice-${notice.kind === 'ok' ? 'success' : 'warn'}`} role="alert">{notice.text}</p> : null;
}

/** A version-guarded action on the ticket: POST (htmx into the pane) with the CSRF field and the version read. */
function ActionForm({ d, what, csrf, class: cls, children, error, errorId }: { d: TicketDetail; what: string; csrf: string; class: string; children: Child; error?: string | undefined; errorId?: string }) {
  const action = `${ticketPath(d.id)}/${what}`;
  return (
    <form class={cls} method="post" action={action} hx-post={action} hx-target="#lx-pane" hx-include="#lx-list-queue" {...ONCE}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={d.version} />
      {children}
      {error && <p class="error" id={errorId}>{error}</p>}
    </form>
  );
}

/** Field errors of the staff forms, and (`_`) what belongs to no one field. */

function StaffActions({ d, agents, me, csrf, errors, drafts }: { d: TicketDetail; agents: Agent[]; me: number; csrf: string; errors: FieldErrors; drafts: Record<string, string> }) {
  const next = nextStatuses(d.status);
  const general = errors['_'] ?? errors['version'] ?? errors['list'];
  if (next.length === 0) {
    // The end of the lifecycle (status.ts): no move, no one to work it, no SLA to prioritise.
    // What remains is the conversation: notes for staff, and a requester's reply opens a follow-up.
    return (
      <div class="lx-actions lx-final">
        {general && <p class="error" id="lx-actions-error" role="alert">{general}</p>}
        <p class="muted" id="lx-final">{article(d.status)} {d.status} ticket stays {d.status}: there is nothing to change. A requester's reply opens a follow-up ticket.</p>
      </div>
    );
  }
  return (
    <div class="lx-actions">
      {general && <p class="error" id="lx-actions-error" role="alert">{general}</p>}
      <ActionForm d={d} what="status" csrf={csrf} class="lx-status" error={errors['status']} errorId="lx-status-error">
        <span class="lx-label">Status</span>
        {next.map((s) => (
          <button type="submit" name="status" value={s} class="small">{s === 'open' && d.status === 'resolved' ? 'Reopen' : STATUS_VERBS[s]}</button>
        ))}
      </ActionForm>
      <ActionForm d={d} what="assign" csrf={csrf} class="lx-assign" error={errors['assignee']} errorId="lx-assignee-error">
        <label class="lx-label" for="lx-assignee">Assignee</label>
        <select id="lx-assignee" name="assignee" aria-invalid={errors['assignee'] ? 'true' : undefined} aria-describedby={errors['assignee'] ? 'lx-assignee-error' : undefined}>
          <option value="" selected={d.assigneeId === null}>Nobody</option>
          {agents.map((a) => <option value={a.id} selected={a.id === d.assigneeId}>{a.name}</option>)}
        </select>
        <button type="submit" class="small secondary">Assign</button>
      </ActionForm>
      {d.assigneeId !== me && (
        // Its own form: one submission carries one assignee (the select's or "me"), never both.
        <ActionForm d={d} what="assign" csrf={csrf} class="lx-assign-me">
          <input type="hidden" name="assignee" value="me" />
          <button type="submit" id="lx-assign-me" class="small">Assign to me <kbd>a</kbd></button>
        </ActionForm>
      )}
      <ActionForm d={d} what="priority" csrf={csrf} class="lx-priority" error={errors['priority']} errorId="lx-priority-error">
        <label class="lx-label" for="lx-priority">Priority</label>
        <select id="lx-priority" name="priority" aria-invalid={errors['priority'] ? 'true' : undefined}>
          {PRIORITIES.map((p) => <option value={p} selected={p === d.priority}>{p}</option>)}
        </select>
        <button type="submit" class="small secondary">Set</button>
      </ActionForm>
      <ActionForm d={d} what="tags" csrf={csrf} class="lx-tags" error={errors['tags']} errorId="lx-tags-error">
        <label class="lx-label" for="lx-tags">Tags</label>
        <input id="lx-tags" name="tags" value={errors['tags'] && drafts.tags !== undefined ? drafts.tags : d.tags.join(', ')} placeholder="vpn, laptop" maxlength={MAX_TAGS * 42}
          aria-invalid={errors['tags'] ? 'true' : undefined} aria-describedby={errors['tags'] ? 'lx-tags-error' : undefined} />
        <button type="submit" class="small secondary">Save</button>
      </ActionForm>
    </div>
  );
}

/**
 * A person by display name. Display names are typed by their owners and can say
 * anything ("IT Support"), so staff always see the address next to it; requesters
 * see the name (the address on hover).
 */
function Person({ p, staff }: { p: { name: string; email: string }; staff: boolean }) {
  if (!staff || p.name === p.email) return <span title={p.email}>{p.name}</span>;
  return <span class="lx-person">{p.name} <span class="lx-email">&lt;{p.email}&gt;</span></span>;
}

const HISTORY_VERBS: Record<string, string> = {
  create: 'created the ticket', status: 'changed status', assign: 'changed the assignee', priority: 'changed priority',
  comment: 'replied', note: 'added an internal note', tag: 'changed tags',
};

function History({ d, plain }: { d: TicketDetail; plain: boolean }) {
  // Requesters read statuses in plain words here too.
  const value = (action: string, v: string | null) => {
    if (v === null) return '—';
    if (plain && action === 'status' && v in PLAIN_STATUS) return PLAIN_STATUS[v as Status];
    if (action === 'tag') return tagList(v);
    return v;
  };
  return (
    <details class="lx-history">
      <summary>History ({d.historyTruncated ? `latest ${HISTORY_PAGE}` : d.history.length})</summary>
      {d.historyTruncated && <p class="muted">Older entries are not shown here.</p>}
      <ol>
        {d.history.map((h) => (
          <li>
            <Time ms={h.at} /> · {h.actor === null ? 'someone' : <Person p={{ name: h.actor, email: h.actorEmail ?? h.actor }} staff={!plain} />} {HISTORY_VERBS[h.action] ?? h.action}
            {(h.from !== null || h.to !== null) && h.action !== 'create' ? <>: {value(h.action, h.from)} → {value(h.action, h.to)}</> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}

export type PaneProps = {
  d: TicketDetail;
  context: QueueContext | null;
  viewer: { id: number; staff: boolean };
  csrf: string;
  now: number;
  notice?: { kind: 'warn' | 'ok'; text: string } | undefined;
  /** Messages by field (`body`, `tags`, `assignee`, …), shown next to the field they are about. */
  errors?: FieldErrors | undefined;
  /** What the person had typed, given back with the errors. */
  drafts?: Record<string, string> | undefined;
  /** The one-time key to render again (after a 422 nothing was made, so the same key stays good). */
  submissionKey?: string | undefined;
};

/** The reply box: a public reply (or, for a requester on a closed ticket, a follow-up) and, for staff, an internal note. */
function ReplyForm({ d, viewer, csrf, errors, draft, submissionKey }: { d: TicketDetail; viewer: { staff: boolean }; csrf: string; errors: FieldErrors; draft: string; submissionKey?: string | undefined }) {
  const reply = `${ticketPath(d.id)}/reply`;
  const note = `${ticketPath(d.id)}/note`;
  const followUp = d.status === 'closed' && !viewer.staff;
  const error = errors['body'];
  return (
    // After sending, the pane scrolls the thread's end into view: the new comment sits just
    // above this (sticky) form, which lexicon.css keeps clear with the thread's scroll-margin.
    <form class="lx-reply" method="post" action={reply} hx-post={reply} hx-target="#lx-pane" hx-swap={AFTER_SEND} hx-sync="this:drop" hx-disable="findAll button">
      <CsrfField token={csrf} />
      <SubmissionKey value={submissionKey} />
      {followUp && <p class="muted" id="lx-follow-up-hint">This ticket is closed. If the problem is back, write what happened: it opens a new ticket that links to this one.</p>}
      <label for="lx-body">{viewer.staff ? 'Reply or note' : followUp ? 'What happened?' : 'Reply'}</label>
      <textarea id="lx-body" name="body" rows={4} maxlength={20000} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'lx-body-error' : undefined}>{draft}</textarea>
      {error && <p class="error" id="lx-body-error">{error}</p>}
      <div class="actions">
        <button type="submit">{followUp ? 'Open a follow-up' : 'Send reply'}</button>
        {viewer.staff && (
          // Its own hx-post (a form's hx-post wins over formaction), so it needs its own target
          // (otherwise the pane is swapped into the button) and shares the form's drop-while-busy queue.
          <button type="submit" class="secondary" formaction={note} hx-post={note} hx-target="#lx-pane" hx-swap={AFTER_SEND} hx-sync="closest form:drop">
            Add internal note
          </button>
        )}
      </div>
    </form>
  );
}

function CommentItem({ m, viewer }: { m: Comment; viewer: { id: number; staff: boolean } }) {
  return (
    <li class={`lx-comment ${m.fromStaff ? 'from-staff' : 'from-requester'}${m.internal ? ' internal' : ''}`} id={`c-${m.id}`}>
      <p class="lx-comment-head">
        <Person p={m.author} staff={viewer.staff} />
        {m.fromStaff ? <span class="lx-role">Support</span> : viewer.id === m.author.id ? <span class="lx-role">You</span> : <span class="lx-role">Requester</span>}
        {' '}· <Time ms={m.createdAt} />
        {m.internal && <b class="lx-internal"> internal note</b>}
      </p>
      <div class="lx-comment-body"><Linkified text={m.body} /></div>
    </li>
  );
}

/**
 * "Show earlier" / "Show later": a link to the ticket page at that window (works
 * without JavaScript), which htmx turns into an in-place load: the answer (that
 * page's comments and the next link) replaces the link's <li>.
 */
function ThreadMore({ id, direction, cursor }: { id: number; direction: 'earlier' | 'later'; cursor: Cursor }) {
  const window = direction === 'earlier' ? { before: cursor } : { after: cursor };
  const fragment = `${ticketPath(id)}/comments${threadPath(id, window).slice(ticketPath(id).length)}`;
  return (
    <li class={`lx-thread-more lx-thread-${direction}`}>
      <a href={threadPath(id, window)} hx-get={fragment} hx-target="closest li" hx-swap="outerHTML" hx-push-url="false">
        {direction === 'earlier' ? 'Show earlier comments' : 'Show later comments'}
      </a>
    </li>
  );
}

/** One page of the thread, with the links to more (only in the directions asked for). */
function ThreadItems({ d, viewer, earlier, later }: { d: TicketDetail; viewer: { id: number; staff: boolean }; earlier?: boolean; later?: boolean }) {
  return (
    <>
      {earlier && d.thread.earlier && <ThreadMore id={d.id} direction="earlier" cursor={d.thread.earlier} />}
      {d.comments.map((m) => <CommentItem m={m} viewer={viewer} />)}
      {later && d.thread.later && <ThreadMore id={d.id} direction="later" cursor={d.thread.later} />}
    </>
  );
}

/** What a "show earlier/later" answers (htmx): that page of comments and the next link in the same direction. */
export function ThreadPage({ d, viewer, direction }: { d: TicketDetail; viewer: { id: number; staff: boolean }; direction: 'earlier' | 'later' }) {
  return <ThreadItems d={d} viewer={viewer} earlier={direction === 'earlier'} later={direction === 'later'} />;
}

/** The ticket: header, actions (staff), description, conversation, reply form, history. */
export function TicketPane({ d, context, viewer, csrf, now, notice, errors = {}, drafts = {}, submissionKey }: PaneProps) {
  const overdue = ACTIVE.has(d.status) && d.resolutionDueAt < now;
  const plain = !viewer.staff;
  return (
    <article class="lx-ticket" data-id={d.id} data-version={d.version} aria-labelledby="lx-subject">
      <PaneNotice notice={notice} />
      <header>
        {/* A requester's ticket is the portal page's main content, so its heading is the page's h1. */}
        {plain ? <h1 id="lx-subject"><span class="muted">#{d.id}</span> {d.subject}</h1> : <h2 id="lx-subject"><span class="muted">#{d.id}</span> {d.subject}</h2>}
        <p class="lx-meta">
          <StatusBadge status={d.status} plain={plain} />{!plain && <> <b class={`pr pr-${d.priority}`}>{d.priority}</b></>}
          {' '}from <Person p={d.creator} staff={viewer.staff} /> · <Time ms={d.createdAt} />
          {' '}· assignee {d.assignee ? <Person p={d.assignee} staff={viewer.staff} /> : <span class="muted">nobody</span>}
          {viewer.staff && <> · due <Time ms={d.resolutionDueAt} />{overdue && <b class="overdue-tag"> overdue</b>}</>}
        </p>
        {d.followUpOf !== null && <p class="lx-link">Follow-up to <a href={ticketPath(d.followUpOf)}>#{d.followUpOf}</a></p>}
        {d.followUps.length > 0 && (
          <p class="lx-link">Followed up in {d.followUps.map((id, i) => <>{i > 0 && ', '}<a href={ticketPath(id)}>#{id}</a></>)}</p>
        )}
        {d.tags.length > 0 && <p class="lx-taglist">{d.tags.map((t) => <span class="tag">{t}</span>)}</p>}
      </header>
      {viewer.staff && context && <StaffActions d={d} agents={context.agents} me={viewer.id} csrf={csrf} errors={errors} drafts={drafts} />}
      <div class="lx-body"><Linkified text={d.body} /></div>
      <ol class="lx-thread" id="lx-thread" aria-label="Conversation">
        <ThreadItems d={d} viewer={viewer} earlier later />
      </ol>
      <ReplyForm d={d} viewer={viewer} csrf={csrf} errors={errors} draft={drafts['body'] ?? ''} submissionKey={submissionKey} />
      <History d={d} plain={plain} />
    </article>
  );
}

export function EmptyPane() {
  return (
    <div class="lx-placeholder">
      <p>Select a ticket to see it here.</p>
      <p class="muted"><kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> open · <kbd>c</kbd> new · <kbd>?</kbd> all shortcuts</p>
    </div>
  );
}

// ---------------------------------------------------------------- new ticket

/**
 * The new-ticket form. htmx swaps the answer into #lx-pane: the form again (422, with
 * the messages by their fields) or the new ticket; without JavaScript it is a page.
 */
export function NewTicketForm({ csrf, staff, values = {}, errors = {}, submissionKey }: { csrf: string; staff: boolean; values?: Record<string, unknown>; errors?: FieldErrors; submissionKey?: string | undefined }) {
  const v = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : Array.isArray(values[k]) ? (values[k] as string[]).join(', ') : '');
  const invalid = (k: string) => (errors[k] ? { 'aria-invalid': 'true', 'aria-describedby': `lx-new-${k}-error` } : {});
  return (
    <form class="lx-new stack" method="post" action="/lexicon/tickets" hx-post="/lexicon/tickets" hx-target="#lx-pane" hx-include="#lx-list-queue" {...ONCE}>
      {staff ? <h2>New ticket</h2> : <h1>New ticket</h1>}
      <CsrfField token={csrf} />
      <SubmissionKey value={submissionKey} />
      <FormError message={errors['_'] ?? errors['idempotencyKey']} />
      <div class={`field${errors['subject'] ? ' has-error' : ''}`}>
        <label for="lx-new-subject">Subject</label>
        <input id="lx-new-subject" name="subject" value={v('subject')} required maxlength={200} autofocus {...invalid('subject')} />
        {errors['subject'] && <p class="error" id="lx-new-subject-error">{errors['subject']}</p>}
      </div>
      <div class={`field${errors['body'] ? ' has-error' : ''}`}>
        <label for="lx-new-body">What happened?</label>
        <textarea id="lx-new-body" name="body" rows={6} maxlength={20000} {...invalid('body')}>{v('body')}</textarea>
        {errors['body'] && <p class="error" id="lx-new-body-error">{errors['body']}</p>}
      </div>
      {staff && (
        <div class="field">
          <label for="lx-new-priority">Priority</label>
          <select id="lx-new-priority" name="priority">
            {PRIORITIES.map((p) => <option value={p} selected={p === (v('priority') || 'normal')}>{p}</option>)}
          </select>
        </div>
      )}
      <div class={`field${errors['tags'] ? ' has-error' : ''}`}>
        <label for="lx-new-tags">Tags</label>
        <input id="lx-new-tags" name="tags" value={v('tags')} placeholder="laptop, vpn" {...invalid('tags')} />
        <p class="hint">Separate tags with commas; at most {MAX_TAGS}.</p>
        {errors['tags'] && <p class="error" id="lx-new-tags-error">{errors['tags']}</p>}
      </div>
      <div class="actions"><button type="submit">Create ticket</button></div>
    </form>
  );
}

// ---------------------------------------------------------------- pages

const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous ticket'], ['o or Enter', 'open the ticket'], ['c', 'create a ticket'], ['a', 'assign the open ticket to me'],
  ['s', 'change status (then Tab, Enter)'], ['x', 'select the row for a bulk action'], ['/', 'search'], ['?', 'this help'], ['Esc', 'close / leave a field'],
];

function ShortcutHelp() {
  return (
    <dialog id="lx-help" class="lx-help" aria-labelledby="lx-help-title">
      <h2 id="lx-help-title">Keyboard shortcuts</h2>
      <dl>{SHORTCUTS.map(([k, what]) => <><dt><kbd>{k}</kbd></dt><dd>{what}</dd></>)}</dl>
      <form method="dialog"><button type="submit" class="small">Close</button></form>
    </dialog>
  );
}

/**
 * Search: a plain GET form (Enter or the button loads the results page, no
 * JavaScript needed); htmx searches as you type, and a submit swaps the list instead
 * of loading a page.
 */
export function SearchForm({ q = '' }: { q?: string | undefined }) {
  return (
    <form class="lx-toolbar" role="search" method="get" action="/lexicon/search" hx-get="/lexicon/search" hx-target="#lx-list" hx-push-url="true">
      <input type="search" id="lx-search" name="q" value={q} placeholder="Search subject, text, comments ( / )" aria-label="Search tickets"
        hx-get="/lexicon/search" hx-trigger="input changed delay:250ms, search" hx-target="#lx-list" autocomplete="off" maxlength={200} />
      <button type="submit" class="small secondary">Search</button>
    </form>
  );
}

function BulkBar({ agents, csrf }: { agents: Agent[]; csrf: string }) {
  return (
    <form id="lx-bulk" class="lx-bulk" method="post" action="/lexicon/bulk" hx-post="/lexicon/bulk" hx-target="#lx-bulk-message" {...ONCE}>
      <CsrfField token={csrf} />
      <span class="lx-label">Selected:</span>
      <select name="status" aria-label="New status for the selected tickets">
        <option value="">status…</option>
        {(['open', 'pending', 'resolved', 'closed'] as const).map((s) => <option value={s}>{s}</option>)}
      </select>
      <button type="submit" name="action" value="status" class="small secondary">Set status</button>
      <select name="assignee" aria-label="Assignee for the selected tickets">
        <option value="me">me</option>
        <option value="">nobody</option>
        {agents.map((a) => <option value={a.id}>{a.name}</option>)}
      </select>
      <button type="submit" name="action" value="assign" class="small secondary">Assign</button>
      {/* Where the outcome (or what stood in the way) shows: next to the buttons, not at the top of the page. */}
      <div id="lx-bulk-message" class="lx-bulk-message" role="status" aria-live="polite"></div>
    </form>
  );
}

/** The agent's screen: queues, list and pane, all rendered on the server (it works without JavaScript). */
export function StaffPage(props: { context: QueueContext; active: Queue | null; list: Child; pane: Child; csrf: string; me: number; q?: string }) {
  return (
    <div class="lx" data-me={props.me}>
      <aside class="lx-side">
        <h1 class="lx-title">Lexicon</h1>
        <a id="lx-new" class="button small" href="/lexicon/tickets/new" hx-get="/lexicon/tickets/new" hx-target="#lx-pane" hx-push-url="true">New ticket <kbd>c</kbd></a>
        <QueueNav counts={props.context.counts} active={props.active} />
        <button type="button" class="link-button lx-help-open" id="lx-help-open">Shortcuts <kbd>?</kbd></button>
      </aside>
      <section class="lx-main" aria-label="Tickets">
        <SearchForm q={props.q} />
        <BulkBar agents={props.context.agents} csrf={props.csrf} />
        <div id="lx-list" class="lx-list" hx-target:inherited="#lx-pane" hx-push-url:inherited="true">{props.list}</div>
      </section>
      <section id="lx-pane" class="lx-pane" aria-label="Ticket" aria-live="polite">{props.pane}</section>
      <ShortcutHelp />
    </div>
  );
}

/** The requester's portal: their tickets (or search results: `list`), a search box and a way to open a ticket. */
export function PortalPage({ rows, now, next, pane, q, list }: { rows: TicketRow[]; now: number; next: string | null; pane?: Child; q?: string; list?: Child }) {
  return (
    <div class="lx-portal">
      <div class="lx-portal-head">
        <h1>Your tickets</h1>
        <a class="button" href="/lexicon/tickets/new">New ticket</a>
      </div>
      {pane ?? (
        <>
          <SearchForm q={q} />
          <div id="lx-list" class="lx-list">
            {list ?? <TicketList title="All your requests" rows={rows} agents={[]} now={now} next={next} link="page" empty="You have no tickets yet. Tell us what is wrong with “New ticket”." />}
          </div>
        </>
      )}
    </div>
  );
}

/** A requester's ticket, or the new-ticket form, as a page of the portal. */
export function PortalTicketPage({ children }: { children: Child }) {
  return (
    <div class="lx-portal">
      <p><a href="/lexicon">← Your tickets</a></p>
      <section id="lx-pane" class="lx-pane single">{children}</section>
    </div>
  );
}
