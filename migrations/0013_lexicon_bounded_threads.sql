-- Lexicon: a ticket's cost no longer grows with its conversation.
--
-- Before: every comment was appended to one FTS row per ticket (`comments` and
-- `notes` columns), so ~100 long comments pushed that row past D1's 2 MB limit and
-- every later write to the ticket failed (500). Now each comment is its own FTS row,
-- keyed by the comment id, carrying its ticket and whether it is an internal note
-- (UNINDEXED: filtered, not searched), so no row grows with the thread.
--
-- The ticket's own FTS table keeps subject and body only. FTS5 cannot drop columns,
-- so it is rebuilt (with its triggers) and backfilled from tickets.
DROP TRIGGER IF EXISTS lexicon_search_comment;
DROP TRIGGER IF EXISTS lexicon_search_ticket_insert;
DROP TRIGGER IF EXISTS lexicon_search_ticket_update;
DROP TRIGGER IF EXISTS lexicon_search_ticket_delete;
DROP TABLE lexicon_search;

CREATE VIRTUAL TABLE lexicon_search USING fts5(subject, body, tokenize = 'trigram');
INSERT INTO lexicon_search (rowid, subject, body) SELECT id, subject, body FROM tickets;

CREATE TRIGGER lexicon_search_ticket_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO lexicon_search (rowid, subject, body) VALUES (NEW.id, NEW.subject, NEW.body);
END;

CREATE TRIGGER lexicon_search_ticket_update AFTER UPDATE OF subject, body ON tickets
WHEN NEW.subject IS NOT OLD.subject OR NEW.body IS NOT OLD.body
BEGIN
  UPDATE lexicon_search SET subject = NEW.subject, body = NEW.body WHERE rowid = NEW.id;
END;

CREATE TRIGGER lexicon_search_ticket_delete AFTER DELETE ON tickets BEGIN
  DELETE FROM lexicon_search WHERE rowid = OLD.id;
END;

-- One row per comment (rowid = lexicon_comments.id). A comment is at most 20,000
-- characters (CHECK on lexicon_comments), so a row stays far below 2 MB.
CREATE VIRTUAL TABLE lexicon_comment_search USING fts5(body, ticket_id UNINDEXED, internal UNINDEXED, tokenize = 'trigram');
INSERT INTO lexicon_comment_search (rowid, body, ticket_id, internal) SELECT id, body, ticket_id, internal FROM lexicon_comments;

CREATE TRIGGER lexicon_comment_search_insert AFTER INSERT ON lexicon_comments BEGIN
  INSERT INTO lexicon_comment_search (rowid, body, ticket_id, internal) VALUES (NEW.id, NEW.body, NEW.ticket_id, NEW.internal);
END;

-- Comments go only with their ticket (ON DELETE CASCADE, which fires this trigger).
CREATE TRIGGER lexicon_comment_search_delete AFTER DELETE ON lexicon_comments BEGIN
  DELETE FROM lexicon_comment_search WHERE rowid = OLD.id;
END;

-- A requester's page of the thread reads public comments only, through this index,
-- so thousands of internal notes cost a requester nothing (the staff page uses
-- lexicon_comments_by_ticket). Same for the history a requester sees (notes hidden).
CREATE INDEX lexicon_comments_public ON lexicon_comments (ticket_id, created_at, id) WHERE internal = 0;
CREATE INDEX lexicon_audit_public ON lexicon_audit (ticket_id, id) WHERE action <> 'note';
