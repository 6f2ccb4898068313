/**
 * URLs of files in public/, versioned by a hash of their content (`/styles.css` + `?v=` + 10 hex digits),
 * so browsers may cache them long and still never use a stale one. The hashes are
 * written by scripts/dev-setup.mjs (npm install, start, test, build, deploy) into
 * assets.gen.ts; a test checks they match the files. Nothing to bump by hand.
 */
import type { BaseAssets } from '../shared/html/layout';
import { ASSET_HASHES } from './assets.gen';

export type PublicAsset = keyof typeof ASSET_HASHES;

export function asset(path: PublicAsset): string {
  return `${path}?v=${ASSET_HASHES[path]}`;
}

/** The platform's own stylesheet and scripts, on every page. */
export const BASE_ASSETS: BaseAssets = { styles: asset('/styles.css'), app: asset('/app.js'), htmx: asset('/vendor/htmx.min.js') };
