-- Oracle's attachments: files sealed in the owner's browser with the message's own
-- content key (AAD "oracle:v1:<switch>:<message>:file:<n>"; the file's name and type
-- are inside the ciphertext), stored as opaque objects in R2 (ORACLE_FILES). D1 knows
-- only each object's key, IV and size, and whose it is (for the quota).
CREATE TABLE oracle_files (
  message_id TEXT    NOT NULL REFERENCES oracle_messages(id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL CHECK (idx BETWEEN 0 AND 9),
  r2_key     TEXT    NOT NULL UNIQUE CHECK (length(r2_key) <= 120),
  iv         TEXT    NOT NULL CHECK (length(iv) = 16),
  size       INTEGER NOT NULL CHECK (size BETWEEN 17 AND 5300000),
  owner_id   INTEGER NOT NULL,
  PRIMARY KEY (message_id, idx)
) STRICT, WITHOUT ROWID;

-- R2 objects to delete at `delete_after`, by the cron: those whose row went (a message
-- replaced, a recipient or switch deleted, by cascade too: the trigger below, so no way
-- of deleting a row can forget its object), and those being uploaded, entered *before*
-- the upload with an hour's grace and taken out by the batch that stores their rows (so
-- an upload that fails or is cut off halfway leaves nothing behind). Their bytes count
-- against the owner's quota until they are gone.
CREATE TABLE oracle_file_trash (
  r2_key       TEXT    PRIMARY KEY,
  owner_id     INTEGER NOT NULL,
  size         INTEGER NOT NULL,
  delete_after INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX oracle_file_trash_due ON oracle_file_trash (delete_after);
CREATE INDEX oracle_file_trash_owner ON oracle_file_trash (owner_id);
CREATE INDEX oracle_files_owner ON oracle_files (owner_id);

CREATE TRIGGER oracle_files_to_trash AFTER DELETE ON oracle_files
BEGIN
  INSERT INTO oracle_file_trash (r2_key, owner_id, size, delete_after) VALUES (old.r2_key, old.owner_id, old.size, unixepoch() * 1000)
  ON CONFLICT (r2_key) DO UPDATE SET delete_after = excluded.delete_after;
END;
