// Oracle test helpers: switches seeded straight into D1 (thousands at once), a
// counting fake provider, and a D1 that fails on the k-th call.
import { env } from 'cloudflare:workers';
import { base64url, randomBytes, randomToken } from '../../shared/crypto';
import type { Outgoing, SendResult, Transport } from '../../workers/oracle/channels';
import type { DispatchSecrets } from '../../workers/oracle/dispatch';
import { DAY_MS } from '../../workers/oracle/lifecycle';
import { shareLabel, wrap } from '../../workers/oracle/wrap';

export const WRAP_KEY = (env as unknown as { ORACLE_WRAP_KEY: string }).ORACLE_WRAP_KEY;
export const SECRETS: DispatchSecrets = { wrapKey: WRAP_KEY, sessionSecret: env.SESSION_SECRET };

export async function ownerId(email: string): Promise<number> {
  return (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(email).first<{ id: number }>())!.id;
}

/**
 * `count` switches of `owner`, each with `recipients` email recipients that have a
 * message, armed at `checkedInAt` with a 1-day interval and 1 hour of grace.
 */
export async function seedSwitches(owner: number, count: number, options: { checkedInAt: number; recipients?: number; ladder?: number[] }) {
  const ids: string[] = [];
  const interval = DAY_MS;
  const grace = 3_600_000;
  const ladder = options.ladder ?? [];
  const per = options.recipients ?? 1;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i++) {
    const id = randomToken(16);
    ids.push(id);
    const deadline = options.checkedInAt + interval;
    const due = ladder.length > 0 ? deadline - ladder[0]! : deadline;
    statements.push(
      env.DB.prepare(
        `INSERT INTO oracle_switches (id, owner_id, name, interval_ms, grace_ms, ladder, state, checked_in_at, deadline_at, due_at, rung, cycle, origin, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'armed', ?, ?, ?, 0, 1, 'https://sixfold.test', ?, ?)`,
      ).bind(id, owner, `switch ${i}`, interval, grace, JSON.stringify(ladder), options.checkedInAt, deadline, due, options.checkedInAt, options.checkedInAt),
    );
    for (let r = 0; r < per; r++) {
      const recipient = randomToken(16);
      const message = randomToken(16);
      statements.push(
        env.DB.prepare(`INSERT INTO oracle_recipients (id, switch_id, name, channel, target, message_id, created_at) VALUES (?, ?, ?, 'email', ?, ?, ?)`).bind(
          recipient,
          id,
          `recipient ${r}`,
          `r${r}.${i}@example.com`,
          message,
          options.checkedInAt,
        ),
        env.DB.prepare(`INSERT INTO oracle_messages (id, switch_id, iv, ciphertext, server_share, length, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?)`).bind(
          message,
          id,
          base64url(randomBytes(12)),
          base64url(randomBytes(40)),
          await wrap(WRAP_KEY, shareLabel(message), randomBytes(32)),
          options.checkedInAt,
        ),
      );
    }
  }
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
  return ids;
}

/** A provider that accepts everything and counts each idempotency key. `fail(out, n)` may refuse the n-th send. */
export function countingProvider(fail?: (out: Outgoing, n: number) => SendResult | 'accept-then-error' | 'throw' | null) {
  const accepted = new Map<string, number>();
  const sent: Outgoing[] = [];
  let n = 0;
  const transport: Transport = {
    send: async (out) => {
      const verdict = fail?.(out, n++) ?? null;
      if (verdict === 'throw') throw new TypeError('fetch failed: network connection lost');
      if (verdict !== null && verdict !== 'accept-then-error') return verdict;
      accepted.set(out.key, (accepted.get(out.key) ?? 0) + 1);
      sent.push(out);
      // The provider took it, but the answer was lost on the way back.
      if (verdict === 'accept-then-error') return { ok: false, error: 'timeout reading the answer' };
      return { ok: true };
    },
  };
  return { transport, accepted, sent, duplicates: () => [...accepted.values()].filter((c) => c > 1).length };
}

/**
 * `env` with a D1 that fails its `failAt`-th call (a statement's all/run/first, or a
 * batch), before it runs (`before`: nothing written) or after (`after`: written, the
 * answer lost). `failed` names the SQL that failed.
 */
export function faultyEnv(failAt: number, when: 'before' | 'after') {
  const failed: string[] = [];
  const hooked = hookedEnv(async (call, sql, run) => {
    if (call !== failAt) return run();
    failed.push(sql);
    if (when === 'after') await run();
    throw new Error('D1_ERROR: injected fault (network connection lost)');
  });
  return { env: hooked.env, failed, calls: hooked.calls };
}

/**
 * `env` whose D1 calls (a statement's all/run/first, or a batch) go through
 * `around(n, sql, run)`: it may run the call, fail it, or do something in between
 * (another request's write, to force one interleaving of a race).
 */
export function hookedEnv(around: (call: number, sql: string, run: () => Promise<unknown>) => Promise<unknown>) {
  let calls = 0;
  const hit = <T>(sql: string, run: () => Promise<T>): Promise<T> => around(++calls, sql, run) as Promise<T>;
  const patch = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const bind = stmt.bind.bind(stmt);
    const all = stmt.all.bind(stmt);
    const run = stmt.run.bind(stmt);
    const first = stmt.first.bind(stmt);
    Object.assign(stmt, {
      bind: (...values: unknown[]) => patch(bind(...values), sql),
      all: () => hit(sql, () => all()),
      run: () => hit(sql, () => run()),
      first: (column?: string) => hit(sql, () => (column === undefined ? first() : first(column))),
    });
    (stmt as unknown as { __sql: string }).__sql = sql;
    return stmt;
  };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => patch(target.prepare(sql), sql);
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) =>
          hit(`batch: ${(statements[0] as unknown as { __sql?: string })?.__sql ?? ''}`, () => target.batch(statements));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { env: { ...env, DB: db } as Env, calls: () => calls };
}

export async function deliveryStates(): Promise<Record<string, number>> {
  const rows = await env.DB.prepare('SELECT state, count(*) AS n FROM oracle_deliveries GROUP BY state').all<{ state: string; n: number }>();
  return Object.fromEntries(rows.results.map((r) => [r.state, r.n]));
}

export async function clearOracle(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM oracle_deliveries'),
    env.DB.prepare('DELETE FROM oracle_switches'),
    env.DB.prepare('DELETE FROM oracle_mail'),
  ]);
}
