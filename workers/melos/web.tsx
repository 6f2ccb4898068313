/**
 * Melos's pages (mounted at /melos by routes.ts; paths.ts builds every URL).
 *
 *   GET  /                          your recipes, the examples (with their piano rolls)
 *   GET  /new?example=<slug>        the editor, unsaved (from an example, or a default)
 *   POST /recipes                   save a new recipe                       → 303 to it
 *   GET  /recipes/:id               the editor, its renders, sharing
 *   POST /recipes/:id               save changes                            → 303 back
 *   POST /recipes/:id/duplicate | /delete | /share
 *   POST /recipes/:id/renders       render the saved recipe (Queue job)     → the render list
 *   POST /edit                      the editor after a structural change (unsaved)
 *   POST /roll                      the piano roll of the posted form (debounced by htmx)
 *   POST /preview                   a short WAV of the posted form          → an <audio>
 *   GET  /previews/:hash.wav        that WAV (R2; Range for seeking)
 *   GET  /renders/:id/card          a render's card (polled while it runs)
 *   POST /renders/:id/retry         a failed render, queued again
 *   POST /renders/:id/delete        a finished or failed render and its files
 *   GET  /renders/:id/piece.mid|wav the files (R2; ETag, 304, Range)
 *   GET  /s/:token, POST /s/:token/remix   a shared recipe, read-only; remix copies it
 *
 * Someone else's recipe or render is the 404 of one that does not exist.
 */
import { Hono, type Context } from 'hono';
import { currentAuth, requireSession } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { randomToken } from '../../shared/crypto';
import { serveObject } from '../../shared/http/download';
import type { FieldErrors } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { enforceRateLimit, limitPerAddress } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { navigate } from '../../shared/http/respond';
import { form, params, query } from '../../shared/http/validation';
import type { Recipe } from './engine/recipe';
import { EXAMPLES, exampleBySlug, newTrack } from './examples';
import { applyOp, type Draft, draftFromForm, normalize, parseOp } from './form';
import { fileKey } from './jobs';
import { paths } from './paths';
import { MAX_RECIPES, REFUSALS } from './refusals';
import * as repo from './repository';
import type { RollView } from './roll';
import * as schema from './schema';
import * as service from './service';
import * as views from './views';

const web = new Hono<AppEnv>();

/**
 * A browser session: these are pages. An API token (whatever its scopes) is refused
 * here; it has the JSON API, which checks for the `melos` scope.
 */
const signedIn = requireSession('API tokens work with the Melos API (/melos/api, see /api/docs), not its pages. Sign in on the web page.');
/** The signed-in browser user, or null (an API token does not make a visitor of the pages signed in). */
const sessionUser = (c: Context<AppEnv>) => {
  const auth = c.get('auth');
  return auth?.via === 'session' ? auth.user : null;
};

const recipeParam = params(schema.RecipeParam, REFUSALS.missing.message);
const renderParam = params(schema.RenderParam, REFUSALS.render_missing.message);
const shareParam = params(schema.ShareParam, REFUSALS.share_missing.message);
const editorForm = form(schema.EditorForm);

const RECIPES_LISTED = 200;
const RENDERS_LISTED = 10;
const page = (title: string) => ({ title: `${title} · Melos`, ...views.MELOS_ASSETS });

/** The owner's recipe, or the same 404 a missing one gives. */
async function ownRecipe(c: Context<AppEnv>, id: string): Promise<repo.RecipeRow> {
  const recipe = await repo.findOwnRecipe(c.env.DB, id, currentAuth(c).user.id);
  if (!recipe) throw refusal(REFUSALS, 'missing');
  return recipe;
}

async function ownRender(c: Context<AppEnv>, id: string): Promise<repo.RenderRow> {
  const render = await repo.findOwnRender(c.env.DB, id, currentAuth(c).user.id);
  if (!render) throw refusal(REFUSALS, 'render_missing');
  return render;
}

