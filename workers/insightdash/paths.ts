/**
 * Every InsightDash URL, built in one place: views link with these, routes redirect to
 * them. Pure: no Hono, no Env. The app is mounted at BASE (its descriptor's slug,
 * workers/insightdash/index.ts).
 */
export const BASE = '/insightdash';

const dashboard = (id: string) => `${BASE}/d/${id}`;
const card = (dashboardId: string, cardId: number) => `${dashboard(dashboardId)}/cards/${cardId}`;
/** `?range=…` (and `from`/`to` for a custom range), or nothing for the default. */
const withRange = (path: string, range?: string) => (range ? `${path}?${range}` : path);

export const paths = {
  /** Your dashboards, your series, importing and sending data. */
  home: BASE,
  dashboards: `${BASE}/dashboards`,
  dashboard: (id: string, range?: string) => withRange(dashboard(id), range),
  rename: (id: string) => `${dashboard(id)}/rename`,
  remove: (id: string) => `${dashboard(id)}/delete`,
  share: (id: string) => `${dashboard(id)}/share`,
  cards: (id: string) => `${dashboard(id)}/cards`,
  /** A card's fragment (htmx loads each on its own), or its page without JavaScript. */
  card: (id: string, cardId: number, range?: string) => withRange(card(id, cardId), range),
  cardCsv: (id: string, cardId: number, range?: string) => withRange(`${card(id, cardId)}.csv`, range),
  moveCard: (id: string, cardId: number) => `${card(id, cardId)}/move`,
  removeCard: (id: string, cardId: number) => `${card(id, cardId)}/delete`,
  series: (id: number, range?: string) => withRange(`${BASE}/series/${id}`, range),
  deletePoints: (id: number) => `${BASE}/series/${id}/points/delete`,
  removeSeries: (id: number) => `${BASE}/series/${id}/delete`,
  pulls: `${BASE}/pulls`,
  removePull: (id: number) => `${BASE}/pulls/${id}/delete`,
  pullNow: (id: number) => `${BASE}/pulls/${id}/run`,
  annotations: `${BASE}/annotations`,
  removeAnnotation: (id: number) => `${BASE}/annotations/${id}/delete`,
  /** The page's CSV import: one small file (a plain form). */
  import: `${BASE}/import`,
  /** A part of a larger file, posted by insightdash.js with the CSRF header. */
  importPart: `${BASE}/import/parts`,
  shared: (token: string, range?: string) => withRange(`${BASE}/s/${token}`, range),
  sharedCard: (token: string, cardId: number, range?: string) => withRange(`${BASE}/s/${token}/cards/${cardId}`, range),
} as const;

/** The ingestion API (scope `insightdash:ingest`). */
export const apiPaths = {
  points: `${BASE}/api/points`,
  write: `${BASE}/api/write`,
  import: `${BASE}/api/import`,
} as const;
