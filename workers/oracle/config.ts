/** Oracle's own settings, validated like the platform's (shared/env.ts). */
import * as z from 'zod';
import { secretWeakness, settings } from '../../shared/env';

export type OracleConfig = {
  /** Wraps the server's key shares and the webhook secrets (workers/oracle/SECURITY.md). */
  wrapKey: string;
  /** How mail goes out: `log` records it in D1 (the development outbox, /oracle/outbox); `resend`, Resend's HTTP API. */
  email: { mode: 'log' } | { mode: 'resend'; apiUrl: string; apiKey: string; from: string };
  /** Webhooks may target http://localhost (a developer's machine only). */
  allowLocalWebhooks: boolean;
};

const MAKE_KEY =
  'Generate one with `openssl rand -base64 48` and set it with `wrangler secret put ORACLE_WRAP_KEY` (locally `npm start` writes one to .dev.vars).';

export const oracleConfig = settings(
  z
    .object({
      ORACLE_WRAP_KEY: z
        .string({ error: `ORACLE_WRAP_KEY is not set. ${MAKE_KEY}` })
        .min(32, `ORACLE_WRAP_KEY must be at least 32 characters of random data. ${MAKE_KEY}`)
        .superRefine((key, ctx) => {
          const weakness = secretWeakness(key);
          if (weakness) ctx.addIssue({ code: 'custom', message: `ORACLE_WRAP_KEY does not look random: ${weakness}. ${MAKE_KEY}` });
        }),
      ORACLE_EMAIL: z.enum(['log', 'resend'], { error: 'ORACLE_EMAIL must be "log" (the development outbox) or "resend".' }).default('log'),
      ORACLE_EMAIL_API_URL: z.url({ protocol: /^https$/, error: 'ORACLE_EMAIL_API_URL must be an https:// URL.' }).default('https://api.resend.com'),
      ORACLE_EMAIL_API_KEY: z.string().optional(),
      ORACLE_EMAIL_FROM: z.string().optional(),
      LOCAL_DEV: z.string().optional(),
    })
    .superRefine((v, ctx) => {
      if (v.ORACLE_EMAIL !== 'resend') return;
      if (!v.ORACLE_EMAIL_API_KEY)
        ctx.addIssue({ code: 'custom', message: 'ORACLE_EMAIL is "resend": set ORACLE_EMAIL_API_KEY (`wrangler secret put ORACLE_EMAIL_API_KEY`).' });
      if (!v.ORACLE_EMAIL_FROM)
        ctx.addIssue({ code: 'custom', message: 'ORACLE_EMAIL is "resend": set ORACLE_EMAIL_FROM (e.g. "Oracle <oracle@example.com>").' });
    })
    .transform(
      (v): OracleConfig => ({
        wrapKey: v.ORACLE_WRAP_KEY,
        email:
          v.ORACLE_EMAIL === 'resend'
            ? { mode: 'resend', apiUrl: v.ORACLE_EMAIL_API_URL, apiKey: v.ORACLE_EMAIL_API_KEY!, from: v.ORACLE_EMAIL_FROM! }
            : { mode: 'log' },
        allowLocalWebhooks: v.LOCAL_DEV === 'true',
      }),
    ),
);
