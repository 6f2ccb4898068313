-- A closed ticket is finished: its assignee, priority and tags no longer change,
-- whoever writes the SQL (the UI already offers no such actions on it). A requester's
-- reply opens a linked follow-up instead; agents can still add internal notes.
CREATE TRIGGER tickets_closed_frozen
BEFORE UPDATE OF assignee_id, priority, tags ON tickets
WHEN OLD.status = 'closed'
 AND (NEW.assignee_id IS NOT OLD.assignee_id OR NEW.priority IS NOT OLD.priority OR NEW.tags IS NOT OLD.tags)
BEGIN
  SELECT RAISE(ABORT, 'ticket_closed');
END;