const parseSaved = (row: repo.RecipeRow): Draft => normalize(JSON.parse(row.recipe) as Record<string, unknown>);

/** The piano roll of a draft, or why there is none. */
function rollOf(draft: Draft): { roll: RollView | null; rollError?: string; judged: service.Judged } {
  const judged = service.judge(draft);
  if (judged.ok) return { roll: service.rollOf(judged.recipe), judged };
  // A recipe too long to render still has a first 8 bars worth seeing; one that is invalid has none.
  if (judged.tooBig) return { roll: service.rollOf(judged.tooBig), rollError: judged.message, judged };
  return { roll: null, rollError: `Fix the recipe to see its notes: ${judged.message}`, judged };
}

/** The editor page (or, for htmx, the editor alone) for this draft. */
async function editorPage(
  c: Context<AppEnv>,
  draft: Draft,
  options: { recipe: repo.RecipeRow | null; errors?: FieldErrors; status?: number; preview?: string; notice?: string; fragment?: boolean },
) {
  const { roll, rollError } = rollOf(draft);
  const editor = {
    recipe: options.recipe,
    draft,
    csrf: c.get('csrfToken'),
    roll,
    rollError,
    ...(options.errors ? { errors: options.errors } : {}),
    preview: options.preview,
  };
  c.header('cache-control', 'no-store');
  if (options.fragment && isHtmx(c)) return c.html(<views.Editor {...editor} />, (options.status ?? 200) as 200);
  const renders = options.recipe ? await repo.listRenders(c.env.DB, options.recipe.id, options.recipe.ownerId, RENDERS_LISTED) : [];
  const shareUrl = options.recipe?.shareToken ? `${new URL(c.req.url).origin}${paths.shared(options.recipe.shareToken)}` : null;
  if (options.status) c.status(options.status as 422);
  return c.render(<views.EditorPage {...editor} renders={renders} shareUrl={shareUrl} notice={options.notice} />, page(options.recipe?.title ?? 'New recipe'));
}

// ---------------------------------------------------------------- your recipes

web.get('/', async (c) => {
  const user = sessionUser(c);
  const recipes = user ? await repo.listRecipes(c.env.DB, user.id, RECIPES_LISTED) : [];
  const rolls = Object.fromEntries(EXAMPLES.map((e) => [e.slug, service.rollOf(e.recipe).svg]));
  return c.render(<views.HomePage signedIn={user !== null} recipes={recipes} examples={EXAMPLES} csrf={c.get('csrfToken')} rolls={rolls} />, {
    title: 'Melos',
    ...views.MELOS_ASSETS,
  });
});

web.get('/new', signedIn, query(schema.NewQuery), async (c) => {
  const { example } = c.req.valid('query');
  const start = (example && exampleBySlug(example)?.recipe) || {
    ...EXAMPLES[0]!.recipe,
    title: 'Untitled',
    tracks: [newTrack('melody', 'Melody'), newTrack('bass', 'Bass')],
  };
  return editorPage(c, normalize(structuredClone(start) as unknown as Record<string, unknown>), { recipe: null });
});

/** The form's draft, judged: the recipe to save, or the editor again with each field's message (422). */
async function savable(c: Context<AppEnv>, fields: Record<string, string>, recipe: repo.RecipeRow | null) {
  const draft = draftFromForm(fields);
  const judged = service.judge(draft);
  if (!judged.ok) return { refused: await editorPage(c, draft, { recipe, errors: judged.errors, status: 422 }) };
  return { judged };
}

