/**
 * The ticket pane: header, the staff's actions, the description, one page of the
 * conversation (the newest 50 comments), the reply box and the history. "Show
 * earlier/later" are links to the ticket page at another window, which htmx loads in
 * place instead: however long a thread grows, a pane is a bounded number of rows.
 * Every form also works without JavaScript (a normal POST and a 303 back to the ticket).
 */
import type { Child } from 'hono/jsx';
import { Time } from '../../../shared/html/components';
import { CsrfField } from '../../../shared/html/layout';
import type { FieldErrors } from '../../../shared/http/http-error';
import { actionPath, threadFragmentPath, threadPath, ticketPath, type TicketAction } from '../paths';
import { isActive } from '../queues';
import { auditTags, HISTORY_PAGE, type Agent, type Comment, type Cursor, type QueueContext, type TicketDetail } from '../rows';
import { MAX_TAGS } from '../schema';
import { article, nextStatuses, PRIORITIES, type Status } from '../status';
import { Linkified, ONCE, Person, PLAIN_STATUS, StatusBadge, SubmissionKey } from './common';

/** A tags audit value (a JSON array) as people write it: "network, vpn", or "none"; anything else as stored. */
function tagList(value: string): string {
  const tags = auditTags(value);
  if (tags === null) return value;
  return tags.length ? tags.join(', ') : 'none';
}

/** How a reply or note's answer swaps into the pane: the thread's end scrolled into view. */
const AFTER_SEND = 'innerHTML show:bottom showTarget:#lx-thread';

const STATUS_VERBS: Record<Status, string> = { new: 'New', open: 'Open', pending: 'Pending', resolved: 'Resolve', closed: 'Close' };

function PaneNotice({ notice }: { notice: { kind: 'warn' | 'ok'; text: string } | undefined }) {
  return notice ? (
    <p class={`notice notice-${notice.kind === 'ok' ? 'success' : 'warn'}`} role="alert">
      {notice.text}
    </p>
  ) : null;
}

/** A version-guarded action on the ticket: POST (htmx into the pane) with the CSRF field and the version read. */
function ActionForm({
  d,
  what,
  csrf,
  class: cls,
  children,
  error,
  errorId,
}: {
  d: TicketDetail;
  what: TicketAction;
  csrf: string;
  class: string;
  children: Child;
  error?: string | undefined;
  errorId?: string;
}) {
  const action = actionPath(d.id, what);
  return (
    <form class={cls} method="post" action={action} hx-post={action} hx-target="#lx-pane" hx-include="#lx-list-queue" {...ONCE}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={d.version} />
      {children}
      {error && (
        <p class="error" id={errorId}>
          {error}
        </p>
      )}
    </form>
  );
}

