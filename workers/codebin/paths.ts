/**
 * Every CodeBin URL, built in one place: views link with these, routes redirect to
 * them, the API answers with them. Pure: no Hono, no Env.
 *
 * The app is mounted at BASE (its descriptor's slug, workers/codebin/index.ts); the
 * route patterns themselves are written next to their handlers (web.tsx, api.tsx).
 */
export const BASE = '/codebin';

/** A paste's page. */
export const pastePath = (slug: string) => `${BASE}/${slug}`;

export const paths = {
  /** The create page (the form posts back to it). */
  home: BASE,
  /** The create page, prefilled from a paste ("Clone and edit"). */
  clone: (slug: string) => `${BASE}?from=${slug}`,
  /** The signed-in user's pastes; `cursor` (pagination.ts `encodeCursor`) for the page after it. */
  mine: (cursor?: string | null) => (cursor ? `${BASE}/mine?before=${cursor}` : `${BASE}/mine`),
  highlightCss: `${BASE}/highlight.css`,
  paste: pastePath,
  raw: (slug: string) => `${pastePath(slug)}/raw`,
  download: (slug: string) => `${pastePath(slug)}/raw?download=1`,
  reveal: (slug: string) => `${pastePath(slug)}/reveal`,
  manage: (slug: string) => `${pastePath(slug)}/manage`,
  language: (slug: string) => `${pastePath(slug)}/language`,
  delete: (slug: string) => `${pastePath(slug)}/delete`,
  /**
   * Where a browser lands after creating a paste without JavaScript. The delete token
   * rides in the fragment: browsers keep it across the redirect and never send it to
   * any server, so it stays out of every log and Referer.
   */
  created: (slug: string, deleteToken: string) => `${pastePath(slug)}/manage?created=1#token=${deleteToken}`,
  api: {
    pastes: `${BASE}/api/pastes`,
    paste: (slug: string) => `${BASE}/api/pastes/${slug}`,
  },
  /** The Cache API key of a paste's cached view or raw body (cache.ts); never routed. */
  cacheKey: (version: string, kind: 'view' | 'raw', slug: string) => `${BASE}/__cache/${version}/${kind}/${slug}`,
} as const;

/** A paste's absolute links, as shown after creating it and returned by the API. */
export type Links = { url: string; rawUrl: string; manageUrl: string };

/** The manage link carries the delete token in its fragment (never sent to any server). */
export function links(origin: string, slug: string, deleteToken?: string): Links {
  const url = `${origin}${paths.paste(slug)}`;
  const manageUrl = `${origin}${paths.manage(slug)}`;
  return { url, rawUrl: `${origin}${paths.raw(slug)}`, manageUrl: deleteToken ? `${manageUrl}#token=${deleteToken}` : manageUrl };
}
