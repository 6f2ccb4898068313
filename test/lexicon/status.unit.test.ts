import { describe, expect, it } from 'vitest';
import { article, canTransition, dueTimes, nextStatuses, STATUSES, TRANSITIONS, type Status } from '../../workers/lexicon/status';

describe('ticket lifecycle', () => {
  const allowed = new Set(TRANSITIONS.map(([f, t]) => `${f}→${t}`));
  const expected: Record<Status, Status[]> = {
    new: ['open'],
    open: ['pending', 'resolved'],
    pending: ['open', 'resolved'],
    resolved: ['open', 'closed'],
    closed: [],
  };
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      if (from === to) continue;
      const ok = expected[from].includes(to);
      it(`${from} → ${to} is ${ok ? 'allowed' : 'refused'}`, () => {
        expect(canTransition(from, to)).toBe(ok);
        expect(allowed.has(`${from}→${to}`)).toBe(ok);
      });
    }
  }
  it('lists next states in lifecycle order', () => {
    for (const s of STATUSES) expect(nextStatuses(s)).toEqual(STATUSES.filter((t) => expected[s].includes(t)));
  });
  it('sets SLA due times from the priority', () => {
    expect(dueTimes('urgent', 0)).toEqual({ firstResponseDueAt: 3600_000, resolutionDueAt: 8 * 3600_000 });
    expect(dueTimes('low', 0).resolutionDueAt).toBe(14 * 24 * 3600_000);
  });
});

describe('article', () => {
  // Every status a message can put after "A"/"An" ("An open ticket cannot become new").
  const rows: Array<[string, 'A' | 'An']> = [
    ['new', 'A'],
    ['open', 'An'],
    ['pending', 'A'],
    ['resolved', 'A'],
    ['closed', 'A'],
    ['urgent', 'An'],
    ['Open', 'An'],
  ];
  for (const [word, expected] of rows) it(`${expected} ${word}`, () => expect(article(word)).toBe(expected));
  it('covers every status', () => {
    for (const s of STATUSES) expect(rows.map((r) => r[0])).toContain(s);
  });
});
