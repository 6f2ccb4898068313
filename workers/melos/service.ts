/**
 * What Melos's web pages and API share: judging a recipe (schema, then size),
 * its piano roll and preview, asking for a render, and deleting a recipe's files.
 * Nothing here knows whether a form or a JSON body asked.
 */
import { fieldErrors } from '../../shared/http/validation';
import type { FieldErrors } from '../../shared/http/http-error';
import { randomToken, sha256Hex } from '../../shared/crypto';
import { refusal } from '../../shared/http/refusal';
import { formatBytes } from '../../shared/http/security';
import { compose, firstBars, scoreSize } from './engine/compose';
import { Recipe } from './engine/recipe';
import { MAX_SECONDS, tickSeconds } from './engine/score';
import { renderWav } from './engine/wav';
import { melosConfig } from './config';
import { expectedWavBytes, fileKey, renderJob, sizeRefusal } from './jobs';
import { REFUSALS } from './refusals';
import * as repo from './repository';
import { pianoRoll, type RollView } from './roll';

/** Bars the piano roll and the preview show. */
export const PREVIEW_BARS = 8;
/** The preview's longest audio and its format (mono, half rate: small and quick). */
export const PREVIEW_MAX_SECONDS = 20;
export const PREVIEW_RATE = 22_050;

/** Bumped when the engine's output for a recipe changes, so renders made before are not reused. */
export const ENGINE_VERSION = 'melos-engine-1';

/** Valid and within the limits; or refused, with `tooBig` the recipe that is valid but too big to render (its first bars still preview). */
export type Judged = { ok: true; recipe: Recipe; json: string } | { ok: false; errors: FieldErrors; message: string; tooBig?: Recipe };

/**
 * A recipe as the API or the editor sent it: valid (with its canonical JSON: zod
 * writes keys in the schema's order), or each field's message; then its size,
 * refused before any work with the computed figure.
 */
export function judge(input: unknown): Judged {
  const parsed = Recipe.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { ok: false, errors, message: Object.values(errors)[0] ?? 'The recipe is not valid.' };
  }
  const tooBig = sizeRefusal(parsed.data);
  // Too long is said next to the length; too many notes is the whole recipe's doing.
  if (tooBig) return { ok: false, errors: { [scoreSize(parsed.data).seconds > MAX_SECONDS ? 'bars' : '_']: tooBig }, message: tooBig, tooBig: parsed.data };
  return { ok: true, recipe: parsed.data, json: JSON.stringify(parsed.data) };
}

export function rollOf(recipe: Recipe): RollView {
  return { ...pianoRoll(compose(firstBars(recipe, PREVIEW_BARS)), PREVIEW_BARS), totalBars: recipe.bars, seconds: scoreSize(recipe).seconds };
}

/** The R2 key of a preview, named by the hash of what it plays (the same recipe start, the same file). */
export async function previewKey(recipe: Recipe): Promise<{ key: string; hash: string; bars: number }> {
  const bars = previewBars(recipe);
  const hash = await sha256Hex(`${ENGINE_VERSION}|preview|${PREVIEW_RATE}|${JSON.stringify(firstBars(recipe, bars))}`);
  return { key: `melos/previews/${hash}.wav`, hash, bars };
}

/** Up to PREVIEW_BARS bars, as many as fit in PREVIEW_MAX_SECONDS (at least one: the longest bar, 12/8 at 30 bpm, is 12 s). */
function previewBars(recipe: Recipe): number {
  const [n, d] = recipe.meter.split('/').map(Number) as [number, number];
  const barSeconds = tickSeconds(n * (4 / d) * 128, recipe.tempo);
  return Math.max(1, Math.min(recipe.bars, PREVIEW_BARS, Math.floor(PREVIEW_MAX_SECONDS / barSeconds)));
}

