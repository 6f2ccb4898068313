-- Platform security (issue 9): sign-in throttling that cannot lock an owner out,
-- re-authentication ("sudo") for sensitive account changes, a per-user log of
-- security events, and an index for the "is there an admin yet?" question.

-- Failed sign-ins in the recent window, by throttle key: `account:<keyed hash of the
-- email>` (unknown browsers) or `device:<id>` (a browser holding a device cookie).
-- Only failures are stored, so successful sign-ins never count. Rows older than the
-- window are purged by the same batch that records a failure.
CREATE TABLE signin_failures (
  id         INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL CHECK (length(key) <= 100),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_failures_by_key ON signin_failures (key, created_at);
CREATE INDEX signin_failures_by_age ON signin_failures (created_at);

-- When this session last had its password entered (sign-in, sign-up, a password
-- change or a re-authentication). Minting an API token needs it to be recent.
ALTER TABLE sessions ADD COLUMN reauth_at INTEGER;
UPDATE sessions SET reauth_at = created_at;

-- What happened to an account, for its owner's account page. At most the newest
-- 100 rows per user are kept (the insert's batch prunes the rest).
CREATE TABLE security_events (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event      TEXT    NOT NULL CHECK (event IN ('account_created', 'signed_in', 'password_changed', 'token_created', 'token_revoked', 'session_revoked', 'sessions_revoked')),
  detail     TEXT    NOT NULL DEFAULT '' CHECK (length(detail) <= 300),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX security_events_by_user ON security_events (user_id, id DESC);

-- "Is there an admin yet?" is asked by every sign-up (and by the last-admin trigger).
CREATE INDEX users_by_role ON users (role);
