/**
 * The ticket lifecycle, as in Request Tracker's lifecycles. Pure: the same table
 * is seeded into D1 (migrations/0003) where a trigger enforces it on every UPDATE,
 * so a raw SQL statement cannot break the rule either; this module lets the UI
 * offer only legal moves and lets the API explain a 409.
 *
 *   new → open → pending → open
 *   open | pending → resolved → closed
 *   resolved → open (reopen)
 */
export const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];

export const TRANSITIONS: ReadonlyArray<readonly [from: Status, to: Status]> = [
  ['new', 'open'],
  ['open', 'pending'],
  ['pending', 'open'],
  ['open', 'resolved'],
  ['pending', 'resolved'],
  ['resolved', 'closed'],
  ['resolved', 'open'],
];

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS.some(([f, t]) => f === from && t === to);
}

/** The states a ticket in `from` may move to next, in lifecycle order. */
export function nextStatuses(from: Status): Status[] {
  return STATUSES.filter((to) => canTransition(from, to));
}

/** "A" or "An" for a word after it ("An open ticket", "A new ticket"), at a sentence's start. */
export function article(word: string): 'A' | 'An' {
  return /^[aeiou]/i.test(word) ? 'An' : 'A';
}

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** SLA targets by priority (ms): first response and resolution. */
export const SLA: Record<Priority, { firstResponse: number; resolution: number }> = {
  urgent: { firstResponse: 1 * 3600_000, resolution: 8 * 3600_000 },
  high: { firstResponse: 4 * 3600_000, resolution: 2 * 24 * 3600_000 },
  normal: { firstResponse: 24 * 3600_000, resolution: 5 * 24 * 3600_000 },
  low: { firstResponse: 3 * 24 * 3600_000, resolution: 14 * 24 * 3600_000 },
};

export function dueTimes(priority: Priority, createdAt: number): { firstResponseDueAt: number; resolutionDueAt: number } {
  return { firstResponseDueAt: createdAt + SLA[priority].firstResponse, resolutionDueAt: createdAt + SLA[priority].resolution };
}
