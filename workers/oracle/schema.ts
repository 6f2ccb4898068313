/**
 * Oracle's request shapes (zod, strict). A switch's settings are one schema for the
 * form and the API: durations as text ("30d", "12h", "2w"), validated together
 * (grace ≤ interval, every warning inside the interval).
 */
import * as z from 'zod';
import { displayText } from '../../shared/text';
import { DAY_MS, describeDuration, HOUR_MS, MAX_INTERVAL_MS, MAX_RUNGS, MIN_INTERVAL_MS } from './lifecycle';

/** 16 random bytes, base64url: 22 characters. Anything else cannot exist (the same 404 as a missing one). */
const id = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
const b64 = (min: number, max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
    .min(min)
    .max(max);

export const SwitchParam = z.object({ id }).strict();
export const RecipientParam = z.object({ id }).strict();
/** An attachment of a message: the message id and its place (0–9). */
export const FileParam = z
  .object({
    id,
    index: z.string().regex(/^\d$/).transform(Number),
  })
  .strict();

export const MessageParam = z.object({ id }).strict();
export const TokenParam = z.object({ token: z.string().max(100) }).strict();

const UNITS: Record<string, number> = { h: HOUR_MS, d: DAY_MS, w: 7 * DAY_MS };

/** "30d", "12h", "2w", "1d 12h" (hours, days, weeks) → ms, or null. */
export function parseDuration(text: string): number | null {
  const parts = text
    .trim()
    .toLowerCase()
    .replace(/\s*(hours?|hrs?)\b/g, 'h')
    .replace(/\s*days?\b/g, 'd')
    .replace(/\s*(weeks?|wks?)\b/g, 'w')
    .split(/\s+/)
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 3) return null;
  let total = 0;
  for (const part of parts) {
    const m = /^(\d{1,4})([hdw])$/.exec(part);
    if (!m) return null;
    total += Number(m[1]) * UNITS[m[2]!]!;
  }
  return total;
}

/** A duration back as the form shows it: "30d", "36h", "2w". */
export function formatDuration(ms: number): string {
  if (ms % (7 * DAY_MS) === 0 && ms >= 7 * DAY_MS) return `${ms / (7 * DAY_MS)}w`;
  if (ms % DAY_MS === 0 && ms > 0) return `${ms / DAY_MS}d`;
  return `${Math.round(ms / HOUR_MS)}h`;
}