/** The staff's actions; `errors` by field, and (`_`) what belongs to no one field. */
function StaffActions({
  d,
  agents,
  me,
  csrf,
  errors,
  drafts,
}: {
  d: TicketDetail;
  agents: Agent[];
  me: number;
  csrf: string;
  errors: FieldErrors;
  drafts: Record<string, string>;
}) {
  const next = nextStatuses(d.status);
  const general = errors._ ?? errors.version ?? errors.list;
  if (next.length === 0) {
    // The end of the lifecycle (status.ts): no move, no one to work it, no SLA to prioritise.
    // What remains is the conversation: notes for staff, and a requester's reply opens a follow-up.
    return (
      <div class="lx-actions lx-final">
        {general && (
          <p class="error" id="lx-actions-error" role="alert">
            {general}
          </p>
        )}
        <p class="muted" id="lx-final">
          {article(d.status)} {d.status} ticket stays {d.status}: there is nothing to change. A requester's reply opens a follow-up ticket.
        </p>
      </div>
    );
  }
  return (
    <div class="lx-actions">
      {general && (
        <p class="error" id="lx-actions-error" role="alert">
          {general}
        </p>
      )}
      <ActionForm d={d} what="status" csrf={csrf} class="lx-status" error={errors.status} errorId="lx-status-error">
        <span class="lx-label">Status</span>
        {next.map((s) => (
          <button type="submit" name="status" value={s} class="small">
            {s === 'open' && d.status === 'resolved' ? 'Reopen' : STATUS_VERBS[s]}
          </button>
        ))}
      </ActionForm>
      <ActionForm d={d} what="assign" csrf={csrf} class="lx-assign" error={errors.assignee} errorId="lx-assignee-error">
        <label class="lx-label" for="lx-assignee">
          Assignee
        </label>
        <select
          id="lx-assignee"
          name="assignee"
          aria-invalid={errors.assignee ? 'true' : undefined}
          aria-describedby={errors.assignee ? 'lx-assignee-error' : undefined}
        >
          <option value="" selected={d.assigneeId === null}>
            Nobody
          </option>
          {agents.map((a) => (
            <option value={a.id} selected={a.id === d.assigneeId}>
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit" class="small secondary">
          Assign
        </button>
      </ActionForm>
      {d.assigneeId !== me && (
        // Its own form: one submission carries one assignee (the select's or "me"), never both.
        <ActionForm d={d} what="assign" csrf={csrf} class="lx-assign-me">
          <input type="hidden" name="assignee" value="me" />
          <button type="submit" id="lx-assign-me" class="small">
            Assign to me <kbd>a</kbd>
          </button>
        </ActionForm>
      )}
      <ActionForm d={d} what="priority" csrf={csrf} class="lx-priority" error={errors.priority} errorId="lx-priority-error">
        <label class="lx-label" for="lx-priority">
          Priority
        </label>
        <select id="lx-priority" name="priority" aria-invalid={errors.priority ? 'true' : undefined}>
          {PRIORITIES.map((p) => (
            <option value={p} selected={p === d.priority}>
              {p}
            </option>
          ))}
        </select>
        <button type="submit" class="small secondary">
          Set
        </button>
      </ActionForm>
      <ActionForm d={d} what="tags" csrf={csrf} class="lx-tags" error={errors.tags} errorId="lx-tags-error">
        <label class="lx-label" for="lx-tags">
          Tags
        </label>
        <input
          id="lx-tags"
          name="tags"
          value={errors.tags && drafts.tags !== undefined ? drafts.tags : d.tags.join(', ')}
          placeholder="vpn, laptop"
          maxlength={MAX_TAGS * 42}
          aria-invalid={errors.tags ? 'true' : undefined}
          aria-describedby={errors.tags ? 'lx-tags-error' : undefined}
        />
        <button type="submit" class="small secondary">
          Save
        </button>
      </ActionForm>
    </div>
  );
}

const HISTORY_VERBS: Record<string, string> = {
  create: 'created the ticket',
  status: 'changed status',
  assign: 'changed the assignee',
  priority: 'changed priority',
  comment: 'replied',
  note: 'added an internal note',
  tag: 'changed tags',
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
            <Time ms={h.at} /> · {h.actor === null ? 'someone' : <Person p={{ name: h.actor, email: h.actorEmail ?? h.actor }} staff={!plain} />}{' '}
            {HISTORY_VERBS[h.action] ?? h.action}
            {(h.from !== null || h.to !== null) && h.action !== 'create' ? (
              <>
                : {value(h.action, h.from)} → {value(h.action, h.to)}
              </>
            ) : null}
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
function ReplyForm({
  d,
  viewer,
  csrf,
  errors,
  draft,
  submissionKey,
}: {
  d: TicketDetail;
  viewer: { staff: boolean };
  csrf: string;
  errors: FieldErrors;
  draft: string;
  submissionKey?: string | undefined;
}) {
  const reply = actionPath(d.id, 'reply');
  const note = actionPath(d.id, 'note');
  const followUp = d.status === 'closed' && !viewer.staff;
  const error = errors.body;
  return (
    // After sending, the pane scrolls the thread's end into view: the new comment sits just
    // above this (sticky) form, which lexicon.css keeps clear with the thread's scroll-margin.
    <form
      class="lx-reply"
      method="post"
      action={reply}
      hx-post={reply}
      hx-target="#lx-pane"
      hx-swap={AFTER_SEND}
      hx-sync="this:drop"
      hx-disable="findAll button"
    >
      <CsrfField token={csrf} />
      <SubmissionKey value={submissionKey} />
      {followUp && (
        <p class="muted" id="lx-follow-up-hint">
          This ticket is closed. If the problem is back, write what happened: it opens a new ticket that links to this one.
        </p>
      )}
      <label for="lx-body">{viewer.staff ? 'Reply or note' : followUp ? 'What happened?' : 'Reply'}</label>
      <textarea
        id="lx-body"
        name="body"
        rows={4}
        maxlength={20000}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'lx-body-error' : undefined}
      >
        {draft}
      </textarea>
      {error && (
        <p class="error" id="lx-body-error">
          {error}
        </p>
      )}
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
        {m.fromStaff ? (
          <span class="lx-role">Support</span>
        ) : viewer.id === m.author.id ? (
          <span class="lx-role">You</span>
        ) : (
          <span class="lx-role">Requester</span>
        )}{' '}
        · <Time ms={m.createdAt} />
        {m.internal && <b class="lx-internal"> internal note</b>}
      </p>
      <div class="lx-comment-body">
        <Linkified text={m.body} />
      </div>
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
  const fragment = threadFragmentPath(id, window);
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
      {d.comments.map((m) => (
        <CommentItem m={m} viewer={viewer} />
      ))}
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
  const overdue = isActive(d.status) && d.resolutionDueAt < now;
  const plain = !viewer.staff;
  return (
    <article class="lx-ticket" data-id={d.id} data-version={d.version} aria-labelledby="lx-subject">
      <PaneNotice notice={notice} />
      <header>
        {/* A requester's ticket is the portal page's main content, so its heading is the page's h1. */}
        {plain ? (
          <h1 id="lx-subject">
            <span class="muted">#{d.id}</span> {d.subject}
          </h1>
        ) : (
          <h2 id="lx-subject">
            <span class="muted">#{d.id}</span> {d.subject}
          </h2>
        )}
        <p class="lx-meta">
          <StatusBadge status={d.status} plain={plain} />
          {!plain && (
            <>
              {' '}
              <b class={`pr pr-${d.priority}`}>{d.priority}</b>
            </>
          )}{' '}
          from <Person p={d.creator} staff={viewer.staff} /> · <Time ms={d.createdAt} /> · assignee{' '}
          {d.assignee ? <Person p={d.assignee} staff={viewer.staff} /> : <span class="muted">nobody</span>}
          {viewer.staff && (
            <>
              {' '}
              · due <Time ms={d.resolutionDueAt} />
              {overdue && <b class="overdue-tag"> overdue</b>}
            </>
          )}
        </p>
        {d.followUpOf !== null && (
          <p class="lx-link">
            Follow-up to <a href={ticketPath(d.followUpOf)}>#{d.followUpOf}</a>
          </p>
        )}
        {d.followUps.length > 0 && (
          <p class="lx-link">
            Followed up in{' '}
            {d.followUps.map((id, i) => (
              <>
                {i > 0 && ', '}
                <a href={ticketPath(id)}>#{id}</a>
              </>
            ))}
          </p>
        )}
        {d.tags.length > 0 && (
          <p class="lx-taglist">
            {d.tags.map((t) => (
              <span class="tag">{t}</span>
            ))}
          </p>
        )}
      </header>
      {viewer.staff && context && <StaffActions d={d} agents={context.agents} me={viewer.id} csrf={csrf} errors={errors} drafts={drafts} />}
      <div class="lx-body">
        <Linkified text={d.body} />
      </div>
      <ol class="lx-thread" id="lx-thread" aria-label="Conversation">
        <ThreadItems d={d} viewer={viewer} earlier later />
      </ol>
      <ReplyForm d={d} viewer={viewer} csrf={csrf} errors={errors} draft={drafts.body ?? ''} submissionKey={submissionKey} />
      <History d={d} plain={plain} />
    </article>
  );
}
