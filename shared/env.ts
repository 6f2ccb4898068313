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

const MAKE_SECRET = 'Generate one with `openssl rand -base64 48` and set it with `wrangler secret put SESSION_SECRET` (locally: in .dev.vars).';

/**
 * Why a secret of the right length is still not random data, or null if it looks
 * random. A heuristic for hand-typed values, not an entropy proof: it refuses few
 * distinct characters, a block repeated ("abcabc…"), and runs of equal or
 * neighbouring characters ("aaaa…", "abcdef…"). Random base64 or hex from
 * `openssl rand` passes every check with a wide margin (a 32-character hex string
 * has ~14 distinct characters; neighbouring steps are ~19% of hex pairs).
 */
export function secretWeakness(secret: string): string | null {
  const chars = [...secret];
  if (new Set(chars).size < 10) return 'it uses fewer than 10 distinct characters';
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((ch, i) => i < period || ch === chars[i - period])) return 'it repeats a short pattern';
  }
  let neighbours = 0;
  for (let i = 1; i < chars.length; i++) {
    if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) neighbours++;
  }
  if (neighbours * 2 > chars.length - 1) return 'it is mostly runs of equal or consecutive characters';
  return null;
}

const EnvSchema = z.object({
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is not set. Locally `npm start` writes one to .dev.vars; on Cloudflare run `wrangler secret put SESSION_SECRET`.' })
    .min(32, 'SESSION_SECRET must be at least 32 characters of random data (e.g. `openssl rand -base64 48`).')
    .superRefine((secret, ctx) => {
      const weakness = secretWeakness(secret);
      if (weakness) ctx.addIssue({ code: 'custom', message: `SESSION_SECRET does not look random: ${weakness}. ${MAKE_SECRET}` });
    }),
  SIGNUP: z.enum(['open', 'closed'], { error: 'SIGNUP must be "open" or "closed".' }).default('open'),
  // Optional secret: lets the operator of a deployed instance claim the admin account
  // from the sign-up form (typed in once; useless once an admin exists).
  ADMIN_SETUP_TOKEN: z
    .string()
    .min(24, 'ADMIN_SETUP_TOKEN must be at least 24 characters of random data (e.g. `openssl rand -base64 24`), or unset.')
    .superRefine((token, ctx) => {
      const weakness = secretWeakness(token);
      if (weakness)
        ctx.addIssue({ code: 'custom', message: `ADMIN_SETUP_TOKEN does not look random: ${weakness}. Generate one with \`openssl rand -base64 24\`.` });
    })
    .optional(),
  // "true" when the instance runs on a developer's machine (`npm start` writes it to
  // .dev.vars): the first account then becomes admin in one step, from any hostname.
  LOCAL_DEV: z.enum(['true', 'false'], { error: 'LOCAL_DEV must be "true" or "false".' }).default('false'),
  LOG_REQUESTS: z.enum(['true', 'false'], { error: 'LOG_REQUESTS must be "true" or "false".' }).default('true'),
});

export type Config = z.infer<typeof EnvSchema>;

// Optional settings that `wrangler types` cannot know about (an optional secret, and a
// .dev.vars-only flag): declared here so the one `Env` type names them.
declare global {
  interface Env {
    ADMIN_SETUP_TOKEN?: string;
    LOCAL_DEV?: string;
  }
}

/**
 * Whether a hostname can only be this machine (or a name that is never delegated on
 * the public DNS): localhost and *.localhost, loopback addresses, and RFC 6761's
 * reserved `.test`. On Cloudflare a request's URL carries the hostname it was routed
 * by, so a deployed Worker never sees one of these.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.test')) return true;
  if (host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The platform's configuration. */
export const config = settings(EnvSchema);

/** A size setting in whole MiB (a var like "256"; empty or absent: `fallback`), read as bytes. */
export const megabytes = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, `${name} must be a whole number of MiB, like "${fallback}".`)
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : Number(v)) * 1024 * 1024);
