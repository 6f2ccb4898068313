/** CodeBin's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { ConfigError } from '../../shared/env';
import { allowedExpiries, defaultExpiry, EXPIRY_KEYS, type ExpiryChoice } from './expiry';

const Schema = z.object({
  CODEBIN_MAX_EXPIRY: z
    .union([z.literal(''), z.enum(EXPIRY_KEYS as [ExpiryChoice, ...ExpiryChoice[]])], {
      error: `CODEBIN_MAX_EXPIRY must be empty (no cap) or one of: ${EXPIRY_KEYS.join(', ')}.`,
    })
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type CodebinConfig = { maxExpiry: ExpiryChoice | undefined; expiries: ExpiryChoice[]; defaultExpiry: ExpiryChoice };

const cache = new WeakMap<object, CodebinConfig>();

export function codebinConfig(env: Env): CodebinConfig {
  let cfg = cache.get(env);
  if (!cfg) {
    const parsed = Schema.safeParse(env);
    if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => i.message).join(' '));
    const cap = parsed.data.CODEBIN_MAX_EXPIRY;
    cfg = { maxExpiry: cap, expiries: allowedExpiries(cap), defaultExpiry: defaultExpiry(cap) };
    cache.set(env, cfg);
  }
  return cfg;
}
