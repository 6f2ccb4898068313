/**
 * The agent's screen: three regions, the queue nav with live counts (#lx-queues),
 * the list (#lx-list, 50 rows, key-paginated) and the ticket pane (#lx-pane).
 * Every action answers with the pane plus out-of-band swaps of the ticket's row
 * (#t-<id>) and the counts, so nothing else on the page re-renders. Everything is
 * rendered on the server, so the screen works without JavaScript.
 */
import type { Child } from 'hono/jsx';
import { CsrfField } from '../../../shared/html/layout';
import { BULK, NEW_TICKET, queuePath } from '../paths';
import type { Queue } from '../queues';
import { OVERDUE_CAP, type Agent, type QueueContext, type QueueCounts } from '../rows';
import { ONCE, QUEUE_LABELS } from './common';
import { SearchForm } from './list';

const NAV: Queue[] = ['new', 'open', 'pending', 'resolved', 'mine', 'unassigned', 'overdue', 'closed'];

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
          <span class="lx-count" data-queue={q}>
            {q === 'overdue' && counts.overdue >= OVERDUE_CAP ? `${OVERDUE_CAP - 1}+` : counts[q]}
          </span>
        </a>
      ))}
    </nav>
  );
}

export function EmptyPane() {
  return (
    <div class="lx-placeholder">
      <p>Select a ticket to see it here.</p>
      <p class="muted">
        <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>o</kbd> open · <kbd>c</kbd> new · <kbd>?</kbd> all shortcuts
      </p>
    </div>
  );
}

const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous ticket'],
  ['o or Enter', 'open the ticket'],
  ['c', 'create a ticket'],
  ['a', 'assign the open ticket to me'],
  ['s', 'change status (then Tab, Enter)'],
  ['x', 'select the row for a bulk action'],
  ['/', 'search'],
  ['?', 'this help'],
  ['Esc', 'close / leave a field'],
];

function ShortcutHelp() {
  return (
    <dialog id="lx-help" class="lx-help" aria-labelledby="lx-help-title">
      <h2 id="lx-help-title">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([k, what]) => (
          <>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit" class="small">
          Close
        </button>
      </form>
    </dialog>
  );
}

function BulkBar({ agents, csrf }: { agents: Agent[]; csrf: string }) {
  return (
    <form id="lx-bulk" class="lx-bulk" method="post" action={BULK} hx-post={BULK} hx-target="#lx-bulk-message" {...ONCE}>
      <CsrfField token={csrf} />
      <span class="lx-label">Selected:</span>
      <select name="status" aria-label="New status for the selected tickets">
        <option value="">status…</option>
        {(['open', 'pending', 'resolved', 'closed'] as const).map((s) => (
          <option value={s}>{s}</option>
        ))}
      </select>
      <button type="submit" name="action" value="status" class="small secondary">
        Set status
      </button>
      <select name="assignee" aria-label="Assignee for the selected tickets">
        <option value="me">me</option>
        <option value="">nobody</option>
        {agents.map((a) => (
          <option value={a.id}>{a.name}</option>
        ))}
      </select>
      <button type="submit" name="action" value="assign" class="small secondary">
        Assign
      </button>
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
        <a id="lx-new" class="button small" href={NEW_TICKET} hx-get={NEW_TICKET} hx-target="#lx-pane" hx-push-url="true">
          New ticket <kbd>c</kbd>
        </a>
        <QueueNav counts={props.context.counts} active={props.active} />
        <button type="button" class="link-button lx-help-open" id="lx-help-open">
          Shortcuts <kbd>?</kbd>
        </button>
      </aside>
      <section class="lx-main" aria-label="Tickets">
        <SearchForm q={props.q} />
        <BulkBar agents={props.context.agents} csrf={props.csrf} />
        <div id="lx-list" class="lx-list" hx-target:inherited="#lx-pane" hx-push-url:inherited="true">
          {props.list}
        </div>
      </section>
      <section id="lx-pane" class="lx-pane" aria-label="Ticket" aria-live="polite">
        {props.pane}
      </section>
      <ShortcutHelp />
    </div>
  );
}