/** Makes the preview (unless that exact one exists) and answers its hash (its name). */
export async function makePreview(bucket: R2Bucket, recipe: Recipe): Promise<string> {
  const { key, hash, bars } = await previewKey(recipe);
  if (!(await bucket.head(key))) {
    const wav = renderWav(compose(firstBars(recipe, bars)), { sampleRate: PREVIEW_RATE, channels: 1, seed: recipe.seed });
    await bucket.put(key, wav, { httpMetadata: { contentType: 'audio/wav', cacheControl: 'private, max-age=86400' } });
  }
  return hash;
}

/** The job key of a recipe: the same recipe (and engine), the same render. */
export const jobKey = (json: string) => sha256Hex(`${ENGINE_VERSION}\n${json}`);

/**
 * The render of this recipe's saved content (already judged): a new one is queued
 * (its message sent), an existing one is answered as it is. Refused (storage_full,
 * with the figures) when the owner's renders and this one would not fit their quota.
 */
export async function requestRender(env: Env, recipe: repo.RecipeRow, parsed: Recipe, now: number): Promise<{ render: repo.RenderRow; created: boolean }> {
  const quota = melosConfig(env).userStorageBytes;
  const expectedBytes = expectedWavBytes(parsed);
  const result = await repo.requestRender(
    env.DB,
    {
      id: randomToken(16),
      ownerId: recipe.ownerId,
      recipeId: recipe.id,
      jobKey: await jobKey(recipe.recipe),
      recipe: recipe.recipe,
      title: recipe.title,
      expectedBytes,
      now,
    },
    quota,
  );
  if (!result.ok) {
    const message = `Your renders take ${formatBytes(result.usedBytes)} of your ${formatBytes(quota)}, and this one needs ${formatBytes(expectedBytes)}: delete older renders or recipes to make room.`;
    throw refusal(REFUSALS, 'storage_full', { message });
  }
  await deleteFiles(env, result.pruned);
  if (result.created) await send(env, result.render.id);
  return result;
}

/** Sends a render's message; if the queue will not take it, the render fails at once (so Retry works) rather than wait forever. */
async function send(env: Env, renderId: string): Promise<void> {
  try {
    await env.JOBS.send(renderJob(renderId));
  } catch (error) {
    await repo.failQueued(env.DB, renderId, 'The render could not be queued. Try again in a moment.', Date.now());
    throw error;
  }
}

/** Deletes renders' files from R2 (at most 1,000 keys a call). */
async function deleteFiles(env: Env, renderIds: string[]): Promise<void> {
  const keys = renderIds.flatMap((r) => [fileKey(r, 'midi'), fileKey(r, 'wav')]);
  for (let i = 0; i < keys.length; i += 1000) await env.MELOS_FILES.delete(keys.slice(i, i + 1000));
}

/** A finished or failed render and its files. */
export async function deleteRender(env: Env, renderId: string, ownerId: number): Promise<boolean> {
  if (!(await repo.deleteRender(env.DB, renderId, ownerId))) return false;
  await deleteFiles(env, [renderId]);
  return true;
}

/** A failed render, queued again. */
export async function retryRender(env: Env, renderId: string, ownerId: number): Promise<repo.RenderRow | null> {
  const render = await repo.retryRender(env.DB, renderId, ownerId);
  if (render) await send(env, render.id);
  return render;
}

/** Deletes a recipe, its renders and their files; false if it was not the owner's. */
export async function deleteRecipe(env: Env, id: string, ownerId: number): Promise<boolean> {
  const renders = await repo.deleteRecipe(env.DB, id, ownerId);
  if (renders === null) return false;
  await deleteFiles(env, renders);
  return true;
}

/** Previews are kept a day: the cron deletes older ones, paging through the whole prefix (at most `pages` lists of 1,000 a run). */
export async function purgePreviews(bucket: R2Bucket, olderThan: number, pages = 20): Promise<number> {
  let deleted = 0;
  let cursor: string | undefined;
  for (let page = 0; page < pages; page++) {
    const listed = await bucket.list({ prefix: 'melos/previews/', limit: 1000, ...(cursor ? { cursor } : {}) });
    const old = listed.objects.filter((o) => o.uploaded.getTime() < olderThan).map((o) => o.key);
    if (old.length > 0) await bucket.delete(old);
    deleted += old.length;
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return deleted;
}
