-- Lexicon: one-time submission keys (a double submit makes one ticket, one comment)
-- and follow-up tickets (a requester's reply to a closed ticket opens a new one).
--
-- Every form that creates something carries a random key rendered with the form.
-- The key is stored on the row it created, unique per author, and the INSERT says
-- ON CONFLICT DO NOTHING: a replay of the same key (double click, a resent POST, a
-- retried API call with the same Idempotency-Key) creates nothing and is answered
-- with the row the first one made. The uniqueness lives in the database, so it
-- holds whichever request commits first. Keys are per author: someone else's key
-- never collides with, nor reveals, yours.
ALTER TABLE tickets ADD COLUMN submission_key TEXT CHECK (submission_key IS NULL OR length(submission_key) BETWEEN 16 AND 64);
CREATE UNIQUE INDEX tickets_submission ON tickets (creator_id, submission_key) WHERE submission_key IS NOT NULL;

ALTER TABLE lexicon_comments ADD COLUMN submission_key TEXT CHECK (submission_key IS NULL OR length(submission_key) BETWEEN 16 AND 64);
CREATE UNIQUE INDEX lexicon_comments_submission ON lexicon_comments (author_id, submission_key) WHERE submission_key IS NOT NULL;

-- A closed ticket stays closed (the lifecycle has no way out of it). Its requester's
-- reply becomes a new ticket that points back at it, as Zendesk's follow-ups do.
ALTER TABLE tickets ADD COLUMN follow_up_of INTEGER REFERENCES tickets(id);
CREATE INDEX tickets_follow_ups ON tickets (follow_up_of, id) WHERE follow_up_of IS NOT NULL;
