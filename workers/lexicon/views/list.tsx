/**
 * Ticket lists: a row (~0.5 KB), the rows with "Load 50 more" (keyset links from
 * paths.ts), the list region, and the search form that fills it. The staff screen
 * opens rows in the pane; a requester's portal (`link="page"`) opens their pages.
 */
import { Time } from '../../../shared/html/components';
import { SEARCH, ticketPath } from '../paths';
import { isActive, type Queue } from '../queues';
import type { Agent, TicketRow } from '../rows';
import { StatusBadge } from './common';

function name(agents: Agent[], id: number | null): string {
  if (id === null) return '—';
  return agents.find((a) => a.id === id)?.name ?? `#${id}`;
}

/**
 * One ticket in a list: ~500 bytes, ≤ 2 KB even with a 200-character subject of markup.
 * `link="page"` is the requester's portal: plain words, no priority, no bulk box.
 */
export function Row({
  t,
  agents,
  now,
  oob,
  link = 'pane',
  selected,
}: {
  t: TicketRow;
  agents: Agent[];
  now: number;
  oob?: boolean;
  link?: 'pane' | 'page';
  selected?: boolean;
}) {
  const overdue = isActive(t.status) && t.resolutionDueAt < now;
  const staff = link === 'pane';
  return (
    <li id={`t-${t.id}`} class={`lx-row p-${t.priority}${overdue ? ' overdue' : ''}`} hx-swap-oob={oob ? 'true' : undefined}>
      {staff && <input type="checkbox" name="ids" value={t.id} form="lx-bulk" aria-label={`Select #${t.id}`} checked={selected} />}
      <a class="lx-subj" href={ticketPath(t.id)}>
        {t.subject}
      </a>
      <span class="lx-meta">
        #{t.id} <StatusBadge status={t.status} plain={!staff} />
        {staff && (
          <>
            {' '}
            <b class={`pr pr-${t.priority}`}>{t.priority}</b> {name(agents, t.assigneeId)}
          </>
        )}{' '}
        <Time ms={t.updatedAt} />
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
      <a href={next} hx-get={next} hx-target="closest li" hx-swap="outerHTML" hx-push-url="false">
        Load 50 more
      </a>
    </li>
  ) : null;
}

/** Rows and the "load more" link: what a "load more" answers, and the body of a list. */
export function Rows({ rows, agents, now, next, link }: { rows: TicketRow[]; agents: Agent[]; now: number; next: string | null; link?: 'pane' | 'page' }) {
  return (
    <>
      {rows.map((t) => (
        <Row t={t} agents={agents} now={now} link={link} />
      ))}
      <MoreRows next={next} />
    </>
  );
}

/** The list region: a heading, the rows, and what to do when there are none. */
export function TicketList(props: {
  title: string;
  rows: TicketRow[];
  agents: Agent[];
  now: number;
  next: string | null;
  empty: string;
  link?: 'pane' | 'page';
  queue?: Queue | null;
}) {
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

/**
 * Search: a plain GET form (Enter or the button loads the results page, no
 * JavaScript needed); htmx searches as you type, and a submit swaps the list instead
 * of loading a page.
 */
export function SearchForm({ q = '' }: { q?: string | undefined }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a <search> element is not yet in every browser we support; role="search" on the form is the ARIA landmark.
    <form class="lx-toolbar" role="search" method="get" action={SEARCH} hx-get={SEARCH} hx-target="#lx-list" hx-push-url="true">
      <input
        type="search"
        id="lx-search"
        name="q"
        value={q}
        placeholder="Search subject, text, comments ( / )"
        aria-label="Search tickets"
        hx-get={SEARCH}
        hx-trigger="input changed delay:250ms, search"
        hx-target="#lx-list"
        autocomplete="off"
        maxlength={200}
      />
      <button type="submit" class="small secondary">
        Search
      </button>
    </form>
  );
}
