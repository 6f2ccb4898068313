-- codebin_usage counts a paste's whole footprint: its text, its stored HTML, its
-- file name and a fixed 256 bytes for the rest of the row and its index entries
-- (slug, token hash, etag, times). Without the last two, a one-byte paste with a
-- 765-byte file name was charged one byte (hostile review). storedBytes() in
-- workers/codebin/repository.ts computes the same.
DROP TRIGGER codebin_usage_insert;
DROP TRIGGER codebin_usage_delete;

CREATE TRIGGER codebin_usage_insert AFTER INSERT ON pastes BEGIN
  UPDATE codebin_usage SET bytes = bytes + NEW.size + length(NEW.html_gz) + length(CAST(coalesce(NEW.filename, '') AS BLOB)) + 256 WHERE id = 1;
END;
CREATE TRIGGER codebin_usage_delete AFTER DELETE ON pastes BEGIN
  UPDATE codebin_usage SET bytes = max(0, bytes - OLD.size - length(OLD.html_gz) - length(CAST(coalesce(OLD.filename, '') AS BLOB)) - 256) WHERE id = 1;
END;
UPDATE codebin_usage
   SET bytes = (SELECT coalesce(sum(size + length(html_gz) + length(CAST(coalesce(filename, '') AS BLOB)) + 256), 0) FROM pastes)
 WHERE id = 1;
