/**
 * The Worker's configuration, validated with zod once per isolate. A missing or
 * weak secret is a clear error for whoever runs the instance, not a mystery 500.
 * Apps validate their own settings the same way, with `settings()`.
 */
import * as z from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * A reader for one group of settings: parses `env` with the schema the first time
 * it sees that env object (the same object for the isolate's life) and throws a
 * ConfigError whose message says what to fix.
 */
export function settings<S extends z.ZodType>(schema: S): (env: Env) => z.infer<S> {
  const cache = new WeakMap<object, z.infer<S>>();
  return (env) => {
    if (cache.has(env)) return cache.get(env)!;
    const result = schema.safeParse(env);
    if (!result.success) throw new ConfigError(result.error.issues.map((i) => i.message).join(' '));
    cache.set(env, result.data);
    return result.data;
  };
}

const EnvSchema = z.object({
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is not set. Locally `npm start` writes one to .dev.vars; on Cloudflare run `wrangler secret put SESSION_SECRET`.' })
    .min(32, 'SESSION_SECRET must be at least 32 characters of random data (e.g. `openssl rand -base64 48`).'),
  SIGNUP: z.enum(['open', 'closed'], { error: 'SIGNUP must be "open" or "closed".' }).default('open'),
  LOG_REQUESTS: z.enum(['true', 'false'], { error: 'LOG_REQUESTS must be "true" or "false".' }).default('true'),
});

export type Config = z.infer<typeof EnvSchema>;

/** The platform's configuration. */
export const config = settings(EnvSchema);
