import { describe, expect, it } from 'vitest';
import { inQueue, type Queue } from '../../workers/lexicon/queues';
import type { Status } from '../../workers/lexicon/status';

const ME = 7;
const NOW = 1_000_000;
const LATE = NOW - 1;
const LATER = NOW + 1;

type Case = [what: string, ticket: { status: Status; assigneeId: number | null; resolutionDueAt: number }, queues: Queue[]];

// Each row: a ticket and exactly the queues whose list shows it.
const CASES: Case[] = [
  ['new, nobody, not due', { status: 'new', assigneeId: null, resolutionDueAt: LATER }, ['new', 'unassigned']],
  ['new, mine, late', { status: 'new', assigneeId: ME, resolutionDueAt: LATE }, ['new', 'mine', 'overdue']],
  ['open, someone else', { status: 'open', assigneeId: 99, resolutionDueAt: LATER }, ['open']],
  ['pending, nobody, late', { status: 'pending', assigneeId: null, resolutionDueAt: LATE }, ['pending', 'unassigned', 'overdue']],
  ['resolved, mine, late: not active, so not mine nor overdue', { status: 'resolved', assigneeId: ME, resolutionDueAt: LATE }, ['resolved']],
  ['closed, nobody', { status: 'closed', assigneeId: null, resolutionDueAt: LATE }, ['closed']],
  ['due exactly now is not overdue', { status: 'open', assigneeId: ME, resolutionDueAt: NOW }, ['open', 'mine']],
];

const ALL: Queue[] = ['new', 'open', 'pending', 'resolved', 'closed', 'mine', 'unassigned', 'overdue'];

describe('inQueue: which lists show a ticket (the same rules as the list queries)', () => {
  for (const [what, ticket, queues] of CASES) {
    it(what, () => {
      expect(ALL.filter((q) => inQueue(q, ticket, ME, NOW))).toEqual(queues);
    });
  }
});
