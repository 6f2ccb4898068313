-- Melos: what each render takes (or will take) in R2, so one account's renders can be
-- held to a quota (MELOS_USER_STORAGE_MB) before the work starts. The WAV's size is
-- known from the recipe's length before it is rendered.
ALTER TABLE melos_renders ADD COLUMN expected_bytes INTEGER NOT NULL DEFAULT 0 CHECK (expected_bytes >= 0);

-- Whose lease it is: each claim writes a new token, and only its holder may report
-- progress, finish or fail the render (a runner that stalled past its lease and was
-- taken over can no longer touch it).
ALTER TABLE melos_renders ADD COLUMN lease_token TEXT;

-- The quota's sum, per owner.
CREATE INDEX melos_renders_owner ON melos_renders (owner_id, status);
