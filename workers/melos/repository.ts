/**
 * Melos's SQL: recipes and their renders. Every write that depends on a state says
 * so in its WHERE and answers with RETURNING, so two deliveries of one job, or a
 * request racing the consumer, cannot both win.
 *
 * A render's life: queued → rendering (claimed with a lease) → done, or back to
 * queued with the attempt's error while the queue retries it, and failed once the
 * dead-letter queue hands it back. Retrying a failed render queues it again.
 */
import { sql } from 'drizzle-orm';
import { all, batch, first } from '../../shared/db';

export type RecipeRow = {
  id: string;
  ownerId: number;
  title: string;
  recipe: string;
  shareToken: string | null;
  createdAt: number;
  updatedAt: number;
};

type RecipeSqlRow = { id: string; owner_id: number; title: string; recipe: string; share_token: string | null; created_at: number; updated_at: number };

const RECIPE_COLUMNS = sql`id, owner_id, title, recipe, share_token, created_at, updated_at`;

const toRecipe = (r: RecipeSqlRow): RecipeRow => ({
  id: r.id,
  ownerId: r.owner_id,
  title: r.title,
  recipe: r.recipe,
  shareToken: r.share_token,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type RenderStatus = 'queued' | 'rendering' | 'done' | 'failed';

export type RenderRow = {
  id: string;
  ownerId: number;
  recipeId: string;
  jobKey: string;
  title: string;
  status: RenderStatus;
  progress: number;
  attempts: number;
  error: string | null;
  seconds: number | null;
  notes: number | null;
  midiBytes: number | null;
  wavBytes: number | null;
  createdAt: number;
  finishedAt: number | null;
};

type RenderSqlRow = {
  id: string;
  owner_id: number;
  recipe_id: string;
  job_key: string;
  title: string;
  status: RenderStatus;
  progress: number;
  attempts: number;
  error: string | null;
  seconds: number | null;
  notes: number | null;
  midi_bytes: number | null;
  wav_bytes: number | null;
  created_at: number;
  finished_at: number | null;
};

const RENDER_COLUMNS = sql`id, owner_id, recipe_id, job_key, title, status, progress, attempts, error, seconds, notes, midi_bytes, wav_bytes, created_at, finished_at`;

const toRender = (r: RenderSqlRow): RenderRow => ({
  id: r.id,
  ownerId: r.owner_id,
  recipeId: r.recipe_id,
  jobKey: r.job_key,
  title: r.title,
  status: r.status,
  progress: r.progress,
  attempts: r.attempts,
  error: r.error,
  seconds: r.seconds,
  notes: r.notes,
  midiBytes: r.midi_bytes,
  wavBytes: r.wav_bytes,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

// ---------------------------------------------------------------- recipes

/** Creates a recipe unless its owner already has `max` (one statement: no race between count and insert). */
export async function createRecipe(
  db: D1Database,
  r: { id: string; ownerId: number; title: string; recipe: string; now: number },
  max: number,
): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`INSERT INTO melos_recipes (id, owner_id, title, recipe, created_at, updated_at)
        SELECT ${r.id}, ${r.ownerId}, ${r.title}, ${r.recipe}, ${r.now}, ${r.now}
        WHERE (SELECT count(*) FROM melos_recipes WHERE owner_id = ${r.ownerId}) < ${max}
        RETURNING id`,
  );
  return rows.length === 1;
}

export async function listRecipes(db: D1Database, ownerId: number, limit: number): Promise<RecipeRow[]> {
  const rows = await all<RecipeSqlRow>(
    db,
    sql`SELECT ${RECIPE_COLUMNS} FROM melos_recipes WHERE owner_id = ${ownerId} ORDER BY updated_at DESC, id LIMIT ${limit}`,
  );
  return rows.map(toRecipe);
}

/** The owner's recipe; someone else's is null, as a missing one is. */
export async function findOwnRecipe(db: D1Database, id: string, ownerId: number): Promise<RecipeRow | null> {
  const row = await first<RecipeSqlRow>(db, sql`SELECT ${RECIPE_COLUMNS} FROM melos_recipes WHERE id = ${id} AND owner_id = ${ownerId}`);
  return row ? toRecipe(row) : null;
}

export async function findShared(db: D1Database, token: string): Promise<RecipeRow | null> {
  const row = await first<RecipeSqlRow>(db, sql`SELECT ${RECIPE_COLUMNS} FROM melos_recipes WHERE share_token = ${token}`);
  return row ? toRecipe(row) : null;
}

export async function updateRecipe(db: D1Database, r: { id: string; ownerId: number; title: string; recipe: string; now: number }): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE melos_recipes SET title = ${r.title}, recipe = ${r.recipe}, updated_at = max(created_at, ${r.now})
        WHERE id = ${r.id} AND owner_id = ${r.ownerId} RETURNING id`,
  );
  return rows.length === 1;
}

/** Sharing on (a new token) or off (null). */
export async function setShareToken(db: D1Database, id: string, ownerId: number, token: string | null): Promise<boolean> {
  const rows = await all<{ id: string }>(db, sql`UPDATE melos_recipes SET share_token = ${token} WHERE id = ${id} AND owner_id = ${ownerId} RETURNING id`);
  return rows.length === 1;
}

/** Deletes the recipe and its renders; answers the renders' ids (their files are the caller's to delete), or null if it was not theirs. */
export async function deleteRecipe(db: D1Database, id: string, ownerId: number): Promise<string[] | null> {
  const [renders, recipes] = await batch<{ id: string }>(db, [
    sql`DELETE FROM melos_renders WHERE recipe_id = ${id} AND owner_id = ${ownerId} RETURNING id`,
    sql`DELETE FROM melos_recipes WHERE id = ${id} AND owner_id = ${ownerId} RETURNING id`,
  ]);
  if (recipes!.results.length === 0) return null;
  return renders!.results.map((r) => r.id);
}

// ---------------------------------------------------------------- renders

/** Renders kept per recipe: a new one makes the oldest finished ones beyond this go (with their files). */
export const RENDERS_KEPT = 3;

export type RenderRequest = { ok: true; render: RenderRow; created: boolean; pruned: string[] } | { ok: false; reason: 'storage_full'; usedBytes: number };

/**
 * The render of this recipe's content: the one that exists for the same job key
 * (`created: false`, whatever its state), or a new one (queued) if the owner's renders
 * and this one's `expectedBytes` fit `quota` (one statement: no race between the sum
 * and the insert). A new one makes the recipe's finished renders beyond the newest
 * RENDERS_KEPT go: their ids come back in `pruned`, their files are the caller's to delete.
 */
export async function requestRender(
  db: D1Database,
  r: { id: string; ownerId: number; recipeId: string; jobKey: string; recipe: string; title: string; expectedBytes: number; now: number },
  quota: number,
): Promise<RenderRequest> {
  const used = sql`(SELECT coalesce(sum(expected_bytes), 0) FROM melos_renders WHERE owner_id = ${r.ownerId} AND status <> 'failed')`;
  const [existing, inserted, pruned, usage] = await batch<RenderSqlRow & { used: number }>(db, [
    sql`SELECT ${RENDER_COLUMNS} FROM melos_renders WHERE recipe_id = ${r.recipeId} AND job_key = ${r.jobKey}`,
    sql`INSERT INTO melos_renders (id, owner_id, recipe_id, job_key, recipe, title, expected_bytes, created_at)
        SELECT ${r.id}, ${r.ownerId}, ${r.recipeId}, ${r.jobKey}, ${r.recipe}, ${r.title}, ${r.expectedBytes}, ${r.now}
        WHERE ${used} + ${r.expectedBytes} <= ${quota}
        ON CONFLICT (recipe_id, job_key) DO NOTHING
        RETURNING ${RENDER_COLUMNS}`,
    sql`DELETE FROM melos_renders
        WHERE recipe_id = ${r.recipeId} AND status IN ('done', 'failed') AND EXISTS (SELECT 1 FROM melos_renders WHERE id = ${r.id})
          AND id NOT IN (SELECT id FROM melos_renders WHERE recipe_id = ${r.recipeId} ORDER BY created_at DESC, id DESC LIMIT ${RENDERS_KEPT})
        RETURNING id`,
    sql`SELECT ${used} AS used`,
  ]);
  const found = existing!.results[0];
  if (found) return { ok: true, render: toRender(found), created: false, pruned: [] };
  const created = inserted!.results[0];
  if (!created) return { ok: false, reason: 'storage_full', usedBytes: usage!.results[0]?.used ?? 0 };
  return { ok: true, render: toRender(created), created: true, pruned: pruned!.results.map((p) => p.id) };
}

/** Deletes one of the owner's renders that is not running; answers whether it did. */
export async function deleteRender(db: D1Database, id: string, ownerId: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`DELETE FROM melos_renders WHERE id = ${id} AND owner_id = ${ownerId} AND status IN ('done', 'failed') RETURNING id`,
  );
  return rows.length === 1;
}

export async function findOwnRender(db: D1Database, id: string, ownerId: number): Promise<RenderRow | null> {
  const row = await first<RenderSqlRow>(db, sql`SELECT ${RENDER_COLUMNS} FROM melos_renders WHERE id = ${id} AND owner_id = ${ownerId}`);
  return row ? toRender(row) : null;
}

export async function listRenders(db: D1Database, recipeId: string, ownerId: number, limit: number): Promise<RenderRow[]> {
  const rows = await all<RenderSqlRow>(
    db,
    sql`SELECT ${RENDER_COLUMNS} FROM melos_renders WHERE recipe_id = ${recipeId} AND owner_id = ${ownerId} ORDER BY created_at DESC, id LIMIT ${limit}`,
  );
  return rows.map(toRender);
}

/** A failed render, queued again (the caller sends its message). */
export async function retryRender(db: D1Database, id: string, ownerId: number): Promise<RenderRow | null> {
  const row = await first<RenderSqlRow>(
    db,
    sql`UPDATE melos_renders SET status = 'queued', progress = 0, attempts = 0, error = NULL, lease_until = NULL
        WHERE id = ${id} AND owner_id = ${ownerId} AND status = 'failed' RETURNING ${RENDER_COLUMNS}`,
  );
  return row ? toRender(row) : null;
}

export type Claim =
  | { claimed: true; recipe: string; title: string; attempts: number }
  | { claimed: false; status: RenderStatus | null; leaseUntil: number | null };

/**
 * Takes the job: a queued render, or one whose last runner's lease ran out (it
 * crashed mid-render). Anything else (done, failed, gone, or still leased by
 * another delivery) is not claimed, and says why.
 */
export async function claimRender(db: D1Database, id: string, token: string, now: number, leaseMs: number): Promise<Claim> {
  const [claimed, current] = await batch<{ recipe: string; title: string; attempts: number; status: RenderStatus; lease_until: number | null }>(db, [
    sql`UPDATE melos_renders SET status = 'rendering', attempts = attempts + 1, progress = 0, lease_until = ${now + leaseMs}, lease_token = ${token}
        WHERE id = ${id} AND (status = 'queued' OR (status = 'rendering' AND lease_until < ${now}))
        RETURNING recipe, title, attempts`,
    sql`SELECT status, lease_until FROM melos_renders WHERE id = ${id}`,
  ]);
  const row = claimed!.results[0];
  if (row) return { claimed: true, recipe: row.recipe, title: row.title, attempts: row.attempts };
  const now_ = current!.results[0];
  return { claimed: false, status: now_?.status ?? null, leaseUntil: now_?.lease_until ?? null };
}

/** Progress while rendering, renewing the lease; false if the render is no longer this runner's (deleted, or taken over). */
export async function reportProgress(db: D1Database, id: string, token: string, progress: number, leaseUntil: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE melos_renders SET progress = ${Math.max(0, Math.min(99, Math.floor(progress)))}, lease_until = ${leaseUntil}
        WHERE id = ${id} AND status = 'rendering' AND lease_token = ${token} RETURNING id`,
  );
  return rows.length === 1;
}

