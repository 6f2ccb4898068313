-- Lexicon full-text search: SQLite FTS5 with the trigram tokenizer (substring
-- matches for terms of 3+ characters), one row per ticket, kept in step by
-- triggers. Public comments and internal notes are separate columns so a
-- requester's search can leave notes out. (Note: `wrangler d1 export` does not
-- support databases with virtual tables; back up with Time Travel instead.)
CREATE VIRTUAL TABLE lexicon_search USING fts5(subject, body, comments, notes, tokenize = 'trigram');

CREATE TRIGGER lexicon_search_ticket_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO lexicon_search (rowid, subject, body, comments, notes) VALUES (NEW.id, NEW.subject, NEW.body, '', '');
END;

CREATE TRIGGER lexicon_search_ticket_update AFTER UPDATE OF subject, body ON tickets
WHEN NEW.subject IS NOT OLD.subject OR NEW.body IS NOT OLD.body
BEGIN
  UPDATE lexicon_search SET subject = NEW.subject, body = NEW.body WHERE rowid = NEW.id;
END;

CREATE TRIGGER lexicon_search_ticket_delete AFTER DELETE ON tickets BEGIN
  DELETE FROM lexicon_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER lexicon_search_comment AFTER INSERT ON lexicon_comments BEGIN
  UPDATE lexicon_search SET comments = comments || char(10) || NEW.body WHERE rowid = NEW.ticket_id AND NEW.internal = 0;
  UPDATE lexicon_search SET notes = notes || char(10) || NEW.body WHERE rowid = NEW.ticket_id AND NEW.internal = 1;
END;
