/**
 * The queues an agent works, and which of them show a ticket: the same rules the
 * list queries in queries.ts select by (and the count triggers count by). Pure, so
 * an answer can tell the list on screen to drop a row that no longer belongs to it.
 */
import type { Status } from './status';

export const QUEUES = ['new', 'open', 'pending', 'resolved', 'closed', 'mine', 'unassigned', 'overdue'] as const;
export type Queue = (typeof QUEUES)[number];

const ACTIVE: ReadonlySet<Status> = new Set(['new', 'open', 'pending']);

/** Whether a ticket is still being worked (new, open or pending): only those can be mine, unassigned or overdue. */
export function isActive(status: Status): boolean {
  return ACTIVE.has(status);
}

export function inQueue(queue: Queue, t: { status: Status; assigneeId: number | null; resolutionDueAt: number }, viewerId: number, now: number): boolean {
  switch (queue) {
    case 'mine':
      return t.assigneeId === viewerId && ACTIVE.has(t.status);
    case 'unassigned':
      return t.assigneeId === null && ACTIVE.has(t.status);
    case 'overdue':
      return ACTIVE.has(t.status) && t.resolutionDueAt < now;
    default:
      return t.status === queue;
  }
}
