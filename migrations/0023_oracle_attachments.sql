-- Oracle's attachments: files sealed in the owner's browser with the message's own
-- content key (AAD "oracle:v1:<switch>:<message>:file:<n>"; the file's name and type
-- are inside the ciphertext), stored as opaque objects in R2 (ORACLE_FILES). D1 knows
-- only each object's key, IV and size.
CREATE TABLE oracle_files (
  message_id TEXT    NOT NULL REFERENCES oracle_messages(id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL CHECK (idx BETWEEN 0 AND 9),
  r2_key     TEXT    NOT NULL UNIQUE CHECK (length(r2_key) <= 120),
  iv         TEXT    NOT NULL CHECK (length(iv) = 16),
  size       INTEGER NOT NULL CHECK (size BETWEEN 17 AND 5300000),
  PRIMARY KEY (message_id, idx)
) STRICT, WITHOUT ROWID;

-- R2 objects whose row went (a message replaced, a recipient or switch deleted, by
-- cascade too): the cron deletes them from R2, then from here. A trigger, so that no
-- way of deleting a row can forget its object.
CREATE TABLE oracle_file_trash (
  r2_key     TEXT    PRIMARY KEY,
  deleted_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER oracle_files_to_trash AFTER DELETE ON oracle_files
BEGIN
  INSERT OR IGNORE INTO oracle_file_trash (r2_key, deleted_at) VALUES (old.r2_key, unixepoch() * 1000);
END;
