/** Melos's request shapes (zod, strict): ids in URLs and the small forms. The recipe itself is engine/recipe.ts. */
import * as z from 'zod';

/** 16 random bytes, base64url: 22 characters. Anything else cannot exist (the same 404 as a missing one). */
const id = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

export const RecipeParam = z.object({ id }).strict();
export const RenderParam = z.object({ id }).strict();
export const ShareParam = z.object({ token: id }).strict();
export const FileParam = z.object({ id, file: z.enum(['piece.mid', 'piece.wav']) }).strict();
export const ApiFileParam = z.object({ id, kind: z.enum(['midi', 'wav']) }).strict();
/** A preview's name: the SHA-256 of what it plays. */
export const PreviewParam = z.object({ file: z.string().regex(/^[0-9a-f]{64}\.wav$/) }).strict();

export const NewQuery = z.object({ example: z.string().max(40).optional() }).strict();

export const ShareForm = z.object({ share: z.enum(['on', 'off']) }).strict();

/** Deleting a recipe takes a tick in a box (with or without JavaScript). */
export const DeleteForm = z.object({ confirm: z.literal('yes', { error: 'Tick “Delete for good” to delete the recipe and its renders.' }) }).strict();

export const DONE = ['saved', 'copied', 'remixed', 'shared', 'unshared', 'render_deleted'] as const;
export type Done = (typeof DONE)[number];

/** The recipe page: `done` after a form that lands there; `progress` makes the no-JavaScript "reload" link a new address. */
export const RecipeQuery = z.object({ done: z.enum(DONE).optional(), progress: z.string().max(40).optional() }).strict();

/** The editor's form: any fields (form.ts reads them by path; the Recipe schema judges the result), within reason. */
export const EditorForm = z.record(z.string().max(64), z.string().max(1000)).refine((f) => Object.keys(f).length <= 1000, 'The form has too many fields.');
