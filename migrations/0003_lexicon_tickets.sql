-- Lexicon: tickets, comments, tags, an append-only audit trail, and queue counts.
--
-- The status lifecycle lives in lexicon_transitions and is enforced by a trigger,
-- so no UPDATE (from the app or typed by hand) can make an illegal move. Queue
-- counts are maintained by triggers on every write instead of being counted by
-- scanning. Every change bumps `version` by exactly one (optimistic concurrency;
-- also enforced by a trigger).

CREATE TABLE lexicon_statuses (status TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;
INSERT INTO lexicon_statuses (status) VALUES ('new'), ('open'), ('pending'), ('resolved'), ('closed');

CREATE TABLE lexicon_transitions (
  from_status TEXT NOT NULL REFERENCES lexicon_statuses(status),
  to_status   TEXT NOT NULL REFERENCES lexicon_statuses(status),
  PRIMARY KEY (from_status, to_status)
) STRICT, WITHOUT ROWID;
INSERT INTO lexicon_transitions (from_status, to_status) VALUES
  ('new', 'open'),
  ('open', 'pending'),
  ('pending', 'open'),
  ('open', 'resolved'),
  ('pending', 'resolved'),
  ('resolved', 'closed'),
  ('resolved', 'open');

CREATE TABLE tickets (
  id                    INTEGER PRIMARY KEY,
  subject               TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  body                  TEXT    NOT NULL CHECK (length(body) <= 20000),
  priority              TEXT    NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status                TEXT    NOT NULL DEFAULT 'new' REFERENCES lexicon_statuses(status),
  creator_id            INTEGER NOT NULL REFERENCES users(id),
  assignee_id           INTEGER REFERENCES users(id),
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL,
  first_response_due_at INTEGER NOT NULL,
  resolution_due_at     INTEGER NOT NULL,
  first_responded_at    INTEGER,
  resolved_at           INTEGER,
  version               INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
) STRICT;

-- Queues by status, newest activity first, paginated by (updated_at, id).
CREATE INDEX tickets_by_status ON tickets (status, updated_at DESC, id DESC);
-- "Mine": an agent's tickets by status.
CREATE INDEX tickets_by_assignee ON tickets (assignee_id, status, updated_at DESC, id DESC) WHERE assignee_id IS NOT NULL;
-- "Unassigned": active tickets nobody owns.
CREATE INDEX tickets_unassigned ON tickets (updated_at DESC, id DESC) WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending');
-- "Overdue": active tickets by resolution due time.
CREATE INDEX tickets_due ON tickets (resolution_due_at, id) WHERE status IN ('new', 'open', 'pending');
-- A requester's own tickets.
CREATE INDEX tickets_by_creator ON tickets (creator_id, updated_at DESC, id DESC);

CREATE TRIGGER tickets_start_new
BEFORE INSERT ON tickets
WHEN NEW.status <> 'new'
BEGIN
  SELECT RAISE(ABORT, 'invalid_transition: tickets start as new');
END;

CREATE TRIGGER tickets_lifecycle
BEFORE UPDATE OF status ON tickets
WHEN NEW.status <> OLD.status
 AND NOT EXISTS (SELECT 1 FROM lexicon_transitions WHERE from_status = OLD.status AND to_status = NEW.status)
BEGIN
  SELECT RAISE(ABORT, 'invalid_transition');
END;

CREATE TRIGGER tickets_version
BEFORE UPDATE ON tickets
WHEN NEW.version <> OLD.version + 1
BEGIN
  SELECT RAISE(ABORT, 'version_not_bumped');
END;

CREATE TABLE lexicon_comments (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  author_id  INTEGER NOT NULL REFERENCES users(id),
  body       TEXT    NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  internal   INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX lexicon_comments_by_ticket ON lexicon_comments (ticket_id, created_at, id);

CREATE TABLE lexicon_ticket_tags (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  tag       TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 40),
  PRIMARY KEY (ticket_id, tag)
) STRICT, WITHOUT ROWID;

-- Append-only: who, when, what, from → to, and the request that did it.
CREATE TABLE lexicon_audit (
  id         INTEGER PRIMARY KEY,
  ticket_id  INTEGER NOT NULL,
  actor_id   INTEGER,
  action     TEXT    NOT NULL CHECK (action IN ('create', 'status', 'assign', 'priority', 'comment', 'note', 'tag')),
  from_value TEXT,
  to_value   TEXT,
  request_id TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX lexicon_audit_by_ticket ON lexicon_audit (ticket_id, id);
CREATE TRIGGER lexicon_audit_no_update BEFORE UPDATE ON lexicon_audit BEGIN SELECT RAISE(ABORT, 'audit_append_only'); END;
CREATE TRIGGER lexicon_audit_no_delete BEFORE DELETE ON lexicon_audit BEGIN SELECT RAISE(ABORT, 'audit_append_only'); END;

-- Queue counts, kept by triggers: one row per status, plus 'unassigned' (active
-- tickets with no assignee); per-assignee counts for "Mine".
CREATE TABLE lexicon_counts (queue TEXT PRIMARY KEY, n INTEGER NOT NULL CHECK (n >= 0)) STRICT, WITHOUT ROWID;
INSERT INTO lexicon_counts (queue, n) VALUES ('new', 0), ('open', 0), ('pending', 0), ('resolved', 0), ('closed', 0), ('unassigned', 0);
CREATE TABLE lexicon_assignee_counts (
  assignee_id INTEGER NOT NULL,
  status      TEXT    NOT NULL,
  n           INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (assignee_id, status)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER tickets_count_insert
AFTER INSERT ON tickets
BEGIN
  UPDATE lexicon_counts SET n = n + 1 WHERE queue = NEW.status;
  UPDATE lexicon_counts SET n = n + 1
   WHERE queue = 'unassigned' AND NEW.assignee_id IS NULL AND NEW.status IN ('new', 'open', 'pending');
  INSERT OR IGNORE INTO lexicon_assignee_counts (assignee_id, status, n)
    SELECT NEW.assignee_id, NEW.status, 0 WHERE NEW.assignee_id IS NOT NULL;
  UPDATE lexicon_assignee_counts SET n = n + 1 WHERE assignee_id = NEW.assignee_id AND status = NEW.status;
END;

CREATE TRIGGER tickets_count_update
AFTER UPDATE OF status, assignee_id ON tickets
WHEN NEW.status <> OLD.status OR NEW.assignee_id IS NOT OLD.assignee_id
BEGIN
  UPDATE lexicon_counts SET n = n - 1 WHERE queue = OLD.status;
  UPDATE lexicon_counts SET n = n + 1 WHERE queue = NEW.status;
  UPDATE lexicon_counts SET n = n - 1
   WHERE queue = 'unassigned' AND OLD.assignee_id IS NULL AND OLD.status IN ('new', 'open', 'pending');
  UPDATE lexicon_counts SET n = n + 1
   WHERE queue = 'unassigned' AND NEW.assignee_id IS NULL AND NEW.status IN ('new', 'open', 'pending');
  UPDATE lexicon_assignee_counts SET n = n - 1 WHERE assignee_id = OLD.assignee_id AND status = OLD.status;
  INSERT OR IGNORE INTO lexicon_assignee_counts (assignee_id, status, n)
    SELECT NEW.assignee_id, NEW.status, 0 WHERE NEW.assignee_id IS NOT NULL;
  UPDATE lexicon_assignee_counts SET n = n + 1 WHERE assignee_id = NEW.assignee_id AND status = NEW.status;
END;

CREATE TRIGGER tickets_count_delete
AFTER DELETE ON tickets
BEGIN
  UPDATE lexicon_counts SET n = n - 1 WHERE queue = OLD.status;
  UPDATE lexicon_counts SET n = n - 1
   WHERE queue = 'unassigned' AND OLD.assignee_id IS NULL AND OLD.status IN ('new', 'open', 'pending');
  UPDATE lexicon_assignee_counts SET n = n - 1 WHERE assignee_id = OLD.assignee_id AND status = OLD.status;
END;
