/**
 * zod schemas for CodeBin's forms, JSON API, curl query parameters and route
 * parameters, and the one shape (`Upload`) the API's two body kinds become.
 * Form schemas never declare `_csrf`: shared `form()` strips it (the CSRF
 * middleware has checked it).
 */
import * as z from 'zod';
import { cursorParam } from '../../shared/pagination';
import { checkBytes, checkText, type ContentCheck } from './content';
import { EXPIRY_KEYS } from './expiry';
import { LANGUAGE_IDS, resolveLanguage, type Language } from './language';
import type { Visibility } from './repository';
import { isSlug } from './slug';

export const MAX_VIEWS = 1000;

const languageList = LANGUAGE_IDS.join(', ');

/** A language name (id or alias) → its id; 'auto' or empty → null (detect). Unknown → 422 with the list. */
export const languageField = z
  .string()
  .trim()
  .max(40, 'Language names are short, like “python”.')
  .transform((value, ctx): Language | null => {
    if (value === '' || value.toLowerCase() === 'auto') return null;
    const lang = resolveLanguage(value);
    if (!lang) {
      ctx.addIssue({ code: 'custom', message: `Unknown language “${value}”. Use one of: ${languageList}.` });
      return z.NEVER;
    }
    return lang;
  });

export const filenameField = z
  .string()
  .trim()
  .max(255, 'File names are at most 255 characters.')
  .refine((f) => !/[\u0000-\u001f\u007f]/.test(f), 'File names cannot contain control characters.')
  .transform((f) => (f === '' ? null : f));

export const expiryField = z.enum(EXPIRY_KEYS as [string, ...string[]], { error: `Expiry must be one of: ${EXPIRY_KEYS.join(', ')}.` });
export const visibilityField = z.enum(['public', 'unlisted'], { error: 'Visibility is “public” or “unlisted”.' });

const maxViewsNumber = z.coerce
  .number({ error: 'Max views must be a number.' })
  .int('Max views must be a whole number.')
  .min(1, 'Max views is at least 1.')
  .max(MAX_VIEWS, `Max views is at most ${MAX_VIEWS}.`);

/** A checkbox: present ("on", "true", "1") or absent. */
const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('1'), z.literal('false'), z.literal('0'), z.literal('')])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const noBurnWithMaxViews = (p: { burnAfterReading?: boolean; maxViews?: number | null | undefined }) => !(p.burnAfterReading && p.maxViews);
const BURN_MAX_VIEWS = { path: ['maxViews'], message: 'Choose burn after reading or a view limit, not both.' };

/** The web form (multipart or urlencoded). Content is checked separately, on bytes. */
export const CreatePasteForm = z
  .object({
    content: z.string(),
    language: languageField.optional(),
    filename: filenameField.optional(),
    expiresIn: expiryField.optional(),
    burnAfterReading: checkbox,
    maxViews: z.union([z.literal('').transform(() => null), maxViewsNumber]).optional(),
    visibility: visibilityField.optional().default('unlisted'),
  })
  .strict()
  .refine(noBurnWithMaxViews, BURN_MAX_VIEWS);

/** POST /codebin/api/pastes with a JSON body. */
export const CreatePasteJson = z
  .object({
    content: z.string({ error: '“content” is required and must be a string.' }),
    language: languageField.optional(),
    filename: filenameField.optional(),
    expiresIn: expiryField.optional(),
    burnAfterReading: z.boolean({ error: '“burnAfterReading” must be true or false.' }).optional().default(false),
    maxViews: maxViewsNumber.nullable().optional(),
    visibility: visibilityField.optional().default('unlisted'),
  })
  .strict()
  .refine(noBurnWithMaxViews, BURN_MAX_VIEWS);

/** Query parameters for raw-body uploads (curl --data-binary / curl -T). */
export const RawUploadQuery = z
  .object({
    lang: languageField.optional(),
    filename: filenameField.optional(),
    expiresIn: expiryField.optional(),
    burn: checkbox,
    maxViews: maxViewsNumber.optional(),
    visibility: visibilityField.optional().default('unlisted'),
  })
  .strict()
  .refine((q) => !(q.burn && q.maxViews), BURN_MAX_VIEWS);

export const SlugParam = z.object({ slug: z.string().refine(isSlug, 'No paste has that address.') });

/** PUT /codebin/api/pastes/:filename (curl -T names the paste after the file). */
export const FilenameParam = z.object({ filename: filenameField });

/** GET /codebin/:slug/raw: `?download` (any value) asks for an attachment. Other parameters (cache busters) are ignored. */
export const RawQuery = z.object({ download: z.string().optional() });

export const ManageQuery = z.object({ token: z.string().max(100).optional(), created: z.literal('1').optional() }).strict();

/** The manage page posts one form to either action, so delete also receives (and ignores) the language select. */
export const DeleteForm = z.object({ token: z.string().max(100).optional(), language: z.string().max(64).optional() }).strict();

export const LanguageForm = z.object({ language: languageField, token: z.string().max(100).optional() }).strict();

/** My pastes: `before` is the key (created_at, slug) of the last paste of the page before. */
export const MineQuery = z.object({ before: cursorParam({ createdAt: 'int', slug: 'id' }).optional() }).strict();

export const CloneQuery = z.object({ from: z.string().refine(isSlug).optional().catch(undefined) });

/**
 * What POST and PUT /codebin/api/pastes receive, whichever way it was sent: a JSON
 * object (CreatePasteJson) or the file itself with options in the query string
 * (RawUploadQuery). `fileName` is the PUT's path segment, used when no other name is given.
 */
export type Upload = {
  content: string;
  bytes: number;
  language: Language | null;
  filename: string | null;
  expiresIn: string | undefined;
  burnAfterReading: boolean;
  maxViews: number | null;
  visibility: Visibility;
};

export type Uploaded = { ok: true; upload: Upload } | Extract<ContentCheck, { ok: false }>;

/** The options of a paste, as the form and the JSON API name them (the raw upload's query names them shorter). */
export type UploadOptions = {
  language?: Language | null | undefined;
  filename?: string | null | undefined;
  expiresIn?: string | undefined;
  burnAfterReading: boolean;
  maxViews?: number | null | undefined;
  visibility: Visibility;
};

/** Checked content and its options as one Upload: the one place the form, the JSON body and the raw upload meet. */
export function uploadOf(checked: { text: string; bytes: number }, options: UploadOptions, fileName: string | null = null): Upload {
  return {
    content: checked.text,
    bytes: checked.bytes,
    language: options.language ?? null,
    filename: options.filename ?? fileName,
    expiresIn: options.expiresIn,
    burnAfterReading: options.burnAfterReading,
    maxViews: options.maxViews ?? null,
    visibility: options.visibility,
  };
}

/** A validated JSON body, its content checked (empty, binary, over 1 MiB). The API keeps every byte as sent. */
export function uploadFromJson(body: z.output<typeof CreatePasteJson>, fileName: string | null): Uploaded {
  const checked = checkText(body.content);
  return checked.ok ? { ok: true, upload: uploadOf(checked, body, fileName) } : checked;
}

/** A raw body (curl --data-binary, curl -T) with its validated query parameters, the bytes checked as UTF-8 text. */
export function uploadFromRaw(query: z.output<typeof RawUploadQuery>, body: Uint8Array, fileName: string | null): Uploaded {
  const checked = checkBytes(body);
  if (!checked.ok) return checked;
  const { lang: language, burn: burnAfterReading, ...rest } = query;
  return { ok: true, upload: uploadOf(checked, { ...rest, language, burnAfterReading }, fileName) };
}
