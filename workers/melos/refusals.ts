/** Every way Melos refuses a request, with its status and what a person reads. */
import type { RefusalTable } from '../../shared/http/refusal';

export type MelosRefusal =
  | 'missing'
  | 'render_missing'
  | 'file_missing'
  | 'too_big'
  | 'too_many_recipes'
  | 'not_failed'
  | 'share_missing'
  | 'storage_full'
  | 'running';

/** Most recipes one account may keep. */
export const MAX_RECIPES = 500;

export const REFUSALS: RefusalTable<MelosRefusal> = {
  // Someone else's recipe is the same 404 as one that does not exist (no oracle for ids).
  missing: { status: 404, message: 'There is no recipe of yours at this address.' },
  render_missing: { status: 404, message: 'There is no render of yours at this address.' },
  file_missing: { status: 404, message: 'This render has no file yet: wait until it is done.' },
  share_missing: { status: 404, message: 'This share link does not work (any more). Ask its owner for a new one.' },
  too_big: { status: 422, message: 'This recipe is too big to render.' },
  too_many_recipes: { status: 409, message: `You have ${MAX_RECIPES} recipes: delete some to make more.` },
  not_failed: { status: 409, message: 'Only a failed render can be retried; this one has not failed.' },
  // The message names the figures (service.ts).
  storage_full: { status: 409, message: 'Your renders take all the space you have: delete older renders or recipes to make room.' },
  running: { status: 409, message: 'This render is still running: wait until it is done (or has failed) to delete it.' },
};