web.post('/recipes', signedIn, editorForm, async (c) => {
  const user = currentAuth(c).user;
  const { refused, judged } = await savable(c, c.req.valid('form'), null);
  if (refused) return refused;
  const id = randomToken(16);
  const created = await repo.createRecipe(c.env.DB, { id, ownerId: user.id, title: judged.recipe.title, recipe: judged.json, now: now() }, MAX_RECIPES);
  if (!created) return editorPage(c, normalize(JSON.parse(judged.json)), { recipe: null, errors: { _: REFUSALS.too_many_recipes.message }, status: 409 });
  audit('melos.recipe_created', { actor_id: user.id, recipe: await logRef(c.env.SESSION_SECRET, id) });
  return c.redirect(`${paths.recipe(id)}?done=saved`, 303);
});

/** What the page says after a form that lands on it. */
const DONE: Record<schema.Done, string> = {
  saved: 'Saved.',
  copied: 'This is your copy.',
  remixed: 'Remixed: this copy is yours to change.',
  shared: 'Anyone with the share link below can open this recipe now.',
  unshared: 'The share link no longer works.',
  render_deleted: 'The render and its files are deleted.',
};

web.get('/recipes/:id', recipeParam, signedIn, query(schema.RecipeQuery), async (c) => {
  const recipe = await ownRecipe(c, c.req.valid('param').id);
  const { done } = c.req.valid('query');
  return editorPage(c, parseSaved(recipe), { recipe, ...(done ? { notice: DONE[done] } : {}) });
});

// Addresses a page without JavaScript lands on after posting the editor: opened again (a reload, a bookmark), they start over.
web.get('/edit', (c) => c.redirect(paths.create, 303));
web.get('/preview', (c) => c.redirect(paths.create, 303));

web.post('/recipes/:id', recipeParam, signedIn, editorForm, async (c) => {
  const recipe = await ownRecipe(c, c.req.valid('param').id);
  const { refused, judged } = await savable(c, c.req.valid('form'), recipe);
  if (refused) return refused;
  await repo.updateRecipe(c.env.DB, { id: recipe.id, ownerId: recipe.ownerId, title: judged.recipe.title, recipe: judged.json, now: now() });
  return c.redirect(`${paths.recipe(recipe.id)}?done=saved`, 303);
});

web.post('/recipes/:id/duplicate', recipeParam, signedIn, async (c) => {
  const recipe = await ownRecipe(c, c.req.valid('param').id);
  return copyRecipe(c, recipe, `${recipe.title} (copy)`, 'copied');
});

/** A new recipe of the caller's with `source`'s content and this title. */
async function copyRecipe(c: Context<AppEnv>, source: repo.RecipeRow, title: string, done: schema.Done) {
  const user = currentAuth(c).user;
  const content = { ...(JSON.parse(source.recipe) as Recipe), title: title.slice(0, 80).trim() };
  const id = randomToken(16);
  if (!(await repo.createRecipe(c.env.DB, { id, ownerId: user.id, title: content.title, recipe: JSON.stringify(content), now: now() }, MAX_RECIPES))) {
    throw refusal(REFUSALS, 'too_many_recipes');
  }
  audit('melos.recipe_created', { actor_id: user.id, recipe: await logRef(c.env.SESSION_SECRET, id), from: await logRef(c.env.SESSION_SECRET, source.id) });
  return c.redirect(`${paths.recipe(id)}?done=${done}`, 303);
}

web.post('/recipes/:id/delete', recipeParam, signedIn, form(schema.DeleteForm), async (c) => {
  const { id } = c.req.valid('param');
  const user = currentAuth(c).user;
  if (!(await service.deleteRecipe(c.env, id, user.id))) throw refusal(REFUSALS, 'missing');
  audit('melos.recipe_deleted', { actor_id: user.id, recipe: await logRef(c.env.SESSION_SECRET, id) });
  return navigate(c, paths.home);
});

web.post('/recipes/:id/share', recipeParam, signedIn, form(schema.ShareForm), async (c) => {
  const recipe = await ownRecipe(c, c.req.valid('param').id);
  const on = c.req.valid('form').share === 'on';
  await repo.setShareToken(c.env.DB, recipe.id, recipe.ownerId, on ? randomToken(16) : null);
  audit('melos.recipe_shared', { actor_id: recipe.ownerId, recipe: await logRef(c.env.SESSION_SECRET, recipe.id), shared: on });
  return c.redirect(`${paths.recipe(recipe.id)}?done=${on ? 'shared' : 'unshared'}#share-h`, 303);
});

