// The state machine walked by a controllable clock: every warning once, the newest
// of those a late run missed, grace, firing, pauses that resume by themselves.
import { describe, expect, it } from 'vitest';
import { advance, type Clockwork, checkIn, DAY_MS, dueAt, type Event, HOUR_MS, pause, POSTPONE_MS, postpone } from '../../workers/oracle/lifecycle';

const start = (over: Partial<Clockwork> = {}): Clockwork => ({
  state: 'armed',
  intervalMs: 7 * DAY_MS,
  graceMs: DAY_MS,
  ladder: [3 * DAY_MS, DAY_MS, 2 * HOUR_MS],
  checkedInAt: 0,
  rung: 0,
  cycle: 1,
  triggerSeq: 0,
  pausedUntil: null,
  triggeredAt: null,
  postponedMs: 0,
  ...over,
});

/** Runs the dispatcher's view every `step` ms from `from` to `to`; returns the switch and every event, with when. */
function walk(s: Clockwork, from: number, to: number, step: number) {
  const seen: Array<Event & { at: number }> = [];
  let state = s;
  for (let t = from; t <= to; t += step) {
    const due = dueAt(state);
    if (due === null || due > t) continue;
    const { next, events } = advance(state, t);
    state = next;
    seen.push(...events.map((e) => ({ ...e, at: t })));
  }
  return { state, seen };
}

describe('the switch state machine', () => {
  it('walks armed → warning → grace → triggered, each warning exactly once, on an hourly clock', () => {
    const { state, seen } = walk(start(), 0, 12 * DAY_MS, HOUR_MS);
    expect(seen.map((e) => e.kind)).toEqual(['warning', 'warning', 'warning', 'overdue', 'fired']);
    expect(seen.filter((e) => e.kind === 'warning').map((e) => (e as { rung: number }).rung)).toEqual([0, 1, 2]);
    // Each at its moment: 4 days in, 6 days in, 7 days − 2 hours, the deadline, the deadline + grace.
    expect(seen.map((e) => e.at)).toEqual([4 * DAY_MS, 6 * DAY_MS, 7 * DAY_MS - 2 * HOUR_MS, 7 * DAY_MS, 8 * DAY_MS]);
    expect(state.state).toBe('triggered');
    expect(state.triggerSeq).toBe(1);
    expect(dueAt(state)).toBeNull();
  });

  it('a minute-by-minute clock gives the same events as an hourly one (runs in between change nothing)', () => {
    const hourly = walk(start(), 0, 9 * DAY_MS, HOUR_MS).seen.map((e) => e.kind);
    const minutely = walk(start(), 0, 9 * DAY_MS, 60_000).seen.map((e) => e.kind);
    expect(minutely).toEqual(hourly);
  });

  it('a run that comes days late sends only the newest due warning, and fires if the grace is over', () => {
    const late = advance(start(), 6 * DAY_MS + HOUR_MS);
    expect(late.events).toEqual([{ kind: 'warning', rung: 1, cycle: 1, msLeft: DAY_MS - HOUR_MS, deadlineAt: 7 * DAY_MS }]);
    expect(late.next.rung).toBe(2);
    const veryLate = advance(start(), 30 * DAY_MS);
    expect(veryLate.events.map((e) => e.kind)).toEqual(['fired']);
    expect(veryLate.next.state).toBe('triggered');
  });

  it('with no grace it fires at the deadline; with no ladder it warns no one', () => {
    const { seen } = walk(start({ graceMs: 0, ladder: [] }), 0, 8 * DAY_MS, HOUR_MS);
    expect(seen.map((e) => [e.kind, e.at])).toEqual([['fired', 7 * DAY_MS]]);
  });

  it('a check-in starts a new cycle: warnings of the new cycle go out again, once each', () => {
    let s = walk(start(), 0, 5 * DAY_MS, HOUR_MS).state;
    expect(s.state).toBe('warning');
    s = checkIn(s, 5 * DAY_MS);
    expect(s).toMatchObject({ state: 'armed', rung: 0, cycle: 2, checkedInAt: 5 * DAY_MS });
    const { seen } = walk(s, 5 * DAY_MS, 12 * DAY_MS - 1, HOUR_MS);
    expect(seen.map((e) => [e.kind, (e as { cycle?: number }).cycle])).toEqual([
      ['warning', 2],
      ['warning', 2],
      ['warning', 2],
    ]);
  });

  it('a pause silences the switch and resumes by itself as a check-in at its end', () => {
    const paused = pause(start(), 20 * DAY_MS);
    expect(dueAt(paused)).toBe(20 * DAY_MS);
    const quiet = walk(paused, 0, 20 * DAY_MS - 1, HOUR_MS);
    expect(quiet.seen).toEqual([]);
    const resumed = advance(paused, 20 * DAY_MS);
    expect(resumed.events).toEqual([{ kind: 'resumed', cycle: 2 }]);
    expect(resumed.next).toMatchObject({ state: 'armed', checkedInAt: 20 * DAY_MS, pausedUntil: null, rung: 0 });
    // A pause found long after its end resumes and then runs the new cycle's clock from that end.
    const lateRun = advance(paused, 20 * DAY_MS + 4 * DAY_MS + HOUR_MS);
    expect(lateRun.events.map((e) => e.kind)).toEqual(['resumed', 'warning']);
  });

  it('advance is idempotent: the same moment twice adds no event', () => {
    for (const t of [4 * DAY_MS, 7 * DAY_MS, 8 * DAY_MS, 9 * DAY_MS]) {
      const once = advance(start(), t);
      expect(advance(once.next, t).events, String(t)).toEqual([]);
    }
  });

  it('the trusted contact postpones once a cycle: the deadline moves 3 days, grace becomes a warning again; a check-in gives the postponement back', () => {
    // In grace (7 days + 1 hour in), the contact postpones.
    const graced = advance(start(), 7 * DAY_MS + HOUR_MS).next;
    expect(graced.state).toBe('grace');
    const postponed = postpone(graced, 7 * DAY_MS + HOUR_MS)!;
    expect(postponed).toMatchObject({ state: 'warning', postponedMs: POSTPONE_MS });
    expect(dueAt(postponed)).toBe(10 * DAY_MS);
    // Once: a second postponement in this cycle is refused.
    expect(postpone(postponed, 8 * DAY_MS)).toBeNull();
    // It then fires at the new deadline plus grace, not before.
    expect(advance(postponed, 10 * DAY_MS + HOUR_MS - 1).next.state).toBe('grace');
    expect(advance(postponed, 11 * DAY_MS).next.state).toBe('triggered');
    // A check-in resets it: the next cycle has its own postponement.
    const again = checkIn(postponed, 8 * DAY_MS);
    expect(again.postponedMs).toBe(0);
    expect(postpone(again, 9 * DAY_MS)).not.toBeNull();
    // A fired switch cannot be postponed.
    expect(postpone(advance(start(), 30 * DAY_MS).next, 30 * DAY_MS)).toBeNull();
  });
});
