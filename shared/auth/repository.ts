/**
 * Accounts, sessions, refresh tokens and API tokens in D1. Functions take the
 * database and plain values; SQL is written out in full (shared/db.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { all, batch, first, run } from '../db';
import { randomToken, sha256Hex } from '../crypto';
import { SCOPE_NAME, type Scope } from './scopes';
import type { Role, User } from './types';

/** A session lasts this long after its last refresh (sliding), … */
export const SESSION_IDLE_MS = 30 * 24 * 3600_000;
/** …and a refresh token presented again within this window is a concurrent refresh, not theft. */
export const REFRESH_REUSE_GRACE_MS = 60_000;
/** Revoked or expired sessions are kept this long (visible in the account page), then purged. */
export const SESSION_RETENTION_MS = 7 * 24 * 3600_000;
/** Minting an API token needs a password entered in this session at most this long ago ("sudo"). */
export const SUDO_WINDOW_MS = 10 * 60_000;
/** Security events kept per user (the newest). */
export const SECURITY_EVENTS_KEPT = 100;

type UserRow = { id: number; email: string; display_name: string; role: Role; created_at: number };

function toUser(row: UserRow): User {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, createdAt: row.created_at };
}

// ---------------------------------------------------------------- security events

export const SECURITY_EVENTS = [
  'account_created',
  'signed_in',
  'password_changed',
  'token_created',
  'token_revoked',
  'session_revoked',
  'sessions_revoked',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_codes_replaced',
  'recovery_code_used',
  'second_step_failed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENTS)[number];
export type SecurityEvent = { id: number; event: SecurityEventKind; detail: string; createdAt: number };

/**
 * The statements that record an event for the account page: the insert (only if
 * `onlyIfChanged`, when the statement before it in the batch changed a row) and the
 * pruning that keeps the newest SECURITY_EVENTS_KEPT. For the batch of the change itself.
 */
function eventStatements(input: { userId: number; event: SecurityEventKind; detail: string; now: number; onlyIfChanged?: boolean }): SQL[] {
  const detail = input.detail.slice(0, 300);
  return [
    input.onlyIfChanged
      ? sql`INSERT INTO security_events (user_id, event, detail, created_at) SELECT ${input.userId}, ${input.event}, ${detail}, ${input.now} WHERE changes() > 0`
      : sql`INSERT INTO security_events (user_id, event, detail, created_at) VALUES (${input.userId}, ${input.event}, ${detail}, ${input.now})`,
    sql`DELETE FROM security_events WHERE user_id = ${input.userId} AND id <= (
          SELECT id FROM security_events WHERE user_id = ${input.userId} ORDER BY id DESC LIMIT 1 OFFSET ${SECURITY_EVENTS_KEPT})`,
  ];
}

/** Records an event on its own (one that comes with no change of its own, e.g. a wrong two-factor code). */
export async function recordSecurityEvent(db: D1Database, input: { userId: number; event: SecurityEventKind; detail: string; now: number }): Promise<void> {
  await batch(db, eventStatements(input));
}

type SecurityEventRow = { id: number; event: SecurityEventKind; detail: string; created_at: number };
const toSecurityEvent = (r: SecurityEventRow): SecurityEvent => ({ id: r.id, event: r.event, detail: r.detail, createdAt: r.created_at });

export async function listSecurityEvents(db: D1Database, userId: number, limit = 20): Promise<SecurityEvent[]> {
  const rows = await all<SecurityEventRow>(
    db,
    sql`
    SELECT id, event, detail, created_at FROM security_events WHERE user_id = ${userId} ORDER BY id DESC LIMIT ${limit}`,
  );
  return rows.map(toSecurityEvent);
}

// ---------------------------------------------------------------- users

export type CreateUserResult = { ok: true; user: User } | { ok: false; reason: 'taken' | 'closed' };

/**
 * Creates an account. It becomes admin only if the caller proved it may claim the
 * instance (`claimAdmin`: a local instance, or the operator's setup token) and there
 * is no admin yet; otherwise it is a member, allowed only while sign-up is open (a
 * claim is allowed even when closed). Both rules are decided inside the one INSERT,
 * so two simultaneous claims cannot both become admin.
 */
export async function createUser(
  db: D1Database,
  input: { email: string; displayName: string; passwordHash: string; signupOpen: boolean; claimAdmin: boolean; now: number },
): Promise<CreateUserResult> {
  const claim = input.claimAdmin ? 1 : 0;
  const row = await first<UserRow>(
    db,
    sql`
    INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
    SELECT ${input.email}, ${input.displayName}, ${input.passwordHash},
           CASE WHEN ${claim} = 1 AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin') THEN 'admin' ELSE 'member' END,
           ${input.now}, ${input.now}
     WHERE ${input.signupOpen ? 1 : 0} = 1 OR (${claim} = 1 AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin'))
        ON CONFLICT (email) DO NOTHING
    RETURNING id, email, display_name, role, created_at`,
  );
  if (row) return { ok: true, user: toUser(row) };
  const taken = await first<{ one: number }>(db, sql`SELECT 1 AS one FROM users WHERE email = ${input.email}`);
  return { ok: false, reason: taken ? 'taken' : 'closed' };
}

/** What the sign-up page needs to know: are there accounts, and is there an admin yet? */
export async function signupState(db: D1Database): Promise<{ users: number; hasAdmin: boolean }> {
  const row = await first<{ users: number; has_admin: number }>(
    db,
    sql`
    SELECT (SELECT count(*) FROM users) AS users, EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS has_admin`,
  );
  return { users: row?.users ?? 0, hasAdmin: row?.has_admin === 1 };
}

/** `twoFactor`: signing in needs a code from the authenticator app (or a recovery code) after the password. */
export type Credentials = { user: User; passwordHash: string; disabled: boolean; twoFactor: boolean };

export async function findCredentials(db: D1Database, email: string): Promise<Credentials | null> {
  const row = await first<UserRow & { password_hash: string; disabled_at: number | null; two_factor: number }>(
    db,
    sql`
    SELECT id, email, display_name, role, created_at, password_hash, disabled_at, totp_enabled_at IS NOT NULL AS two_factor
      FROM users WHERE email = ${email}`,
  );
  return row && { user: toUser(row), passwordHash: row.password_hash, disabled: row.disabled_at !== null, twoFactor: row.two_factor === 1 };
}

export async function findPasswordHash(db: D1Database, userId: number): Promise<string | null> {
  const row = await first<{ password_hash: string }>(db, sql`SELECT password_hash FROM users WHERE id = ${userId}`);
  return row?.password_hash ?? null;
}

/** Stores a re-hashed password (parameters raised) without touching sessions. */
export async function updatePasswordHash(db: D1Database, userId: number, passwordHash: string, now: number): Promise<void> {
  await run(db, sql`UPDATE users SET password_hash = ${passwordHash}, updated_at = ${now} WHERE id = ${userId}`);
}

/**
 * New password; in the same batch every other session of the user ends, the kept
 * session counts as just re-authenticated, and (if asked) every API token is revoked.
 * Returns how many tokens were revoked.
 */
export async function changePassword(
  db: D1Database,
  input: { userId: number; passwordHash: string; keepSessionId: string | null; revokeTokens?: boolean; now: number },
): Promise<{ tokensRevoked: number }> {
  const results = await batch(db, [
    sql`UPDATE users SET password_hash = ${input.passwordHash}, updated_at = ${input.now} WHERE id = ${input.userId}`,
    sql`UPDATE sessions SET revoked_at = ${input.now}, revoked_reason = 'password_changed'
         WHERE user_id = ${input.userId} AND revoked_at IS NULL AND id IS NOT ${input.keepSessionId}`,
    sql`UPDATE sessions SET reauth_at = ${input.now} WHERE id = ${input.keepSessionId} AND user_id = ${input.userId}`,
    input.revokeTokens ? sql`UPDATE api_tokens SET revoked_at = ${input.now} WHERE user_id = ${input.userId} AND revoked_at IS NULL` : sql`SELECT 0`,
    ...eventStatements({ userId: input.userId, event: 'password_changed', detail: input.revokeTokens ? 'API tokens revoked' : '', now: input.now }),
  ]);
  return { tokensRevoked: input.revokeTokens ? (results[3]?.meta.changes ?? 0) : 0 };
}

export type AdminUserRow = User & { disabledAt: number | null; activeSessions: number };

/** One page of users ordered by id, keyed by the last id seen (no OFFSET). */
export async function listUsers(db: D1Database, input: { afterId: number; limit: number; now: number }): Promise<AdminUserRow[]> {
  const rows = await all<UserRow & { disabled_at: number | null; active_sessions: number }>(
    db,
    sql`
    SELECT u.id, u.email, u.display_name, u.role, u.created_at, u.disabled_at,
           (SELECT count(*) FROM sessions s
             WHERE s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > ${input.now}) AS active_sessions
      FROM users u
     WHERE u.id > ${input.afterId}
     ORDER BY u.id
     LIMIT ${input.limit}`,
  );
  return rows.map((r) => ({ ...toUser(r), disabledAt: r.disabled_at, activeSessions: r.active_sessions }));
}

export async function findUser(db: D1Database, userId: number): Promise<(User & { disabledAt: number | null }) | null> {
  const row = await first<UserRow & { disabled_at: number | null }>(
    db,
    sql`
    SELECT id, email, display_name, role, created_at, disabled_at FROM users WHERE id = ${userId}`,
  );
  return row && { ...toUser(row), disabledAt: row.disabled_at };
}

/** Changes a role. Throws a D1 error containing `last_admin` if it would leave no admin. */
export async function setRole(db: D1Database, userId: number, role: Role, now: number): Promise<boolean> {
  const meta = await run(db, sql`UPDATE users SET role = ${role}, updated_at = ${now} WHERE id = ${userId}`);
  return meta.changes === 1;
}

/** Disables (ending every session at once) or re-enables an account. */
export async function setDisabled(db: D1Database, userId: number, disabled: boolean, now: number): Promise<boolean> {
  if (!disabled) {
    const meta = await run(db, sql`UPDATE users SET disabled_at = NULL, updated_at = ${now} WHERE id = ${userId}`);
    return meta.changes === 1;
  }
  const [update] = await batch(db, [
    sql`UPDATE users SET disabled_at = coalesce(disabled_at, ${now}), updated_at = ${now} WHERE id = ${userId}`,
    sql`UPDATE sessions SET revoked_at = ${now}, revoked_reason = 'disabled'
         WHERE user_id = ${userId} AND revoked_at IS NULL`,
  ]);
  return update?.meta.changes === 1;
}

// ---------------------------------------------------------------- sessions

export type NewSession = { sessionId: string; refreshToken: string };

/**
 * A new browser session after a password entry (so its sudo window starts now),
 * recorded as a security event (`signed_in`, or `account_created` for a sign-up).
 */
export async function createSession(
  db: D1Database,
  input: { userId: number; userAgent: string; now: number; event?: 'signed_in' | 'account_created' },
): Promise<NewSession> {
  const sessionId = randomToken(16);
  const refreshToken = randomToken(32);
  const hash = await sha256Hex(refreshToken);
  const userAgent = input.userAgent.slice(0, 300);
  await batch(db, [
    sql`INSERT INTO sessions (id, user_id, user_agent, created_at, last_seen_at, expires_at, reauth_at)
        VALUES (${sessionId}, ${input.userId}, ${userAgent}, ${input.now}, ${input.now}, ${input.now + SESSION_IDLE_MS}, ${input.now})`,
    sql`INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES (${hash}, ${sessionId}, ${input.now})`,
    ...eventStatements({ userId: input.userId, event: input.event ?? 'signed_in', detail: userAgent, now: input.now }),
  ]);
  return { sessionId, refreshToken };
}

/** When this session last had its password entered, or null (unknown session). */
export async function sessionReauthAt(db: D1Database, sessionId: string): Promise<number | null> {
  const row = await first<{ reauth_at: number | null }>(db, sql`SELECT reauth_at FROM sessions WHERE id = ${sessionId}`);
  return row?.reauth_at ?? null;
}

/** Records a password entry in this session (opens its sudo window). */
export async function markReauthenticated(db: D1Database, sessionId: string, now: number): Promise<void> {
  await run(db, sql`UPDATE sessions SET reauth_at = ${now} WHERE id = ${sessionId}`);
}

/** The user of a live session (not revoked, not expired, account enabled), or null. */
export async function findSessionUser(db: D1Database, sessionId: string, userId: number, now: number): Promise<User | null> {
  const row = await first<UserRow>(
    db,
    sql`
    SELECT u.id, u.email, u.display_name, u.role, u.created_at
      FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = ${sessionId} AND s.user_id = ${userId}
       AND s.revoked_at IS NULL AND s.expires_at > ${now} AND u.disabled_at IS NULL`,
  );
  return row && toUser(row);
}

export type RefreshResult =
  /** The token was current: a new one replaces it. */
  | { kind: 'rotated'; user: User; sessionId: string; refreshToken: string }
  /** Presented again within the grace window (parallel requests): access only, no new refresh token. */
  | { kind: 'grace'; user: User; sessionId: string }
  /** Presented again after the window: the session (token family) has been revoked. */
  | { kind: 'reuse'; sessionId: string }
  | { kind: 'invalid' };

/**
 * Refresh-token rotation with reuse detection.
 *
 * The claim and the replacement are one atomic batch: the UPDATE marks the old
 * token used only if nobody did yet, and the INSERT copies its session only if
 * that UPDATE recorded *our* replacement hash, so of two racing refreshes exactly
 * one mints a new token. The loser sees a used token: within the grace window it
 * gets an access token for the same session (the browser already holds the
 * winner's cookie); later, it is a stolen token being replayed and the whole
 * session is revoked.
 */
export async function rotateRefreshToken(db: D1Database, token: string, now: number): Promise<RefreshResult> {
  const hash = await sha256Hex(token);
  const row = await first<UserRow & { session_id: string; used_at: number | null }>(
    db,
    sql`
    SELECT r.session_id, r.used_at, u.id, u.email, u.display_name, u.role, u.created_at
      FROM refresh_tokens r
      JOIN sessions s ON s.id = r.session_id
      JOIN users u ON u.id = s.user_id
     WHERE r.token_hash = ${hash}
       AND s.revoked_at IS NULL AND s.expires_at > ${now} AND u.disabled_at IS NULL`,
  );
  if (!row) return { kind: 'invalid' };

  if (row.used_at === null) {
    const next = randomToken(32);
    const nextHash = await sha256Hex(next);
    const [, inserted] = await batch(db, [
      sql`UPDATE refresh_tokens SET used_at = ${now}, replaced_by = ${nextHash}
           WHERE token_hash = ${hash} AND used_at IS NULL`,
      sql`INSERT INTO refresh_tokens (token_hash, session_id, created_at)
          SELECT ${nextHash}, session_id, ${now} FROM refresh_tokens
           WHERE token_hash = ${hash} AND replaced_by = ${nextHash}`,
      sql`UPDATE sessions SET last_seen_at = ${now}, expires_at = ${now + SESSION_IDLE_MS}
           WHERE id = ${row.session_id} AND EXISTS (SELECT 1 FROM refresh_tokens WHERE token_hash = ${nextHash})`,
    ]);
    if (inserted?.meta.changes === 1) {
      return { kind: 'rotated', user: toUser(row), sessionId: row.session_id, refreshToken: next };
    }
    // Lost the race to a parallel refresh: it is now a used token, handled below.
    return { kind: 'grace', user: toUser(row), sessionId: row.session_id };
  }

  if (now - row.used_at <= REFRESH_REUSE_GRACE_MS) {
    return { kind: 'grace', user: toUser(row), sessionId: row.session_id };
  }
  await run(
    db,
    sql`
    UPDATE sessions SET revoked_at = ${now}, revoked_reason = 'refresh_reuse'
     WHERE id = ${row.session_id} AND revoked_at IS NULL`,
  );
  return { kind: 'reuse', sessionId: row.session_id };
}

export type SessionRow = {
  id: string;
  userAgent: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
};

type SessionDbRow = {
  id: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
};

const toSession = (r: SessionDbRow): SessionRow => ({
  id: r.id,
  userAgent: r.user_agent,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

const sessionsQuery = (userId: number, limit: number) => sql`
  SELECT id, user_agent, created_at, last_seen_at, expires_at, revoked_at, revoked_reason
    FROM sessions WHERE user_id = ${userId}
   ORDER BY created_at DESC LIMIT ${limit}`;

/** The user's sessions, newest first, including recently ended ones. */
export async function listSessions(db: D1Database, userId: number, limit = 50): Promise<SessionRow[]> {
  return (await all<SessionDbRow>(db, sessionsQuery(userId, limit))).map(toSession);
}

/** Ends one of the user's sessions. False if it is not theirs or already ended. */
export async function revokeSession(
  db: D1Database,
  input: { sessionId: string; userId: number; reason: 'signout' | 'revoked'; now: number },
): Promise<boolean> {
  const update = sql`
    UPDATE sessions SET revoked_at = ${input.now}, revoked_reason = ${input.reason}
     WHERE id = ${input.sessionId} AND user_id = ${input.userId} AND revoked_at IS NULL`;
  if (input.reason === 'signout') return (await run(db, update)).changes === 1;
  const [result] = await batch(db, [
    update,
    ...eventStatements({ userId: input.userId, event: 'session_revoked', detail: '', now: input.now, onlyIfChanged: true }),
  ]);
  return result?.meta.changes === 1;
}

/** Ends every session of the user except one ("sign out everywhere else"). Returns how many. */
export async function revokeOtherSessions(db: D1Database, userId: number, keepSessionId: string, now: number): Promise<number> {
  const [result] = await batch(db, [
    sql`UPDATE sessions SET revoked_at = ${now}, revoked_reason = 'revoked'
         WHERE user_id = ${userId} AND revoked_at IS NULL AND id <> ${keepSessionId}`,
    ...eventStatements({ userId, event: 'sessions_revoked', detail: '', now, onlyIfChanged: true }),
  ]);
  return result?.meta.changes ?? 0;
}

/** Cron: drops sessions (and, by cascade, their refresh tokens) ended longer ago than the retention. */
export async function purgeEndedSessions(db: D1Database, now: number): Promise<number> {
  const cutoff = now - SESSION_RETENTION_MS;
  const meta = await run(
    db,
    sql`
    DELETE FROM sessions WHERE expires_at < ${cutoff} OR revoked_at < ${cutoff}`,
  );
  return meta.changes;
}

// ---------------------------------------------------------------- API tokens

export const API_TOKEN_PREFIX = 'sfp_';

export type ApiTokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
};

type ApiTokenDbRow = {
  id: string;
  name: string;
  token_prefix: string;
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
};

/** A token's stored scopes (a JSON array of names; written only from the validated token form). */
function parseScopes(json: string): Scope[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((s): s is Scope => typeof s === 'string' && SCOPE_NAME.test(s)) : [];
}

function toApiToken(r: ApiTokenDbRow): ApiTokenRow {
  return {
    id: r.id,
    name: r.name,
    prefix: r.token_prefix,
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

/** Creates a token and returns it in clear once; only its SHA-256 is stored. */
export async function createApiToken(
  db: D1Database,
  input: { userId: number; name: string; scopes: Scope[]; expiresAt: number | null; now: number },
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = API_TOKEN_PREFIX + randomToken(32);
  const id = randomToken(12);
  const [inserted] = await batch<ApiTokenDbRow>(db, [
    sql`INSERT INTO api_tokens (id, user_id, name, token_hash, token_prefix, scopes, created_at, expires_at)
        VALUES (${id}, ${input.userId}, ${input.name}, ${await sha256Hex(token)}, ${token.slice(0, API_TOKEN_PREFIX.length + 6)},
                ${JSON.stringify(input.scopes)}, ${input.now}, ${input.expiresAt})
        RETURNING id, name, token_prefix, scopes, created_at, last_used_at, expires_at, revoked_at`,
    ...eventStatements({ userId: input.userId, event: 'token_created', detail: `${input.name} (${input.scopes.join(', ')})`, now: input.now }),
  ]);
  const row = inserted?.results[0];
  if (!row) throw new Error('api token insert returned no row');
  return { token, row: toApiToken(row) };
}

const apiTokensQuery = (userId: number, limit: number) => sql`
  SELECT id, name, token_prefix, scopes, created_at, last_used_at, expires_at, revoked_at
    FROM api_tokens WHERE user_id = ${userId}
   ORDER BY created_at DESC LIMIT ${limit}`;

export async function listApiTokens(db: D1Database, userId: number, limit = 100): Promise<ApiTokenRow[]> {
  return (await all<ApiTokenDbRow>(db, apiTokensQuery(userId, limit))).map(toApiToken);
}

export type AccountOverview = { sessions: SessionRow[]; tokens: ApiTokenRow[]; events: SecurityEvent[]; reauthAt: number | null; twoFactor: TwoFactor };

/** Everything the account page shows, in one round trip (a read-only batch). */
export async function accountOverview(db: D1Database, userId: number, sessionId: string | null): Promise<AccountOverview> {
  const [sessions, tokens, events, reauth, twoFactor] = await batch(db, [
    sessionsQuery(userId, 50),
    apiTokensQuery(userId, 100),
    sql`SELECT id, event, detail, created_at FROM security_events WHERE user_id = ${userId} ORDER BY id DESC LIMIT 20`,
    sql`SELECT reauth_at FROM sessions WHERE id = ${sessionId} AND user_id = ${userId}`,
    twoFactorQuery(userId),
  ]);
  return {
    sessions: ((sessions?.results ?? []) as SessionDbRow[]).map(toSession),
    tokens: ((tokens?.results ?? []) as ApiTokenDbRow[]).map(toApiToken),
    events: ((events?.results ?? []) as SecurityEventRow[]).map(toSecurityEvent),
    reauthAt: ((reauth?.results ?? []) as Array<{ reauth_at: number | null }>)[0]?.reauth_at ?? null,
    twoFactor: toTwoFactor((twoFactor?.results as TwoFactorRow[] | undefined)?.[0]),
  };
}

export async function revokeApiToken(db: D1Database, input: { tokenId: string; userId: number; now: number }): Promise<boolean> {
  const [update] = await batch(db, [
    sql`UPDATE api_tokens SET revoked_at = ${input.now}
         WHERE id = ${input.tokenId} AND user_id = ${input.userId} AND revoked_at IS NULL`,
    sql`INSERT INTO security_events (user_id, event, detail, created_at)
        SELECT ${input.userId}, 'token_revoked', name, ${input.now} FROM api_tokens
         WHERE id = ${input.tokenId} AND user_id = ${input.userId} AND revoked_at = ${input.now} AND changes() = 1`,
    ...eventStatements({ userId: input.userId, event: 'token_revoked', detail: '', now: input.now }).slice(1),
  ]);
  return update?.meta.changes === 1;
}

/** The user and scopes behind a presented token, if it is live and the account is enabled. */
export async function findApiToken(
  db: D1Database,
  token: string,
  now: number,
): Promise<{ user: User; tokenId: string; scopes: Scope[]; lastUsedAt: number | null } | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 100) return null;
  const row = await first<UserRow & { token_id: string; scopes: string; last_used_at: number | null }>(
    db,
    sql`
    SELECT t.id AS token_id, t.scopes, t.last_used_at, u.id, u.email, u.display_name, u.role, u.created_at
      FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ${await sha256Hex(token)}
       AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ${now})
       AND u.disabled_at IS NULL`,
  );
  return row && { user: toUser(row), tokenId: row.token_id, scopes: parseScopes(row.scopes), lastUsedAt: row.last_used_at };
}

/** Records use of a token, at most once a minute per token (keeps writes off the hot path). */
export async function touchApiToken(db: D1Database, tokenId: string, now: number): Promise<void> {
  await run(
    db,
    sql`
    UPDATE api_tokens SET last_used_at = ${now}
     WHERE id = ${tokenId} AND (last_used_at IS NULL OR last_used_at < ${now - 60_000})`,
  );
}

// ---------------------------------------------------------------- sign-in failures

/** Failures under a throttle key (see device.ts) since `since`. */
export async function countSigninFailures(db: D1Database, key: string, since: number): Promise<number> {
  const row = await first<{ n: number }>(
    db,
    sql`
    SELECT count(*) AS n FROM signin_failures WHERE key = ${key} AND created_at > ${since}`,
  );
  return row?.n ?? 0;
}

/**
 * Reserves one attempt under a throttle key, atomically: a failure is recorded now,
 * only if fewer than `limit` are recorded since `since` (one statement, so racing
 * requests cannot all pass the count). Returns the reservation's id, to release when
 * the attempt succeeds (or was not a guess), or null when the limit is reached.
 */
export async function reserveSigninAttempt(db: D1Database, input: { key: string; limit: number; since: number; now: number }): Promise<number | null> {
  const [reserved] = await batch<{ id: number }>(db, [
    sql`INSERT INTO signin_failures (key, created_at)
        SELECT ${input.key}, ${input.now}
         WHERE (SELECT count(*) FROM signin_failures WHERE key = ${input.key} AND created_at > ${input.since}) < ${input.limit}
        RETURNING id`,
    sql`DELETE FROM signin_failures WHERE created_at <= ${input.since}`,
  ]);
  return reserved?.results[0]?.id ?? null;
}

/** Gives a reserved attempt back (it succeeded, or was no guess at all). */
export async function releaseSigninAttempt(db: D1Database, id: number): Promise<void> {
  await run(db, sql`DELETE FROM signin_failures WHERE id = ${id}`);
}

/** Records one failure, and drops every failure older than `forgetBefore` (indexed by age). */
export async function recordSigninFailure(db: D1Database, input: { key: string; now: number; forgetBefore: number }): Promise<void> {
  await batch(db, [
    sql`INSERT INTO signin_failures (key, created_at) VALUES (${input.key}, ${input.now})`,
    sql`DELETE FROM signin_failures WHERE created_at <= ${input.forgetBefore}`,
  ]);
}

// ---------------------------------------------------------------- two-factor sign-in

/**
 * An account's two-factor state: `off`; `pending` (a secret made, not yet confirmed
 * by a code: sign-in is unchanged); or `on`. The secret is sealed (shared/crypto.ts).
 */
export type TwoFactor =
  | { state: 'off' }
  /** `sessionId`: the session that started it (only it sees the secret and may confirm it). */
  | { state: 'pending'; sealedSecret: string; sessionId: string | null }
  | { state: 'on'; sealedSecret: string; enabledAt: number; recoveryCodesLeft: number };

type TwoFactorRow = { totp_secret: string | null; totp_enabled_at: number | null; totp_pending_session: string | null; codes_left: number };

function toTwoFactor(row: TwoFactorRow | null | undefined): TwoFactor {
  if (!row?.totp_secret) return { state: 'off' };
  if (row.totp_enabled_at === null) return { state: 'pending', sealedSecret: row.totp_secret, sessionId: row.totp_pending_session };
  return { state: 'on', sealedSecret: row.totp_secret, enabledAt: row.totp_enabled_at, recoveryCodesLeft: row.codes_left };
}

const twoFactorQuery = (userId: number) => sql`
  SELECT totp_secret, totp_enabled_at, totp_pending_session,
         (SELECT count(*) FROM recovery_codes WHERE user_id = ${userId} AND used_at IS NULL) AS codes_left
    FROM users WHERE id = ${userId}`;

export async function twoFactorState(db: D1Database, userId: number): Promise<TwoFactor> {
  return toTwoFactor(await first<TwoFactorRow>(db, twoFactorQuery(userId)));
}

/** Whether signing in to the account needs a second step (for pages that nudge towards it). */
export async function hasTwoFactor(db: D1Database, userId: number): Promise<boolean> {
  const row = await first<{ on: number }>(db, sql`SELECT totp_enabled_at IS NOT NULL AS "on" FROM users WHERE id = ${userId}`);
  return row?.on === 1;
}

/** Starts (or restarts) enrolment in one session with a new sealed secret; false if two-factor is already on. */
export async function beginTwoFactor(db: D1Database, input: { userId: number; sessionId: string; sealedSecret: string; now: number }): Promise<boolean> {
  const meta = await run(
    db,
    sql`
    UPDATE users SET totp_secret = ${input.sealedSecret}, totp_pending_session = ${input.sessionId}, totp_last_step = NULL, updated_at = ${input.now}
     WHERE id = ${input.userId} AND totp_enabled_at IS NULL`,
  );
  return meta.changes === 1;
}

/** Drops an unconfirmed enrolment; false if there was none. */
export async function cancelTwoFactor(db: D1Database, userId: number, now: number): Promise<boolean> {
  const meta = await run(
    db,
    sql`
    UPDATE users SET totp_secret = NULL, totp_pending_session = NULL, totp_last_step = NULL, updated_at = ${now}
     WHERE id = ${userId} AND totp_enabled_at IS NULL AND totp_secret IS NOT NULL`,
  );
  return meta.changes === 1;
}

/** The statements that replace every recovery code of an account with these (HMACs), if two-factor is on. */
function recoveryCodeStatements(userId: number, codeHashes: string[], now: number): SQL[] {
  const on = sql`EXISTS (SELECT 1 FROM users WHERE id = ${userId} AND totp_enabled_at IS NOT NULL)`;
  return [
    sql`DELETE FROM recovery_codes WHERE user_id = ${userId} AND ${on}`,
    sql`INSERT INTO recovery_codes (user_id, code_hash, created_at)
        SELECT ${userId}, value, ${now} FROM json_each(${JSON.stringify(codeHashes)}) WHERE ${on}`,
  ];
}

/**
 * Confirms enrolment, in the session that started it: two-factor is on from now, the
 * confirming code's step counts as used, the recovery codes are stored, and every
 * other session ends (they were signed in with the password alone), in one batch.
 * Null if there was no such pending enrolment (already on, cancelled, or restarted
 * elsewhere); else how many other sessions ended.
 */
export async function enableTwoFactor(
  db: D1Database,
  input: { userId: number; sessionId: string; sealedSecret: string; step: number; codeHashes: string[]; now: number },
): Promise<{ sessionsEnded: number } | null> {
  const on = sql`EXISTS (SELECT 1 FROM users WHERE id = ${input.userId} AND totp_enabled_at = ${input.now})`;
  const [update, , , , , ended] = await batch(db, [
    sql`UPDATE users SET totp_enabled_at = ${input.now}, totp_last_step = ${input.step}, totp_pending_session = NULL, updated_at = ${input.now}
         WHERE id = ${input.userId} AND totp_enabled_at IS NULL AND totp_secret = ${input.sealedSecret} AND totp_pending_session = ${input.sessionId}`,
    ...eventStatements({ userId: input.userId, event: 'two_factor_enabled', detail: '', now: input.now, onlyIfChanged: true }),
    ...recoveryCodeStatements(input.userId, input.codeHashes, input.now),
    sql`UPDATE sessions SET revoked_at = ${input.now}, revoked_reason = 'revoked'
         WHERE user_id = ${input.userId} AND revoked_at IS NULL AND id <> ${input.sessionId} AND ${on}`,
  ]);
  return update?.meta.changes === 1 ? { sessionsEnded: ended?.meta.changes ?? 0 } : null;
}

/** Turns two-factor off: the secret and every recovery code go. False if it was not on. */
export async function disableTwoFactor(db: D1Database, userId: number, now: number): Promise<boolean> {
  const [update] = await batch(db, [
    sql`UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, updated_at = ${now}
         WHERE id = ${userId} AND totp_enabled_at IS NOT NULL`,
    ...eventStatements({ userId, event: 'two_factor_disabled', detail: '', now, onlyIfChanged: true }),
    sql`DELETE FROM recovery_codes WHERE user_id = ${userId} AND NOT EXISTS (SELECT 1 FROM users WHERE id = ${userId} AND totp_enabled_at IS NOT NULL)`,
  ]);
  return update?.meta.changes === 1;
}

/** New recovery codes in place of all the old ones (used or not). False if two-factor is off. */
export async function replaceRecoveryCodes(db: D1Database, userId: number, codeHashes: string[], now: number): Promise<boolean> {
  const [, inserted] = await batch(db, [
    ...recoveryCodeStatements(userId, codeHashes, now),
    sql`INSERT INTO security_events (user_id, event, detail, created_at)
        SELECT ${userId}, 'recovery_codes_replaced', '', ${now} WHERE changes() > 0`,
    ...eventStatements({ userId, event: 'recovery_codes_replaced', detail: '', now }).slice(1),
  ]);
  return (inserted?.meta.changes ?? 0) > 0;
}

/**
 * Accepts a code of `step` for the account if no code of that step or a later one
 * has been: the guarded UPDATE lets exactly one of two racing sign-ins through.
 */
export async function acceptTotpStep(db: D1Database, userId: number, step: number): Promise<boolean> {
  const meta = await run(
    db,
    sql`
    UPDATE users SET totp_last_step = ${step}
     WHERE id = ${userId} AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < ${step})`,
  );
  return meta.changes === 1;
}

/** Spends one recovery code (by its HMAC); the result says whether it was unused, and how many are left. */
export async function useRecoveryCode(db: D1Database, input: { userId: number; codeHash: string; now: number }): Promise<{ ok: boolean; left: number }> {
  const [update, , , left] = await batch<{ n: number }>(db, [
    sql`UPDATE recovery_codes SET used_at = ${input.now}
         WHERE user_id = ${input.userId} AND code_hash = ${input.codeHash} AND used_at IS NULL
           AND EXISTS (SELECT 1 FROM users WHERE id = ${input.userId} AND totp_enabled_at IS NOT NULL)`,
    sql`INSERT INTO security_events (user_id, event, detail, created_at)
        SELECT ${input.userId}, 'recovery_code_used',
               (SELECT count(*) FROM recovery_codes WHERE user_id = ${input.userId} AND used_at IS NULL) || ' left', ${input.now}
         WHERE changes() > 0`,
    ...eventStatements({ userId: input.userId, event: 'recovery_code_used', detail: '', now: input.now }).slice(1),
    sql`SELECT count(*) AS n FROM recovery_codes WHERE user_id = ${input.userId} AND used_at IS NULL`,
  ]);
  return { ok: update?.meta.changes === 1, left: left?.results[0]?.n ?? 0 };
}

/**
 * What the second sign-in step needs about an account: who, whether enabled, its
 * sealed secret (if two-factor is on), and its password hash (a second step begun
 * before a password change is void).
 */
export async function findSecondStep(
  db: D1Database,
  userId: number,
): Promise<{ user: User; disabled: boolean; sealedSecret: string | null; passwordHash: string } | null> {
  const row = await first<UserRow & { disabled_at: number | null; secret: string | null; password_hash: string }>(
    db,
    sql`
    SELECT id, email, display_name, role, created_at, disabled_at, password_hash,
           CASE WHEN totp_enabled_at IS NOT NULL THEN totp_secret END AS secret
      FROM users WHERE id = ${userId}`,
  );
  return row && { user: toUser(row), disabled: row.disabled_at !== null, sealedSecret: row.secret, passwordHash: row.password_hash };
}

/**
 * Spends a second-step cookie (by its nonce): true the first time only. Nonces past
 * their expiry are dropped in the same batch.
 */
export async function spendSecondStep(db: D1Database, input: { nonce: string; expiresAt: number; now: number }): Promise<boolean> {
  const [spent] = await batch<{ nonce: string }>(db, [
    sql`INSERT INTO second_steps_used (nonce, expires_at) VALUES (${input.nonce}, ${input.expiresAt})
        ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
    sql`DELETE FROM second_steps_used WHERE expires_at < ${input.now}`,
  ]);
  return (spent?.results.length ?? 0) === 1;
}
