-- Lexicon: "Mine" reads through its own partial index.
--
-- tickets_by_assignee (assignee_id, status, updated_at, id) serves one status at a time;
-- "Mine" asks for three (new, open, pending) ordered by activity, so SQLite merged three
-- ranges and read ~170 rows for a 50-row page over 10k tickets. This index holds only
-- active assigned tickets, already in the page's order: a page reads the rows it shows.
CREATE INDEX tickets_mine ON tickets (assignee_id, updated_at DESC, id DESC)
  WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending');
