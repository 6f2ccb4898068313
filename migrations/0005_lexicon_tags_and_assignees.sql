-- Lexicon: tags become a column of the ticket, and assignees must be staff.
--
-- `tickets.tags` is the canonical tag set (a sorted JSON array), so changing tags is
-- one UPDATE of the ticket: version-guarded and audited like status, assignee and
-- priority. lexicon_ticket_tags stays as the per-tag index, kept in step by triggers.
ALTER TABLE tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array');

UPDATE tickets
   SET tags = coalesce((SELECT json_group_array(tag) FROM (SELECT tag FROM lexicon_ticket_tags WHERE ticket_id = tickets.id ORDER BY tag)), '[]'),
       version = version + 1
 WHERE EXISTS (SELECT 1 FROM lexicon_ticket_tags WHERE ticket_id = tickets.id);

CREATE TRIGGER tickets_tags_insert AFTER INSERT ON tickets WHEN NEW.tags <> '[]' BEGIN
  INSERT OR IGNORE INTO lexicon_ticket_tags (ticket_id, tag) SELECT NEW.id, value FROM json_each(NEW.tags);
END;

CREATE TRIGGER tickets_tags_update AFTER UPDATE OF tags ON tickets WHEN NEW.tags IS NOT OLD.tags BEGIN
  DELETE FROM lexicon_ticket_tags WHERE ticket_id = NEW.id AND tag NOT IN (SELECT value FROM json_each(NEW.tags));
  INSERT OR IGNORE INTO lexicon_ticket_tags (ticket_id, tag) SELECT NEW.id, value FROM json_each(NEW.tags);
END;

CREATE INDEX lexicon_tags_by_tag ON lexicon_ticket_tags (tag, ticket_id);

-- An assignee is an active agent or admin: checked by the database, whoever writes.
CREATE TRIGGER tickets_assignee_is_staff_insert
BEFORE INSERT ON tickets
WHEN NEW.assignee_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.assignee_id AND role IN ('agent', 'admin') AND disabled_at IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'assignee_not_agent');
END;

CREATE TRIGGER tickets_assignee_is_staff_update
BEFORE UPDATE OF assignee_id ON tickets
WHEN NEW.assignee_id IS NOT NULL AND NEW.assignee_id IS NOT OLD.assignee_id
 AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.assignee_id AND role IN ('agent', 'admin') AND disabled_at IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'assignee_not_agent');
END;

-- The people tickets can be assigned to, for the assign menus (reads staff rows only).
CREATE INDEX users_staff ON users (display_name, id) WHERE role IN ('agent', 'admin');
