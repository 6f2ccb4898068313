/**
 * The Worker's configuration, validated with zod once per isolate. A missing or
 * weak secret is a clear error for whoever runs the instance, not a mystery 500.
 */
import * as z from 'zod';

const EnvSchema = z.object({
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is not set. Locally `npm start` writes one to .dev.vars; on Cloudflare run `wrangler secret put SESSION_SECRET`.' })
    .min(32, 'SESSION_SECRET must be at least 32 characters of random data (e.g. `openssl rand -base64 48`).'),
  SIGNUP: z.enum(['open', 'closed'], { error: 'SIGNUP must be "open" or "closed".' }).default('open'),
  LOG_REQUESTS: z.enum(['true', 'false'], { error: 'LOG_REQUESTS must be "true" or "false".' }).default('true'),
});

export type Config = z.infer<typeof EnvSchema>;

const cache = new WeakMap<object, Config>();

/** Parsed configuration, or throws an Error whose message says what to fix. */
export function config(env: Env): Config {
  let parsed = cache.get(env);
  if (!parsed) {
    const result = EnvSchema.safeParse(env);
    if (!result.success) throw new ConfigError(result.error.issues.map((i) => i.message).join(' '));
    parsed = result.data;
    cache.set(env, parsed);
  }
  return parsed;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
