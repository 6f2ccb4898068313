-- CodeBin pastes. `content` holds the exact text posted (validated UTF-8, so the
-- bytes round-trip); `html_gz` the rendered, escaped <code> HTML, built once on
-- write and gzipped (base64url) so even a 256 KiB highlighted paste stays far
-- below D1's 2 MB row limit. Only the delete token's SHA-256 is stored.
CREATE TABLE pastes (
  slug               TEXT    PRIMARY KEY,
  owner_id           INTEGER REFERENCES users(id) ON DELETE SET NULL,
  content            TEXT    NOT NULL,
  size               INTEGER NOT NULL CHECK (size BETWEEN 1 AND 1048576),
  lines              INTEGER NOT NULL CHECK (lines >= 1),
  language           TEXT    NOT NULL,
  filename           TEXT    CHECK (filename IS NULL OR length(filename) BETWEEN 1 AND 255),
  html_gz            TEXT    NOT NULL,
  highlighted        INTEGER NOT NULL CHECK (highlighted IN (0, 1)),
  visibility         TEXT    NOT NULL CHECK (visibility IN ('public', 'unlisted')),
  burn_after_reading INTEGER NOT NULL DEFAULT 0 CHECK (burn_after_reading IN (0, 1)),
  views_left         INTEGER CHECK (views_left IS NULL OR views_left >= 0),
  delete_token_hash  TEXT    NOT NULL,
  etag               TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  expires_at         INTEGER,
  -- Burn-after-reading pastes are never listed.
  CHECK (NOT (burn_after_reading = 1 AND visibility = 'public'))
) STRICT;

-- "My pastes", newest first, paginated by (created_at, slug).
CREATE INDEX pastes_by_owner ON pastes (owner_id, created_at DESC, slug DESC) WHERE owner_id IS NOT NULL;
-- Recent public pastes on the CodeBin page.
CREATE INDEX pastes_public_recent ON pastes (created_at DESC) WHERE visibility = 'public';
-- The cron's purge of expired pastes.
CREATE INDEX pastes_by_expiry ON pastes (expires_at) WHERE expires_at IS NOT NULL;
