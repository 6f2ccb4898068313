/**
 * Every Lexicon URL, built in one place: the pages and fragments (views and web.tsx)
 * and the API's locations (api.ts, presenters.ts). Cursors are written as
 * shared/pagination.ts writes them (`key.id`), the form the query schemas read back.
 */
import { encodeCursor } from '../../shared/pagination';
import type { Queue } from './queues';
import type { Cursor, ThreadWindow } from './rows';

export const HOME = '/lexicon';
export const SEARCH = '/lexicon/search';
export const NEW_TICKET = '/lexicon/tickets/new';
/** Where the new-ticket form posts. */
export const TICKETS = '/lexicon/tickets';
export const BULK = '/lexicon/bulk';

export const ticketPath = (id: number): string => `${TICKETS}/${id}`;

/** A ticket's form actions: reply, note, status, assign, priority, tags. */
export type TicketAction = 'reply' | 'note' | 'status' | 'assign' | 'priority' | 'tags';
export const actionPath = (id: number, action: TicketAction): string => `${ticketPath(id)}/${action}`;

/** The query string of a thread window (`?after=` or `?before=`; nothing for the newest page). */
const windowQuery = (window: ThreadWindow): string =>
  window.after
    ? `?after=${encodeCursor([window.after.key, window.after.id])}`
    : window.before
      ? `?before=${encodeCursor([window.before.key, window.before.id])}`
      : '';

/** The ticket page showing one page of its thread (the newest without a window). */
export const threadPath = (id: number, window: ThreadWindow = {}): string => `${ticketPath(id)}${windowQuery(window)}`;
/** The same page of the thread as a fragment ("show earlier/later" with htmx). */
export const threadFragmentPath = (id: number, window: ThreadWindow): string => `${ticketPath(id)}/comments${windowQuery(window)}`;

/** A queue of the staff screen, from its start or after a cursor ("Load 50 more"). */
export const queuePath = (queue: Queue, after?: Cursor | null): string =>
  `${HOME}?queue=${queue}${after ? `&after=${encodeCursor([after.key, after.id])}` : ''}`;
/** A requester's own tickets after a cursor. */
export const portalPath = (after: Cursor): string => `${HOME}?after=${encodeCursor([after.key, after.id])}`;

/** The API's location of a ticket (the `Location` of a 201). */
export const apiTicketPath = (id: number): string => `${HOME}/api/tickets/${id}`;
