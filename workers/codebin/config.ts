/** CodeBin's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { megabytes, settings } from '../../shared/env';
import { allowedExpiries, defaultExpiry, EXPIRY_KEYS, type ExpiryChoice } from './expiry';

export type CodebinConfig = {
  maxExpiry: ExpiryChoice | undefined;
  expiries: ExpiryChoice[];
  defaultExpiry: ExpiryChoice;
  /** All live pastes together, in bytes. */
  maxTotalBytes: number;
  /** What one client address (IPv6: one /64) may post anonymously per UTC day, in bytes. */
  anonDailyBytes: number;
  /** What one account may post per UTC day, in bytes (accounts are cheap to make). */
  userDailyBytes: number;
};

export const codebinConfig = settings(
  z
    .object({
      CODEBIN_MAX_EXPIRY: z
        .union([z.literal(''), z.enum(EXPIRY_KEYS as [ExpiryChoice, ...ExpiryChoice[]])], {
          error: `CODEBIN_MAX_EXPIRY must be empty (no cap) or one of: ${EXPIRY_KEYS.join(', ')}.`,
        })
        .optional(),
      CODEBIN_MAX_TOTAL_MB: megabytes('CODEBIN_MAX_TOTAL_MB', 256),
      CODEBIN_ANON_DAILY_MB: megabytes('CODEBIN_ANON_DAILY_MB', 16),
      CODEBIN_USER_DAILY_MB: megabytes('CODEBIN_USER_DAILY_MB', 64),
    })
    .transform(({ CODEBIN_MAX_EXPIRY, CODEBIN_MAX_TOTAL_MB, CODEBIN_ANON_DAILY_MB, CODEBIN_USER_DAILY_MB }): CodebinConfig => {
      const cap = CODEBIN_MAX_EXPIRY || undefined;
      return {
        maxExpiry: cap,
        expiries: allowedExpiries(cap),
        defaultExpiry: defaultExpiry(cap),
        maxTotalBytes: CODEBIN_MAX_TOTAL_MB,
        anonDailyBytes: CODEBIN_ANON_DAILY_MB,
        userDailyBytes: CODEBIN_USER_DAILY_MB,
      };
    }),
);
