-- Two-factor sign-in (TOTP, RFC 6238) for every account (shared/auth/totp.ts).
--
-- totp_secret: the authenticator app's shared secret, sealed with AES-256-GCM under a
-- key derived from SESSION_SECRET and bound to the user id (shared/crypto.ts seal),
-- so a dump of D1 alone does not reveal it. Set while enrolling (totp_enabled_at
-- NULL: not yet confirmed, sign-in unchanged) and once confirmed.
-- totp_last_step: the newest 30-second step whose code was accepted. A code is good
-- only for a newer step, so each code signs in once, even twice in the same second
-- (the guarded UPDATE decides).
ALTER TABLE users ADD COLUMN totp_secret TEXT CHECK (totp_secret IS NULL OR length(totp_secret) <= 200);
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- One-use codes for when the authenticator is lost: only an HMAC of each (keyed by
-- SESSION_SECRET, so a dump cannot be searched offline), shown to the owner once.
CREATE TABLE recovery_codes (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash  TEXT    NOT NULL CHECK (length(code_hash) = 43),
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;

-- The security activity gains the two-factor events: SQLite cannot change a CHECK,
-- so the table is rebuilt with its rows (nothing references it).
CREATE TABLE security_events_next (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  event      TEXT    NOT NULL CHECK (event IN ('account_created', 'signed_in', 'password_changed', 'token_created', 'token_revoked', 'session_revoked', 'sessions_revoked',
                                               'two_factor_enabled', 'two_factor_disabled', 'recovery_codes_replaced', 'recovery_code_used',
                                               'second_step_failed')),
  detail     TEXT    NOT NULL DEFAULT '' CHECK (length(detail) <= 300),
  created_at INTEGER NOT NULL
) STRICT;
INSERT INTO security_events_next (id, user_id, event, detail, created_at) SELECT id, user_id, event, detail, created_at FROM security_events;
DROP TABLE security_events;
ALTER TABLE security_events_next RENAME TO security_events;
CREATE INDEX security_events_by_user ON security_events (user_id, id DESC);
