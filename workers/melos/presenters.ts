/**
 * Every JSON shape Melos's API answers with: a zod schema (its operation's response
 * schema in the OpenAPI document) and the function that builds it. Times are ISO 8601.
 */
import * as z from 'zod';
import { Recipe } from './engine/recipe';
import { apiPaths, paths } from './paths';
import type { RecipeRow, RenderRow } from './repository';

const iso = (ms: number): string => new Date(ms).toISOString();
const time = z.string().describe('ISO 8601, UTC');
const id = z.string().describe('22 characters, base64url');

export const RecipeJson = z.object({
  id,
  title: z.string(),
  recipe: Recipe,
  shareUrl: z.string().nullable().describe('The read-only share link, or null when the recipe is not shared.'),
  url: z.string().describe('The editor page.'),
  createdAt: time,
  updatedAt: time,
});

export const RecipeList = z.object({ recipes: z.array(RecipeJson.omit({ recipe: true })) });

export function recipeJson(origin: string, r: RecipeRow): z.infer<typeof RecipeJson> {
  return { ...recipeSummary(origin, r), recipe: JSON.parse(r.recipe) as Recipe };
}

export function recipeSummary(origin: string, r: RecipeRow) {
  return {
    id: r.id,
    title: r.title,
    shareUrl: r.shareToken ? `${origin}${paths.shared(r.shareToken)}` : null,
    url: `${origin}${paths.recipe(r.id)}`,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

const file = z.object({ url: z.string(), bytes: z.number().int() });

export const RenderJson = z.object({
  id,
  recipeId: id,
  status: z.enum(['queued', 'rendering', 'done', 'failed']),
  progress: z.number().int().min(0).max(100).describe('Percent of the WAV written (100 once done).'),
  error: z.string().nullable().describe('Why the last attempt failed (while it is retried), or why the render failed.'),
  seconds: z.number().nullable().describe('The WAV’s length, once done.'),
  notes: z.number().int().nullable(),
  files: z.object({ midi: file, wav: file }).nullable().describe('Downloads (ETag, Range), once done.'),
  url: z.string().describe('Poll this until the status is done or failed.'),
  createdAt: time,
  finishedAt: time.nullable(),
});

export function renderJson(origin: string, r: RenderRow): z.infer<typeof RenderJson> {
  return {
    id: r.id,
    recipeId: r.recipeId,
    status: r.status,
    progress: r.progress,
    error: r.error,
    seconds: r.seconds,
    notes: r.notes,
    files:
      r.status === 'done'
        ? {
            midi: { url: `${origin}${apiPaths.file(r.id, 'midi')}`, bytes: r.midiBytes ?? 0 },
            wav: { url: `${origin}${apiPaths.file(r.id, 'wav')}`, bytes: r.wavBytes ?? 0 },
          }
        : null,
    url: `${origin}${apiPaths.render(r.id)}`,
    createdAt: iso(r.createdAt),
    finishedAt: r.finishedAt === null ? null : iso(r.finishedAt),
  };
}
