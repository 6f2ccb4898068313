-- CodeBin shares the one D1 database with accounts, so anonymous writers must not be
-- able to fill it. Two bounds, both checked before a paste is stored:
--  * codebin_usage: the bytes of all live pastes, kept by triggers (one row), held
--    under CODEBIN_MAX_TOTAL_MB by the operator;
--  * codebin_anon_daily: bytes posted anonymously per client address (a keyed hash,
--    never the address) per UTC day, reserved with one guarded upsert, so parallel
--    requests cannot overshoot CODEBIN_ANON_DAILY_MB. Old days are purged by the cron.
CREATE TABLE codebin_usage (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  bytes INTEGER NOT NULL CHECK (bytes >= 0)
) STRICT;
INSERT INTO codebin_usage (id, bytes) SELECT 1, coalesce(sum(size), 0) FROM pastes;

CREATE TRIGGER codebin_usage_insert AFTER INSERT ON pastes BEGIN
  UPDATE codebin_usage SET bytes = bytes + NEW.size WHERE id = 1;
END;
CREATE TRIGGER codebin_usage_delete AFTER DELETE ON pastes BEGIN
  UPDATE codebin_usage SET bytes = max(0, bytes - OLD.size) WHERE id = 1;
END;

CREATE TABLE codebin_anon_daily (
  address TEXT    NOT NULL,
  day     INTEGER NOT NULL,
  bytes   INTEGER NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (address, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX codebin_anon_daily_by_day ON codebin_anon_daily (day);
