/**
 * CodeBin's JSON API, for curl and scripts (mounted by routes.tsx at /codebin):
 *
 *   POST   /api/pastes            a JSON object, or the file itself (curl --data-binary @file)
 *   PUT    /api/pastes/:filename  the file itself (curl -T file), named after it
 *   DELETE /api/pastes/:slug      Authorization: Bearer <delete token> (or the owner's API token)
 *
 * Anonymous, or as the owner of an API token with `codebin:write`. Every route
 * describes itself (`api()` first) and validates with the shared validators, so
 * /api/openapi.json documents what is actually checked. Errors are problem+json.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { describeRoute, resolver, uniqueSymbol, validator } from 'hono-openapi';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { audit } from '../../shared/http/logging';
import { api } from '../../shared/http/openapi';
import { refusal } from '../../shared/http/refusal';
import { json, params, query, rejectInvalid } from '../../shared/http/validation';
import * as cache from './cache';
import { links } from './paths';
import { CreatedPasteJson, createdPasteJson } from './presenters';
import { GONE_MESSAGE, REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import { mayManage } from './service';
import { contentRefused, originOf, ownerFor, pasteLimit, pasteRef, storeUpload } from './writes';

const codebinApi = new Hono<AppEnv>();

const TAG = 'CodeBin';

// ---------------------------------------------------------------- two kinds of body

/** A JSON object (`Content-Type: application/json`); anything else is the paste's bytes. */
const isJsonBody = (c: Context) => /^application\/json\b/i.test(c.req.header('content-type') ?? '');

/** Answer JSON when it was sent, or asked for with Accept; curl gets the URL as one line of text. */
const wantsJson = (c: Context) => isJsonBody(c) || /application\/json/i.test(c.req.header('accept') ?? '');

/** Runs `validate` only for the requests `when` accepts, keeping its OpenAPI description. */
function onlyFor<M extends MiddlewareHandler>(when: (c: Context) => boolean, validate: M): M {
  const run = ((c: Context, next: () => Promise<void>) => (when(c) ? validate(c, next) : next())) as unknown as M;
  return Object.assign(run, { [uniqueSymbol]: (validate as unknown as Record<symbol, unknown>)[uniqueSymbol] });
}

const NOT_JSON = 'The body is not valid JSON. Send {"content": "…"} or post the file itself (curl --data-binary @file).';

/**
 * shared `json()`, with CodeBin's own words for a body that does not parse: here the
 * alternative to fixing the JSON is sending the file itself. (Local until `json()`
 * takes the message as an option.)
 */
/** POST and PUT validate whichever body kind they got: the JSON object, or the raw upload's query parameters. */
const jsonBody = onlyFor(isJsonBody, json(schema.CreatePasteJson, NOT_JSON));
const rawQuery = onlyFor((c) => !isJsonBody(c), query(schema.RawUploadQuery));

/** A token without `codebin:write` is refused (403) before its body is even parsed. */
const mayWrite: MiddlewareHandler<AppEnv> = async (c, next) => {
  ownerFor(c);
  await next();
};

/**
 * What `api()` cannot say yet: the raw body next to the JSON one (the `json()`
 * validator documents that), a 201 that is text/plain for curl, and that a token
 * is optional (anonymous pastes). hono-openapi merges this into `api()`'s operation.
 */
const uploadSpec = (how: string) =>
  describeRoute({
    requestBody: {
      required: true,
      description: `A JSON object (\`Content-Type: application/json\`), or ${how}: options are then query parameters. Up to 1 MiB of UTF-8 text.`,
      content: {
        'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
        'text/plain': { schema: { type: 'string' } },
      },
    },
    responses: {
      201: {
        description:
          'Created. JSON when the body was JSON or `Accept: application/json`; otherwise the paste’s URL as one line. `Location`, `X-Raw-Url` and `X-Delete-Token` carry the same links either way.',
        content: {
          'application/json': { schema: resolver(CreatedPasteJson) },
          'text/plain': { schema: { type: 'string', example: 'https://sixfold.example/codebin/Ab3dEf7h\n' } },
        },
      },
    },
  });