const duration = (label: string) =>
  z
    .string({ error: `${label} is required.` })
    .max(40)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null && /^\s*\d+\s*(m|mins?|minutes?)\s*$/i.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${label}: in hours, days or weeks (the shortest is 1h).` });
        return z.NEVER;
      }
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `${label}: write it like 30d, 12h or 2w (hours, days, weeks).` });
        return z.NEVER;
      }
      return ms;
    });

const warnings = z.union([z.string().max(200), z.array(z.string().max(40)).max(MAX_RUNGS + 5)]).transform((value, ctx) => {
  const items = (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean);
  const out: number[] = [];
  for (const item of items) {
    const ms = parseDuration(item);
    if (ms === null || ms === 0) {
      ctx.addIssue({ code: 'custom', message: `Warnings: “${item.slice(0, 20)}” is not a duration; write them like 7d, 3d, 1d.` });
      return z.NEVER;
    }
    out.push(ms);
  }
  if (out.length > MAX_RUNGS) {
    ctx.addIssue({ code: 'custom', message: `Warnings: at most ${MAX_RUNGS}.` });
    return z.NEVER;
  }
  // Largest first, each once.
  return [...new Set(out)].sort((a, b) => b - a);
});

const EMAIL = /^[^\s@<>()",;:\\[\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const isEmail = (text: string) => text.length <= 254 && EMAIL.test(text);

/** A switch's settings (form fields and API body alike). */
export const SwitchSettings = z
  .object({
    name: displayText(80, 'The name').min(1, 'Give the switch a name.'),
    interval: duration('Check-in interval'),
    grace: duration('Grace period').default(0),
    warnings: warnings.default([]),
    // Optional: blank (or absent) is none.
    contact: z
      .string()
      .trim()
      .max(254, 'The trusted contact’s address is at most 254 characters.')
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.contact !== null && !isEmail(s.contact))
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'Trusted contact: that is not an email address (like name@example.com).' });
    if (s.contact !== null && s.grace === 0) {
      ctx.addIssue({ code: 'custom', path: ['contact'], message: 'Trusted contact: give the switch a grace period, the time they have to postpone it.' });
    }
    if (s.interval < MIN_INTERVAL_MS || s.interval > MAX_INTERVAL_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['interval'],
        message: `Check-in interval: between 1 hour and 366 days (this is ${describeDuration(s.interval)}).`,
      });
    }
    if (s.grace > s.interval) ctx.addIssue({ code: 'custom', path: ['grace'], message: 'Grace period: at most the check-in interval.' });
    const outside = s.warnings.find((w) => w >= s.interval);
    if (outside !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['warnings'],
        message: `Warnings: each must come after the check-in, i.e. less than the interval before the deadline (${describeDuration(outside)} is not less than ${describeDuration(s.interval)}).`,
      });
    }
  });
export type SwitchSettings = z.output<typeof SwitchSettings>;

/** A recipient: who, and how. The webhook URL's SSRF check needs the configuration: the route adds it. */
export const RecipientForm = z
  .object({
    name: displayText(80, 'The name').min(1, 'Give the recipient a name.'),
    channel: z.enum(['email', 'webhook'], { error: 'Channel: email or webhook.' }),
    target: z
      .string({ error: 'Give an email address or a webhook URL.' })
      .trim()
      .min(1, 'Give an email address or a webhook URL.')
      .max(2048, 'At most 2,048 characters.'),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.channel === 'email' && !isEmail(r.target)) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'That is not an email address (like name@example.com).' });
    }
  });

/** The owner's own webhook for their notices: a URL, or empty to remove it. The SSRF check is the route's (it needs the configuration). */
export const OwnerWebhookForm = z
  .object({
    url: z
      .string()
      .trim()
      .max(2048, 'At most 2,048 characters.')
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .strict();

/** A message's text, in UTF-8 bytes (the browser counts them before sealing). */
export const MAX_TEXT_BYTES = 65_520;
/** Its ciphertext with the GCM tag is at most 64 KiB: base64url of 65,536 bytes. */
export const MAX_CIPHERTEXT_CHARS = Math.ceil((65_536 * 4) / 3);

/** What the owner's browser posts after sealing a message (never the text: that has no field). */
/** Attachments: at most MAX_FILES a message, 5 MiB together before sealing (as public/oracle-crypto.js counts). */
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** A sealed attachment adds its name and type (≤ 1 KiB) and GCM's 16-byte tag. */
const SEALED_OVERHEAD = 1024 + 16;
export const MAX_SEALED_FILE_BYTES = MAX_FILE_BYTES + SEALED_OVERHEAD;
export const MAX_SEALED_FILES_BYTES = MAX_FILE_BYTES + MAX_FILES * SEALED_OVERHEAD;

const toArray = (v: unknown) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

/** How a message opens: with the recipient's key card (zero knowledge), or by this server at dispatch (weaker). */
export const MESSAGE_MODES = ['keycard', 'server'] as const;
export type MessageMode = (typeof MESSAGE_MODES)[number];

export const MessageForm = z
  .object({
    iv: b64(16, 16),
    // 64 KiB of ciphertext (65,520 bytes of UTF-8 text and the 16-byte tag), as base64url.
    ciphertext: b64(22, MAX_CIPHERTEXT_CHARS),
    server_share: b64(43, 43),
    length: z.coerce.number().int().min(1, 'The message is empty.').max(MAX_TEXT_BYTES, 'A message is at most 65,520 bytes of text.'),
    /** `keycard`: zero knowledge (the default); `server`: readable by this server, sent as text at dispatch. */
    mode: z.enum(MESSAGE_MODES, { error: 'Choose how the recipient opens the message: with a key card, or without.' }).default('keycard'),
    /** Sealed attachments (multipart parts, opaque bytes) and their IVs, in order. */
    file: z.preprocess(
      toArray,
      z.array(z.instanceof(File, { error: 'An attachment must be sent as a file.' })).max(MAX_FILES, `A message has at most ${MAX_FILES} attachments.`),
    ),
    file_iv: z.preprocess(toArray, z.array(b64(16, 16)).max(MAX_FILES, `A message has at most ${MAX_FILES} attachments.`)),
  })
  .strict()
  .refine((m) => m.file.length === m.file_iv.length, { path: ['file'], message: 'Each attachment needs its IV: reload the page and seal it again.' })
  .refine((m) => m.file.every((f) => f.size >= 17 && f.size <= MAX_SEALED_FILE_BYTES), {
    path: ['file'],
    message: 'An attachment is at most 5 MB: leave out the largest, or make it smaller.',
  })
  .refine((m) => m.file.reduce((sum, f) => sum + f.size, 0) <= MAX_SEALED_FILES_BYTES, {
    path: ['file'],
    message: 'A message’s attachments are at most 5 MB together: leave some out, or make them smaller.',
  });

export const PauseForm = z
  .object({
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Pick the date it resumes.'),
  })
  .strict();

/** Deleting a switch takes a tick in a box. */
export const DeleteForm = z
  .object({ confirm: z.literal('yes', { error: 'Tick “Delete for good” to delete the switch, its recipients and messages.' }) })
  .strict();

export const DONE = [
  'checked_in',
  'saved',
  'created',
  'paused',
  'recipient_added',
  'recipient_removed',
  'message_saved',
  'tested',
  'owner_webhook_removed',
] as const;
export const SwitchQuery = z.object({ done: z.enum(DONE).optional() }).strict();

/** Removing a recipient: the tick is needed when they have a sealed message. */
export const RemoveRecipientForm = z.object({ confirm: z.literal('yes').optional() }).strict();

export const HomeQuery = z.object({ done: z.enum(['deleted']).optional() }).strict();
