/** CodeBin's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { settings } from '../../shared/env';
import { allowedExpiries, defaultExpiry, EXPIRY_KEYS, type ExpiryChoice } from './expiry';

export type CodebinConfig = { maxExpiry: ExpiryChoice | undefined; expiries: ExpiryChoice[]; defaultExpiry: ExpiryChoice };

export const codebinConfig = settings(
  z
    .object({
      CODEBIN_MAX_EXPIRY: z
        .union([z.literal(''), z.enum(EXPIRY_KEYS as [ExpiryChoice, ...ExpiryChoice[]])], {
          error: `CODEBIN_MAX_EXPIRY must be empty (no cap) or one of: ${EXPIRY_KEYS.join(', ')}.`,
        })
        .optional(),
    })
    .transform(({ CODEBIN_MAX_EXPIRY }): CodebinConfig => {
      const cap = CODEBIN_MAX_EXPIRY || undefined;
      return { maxExpiry: cap, expiries: allowedExpiries(cap), defaultExpiry: defaultExpiry(cap) };
    }),
);