const created201 = { description: 'Created.', schema: CreatedPasteJson };

/** The upload of a POST or PUT, from whichever validator ran: the JSON body, or the raw body with its query. */
async function uploaded(c: Context, fileName: string | null): Promise<schema.Uploaded> {
  const valid = c.req as unknown as { valid(target: 'json' | 'query'): never };
  return isJsonBody(c)
    ? schema.uploadFromJson(valid.valid('json'), fileName)
    : schema.uploadFromRaw(valid.valid('query'), new Uint8Array(await c.req.arrayBuffer()), fileName);
}

/** Stores the validated upload and answers 201 (JSON or the URL as text). */
async function create(c: Context<AppEnv>, uploaded: schema.Uploaded): Promise<Response> {
  if (!uploaded.ok) throw contentRefused(uploaded);
  const created = await storeUpload(c, uploaded.upload, ownerFor(c), isJsonBody(c) ? 'api-json' : 'api-raw');
  const to = links(originOf(c), created.slug, created.deleteToken);
  const headers = { location: to.url, 'cache-control': 'no-store', 'x-delete-token': created.deleteToken, 'x-raw-url': to.rawUrl };
  if (wantsJson(c)) return c.json(createdPasteJson(created, to), 201, headers);
  return c.text(`${to.url}\n`, 201, headers);
}

// ---------------------------------------------------------------- routes

codebinApi.post(
  '/api/pastes',
  api({
    tag: TAG,
    summary: 'Create a paste',
    description:
      'Send `{"content": "…"}` with options, or post the file itself: `curl --data-binary @app.py "…/codebin/api/pastes?filename=app.py"`. Anonymous, or as the owner of a token with `codebin:write`.',
    responses: { 201: created201 },
    errors: [403, 413, 429, 507],
    scope: 'codebin:write',
    optionalAuth: true,
  }),
  uploadSpec('the file itself (`curl --data-binary @file`)'),
  pasteLimit,
  mayWrite,
  jsonBody,
  rawQuery,
  async (c) => create(c, await uploaded(c, null)),
);

codebinApi.put(
  '/api/pastes/:filename',
  api({
    tag: TAG,
    summary: 'Upload a file as a paste',
    description: '`curl -T app.rs …/codebin/api/pastes/app.rs`: the paste is named after the file (its extension picks the language).',
    responses: { 201: created201 },
    errors: [403, 413, 429, 507],
    scope: 'codebin:write',
    optionalAuth: true,
  }),
  uploadSpec('the file itself (`curl -T file`)'),
  pasteLimit,
  mayWrite,
  // A file name is the caller's data, not an id: a bad one is a 422 naming the problem.
  validator('param', schema.FilenameParam, rejectInvalid),
  jsonBody,
  rawQuery,
  async (c) => create(c, await uploaded(c, c.req.valid('param').filename)),
);

codebinApi.delete(
  '/api/pastes/:slug',
  api({
    tag: TAG,
    summary: 'Delete a paste',
    description: '`Authorization: Bearer <deleteToken>` with the token from creating it, or the owner’s API token with `codebin:write`.',
    responses: { 204: 'Deleted.' },
    errors: [403, 404],
    scope: 'codebin:write',
    optionalAuth: true,
  }),
  params(schema.SlugParam, GONE_MESSAGE),
  async (c) => {
    const { slug } = c.req.valid('param');
    const paste = await repo.findForManage(c.env.DB, slug, now());
    if (!paste) throw refusal(REFUSALS, 'gone');
    const bearer = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
    const auth = c.get('auth');
    if (!(await mayManage(paste, { auth, token: auth ? undefined : bearer || undefined }))) throw refusal(REFUSALS, 'bearer_wrong');
    await repo.deletePaste(c.env.DB, slug);
    await cache.purge(originOf(c), slug);
    audit('paste.deleted', { actor_id: auth?.user.id ?? null, paste: await pasteRef(c, slug), via: 'api' });
    return c.body(null, 204);
  },
);

export default codebinApi;