web.post('/recipes/:id/renders', recipeParam, signedIn, async (c) => {
  const recipe = await ownRecipe(c, c.req.valid('param').id);
  await enforceRateLimit(c.env.RL_MELOS_RENDER, `melos-render:${recipe.ownerId}`, 60, 'renders');
  // The saved recipe may have been judged by an older engine: judge it again before queueing.
  const judged = service.judge(JSON.parse(recipe.recipe));
  if (!judged.ok) throw refusal(REFUSALS, 'too_big', { message: judged.message });
  await service.requestRender(c.env, recipe, judged.recipe, now());
  if (!isHtmx(c)) return c.redirect(`${paths.recipe(recipe.id)}#renders`, 303);
  const renders = await repo.listRenders(c.env.DB, recipe.id, recipe.ownerId, RENDERS_LISTED);
  return c.html(<views.RenderList renders={renders} csrf={c.get('csrfToken')} />);
});

// ---------------------------------------------------------------- the editor's live parts

web.post('/edit', signedIn, editorForm, async (c) => {
  await enforceRateLimit(c.env.RL_MELOS_ROLL, `melos-roll:${currentAuth(c).user.id}`, 60, 'changes to the editor');
  const fields = c.req.valid('form');
  const op = parseOp(fields.op) ?? { op: 'refresh' as const };
  const draft = applyOp(draftFromForm(fields), op, () => crypto.getRandomValues(new Uint32Array(1))[0]!);
  const recipe = fields.recipe && /^[A-Za-z0-9_-]{22}$/.test(fields.recipe) ? await repo.findOwnRecipe(c.env.DB, fields.recipe, currentAuth(c).user.id) : null;
  return editorPage(c, draft, { recipe, fragment: true });
});

web.post('/roll', signedIn, editorForm, async (c) => {
  await enforceRateLimit(c.env.RL_MELOS_ROLL, `melos-roll:${currentAuth(c).user.id}`, 60, 'piano rolls');
  const draft = draftFromForm(c.req.valid('form'));
  const { roll, rollError } = rollOf(draft);
  c.header('cache-control', 'no-store');
  return c.html(<views.RollPanel roll={roll} error={rollError} tracks={draft.tracks} />, roll ? 200 : 422);
});

web.post('/preview', signedIn, editorForm, async (c) => {
  await enforceRateLimit(c.env.RL_MELOS_PREVIEW, `melos-preview:${currentAuth(c).user.id}`, 60, 'previews');
  const fields = c.req.valid('form');
  const draft = draftFromForm(fields);
  const judged = service.judge(draft);
  const recipe = fields.recipe && /^[A-Za-z0-9_-]{22}$/.test(fields.recipe) ? await repo.findOwnRecipe(c.env.DB, fields.recipe, currentAuth(c).user.id) : null;
  // Too long to render whole is fine for a preview of its start; invalid is not.
  const recipeForPreview = judged.ok ? judged.recipe : (judged.tooBig ?? null);
  if (!recipeForPreview) {
    if (isHtmx(c)) return c.html(<p class="notice notice-warn">Fix the recipe first: {judged.ok ? '' : judged.message}</p>, 422);
    return editorPage(c, draft, { recipe, errors: judged.ok ? {} : judged.errors, status: 422 });
  }
  const src = paths.previewFile(await service.makePreview(c.env.MELOS_FILES, recipeForPreview));
  if (isHtmx(c)) return c.html(<views.PreviewPlayer src={src} />);
  return editorPage(c, draft, { recipe, preview: src });
});

