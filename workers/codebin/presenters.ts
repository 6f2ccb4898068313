/**
 * The JSON shapes of CodeBin's API, each with the zod schema of its output: the
 * schema documents the response in the OpenAPI document (api.tsx), the function
 * builds it, and `satisfies` keeps the two the same.
 */
import * as z from 'zod';
import { LANGUAGE_IDS, type Language } from './language';
import type { Links } from './paths';
import type { Created } from './service';

export const CreatedPasteJson = z
  .object({
    slug: z.string().describe('The paste’s address: 8 characters for public pastes, 16 for unlisted and burn-after-reading ones.'),
    url: z.url().describe('The paste’s page.'),
    rawUrl: z.url().describe('The exact bytes, as text/plain.'),
    manageUrl: z.url().describe('The delete link: the delete token rides in its fragment (`#token=…`), which browsers never send to a server.'),
    deleteToken: z.string().describe('Shown only now. Delete with `Authorization: Bearer <deleteToken>`; only its SHA-256 is stored.'),
    language: z.enum(LANGUAGE_IDS as [Language, ...Language[]]).describe('The language it is highlighted as (given, or detected).'),
    expiresAt: z.iso.datetime().nullable().describe('When it expires (ISO 8601, UTC), or null for never.'),
  })
  .meta({ id: 'CodebinCreatedPaste' });

export type CreatedPasteJson = z.infer<typeof CreatedPasteJson>;

/** A paste just created, as POST/PUT /codebin/api/pastes answer it (201). */
export function createdPasteJson(created: Pick<Created, 'slug' | 'deleteToken' | 'language' | 'expiresAt'>, links: Links): CreatedPasteJson {
  return {
    slug: created.slug,
    url: links.url,
    rawUrl: links.rawUrl,
    manageUrl: links.manageUrl,
    deleteToken: created.deleteToken,
    language: created.language,
    expiresAt: created.expiresAt === null ? null : new Date(created.expiresAt).toISOString(),
  } satisfies CreatedPasteJson;
}
