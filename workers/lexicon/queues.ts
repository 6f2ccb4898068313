/**
 * Which queue lists show a ticket: the same rules the list queries in repository.ts
 * select by (and the count triggers count by). Pure, so an answer can tell the list
 * on screen to drop a row that no longer belongs to it.
 */
import type { Queue } from './repository';
import type { Status } from './status';

const ACTIVE: ReadonlySet<Status> = new Set(['new', 'open', 'pending']);

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
