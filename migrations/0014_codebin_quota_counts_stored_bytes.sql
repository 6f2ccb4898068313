-- CodeBin's storage bounds, after the hostile review:
--  * codebin_usage now counts what a paste really stores, its content and its
--    stored HTML (highlighting is ~10x the text), and follows re-renders (language
--    changes, background highlighting), not only inserts and deletes;
--  * the daily allowance covers accounts too (any account can be made in a minute),
--    keyed 'a:<keyed hash of the address or IPv6 /64>' or 'u:<user id>'.
DROP TRIGGER codebin_usage_insert;
DROP TRIGGER codebin_usage_delete;

CREATE TRIGGER codebin_usage_insert AFTER INSERT ON pastes BEGIN
  UPDATE codebin_usage SET bytes = bytes + NEW.size + length(NEW.html_gz) WHERE id = 1;
END;
CREATE TRIGGER codebin_usage_delete AFTER DELETE ON pastes BEGIN
  UPDATE codebin_usage SET bytes = max(0, bytes - OLD.size - length(OLD.html_gz)) WHERE id = 1;
END;
CREATE TRIGGER codebin_usage_rerender AFTER UPDATE OF html_gz ON pastes BEGIN
  UPDATE codebin_usage SET bytes = max(0, bytes + length(NEW.html_gz) - length(OLD.html_gz)) WHERE id = 1;
END;
UPDATE codebin_usage SET bytes = (SELECT coalesce(sum(size + length(html_gz)), 0) FROM pastes) WHERE id = 1;

CREATE TABLE codebin_daily (
  who   TEXT    NOT NULL,
  day   INTEGER NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  PRIMARY KEY (who, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX codebin_daily_by_day ON codebin_daily (day);
INSERT INTO codebin_daily (who, day, bytes) SELECT 'a:' || address, day, bytes FROM codebin_anon_daily;
DROP TABLE codebin_anon_daily;
