/**
 * Every Melos URL, built in one place: views link with these, routes redirect to them.
 * Pure: no Hono, no Env. The app is mounted at BASE (its descriptor's slug,
 * workers/melos/index.ts).
 */
export const BASE = '/melos';

const recipe = (id: string) => `${BASE}/recipes/${id}`;
const render = (id: string) => `${BASE}/renders/${id}`;

export type FileKind = 'midi' | 'wav';
export const FILE_EXTENSIONS: Record<FileKind, string> = { midi: 'mid', wav: 'wav' };

export const paths = {
  /** Your recipes, the examples, and "new". */
  home: BASE,
  /** The editor with an unsaved recipe (?example=<slug> starts from an example); it posts to `recipes`. */
  create: `${BASE}/new`,
  recipes: `${BASE}/recipes`,
  recipe,
  duplicate: (id: string) => `${recipe(id)}/duplicate`,
  remove: (id: string) => `${recipe(id)}/delete`,
  share: (id: string) => `${recipe(id)}/share`,
  renders: (id: string) => `${recipe(id)}/renders`,
  /** The editor's unsaved changes: add, remove or move a track or lane, re-roll the seed (answers the editor again). */
  edit: `${BASE}/edit`,
  /** The piano roll of the first bars of the posted form (an SVG fragment). */
  roll: `${BASE}/roll`,
  /** A short audio preview of the posted form: answers an <audio> pointing at `previewFile`. */
  preview: `${BASE}/preview`,
  previewFile: (hash: string) => `${BASE}/previews/${hash}.wav`,
  shared: (token: string) => `${BASE}/s/${token}`,
  remix: (token: string) => `${BASE}/s/${token}/remix`,
  render,
  /** The render's card (htmx polls it while the job runs). */
  renderCard: (id: string) => `${render(id)}/card`,
  retry: (id: string) => `${render(id)}/retry`,
  removeRender: (id: string) => `${render(id)}/delete`,
  file: (id: string, kind: FileKind) => `${render(id)}/${kind === 'midi' ? 'piece.mid' : 'piece.wav'}`,
} as const;

/** The JSON API (scope `melos`). */
export const apiPaths = {
  recipes: `${BASE}/api/recipes`,
  recipe: (id: string) => `${BASE}/api/recipes/${id}`,
  renders: (id: string) => `${BASE}/api/recipes/${id}/renders`,
  render: (id: string) => `${BASE}/api/renders/${id}`,
  file: (id: string, kind: FileKind) => `${BASE}/api/renders/${id}/${kind}`,
} as const;
