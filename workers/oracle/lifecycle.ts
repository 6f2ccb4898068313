/**
 * A switch's life, as pure functions of its row and the time: no D1, no clock of
 * its own, so the tests walk it through months in microseconds.
 *
 *   armed ──(a rung of the ladder)──▶ warning ──(deadline)──▶ grace ──(deadline + grace)──▶ triggered ──▶ completed
 *     ▲                                  │                      │
 *     └────────────── check in ──────────┴──────────────────────┘        paused ──(paused_until)──▶ armed
 *
 * `due_at` is the next moment the dispatcher must look at the switch. It selects
 * `due_at <= now` (never equality with a scheduled time: a late or overlapping run
 * is harmless) and writes what `advance` returns with a guarded UPDATE: the row must
 * still be in the state, cycle and due time it read, so a check-in racing it, or a
 * second run, makes that UPDATE match nothing. One of them wins; the other changes
 * nothing.
 */

export const STATES = ['armed', 'warning', 'grace', 'triggered', 'paused', 'completed'] as const;
export type SwitchState = (typeof STATES)[number];

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const MIN_INTERVAL_MS = HOUR_MS;
/** 366 days: a yearly check-in fits in a leap year. */
export const MAX_INTERVAL_MS = 366 * DAY_MS;
export const MAX_RUNGS = 5;

/** The fields of a switch the state machine reads and writes. */
export type Clockwork = {
  state: SwitchState;
  intervalMs: number;
  graceMs: number;
  /** Warnings, as ms before the deadline, largest first; each < intervalMs. */
  ladder: readonly number[];
  checkedInAt: number;
  rung: number;
  cycle: number;
  triggerSeq: number;
  pausedUntil: number | null;
  triggeredAt: number | null;
  /** What the trusted contact's postponement added to this cycle's deadline (0: not used). */
  postponedMs: number;
};

/** What a transition asks the dispatcher to send (as outbox rows, keyed for exactly once). */
export type Event =
  | { kind: 'warning'; rung: number; cycle: number; msLeft: number; deadlineAt: number }
  | { kind: 'overdue'; cycle: number; firesAt: number }
  | { kind: 'fired'; triggerSeq: number }
  | { kind: 'resumed'; cycle: number };

export const deadlineOf = (s: Pick<Clockwork, 'checkedInAt' | 'intervalMs' | 'postponedMs'>): number => s.checkedInAt + s.intervalMs + s.postponedMs;
export const firesAt = (s: Pick<Clockwork, 'checkedInAt' | 'intervalMs' | 'graceMs' | 'postponedMs'>): number => deadlineOf(s) + s.graceMs;

/** What the trusted contact may add to a cycle's deadline, once. */
export const POSTPONE_MS = 3 * 24 * 3_600_000;

/** The next moment something happens to this switch, or null when nothing will (it fired). */
export function dueAt(s: Clockwork): number | null {
  switch (s.state) {
    case 'paused':
      return s.pausedUntil;
    case 'armed':
    case 'warning': {
      const deadline = deadlineOf(s);
      const rung = s.ladder[s.rung];
      return rung === undefined ? deadline : Math.min(deadline - rung, deadline);
    }
    case 'grace':
      return firesAt(s);
    case 'triggered':
    case 'completed':
      return null;
  }
}

/**
 * Where the switch is at `now`, and what to send on the way. A run that comes late
 * (the dispatcher was down for days) sends only the newest warning of those it
 * missed, never "7 days left" when one is: the older rungs are skipped, each rung is
 * passed once. A switch already past its deadline plus grace fires.
 */
export function advance(start: Clockwork, now: number): { next: Clockwork; events: Event[] } {
  let s: Clockwork = { ...start };
  const events: Event[] = [];
  // Each step moves forward (a rung, a state); bounded by rungs + states.
  for (let step = 0; step < MAX_RUNGS + 6; step++) {
    const due = dueAt(s);
    if (due === null || due > now) break;
    switch (s.state) {
      case 'paused':
        // A pause ends as a check-in at its end: a full interval from then.
        s = { ...s, state: 'armed', checkedInAt: s.pausedUntil!, pausedUntil: null, rung: 0, cycle: s.cycle + 1, postponedMs: 0 };
        events.push({ kind: 'resumed', cycle: s.cycle });
        break;
      case 'armed':
      case 'warning': {
        const deadline = deadlineOf(s);
        if (now >= deadline) {
          s = { ...s, state: 'grace', rung: s.ladder.length };
          if (s.graceMs > 0 && now < firesAt(s)) events.push({ kind: 'overdue', cycle: s.cycle, firesAt: firesAt(s) });
          break;
        }
        // The newest rung that is due; the ones before it are stale.
        let newest = s.rung;
        while (newest + 1 < s.ladder.length && deadline - s.ladder[newest + 1]! <= now) newest++;
        events.push({ kind: 'warning', rung: newest, cycle: s.cycle, msLeft: deadline - now, deadlineAt: deadline });
        s = { ...s, state: 'warning', rung: newest + 1 };
        break;
      }
      case 'grace':
        s = { ...s, state: 'triggered', triggerSeq: s.triggerSeq + 1, triggeredAt: now };
        events.push({ kind: 'fired', triggerSeq: s.triggerSeq });
        break;
      default:
        return { next: s, events };
    }
  }
  return { next: s, events };
}

/** States a check-in is accepted in (a paused switch is resumed by it). */
export const CHECK_IN_STATES: readonly SwitchState[] = ['armed', 'warning', 'grace', 'paused'];

/** The switch after a check-in at `now`: a full interval from now, warnings from the first rung. */
export function checkIn(s: Clockwork, now: number): Clockwork {
  return { ...s, state: 'armed', checkedInAt: now, rung: 0, cycle: s.cycle + 1, pausedUntil: null, postponedMs: 0 };
}

/** States the trusted contact may postpone in: the deadline is near or past, and the switch has not fired. */
export const POSTPONE_STATES: readonly SwitchState[] = ['armed', 'warning', 'grace'];

/**
 * The trusted contact's postponement: the deadline moves POSTPONE_MS later, once a cycle.
 * The state follows the new deadline (grace again becomes a warning), and warnings already
 * passed stay passed. Null if it was used this cycle.
 */
export function postpone(s: Clockwork, now: number): Clockwork | null {
  if (s.postponedMs > 0 || !POSTPONE_STATES.includes(s.state)) return null;
  const moved = { ...s, postponedMs: POSTPONE_MS };
  if (now >= deadlineOf(moved)) return { ...moved, state: 'grace', rung: s.ladder.length };
  return { ...moved, state: s.rung > 0 ? 'warning' : 'armed' };
}

/** The switch paused until `until` (> now): no warnings, no deadline; it resumes as a check-in then. */
export function pause(s: Clockwork, until: number): Clockwork {
  return { ...s, state: 'paused', pausedUntil: until };
}

/** "3 days", "5 hours", "1 day 6 hours": a duration for people, to the hour (minutes under an hour). */
export function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < HOUR_MS) return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
  const hours = Math.round(ms / HOUR_MS);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return plural(rest, 'hour');
  return rest === 0 ? plural(days, 'day') : `${plural(days, 'day')} ${plural(rest, 'hour')}`;
}
