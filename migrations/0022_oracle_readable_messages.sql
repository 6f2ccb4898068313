-- Oracle's weaker message mode, for owners who will not hand out key cards.
--   keycard: zero knowledge (the default). The server holds S = CK ⊕ R; R is the key card.
--   server:  "readable by this server". The browser seals with R = 0, so S is the whole
--            content key; at dispatch the server opens the message and sends its text.
--            The page says plainly that the operator could read these.
ALTER TABLE oracle_messages ADD COLUMN mode TEXT NOT NULL DEFAULT 'keycard' CHECK (mode IN ('keycard', 'server'));
