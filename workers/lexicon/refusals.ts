/**
 * What each refusal of a ticket change means to a person: one table (status and
 * message per reason, shared/http/refusal.ts) read by the pane (web.tsx) and by the
 * API (api.ts), so a browser and curl are told the same thing. Some messages name
 * what the fresh ticket says (its version, the moves it allows) or the tickets that
 * stood in the way of a bulk change: those are built here too, over the same entry.
 */
import { describeRefusal, type RefusalEntry, type RefusalTable } from '../../shared/http/refusal';
import type { TicketDetail } from './rows';
import { article, nextStatuses, type Status } from './status';
import type { UpdateRefusal } from './writes';

export const NOT_FOUND = 'There is no such ticket, or it is not yours to see.';
export const STAFF_ONLY = 'Only agents and admins can do that.';

export const TICKET_REFUSALS: RefusalTable<UpdateRefusal> = {
  not_found: { status: 404, message: NOT_FOUND },
  conflict: {
    status: 409,
    message: 'Someone else changed this ticket while you had it open. Nothing of yours was saved; this is the ticket as it is now.',
  },
  invalid_transition: { status: 409, message: 'The lifecycle does not allow that move. Nothing was changed.' },
  assignee_not_agent: { status: 422, message: 'That person is not an active agent or admin, so tickets cannot be assigned to them.', field: 'assigneeId' },
  ticket_closed: {
    status: 409,
    message: 'This ticket is closed, so its assignee, priority and tags stay as they are. A reply from the requester opens a follow-up ticket.',
  },
};

/** The refusal for a move the lifecycle does not allow: what is allowed, nothing changed. */
export function transitionMessage(from: Status, to: Status): string {
  const allowed = nextStatuses(from);
  return `${article(from)} ${from} ticket cannot become ${to}. ${allowed.length ? `Allowed next: ${allowed.join(', ')}.` : 'A closed ticket stays closed.'} Nothing was changed.`;
}

/**
 * The refusal of one change to one ticket, told with the ticket as it is now
 * (`fresh`): a conflict names the current version, a refused move the allowed ones.
 */
export function ticketRefusal(reason: UpdateRefusal, fresh: TicketDetail | null, wanted: { status?: Status | undefined } = {}): RefusalEntry {
  if (reason === 'conflict' && fresh) {
    return describeRefusal(
      TICKET_REFUSALS,
      reason,
      `Someone else changed this ticket while you had it open (it is now at version ${fresh.version}). Nothing of yours was saved; this is the ticket as it is now.`,
    );
  }
  if (reason === 'invalid_transition' && fresh && wanted.status)
    return describeRefusal(TICKET_REFUSALS, reason, transitionMessage(fresh.status, wanted.status));
  return describeRefusal(TICKET_REFUSALS, reason);
}

type Blocking = Array<{ id: number; status: Status }>;

/** A refused bulk change, naming the tickets that stood in the way (nothing was changed). */
export function bulkRefusal(
  refusal: { reason: 'invalid_transition' | 'ticket_closed'; blocking: Blocking } | { reason: 'assignee_not_agent' },
  to: Status | undefined,
): RefusalEntry {
  if (refusal.reason === 'assignee_not_agent') return describeRefusal(TICKET_REFUSALS, refusal.reason);
  const { blocking } = refusal;
  const one = blocking.length === 1;
  if (refusal.reason === 'ticket_closed') {
    const closed = blocking.map((b) => `#${b.id}`).join(', ');
    return describeRefusal(
      TICKET_REFUSALS,
      refusal.reason,
      `Nothing was changed: ${closed} ${one ? 'is' : 'are'} closed, and a closed ticket keeps its assignee. Deselect ${one ? 'it' : 'them'} and try again.`,
    );
  }
  const blockers = blocking.map((b) => `#${b.id} (${b.status})`).join(', ');
  return describeRefusal(
    TICKET_REFUSALS,
    refusal.reason,
    `Nothing was changed: ${blockers} cannot become ${to}. Deselect ${one ? 'it' : 'them'} or move ${one ? 'it' : 'them'} first.`,
  );
}
