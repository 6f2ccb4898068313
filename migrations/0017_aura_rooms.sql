-- Aura: live spectrum rooms. The audio, the spectrum and the room's settings live in
-- the room's Durable Object (durable-objects/aura-room.ts); D1 keeps who owns which
-- room and whether it is open, so the Worker can refuse a socket before waking it.
CREATE TABLE aura_rooms (
  -- 128 random bits, base64url (22 characters): the room's link is its only secret.
  id TEXT PRIMARY KEY CHECK (length(id) = 22),
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title TEXT NOT NULL DEFAULT '' CHECK (length(title) <= 80),
  -- Locked: nobody new may join (the owner may); those watching stay.
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  -- Other signed-in users may present (claim the source) too, not only the owner.
  open_presenting INTEGER NOT NULL DEFAULT 0 CHECK (open_presenting IN (0, 1)),
  created_at INTEGER NOT NULL,
  -- Ended rooms stay listed for their owner, but refuse every page and socket.
  ended_at INTEGER CHECK (ended_at IS NULL OR ended_at >= created_at)
) STRICT;

-- The owner's list (newest first) and the open-room count per owner.
CREATE INDEX aura_rooms_owner ON aura_rooms (owner_id, created_at DESC);