web.get('/previews/:file', signedIn, params(schema.PreviewParam, 'There is no such preview (they are kept for a day).'), async (c) => {
  const response = await serveObject(c, c.env.MELOS_FILES, `melos/previews/${c.req.valid('param').file}`);
  if (!response) throw refusal(REFUSALS, 'file_missing', { message: 'There is no such preview (they are kept for a day): press Preview again.' });
  return response;
});

// ---------------------------------------------------------------- renders

web.get('/renders/:id/card', renderParam, signedIn, async (c) => {
  const render = await ownRender(c, c.req.valid('param').id);
  c.header('cache-control', 'no-store');
  return c.html(<views.RenderCard render={render} csrf={c.get('csrfToken')} />);
});

web.post('/renders/:id/retry', renderParam, signedIn, async (c) => {
  const render = await ownRender(c, c.req.valid('param').id);
  await enforceRateLimit(c.env.RL_MELOS_RENDER, `melos-render:${render.ownerId}`, 60, 'renders');
  const retried = await service.retryRender(c.env, render.id, render.ownerId);
  if (!retried) throw refusal(REFUSALS, 'not_failed');
  if (!isHtmx(c)) return c.redirect(`${paths.recipe(render.recipeId)}#renders`, 303);
  return c.html(<views.RenderCard render={retried} csrf={c.get('csrfToken')} />);
});

web.post('/renders/:id/delete', renderParam, signedIn, async (c) => {
  const render = await ownRender(c, c.req.valid('param').id);
  if (!(await service.deleteRender(c.env, render.id, render.ownerId))) throw refusal(REFUSALS, 'running');
  audit('melos.render_deleted', { actor_id: render.ownerId, render: await logRef(c.env.SESSION_SECRET, render.id) });
  // htmx swaps the card out for nothing.
  if (isHtmx(c)) return c.html('');
  return c.redirect(`${paths.recipe(render.recipeId)}?done=render_deleted#renders`, 303);
});

web.get('/renders/:id/:file', params(schema.FileParam, REFUSALS.render_missing.message), signedIn, async (c) => {
  const { id, file } = c.req.valid('param');
  const render = await ownRender(c, id);
  if (render.status !== 'done') throw refusal(REFUSALS, 'file_missing');
  const response = await serveObject(c, c.env.MELOS_FILES, fileKey(render.id, file === 'piece.mid' ? 'midi' : 'wav'));
  if (!response) throw refusal(REFUSALS, 'file_missing');
  return response;
});

// ---------------------------------------------------------------- shared

web.get(
  '/s/:token',
  shareParam,
  limitPerAddress((env) => env.RL_MELOS_ROLL, 'melos-shared', 'shared recipes'),
  async (c) => {
    const { token } = c.req.valid('param');
    const recipe = await repo.findShared(c.env.DB, token);
    if (!recipe) throw refusal(REFUSALS, 'share_missing');
    const draft = parseSaved(recipe);
    const { roll } = rollOf(draft);
    const r = JSON.parse(recipe.recipe) as Recipe;
    const summary = `${r.key} ${r.scale}, ${r.meter} at ${r.tempo} bpm, ${r.bars} bars, ${r.tracks.length} ${r.tracks.length === 1 ? 'track' : 'tracks'}.`;
    c.header('cache-control', 'no-store');
    return c.render(
      <views.SharedPage
        recipe={recipe}
        draft={draft}
        roll={roll}
        token={token}
        signedIn={sessionUser(c) !== null}
        csrf={c.get('csrfToken')}
        summary={summary}
      />,
      page(recipe.title),
    );
  },
);

web.post('/s/:token/remix', shareParam, signedIn, async (c) => {
  const recipe = await repo.findShared(c.env.DB, c.req.valid('param').token);
  if (!recipe) throw refusal(REFUSALS, 'share_missing');
  return copyRecipe(c, recipe, `${recipe.title} (remix)`, 'remixed');
});

export default web;