export async function finishRender(
  db: D1Database,
  id: string,
  token: string,
  done: { seconds: number; notes: number; midiBytes: number; wavBytes: number; now: number },
): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE melos_renders SET status = 'done', progress = 100, lease_until = NULL, error = NULL, seconds = ${done.seconds}, notes = ${done.notes},
          midi_bytes = ${done.midiBytes}, wav_bytes = ${done.wavBytes}, finished_at = ${done.now}
        WHERE id = ${id} AND status = 'rendering' AND lease_token = ${token} RETURNING id`,
  );
  return rows.length === 1;
}

/** A queued render whose message could not be sent: failed now, so its owner can retry it. */
export async function failQueued(db: D1Database, id: string, error: string, now: number): Promise<void> {
  await all(db, sql`UPDATE melos_renders SET status = 'failed', finished_at = ${now}, error = ${error} WHERE id = ${id} AND status = 'queued' RETURNING id`);
}

/** An attempt failed and will be retried by the queue: back to queued, with why. */
export async function attemptFailed(db: D1Database, id: string, token: string, error: string): Promise<void> {
  await all(
    db,
    sql`UPDATE melos_renders SET status = 'queued', lease_until = NULL, error = ${error.slice(0, 500)}
        WHERE id = ${id} AND status = 'rendering' AND lease_token = ${token} RETURNING id`,
  );
}

/** Whether the render still exists (a runner that lost it keeps its files only if it does: someone else is finishing it). */
export async function renderExists(db: D1Database, id: string): Promise<boolean> {
  return (await first<{ id: string }>(db, sql`SELECT id FROM melos_renders WHERE id = ${id}`)) !== null;
}

/** The runner that claimed it finds it can never succeed (too big, no longer valid): failed at once, no retries. */
export async function failClaimed(db: D1Database, id: string, token: string, error: string, now: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE melos_renders SET status = 'failed', lease_until = NULL, finished_at = ${now}, error = ${error.slice(0, 500)}
        WHERE id = ${id} AND status = 'rendering' AND lease_token = ${token} RETURNING id`,
  );
  return rows.length === 1;
}

/**
 * The job used its retries (the dead-letter queue handed it back): failed, keeping the
 * last attempt's reason. Not while a delivery holds a live lease on it (that one may yet finish).
 */
export async function failDeadLettered(db: D1Database, id: string, now: number): Promise<boolean> {
  const rows = await all<{ id: string }>(
    db,
    sql`UPDATE melos_renders SET status = 'failed', lease_until = NULL, finished_at = ${now},
          error = coalesce(error, 'The render failed for an unknown reason.')
        WHERE id = ${id} AND (status = 'queued' OR (status = 'rendering' AND (lease_until IS NULL OR lease_until < ${now}))) RETURNING id`,
  );
  return rows.length === 1;
}
