// The dispatcher in workerd against D1: concurrent runs never send twice, a fault at
// any step (the provider's or D1's) ends every delivery sent or dead within three
// runs, and a check-in racing the dispatcher has exactly one winner.
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { requestScope } from '../../shared/context';
import { advanceDue, LEASE_MS, MAX_SENDS_PER_TICK, runDispatch, sendDue } from '../../workers/oracle/dispatch';
import { DAY_MS } from '../../workers/oracle/lifecycle';
import * as repo from '../../workers/oracle/repository';
import * as service from '../../workers/oracle/service';
import { signedUp } from '../support/client';
import { clearOracle, countingProvider, deliveryStates, faultyEnv, hookedEnv, ownerId, SECRETS, seedSwitches } from '../support/oracle';

const T0 = Date.UTC(2026, 0, 1);
/** Seeded switches (1-day interval, 1 hour of grace, checked in at T0) have fired by then. */
const FIRED = T0 + DAY_MS + 3_600_000;

let owner: number;
beforeEach(async () => {
  await clearOracle();
  const user = await signedUp();
  owner = await ownerId(user.email);
});

describe('the dispatcher', () => {
  it('10 concurrent runs over 1,000 due switches: every delivery sent once, 0 duplicates', { timeout: 120_000 }, async () => {
    await seedSwitches(owner, 1000, { checkedInAt: T0 });
    const provider = countingProvider();
    let rounds = 0;
    // Each round is 10 runs at once (as overlapping cron invocations would be), until nothing is left.
    while (rounds < 40) {
      rounds++;
      const results = await Promise.all(Array.from({ length: 10 }, () => runDispatch(env, FIRED + rounds * 60_000, provider.transport, SECRETS)));
      const states = await deliveryStates();
      if (results.every((r) => r.sent === 0) && !states.pending && !states.sending && rounds > 1) break;
    }
    const deliveries = await env.DB.prepare('SELECT count(*) AS n FROM oracle_deliveries').first<{ n: number }>();
    // One message per switch (one recipient each) and one "fired" notice to the owner per switch.
    expect(deliveries!.n).toBe(2000);
    expect(await deliveryStates()).toEqual({ sent: 2000 });
    expect(provider.sent.length).toBe(2000);
    expect(provider.duplicates()).toBe(0);
    const states = await env.DB.prepare('SELECT state, count(*) AS n FROM oracle_switches GROUP BY state').all<{ state: string; n: number }>();
    expect(states.results).toEqual([{ state: 'completed', n: 1000 }]);
    // The tick is bounded: 2,000 sends took at least 2,000 / (10 runs × 40) rounds.
    expect(rounds).toBeGreaterThanOrEqual(2000 / (10 * MAX_SENDS_PER_TICK));
  });

  it('reads only what is due: 100 due among 10,100 switches, the search reads ≤ 2 rows per due row', { timeout: 120_000 }, async () => {
    // 10,000 armed for a day more (not due), 100 past their firing moment.
    await seedSwitches(owner, 10_000, { checkedInAt: FIRED, recipients: 0 });
    await seedSwitches(owner, 100, { checkedInAt: T0, recipients: 0 });
    const measure = async <T>(work: () => Promise<T>) => {
      const cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
      const result = await requestScope.run({ requestId: 'bench', cost }, work);
      return { result, cost };
    };
    // The search for due work goes through the partial index on due_at: the 10,000 are never read.
    const search = await measure(() => repo.dueSwitches(env.DB, FIRED, 200));
    expect(search.result.length).toBe(100);
    expect(search.cost.rowsRead).toBeLessThanOrEqual(2 * 100);
    // The whole advance: that search, then one batch (a guarded UPDATE and the outbox INSERTs per switch).
    const advance = await measure(() => advanceDue(env.DB, FIRED));
    expect(advance.result.advanced).toBe(100);
    expect(advance.cost.queries).toBe(2);
    // Each switch's UPDATE and INSERT … SELECTs read its row, its owner and the idempotency index: ≤ 10 rows per due switch.
    expect(advance.cost.rowsRead).toBeLessThanOrEqual(10 * 100);
    console.log(
      `due search: ${search.cost.rowsRead} rows read for 100 due of 10,100; advance: ${advance.cost.queries} queries, ${advance.cost.statements} statements, ${advance.cost.rowsRead} rows read, ${advance.cost.rowsWritten} written`,
    );
    // Nothing is due any more: the index answers without reading any of the 10,000.
    const after = await measure(() => repo.dueSwitches(env.DB, FIRED + 1, 200));
    expect(after.result).toEqual([]);
    expect(after.cost.rowsRead).toBeLessThanOrEqual(1);
  });

  it('fair shares: one account’s flood of messages does not hold up another’s warning or message', async () => {
    // A: 10 fired switches × 10 recipients (110 deliveries). B: one message. C: a warning due now.
    await seedSwitches(owner, 10, { checkedInAt: T0, recipients: 10 });
    const b = await ownerId((await signedUp()).email);
    await seedSwitches(b, 1, { checkedInAt: T0 });
    const c = await ownerId((await signedUp()).email);
    await seedSwitches(c, 1, { checkedInAt: FIRED - DAY_MS + 3_600_000, ladder: [2 * 3_600_000] });
    const provider = countingProvider();
    await runDispatch(env, FIRED, provider.transport, SECRETS);
    expect(provider.sent.length).toBe(MAX_SENDS_PER_TICK);
    const to = provider.sent.map((o) => o.to);
    // C's warning went first; B's message and notice went in the same tick, not after A's 110.
    expect(provider.sent.some((o) => o.key.startsWith('warning:'))).toBe(true);
    expect(to).toContain('r0.0@example.com');
    expect(provider.sent.filter((o) => o.key.startsWith('fired:')).length).toBeGreaterThanOrEqual(2);
    const bSwitch = (await env.DB.prepare('SELECT id FROM oracle_switches WHERE owner_id = ?').bind(b).first<{ id: string }>())!.id;
    expect(provider.sent.some((o) => o.key.startsWith(`${bSwitch}:`))).toBe(true);
  });

  it('one owner’s many due notices (a failing webhook’s retries, say) do not hold up another owner’s message', async () => {
    // A: 60 switches whose warnings are all due now; B: one switch that fires now.
    await seedSwitches(owner, 60, { checkedInAt: FIRED - DAY_MS + 3_600_000, ladder: [2 * 3_600_000] });
    const b = await ownerId((await signedUp()).email);
    await seedSwitches(b, 1, { checkedInAt: T0 });
    const provider = countingProvider();
    await runDispatch(env, FIRED, provider.transport, SECRETS);
    const bSwitch = (await env.DB.prepare('SELECT id FROM oracle_switches WHERE owner_id = ?').bind(b).first<{ id: string }>())!.id;
    // B's message and fired notice went in the first tick, not after A's 60 warnings.
    expect(provider.sent.some((o) => o.key.startsWith(`${bSwitch}:`))).toBe(true);
    expect(provider.sent.some((o) => o.key === `fired:${bSwitch}:1`)).toBe(true);
  });

  it('sends at most MAX_SENDS_PER_TICK a run; the rest wait for the next', async () => {
    await seedSwitches(owner, 30, { checkedInAt: T0 });
    const provider = countingProvider();
    const first = await runDispatch(env, FIRED, provider.transport, SECRETS);
    expect(first.sent).toBe(MAX_SENDS_PER_TICK);
    const second = await runDispatch(env, FIRED + 60_000, provider.transport, SECRETS);
    expect(second.sent).toBe(60 - MAX_SENDS_PER_TICK);
    expect(provider.duplicates()).toBe(0);
  });

  it('a provider failure is retried with backoff; after MAX_ATTEMPTS the delivery is dead and the owner told', async () => {
    await seedSwitches(owner, 1, { checkedInAt: T0 });
    // The recipient's provider always refuses; the owner's notices go through.
    const provider = countingProvider((out) =>
      out.key.startsWith('fired:') || out.key.startsWith('dead:') ? null : { ok: false, error: 'the email provider answered 503' },
    );
    let t = FIRED;
    for (let i = 0; i < 12; i++) {
      await runDispatch(env, t, provider.transport, SECRETS);
      t += 7 * 3_600_000; // past any backoff (at most 6 hours)
    }
    const rows = await env.DB.prepare("SELECT kind, state, attempts, last_error FROM oracle_deliveries WHERE kind IN ('message', 'dead') ORDER BY id").all();
    expect(rows.results).toEqual([
      { kind: 'message', state: 'dead', attempts: 10, last_error: 'the email provider answered 503' },
      { kind: 'dead', state: 'sent', attempts: 1, last_error: null },
    ]);
    const notice = provider.sent.find((o) => o.key.startsWith('dead:'))!;
    expect(notice.subject).toBe('A delivery of “switch 0” failed');
    expect(notice.text).toContain('after 10 attempts: the email provider answered 503');
  });

  describe('faults', () => {
    /** One switch with two recipients: 3 deliveries (2 messages, the "fired" notice). */
    const scenario = async () => {
      await clearOracle();
      await seedSwitches(owner, 1, { checkedInAt: T0, recipients: 2 });
    };
    /** The faulty run, then up to two more, each past the lease and any first backoff. */
    const threeRuns = async (first: () => Promise<unknown>, provider: ReturnType<typeof countingProvider>) => {
      await first().catch(() => {});
      for (const later of [1, 2]) {
        const states = await deliveryStates();
        if (!states.pending && !states.sending && (states.sent ?? 0) + (states.dead ?? 0) === 3) break;
        await runDispatch(env, FIRED + later * (LEASE_MS + 2 * 60_000), provider.transport, SECRETS);
      }
      return deliveryStates();
    };

    it('D1 failing at any one call, before or after it runs: every delivery sent within 3 runs; a repeat only where the provider had it', async () => {
      await scenario();
      const dry = faultyEnv(0, 'before');
      await runDispatch(dry.env, FIRED, countingProvider().transport, SECRETS);
      const calls = dry.calls();
      expect(calls).toBeGreaterThanOrEqual(6);
      for (const when of ['before', 'after'] as const) {
        for (let k = 1; k <= calls; k++) {
          await scenario();
          const provider = countingProvider();
          const faulty = faultyEnv(k, when);
          const states = await threeRuns(() => runDispatch(faulty.env, FIRED, provider.transport, SECRETS), provider);
          const label = `${when} call ${k}: ${faulty.failed[0]?.replace(/\s+/g, ' ').slice(0, 60)}`;
          expect(states, label).toEqual({ sent: 3 });
          // Only a lost "sent" mark makes the provider see a key twice (it absorbs it).
          const lostSentMark = when === 'before' && /SET state = 'sent'/.test(faulty.failed[0] ?? '');
          expect(provider.duplicates(), label).toBe(lostSentMark ? 1 : 0);
          expect([...provider.accepted.keys()].length, label).toBe(3);
        }
      }
    });

    it('the provider failing each send once (refused, a lost connection, or accepted with the answer lost): all sent within 3 runs', async () => {
      for (const mode of ['refused', 'throw', 'accept-then-error'] as const) {
        for (let j = 0; j < 3; j++) {
          await scenario();
          const provider = countingProvider((_out, n) =>
            n !== j ? null : mode === 'refused' ? { ok: false, error: 'the email provider answered 500' } : mode,
          );
          const states = await threeRuns(() => runDispatch(env, FIRED, provider.transport, SECRETS), provider);
          expect(states, `${mode} at send ${j}`).toEqual({ sent: 3 });
          expect(provider.duplicates(), `${mode} at send ${j}`).toBe(mode === 'accept-then-error' ? 1 : 0);
        }
      }
    });

    it('a run whose lease ran out cannot mark what another run now holds', async () => {
      await seedSwitches(owner, 1, { checkedInAt: T0 });
      await runDispatch(env, FIRED, { send: async () => ({ ok: false, error: 'x' }) }, SECRETS); // advance; the first attempts fail
      const claimed = await repo.claimDeliveries(env.DB, FIRED + 10 * 60_000, 'run-a', LEASE_MS, 10);
      expect(claimed.length).toBe(2);
      // Run A stalls past its lease; run B claims the same rows and sends them.
      const provider = countingProvider();
      const b = await sendDue(env.DB, FIRED + 10 * 60_000 + LEASE_MS + 1, provider.transport, SECRETS);
      expect(b.sent).toBe(2);
      // A wakes up: its marks are refused.
      expect(await repo.markSent(env.DB, claimed[0]!.id, 'run-a', FIRED + 20 * 60_000)).toBe(false);
      expect(await repo.markFailed(env.DB, claimed[1]!, 'late', null, FIRED + 20 * 60_000)).toBe(false);
      expect(await deliveryStates()).toEqual({ sent: 2 });
    });
  });

  describe('a check-in racing the dispatcher at the moment it fires: one winner, never both', () => {
    const FIRES = T0 + DAY_MS + 3_600_000;
    const messages = async () => (await env.DB.prepare("SELECT count(*) AS n FROM oracle_deliveries WHERE kind = 'message'").first<{ n: number }>())!.n;

    it('the dispatcher reads the switch, the check-in lands, the dispatcher writes: the check-in wins, nothing is sent', async () => {
      const [id] = await seedSwitches(owner, 1, { checkedInAt: T0 });
      let checkin: Awaited<ReturnType<typeof service.checkIn>> | undefined;
      const hooked = hookedEnv(async (call, _sql, run) => {
        const result = await run();
        // Right after the dispatcher's first call (the SELECT of due switches) returns.
        if (call === 1) checkin = await service.checkIn(env, (await repo.findSwitch(env.DB, id!))!, FIRES - 1);
        return result;
      });
      await runDispatch(hooked.env, FIRES, countingProvider().transport, SECRETS);
      expect(checkin?.ok).toBe(true);
      expect((await repo.findSwitch(env.DB, id!))!).toMatchObject({ state: 'armed', cycle: 2 });
      expect(await messages()).toBe(0);
    });

    it('the check-in reads the switch, the dispatcher fires, the check-in writes: it is refused as already fired', async () => {
      const [id] = await seedSwitches(owner, 1, { checkedInAt: T0 });
      const seen = (await repo.findSwitch(env.DB, id!))!;
      await runDispatch(env, FIRES, countingProvider().transport, SECRETS);
      const late = await service.checkIn(env, seen, FIRES - 1);
      expect(late).toEqual({ ok: false, reason: 'already_triggered' });
      expect(await messages()).toBe(1);
    });

    it('run together 30 times in either order: each time exactly one outcome', async () => {
      const outcomes = { checkedIn: 0, fired: 0 };
      for (let i = 0; i < 30; i++) {
        await clearOracle();
        const [id] = await seedSwitches(owner, 1, { checkedInAt: T0 });
        const s = (await repo.findSwitch(env.DB, id!))!;
        const pause = () => new Promise((r) => setTimeout(r, i % 3));
        const [checkin] = await Promise.all([
          (async () => {
            if (i % 2) await pause();
            return service.checkIn(env, s, FIRES - 1);
          })(),
          (async () => {
            if (!(i % 2)) await pause();
            return runDispatch(env, FIRES, countingProvider().transport, SECRETS);
          })(),
        ]);
        const after = (await repo.findSwitch(env.DB, id!))!;
        if (checkin.ok) {
          outcomes.checkedIn++;
          expect(after).toMatchObject({ state: 'armed', cycle: 2 });
          expect(await messages()).toBe(0);
        } else {
          outcomes.fired++;
          expect(checkin.reason).toBe('already_triggered');
          expect(['triggered', 'completed']).toContain(after.state);
          expect(await messages()).toBe(1);
        }
      }
      // Both orders happened.
      expect(outcomes.checkedIn).toBeGreaterThan(0);
      expect(outcomes.fired).toBeGreaterThan(0);
    });
  });

  it('new settings move the state with the deadline: a longer interval leaves warning for armed, a shorter one goes to grace', async () => {
    const [id] = await seedSwitches(owner, 1, { checkedInAt: T0, recipients: 0, ladder: [6 * 3_600_000] });
    // 18 hours in, the 6-hour warning has gone out.
    await advanceDue(env.DB, T0 + 18 * 3_600_000 + 1);
    const warned = (await repo.findSwitch(env.DB, id!))!;
    expect(warned).toMatchObject({ state: 'warning', rung: 1 });
    const at = T0 + 19 * 3_600_000;
    expect(
      await repo.updateSettings(
        env.DB,
        warned,
        { name: 'x', intervalMs: 7 * DAY_MS, graceMs: 0, ladder: [DAY_MS], trustedContact: null, origin: 'https://sixfold.test' },
        at,
      ),
    ).toBe(true);
    const longer = (await repo.findSwitch(env.DB, id!))!;
    expect(longer).toMatchObject({ state: 'armed', rung: 0, dueAt: T0 + 6 * DAY_MS });
    expect(
      await repo.updateSettings(
        env.DB,
        longer,
        { name: 'x', intervalMs: 12 * 3_600_000, graceMs: 12 * 3_600_000, ladder: [], trustedContact: null, origin: 'https://sixfold.test' },
        at,
      ),
    ).toBe(true);
    expect((await repo.findSwitch(env.DB, id!))!).toMatchObject({ state: 'grace', dueAt: T0 + DAY_MS });
  });

  it('a check-in after the firing moment is refused even before the dispatcher has run (409, never a silent success)', async () => {
    const [id] = await seedSwitches(owner, 1, { checkedInAt: T0 });
    const s = (await repo.findSwitch(env.DB, id!))!;
    const late = await service.checkIn(env, s, FIRED);
    expect(late).toEqual({ ok: false, reason: 'already_triggered' });
  });
});
