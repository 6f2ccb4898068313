/**
 * A requester's portal: their tickets (or search results), a search box and a way
 * to open a ticket; a ticket or the new-ticket form as a page of its own.
 */
import type { Child } from 'hono/jsx';
import { HOME, NEW_TICKET } from '../paths';
import type { TicketRow } from '../rows';
import { SearchForm, TicketList } from './list';

/** The requester's portal: their tickets (or search results: `list`), a search box and a way to open a ticket. */
export function PortalPage({
  rows,
  now,
  next,
  pane,
  q,
  list,
}: {
  rows: TicketRow[];
  now: number;
  next: string | null;
  pane?: Child;
  q?: string;
  list?: Child;
}) {
  return (
    <div class="lx-portal">
      <div class="lx-portal-head">
        <h1>Your tickets</h1>
        <a class="button" href={NEW_TICKET}>
          New ticket
        </a>
      </div>
      {pane ?? (
        <>
          <SearchForm q={q} />
          <div id="lx-list" class="lx-list">
            {list ?? (
              <TicketList
                title="All your requests"
                rows={rows}
                agents={[]}
                now={now}
                next={next}
                link="page"
                empty="You have no tickets yet. Tell us what is wrong with “New ticket”."
              />
            )}
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
      <p>
        <a href={HOME}>← Your tickets</a>
      </p>
      <section id="lx-pane" class="lx-pane single">
        {children}
      </section>
    </div>
  );
}
