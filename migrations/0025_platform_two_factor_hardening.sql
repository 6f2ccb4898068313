-- Two-factor, after a hostile review.
-- totp_pending_session: the session that started an unfinished setup. Only it is shown
-- the secret and may confirm it, so a copy of a session cookie cannot read or plant one.
ALTER TABLE users ADD COLUMN totp_pending_session TEXT;

-- Second-step cookies already used to start a session (by their random nonce), kept
-- until they would have expired anyway: a copy of the cookie is good for nothing after.
CREATE TABLE second_steps_used (
  nonce      TEXT    PRIMARY KEY CHECK (length(nonce) = 22),
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX second_steps_used_by_expiry ON second_steps_used (expires_at);
