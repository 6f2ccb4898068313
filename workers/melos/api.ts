/**
 * Melos's JSON API (mounted at /melos by routes.ts), for API tokens with the
 * `melos` scope (or a browser session). The body of a recipe is the one Recipe
 * schema the editor's form becomes. Errors are problem+json.
 *
 *   GET    /api/recipes                    yours, newest change first
 *   POST   /api/recipes                    a recipe → 201
 *   GET    /api/recipes/:id
 *   PUT    /api/recipes/:id                a recipe (replaces it)
 *   DELETE /api/recipes/:id                with its renders and files → 204
 *   POST   /api/recipes/:id/renders        render the saved recipe → 202 (the same render for the same recipe)
 *   GET    /api/renders/:id                status, progress, files
 *   DELETE /api/renders/:id                a finished or failed render and its files → 204
 *   GET    /api/renders/:id/midi|wav       the files (ETag, 304, Range)
 */
import { Hono, type Context } from 'hono';
import { currentAuth, requireScope, requireUser } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { randomToken } from '../../shared/crypto';
import { serveObject } from '../../shared/http/download';
import { HttpError } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { api } from '../../shared/http/openapi';
import { enforceRateLimit } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { json, params } from '../../shared/http/validation';
import { Recipe } from './engine/recipe';
import { fileKey } from './jobs';
import { apiPaths } from './paths';
import * as presenters from './presenters';
import { MAX_RECIPES, REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import * as service from './service';

const jsonApi = new Hono<AppEnv>();
const tag = 'Melos';
const scope = 'melos';

jsonApi.use('/api/*', requireUser(), requireScope('melos'));

const recipeParam = params(schema.RecipeParam, REFUSALS.missing.message);
const renderParam = params(schema.RenderParam, REFUSALS.render_missing.message);
const origin = (c: Context) => new URL(c.req.url).origin;

async function ownRecipe(c: Context<AppEnv>, id: string): Promise<repo.RecipeRow> {
  const recipe = await repo.findOwnRecipe(c.env.DB, id, currentAuth(c).user.id);
  if (!recipe) throw refusal(REFUSALS, 'missing');
  return recipe;
}

/** The body judged: the schema (422 naming each path) has run; here the size (422 with the computed figure). */
function sized(recipe: Recipe): service.Judged & { ok: true } {
  const judged = service.judge(recipe);
  if (!judged.ok) throw new HttpError(422, judged.message, { fields: judged.errors });
  return judged;
}

jsonApi.get(
  '/api/recipes',
  api({
    tag,
    scope,
    summary: 'Your recipes',
    description: 'Newest change first (at most 500).',
    responses: { 200: { description: 'Your recipes.', schema: presenters.RecipeList } },
  }),
  async (c) => {
    const rows = await repo.listRecipes(c.env.DB, currentAuth(c).user.id, MAX_RECIPES);
    return c.json({ recipes: rows.map((r) => presenters.recipeSummary(origin(c), r)) });
  },
);

jsonApi.post(
  '/api/recipes',
  api({
    tag,
    scope,
    summary: 'Save a recipe',
    description: 'Unknown fields are refused (422 naming the path), and so is a recipe over 100,000 notes or 10 minutes, with its computed size.',
    responses: { 201: { description: 'The recipe (Location: its API URL).', schema: presenters.RecipeJson } },
    errors: [409],
  }),
  json(Recipe),
  async (c) => {
    const judged = sized(c.req.valid('json'));
    const user = currentAuth(c).user;
    const id = randomToken(16);
    if (!(await repo.createRecipe(c.env.DB, { id, ownerId: user.id, title: judged.recipe.title, recipe: judged.json, now: now() }, MAX_RECIPES))) {
      throw refusal(REFUSALS, 'too_many_recipes');
    }
    audit('melos.recipe_created', { actor_id: user.id, recipe: await logRef(c.env.SESSION_SECRET, id), via: 'api' });
    c.header('location', apiPaths.recipe(id));
    return c.json(presenters.recipeJson(origin(c), (await repo.findOwnRecipe(c.env.DB, id, user.id))!), 201);
  },
);

jsonApi.get(
  '/api/recipes/:id',
  api({ tag, scope, summary: 'One recipe', responses: { 200: { description: 'The recipe.', schema: presenters.RecipeJson } }, errors: [404] }),
  recipeParam,
  async (c) => c.json(presenters.recipeJson(origin(c), await ownRecipe(c, c.req.valid('param').id))),
);

jsonApi.put(
  '/api/recipes/:id',
  api({ tag, scope, summary: 'Replace a recipe', responses: { 200: { description: 'The recipe as saved.', schema: presenters.RecipeJson } }, errors: [404] }),
  recipeParam,
  json(Recipe),
  async (c) => {
    const recipe = await ownRecipe(c, c.req.valid('param').id);
    const judged = sized(c.req.valid('json'));
    await repo.updateRecipe(c.env.DB, { id: recipe.id, ownerId: recipe.ownerId, title: judged.recipe.title, recipe: judged.json, now: now() });
    return c.json(presenters.recipeJson(origin(c), (await repo.findOwnRecipe(c.env.DB, recipe.id, recipe.ownerId))!));
  },
);

jsonApi.delete(
  '/api/recipes/:id',
  api({ tag, scope, summary: 'Delete a recipe', description: 'With its renders and their files.', responses: { 204: 'Deleted.' }, errors: [404] }),
  recipeParam,
  async (c) => {
    const { id } = c.req.valid('param');
    const user = currentAuth(c).user;
    if (!(await service.deleteRecipe(c.env, id, user.id))) throw refusal(REFUSALS, 'missing');
    audit('melos.recipe_deleted', { actor_id: user.id, recipe: await logRef(c.env.SESSION_SECRET, id), via: 'api' });
    return c.body(null, 204);
  },
);

jsonApi.post(
  '/api/recipes/:id/renders',
  api({
    tag,
    scope,
    summary: 'Render a recipe',
    description:
      'Queues the saved recipe’s MIDI and WAV (44.1 kHz, 16-bit stereo). The same recipe asked again answers the render that exists, whatever its state (a failed one: retry it from the page, or change the recipe). Poll the render’s URL.',
    responses: { 202: { description: 'The render (Location: its API URL).', schema: presenters.RenderJson } },
    errors: [404, 429],
  }),
  recipeParam,
  async (c) => {
    const recipe = await ownRecipe(c, c.req.valid('param').id);
    await enforceRateLimit(c.env.RL_MELOS_RENDER, `melos-render:${recipe.ownerId}`, 60, 'renders');
    const judged = sized(JSON.parse(recipe.recipe) as Recipe);
    const { render } = await service.requestRender(c.env, recipe, judged.recipe, now());
    c.header('location', apiPaths.render(render.id));
    return c.json(presenters.renderJson(origin(c), render), 202);
  },
);

jsonApi.get(
  '/api/renders/:id',
  api({
    tag,
    scope,
    summary: 'One render',
    responses: { 200: { description: 'Its status, and its files once done.', schema: presenters.RenderJson } },
    errors: [404],
  }),
  renderParam,
  async (c) => {
    const render = await repo.findOwnRender(c.env.DB, c.req.valid('param').id, currentAuth(c).user.id);
    if (!render) throw refusal(REFUSALS, 'render_missing');
    c.header('cache-control', 'no-store');
    return c.json(presenters.renderJson(origin(c), render));
  },
);

jsonApi.delete(
  '/api/renders/:id',
  api({
    tag,
    scope,
    summary: 'Delete a render',
    description: 'A finished or failed one, with its files (a running one is a 409).',
    responses: { 204: 'Deleted.' },
    errors: [404, 409],
  }),
  renderParam,
  async (c) => {
    const render = await repo.findOwnRender(c.env.DB, c.req.valid('param').id, currentAuth(c).user.id);
    if (!render) throw refusal(REFUSALS, 'render_missing');
    if (!(await service.deleteRender(c.env, render.id, render.ownerId))) throw refusal(REFUSALS, 'running');
    audit('melos.render_deleted', { actor_id: render.ownerId, render: await logRef(c.env.SESSION_SECRET, render.id), via: 'api' });
    return c.body(null, 204);
  },
);

jsonApi.get(
  '/api/renders/:id/:kind',
  api({
    tag,
    scope,
    summary: 'Download a render’s file',
    description: '`midi` (audio/midi) or `wav` (audio/wav), as an attachment named after the title. ETag with If-None-Match (304), and one byte range (206).',
    responses: { 200: 'The file.', 206: 'The range asked for.', 304: 'Not modified.' },
    errors: [404, 416],
  }),
  params(schema.ApiFileParam, REFUSALS.render_missing.message),
  async (c) => {
    const { id, kind } = c.req.valid('param');
    const render = await repo.findOwnRender(c.env.DB, id, currentAuth(c).user.id);
    if (!render) throw refusal(REFUSALS, 'render_missing');
    if (render.status !== 'done') throw refusal(REFUSALS, 'file_missing');
    const response = await serveObject(c, c.env.MELOS_FILES, fileKey(render.id, kind));
    if (!response) throw refusal(REFUSALS, 'file_missing');
    return response;
  },
);

export default jsonApi;
