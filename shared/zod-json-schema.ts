/**
 * What hono-openapi's schema converter (@standard-community/standard-json) takes
 * from `zod/v4/core`: only `toJSONSchema`. wrangler.toml aliases that import here,
 * because importing the whole `zod/v4/core` namespace dynamically defeats tree
 * shaking and bundles every zod locale and its compiler (~75 KiB gzip) into the Worker.
 */
export { toJSONSchema } from 'zod';
