-- CodeBin: highlighting that does not fit one request's CPU budget is done by the
-- Queue consumer. Until it is, the paste is shown as plain text and flagged here
-- (the consumer's guarded UPDATE clears the flag, so a retried message is a no-op).
-- Plain pastes no longer store HTML: `html_gz = ''` means "escape `content` on read".
ALTER TABLE pastes ADD COLUMN highlight_queued INTEGER NOT NULL DEFAULT 0 CHECK (highlight_queued IN (0, 1));

-- Bidirectional-override and invisible characters (Trojan Source, homoglyph tricks):
-- found once on write, warned about on every view. Bit 1: bidi controls; bit 2: invisible.
ALTER TABLE pastes ADD COLUMN hidden_chars INTEGER NOT NULL DEFAULT 0 CHECK (hidden_chars BETWEEN 0 AND 3);
