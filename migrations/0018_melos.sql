-- Melos: recipes (the JSON the engine composes from, workers/melos/engine/recipe.ts)
-- and their renders (a Queue job each; the files live in R2 under `melos/<render id>/`).
CREATE TABLE melos_recipes (
  -- 128 random bits, base64url (22 characters).
  id TEXT PRIMARY KEY CHECK (length(id) = 22),
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  -- A copy of the recipe's title, for the list (the recipe itself is the truth).
  title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 80),
  recipe TEXT NOT NULL CHECK (json_valid(recipe) AND json_type(recipe) = 'object' AND length(recipe) <= 65536),
  -- The read-only share link's secret (128 random bits); NULL: not shared. Turning sharing off and on makes a new one.
  share_token TEXT UNIQUE CHECK (share_token IS NULL OR length(share_token) = 22),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL CHECK (updated_at >= created_at)
) STRICT;

CREATE INDEX melos_recipes_owner ON melos_recipes (owner_id, updated_at DESC);

CREATE TABLE melos_renders (
  id TEXT PRIMARY KEY CHECK (length(id) = 22),
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  recipe_id TEXT NOT NULL REFERENCES melos_recipes(id) ON DELETE CASCADE,
  -- SHA-256 of the canonical recipe: the same recipe asked again is the same render.
  job_key TEXT NOT NULL CHECK (length(job_key) = 64),
  -- The recipe as rendered (the recipe row may change while the job waits).
  recipe TEXT NOT NULL CHECK (json_valid(recipe)),
  title TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'rendering', 'done', 'failed')),
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  -- Deliveries that started the job (a crash mid-render leaves it 'rendering' until lease_until).
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER,
  -- Why the last attempt failed (kept while it is retried; the reason once it has failed).
  error TEXT CHECK (error IS NULL OR length(error) <= 500),
  seconds REAL,
  notes INTEGER,
  midi_bytes INTEGER,
  wav_bytes INTEGER,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  UNIQUE (recipe_id, job_key),
  -- A finished render has its files' sizes; a failed one says why.
  CHECK (status <> 'done' OR (wav_bytes IS NOT NULL AND midi_bytes IS NOT NULL AND seconds IS NOT NULL AND progress = 100)),
  CHECK (status <> 'failed' OR error IS NOT NULL)
) STRICT;

-- The recipe page lists its renders, newest first (the UNIQUE index above finds one by job key).
CREATE INDEX melos_renders_recipe ON melos_renders (recipe_id, created_at DESC);
