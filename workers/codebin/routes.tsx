/**
 * CodeBin, mounted at /codebin.
 *
 *   GET  /                      create page (+ recent public pastes; ?from=<slug> clones)
 *   POST /                      create from the form (htmx fragment, or 303 without JS)
 *   GET  /mine                  the signed-in user's pastes (key pagination)
 *   GET  /highlight.css         colour classes of the two Shiki themes (immutable)
 *   GET  /:slug                 view (burn-after-reading: an interstitial, nothing revealed)
 *   POST /:slug/reveal          burn-after-reading: reveal once and delete
 *   GET  /:slug/raw             exact bytes (HEAD too; ?download=1 for an attachment)
 *   GET  /:slug/manage          language and delete forms (owner, or the delete token from #token=…)
 *   POST /:slug/language        change language (re-rendered on this write, or queued)
 *   POST /:slug/delete          delete
 *   POST /api/pastes            JSON or raw body (curl --data-binary @file)
 *   PUT  /api/pastes/:filename  raw body (curl -T file)
 *   DELETE /api/pastes/:slug    Authorization: Bearer <delete token> (or the owner's API token)
 *
 * The read path (view, raw) is one primary-key SELECT or a Cache API hit, a gunzip
 * (or escaping plain text), and a string insert: Shiki runs only on writes, within a
 * budget; what does not fit goes to the Queue consumer (jobs.ts).
 *
 * Secrets stay out of URLs and logs: the delete token travels in the manage link's
 * fragment (never sent to a server, so never in an edge log or a Referer) and in
 * POST bodies; log lines name a paste by a keyed hash of its slug, since the slug of
 * a burn-after-reading paste is enough to burn it.
 */
import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../shared/context';
import { hmacBase64url, hmacKey } from '../../shared/crypto';
import { assertScope, currentAuth, requireSession } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import { HttpError, type FieldErrors } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { limitPerAddress } from '../../shared/http/rate-limit';
import { clientAddress, isHtmx } from '../../shared/http/request';
import { formatBytes } from '../../shared/http/security';
import { renderPage } from '../../shared/html/layout';
import { fragmentOrPage, matchesEtag } from '../../shared/http/respond';
import { formHook, invalidInput, rejectInvalid } from '../../shared/http/validation';
import * as cache from './cache';
import { codebinConfig } from './config';
import { checkBytes, checkText } from './content';
import type { ExpiryChoice } from './expiry';
import { highlightJob } from './jobs';
import { rawHeaders } from './raw';
import type { Language } from './language';
import { qrSvg } from './qr';
import * as repo from './repository';
import * as schema from './schema';
import { createPaste, FULL_MESSAGE, mayManage, pasteHtml, renderContent, type Created } from './service';
import * as views from './views';

const codebin = new Hono<AppEnv>();
/** Paste creation, from the form or the API: 30 a minute per address (RL_PASTE). */
const pasteLimit = limitPerAddress((env) => env.RL_PASTE, 'paste', 'pastes');
const MINE_PAGE = 50;
const RECENT = 20;
const GONE = 'This paste does not exist, has expired, or was already read and burned.';

const originOf = (c: Context) => new URL(c.req.url).origin;

/** The manage link carries the delete token in its fragment: browsers never send a fragment to any server. */
function linksFor(c: Context, slug: string, deleteToken?: string): views.Links {
  const url = `${originOf(c)}/codebin/${slug}`;
  return { url, rawUrl: `${url}/raw`, manageUrl: deleteToken ? `${url}/manage#token=${deleteToken}` : `${url}/manage` };
}

/** A paste's name in log lines (shared logRef): the same as the request line's `~ref` for its slug. */
function pasteRef(c: Context<AppEnv>, slug: string): Promise<string> {
  return logRef(c.env.SESSION_SECRET, slug);
}

const DAY_MS = 24 * 3600_000;

/** The expiries the form offers: "never" only to signed-in users (checkExpiry enforces it). */
function offeredExpiries(c: Context<AppEnv>): ExpiryChoice[] {
  const { expiries } = codebinConfig(c.env);
  return c.get('auth') ? expiries : expiries.filter((e) => e !== 'never');
}

/**
 * Room for `bytes` more in CodeBin: under the instance's total (507 at the cap, which
 * leaves accounts and the other apps working), and under the writer's daily
 * allowance (429 until the next UTC day): per account, or per client address
 * (IPv6: per /64) for anonymous writers, named by a keyed hash, never the address.
 */
async function reserveRoom(c: Context<AppEnv>, content: number, filename: string | null, ownerId: number | null): Promise<void> {
  const cfg = codebinConfig(c.env);
  // Charged as stored, less the HTML (not rendered yet; insertPaste's guard counts it).
  const bytes = repo.storedBytes(content, '', filename);
  const t = now();
  const day = Math.floor(t / DAY_MS);
  const daily = ownerId === null
    ? { who: `a:${(await hmacBase64url(await hmacKey(c.env.SESSION_SECRET, 'codebin-address'), clientAddress(c))).slice(0, 22)}`, day, limit: cfg.anonDailyBytes }
    : { who: `u:${ownerId}`, day, limit: cfg.userDailyBytes };
  const reserved = await repo.reserveStorage(c.env.DB, { bytes, maxTotal: cfg.maxTotalBytes, daily });
  if (reserved === 'full') throw new HttpError(507, FULL_MESSAGE);
  if (reserved === 'daily_limit') {
    const retry = Math.ceil(((day + 1) * DAY_MS - t) / 1000);
    const message = ownerId === null
      ? `Without an account you can paste ${formatBytes(cfg.anonDailyBytes)} a day from one address, and this one has used it. Sign in to paste more, or try again tomorrow (UTC).`
      : `An account can paste ${formatBytes(cfg.userDailyBytes)} a day on this instance, and yours has used today's. Try again tomorrow (UTC), or delete pastes you no longer need.`;
    throw new HttpError(429, message, { headers: { 'retry-after': String(retry) } });
  }
}

/** Hands a paste's highlighting to the Queue consumer when it did not fit this request's budget. */
async function enqueueHighlight(c: Context<AppEnv>, slug: string, language: Language, queued: boolean): Promise<void> {
  if (queued) await c.env.JOBS.send(highlightJob(slug, language));
}

/** The user a new paste belongs to: a session user, or an API token with codebin:write. */
function ownerFor(c: Context<AppEnv>): number | null {
  const auth = c.get('auth');
  if (!auth) return null;
  assertScope(auth, 'codebin:write', 'Create a token with it on your account page, or send no token to paste anonymously.');
  return auth.user.id;
}

function checkExpiry(c: Context<AppEnv>, choice: string | undefined, ownerId: number | null): ExpiryChoice {
  const cfg = codebinConfig(c.env);
  const expiry = (choice ?? cfg.defaultExpiry) as ExpiryChoice;
  if (!cfg.expiries.includes(expiry)) {
    throw new HttpError(422, `This CodeBin keeps pastes at most ${cfg.maxExpiry}. Choose one of: ${cfg.expiries.join(', ')}.`, {
      fields: { expiresIn: `Choose one of: ${cfg.expiries.join(', ')}.` },
    });
  }
  if (expiry === 'never' && ownerId === null) {
    const message = 'Pastes that never expire need an account: sign in, or choose an expiry.';
    throw new HttpError(422, message, { fields: { expiresIn: message } });
  }
  return expiry;
}

async function afterCreate(c: Context<AppEnv>, created: Created, via: string, size: number) {
  await enqueueHighlight(c, created.slug, created.language, created.queued);
  audit('paste.created', {
    actor_id: c.get('auth')?.user.id ?? null,
    paste: await pasteRef(c, created.slug),
    via,
    language: created.language,
    size,
    highlighted: created.highlighted,
    highlight_queued: created.queued,
    burn: created.burnAfterReading,
  });
}

// ---------------------------------------------------------------- create (web)

const createFormRender = (c: Context<AppEnv>, state: { errors: FieldErrors; values: Record<string, unknown> }) => {
  const cfg = codebinConfig(c.env);
  return {
    title: 'CodeBin',
    ...views.CODEBIN_ASSETS,
    form: <views.CreateForm csrf={c.get('csrfToken')} expiries={offeredExpiries(c)} defaultExpiry={cfg.defaultExpiry} values={state.values} errors={state.errors} />,
  };
};

codebin.get('/', zValidator('query', schema.CloneQuery, rejectInvalid), async (c) => {
  const cfg = codebinConfig(c.env);
  const t = now();
  const { from } = c.req.valid('query');
  let values: Record<string, unknown> = {};
  if (from) {
    // Clone and edit: only pastes anyone may read repeatedly (never burn or max-views).
    const source = await repo.findForRaw(c.env.DB, from, t);
    if (source && cache.cacheable(source)) values = { content: source.content, language: source.language, filename: source.filename ?? '' };
  }
  const recent = await repo.listRecentPublic(c.env.DB, t, RECENT);
  return c.render(
    <views.CreatePage csrf={c.get('csrfToken')} expiries={offeredExpiries(c)} defaultExpiry={cfg.defaultExpiry} values={values} recent={recent} signedIn={c.get('auth') !== null} />,
    { title: 'CodeBin', ...views.CODEBIN_ASSETS },
  );
});

codebin.post(
  '/',
  pasteLimit,
  zValidator('form', schema.CreatePasteForm, formHook(createFormRender)),
  async (c) => {
    const form = c.req.valid('form');
    // Browsers send a textarea's newlines as CRLF whatever the DOM held (LF): undo that
    // artefact of form encoding. The API keeps every byte as sent.
    const checked = checkText(form.content.replace(/\r\n/g, '\n'));
    if (!checked.ok) {
      if (checked.status === 413) throw new HttpError(413, checked.message);
      const { form: again, ...page } = createFormRender(c, { errors: { content: checked.message }, values: form });
      return fragmentOrPage(c, { ...page, status: 422 }, again);
    }
    const ownerId = ownerFor(c);
    const expiry = checkExpiry(c, form.expiresIn, ownerId);
    await reserveRoom(c, checked.bytes, form.filename ?? null, ownerId);
    const created = await createPaste(c.env.DB, {
      content: checked.text,
      bytes: checked.bytes,
      language: form.language ?? null,
      filename: form.filename ?? null,
      expiry,
      burnAfterReading: form.burnAfterReading,
      maxViews: form.maxViews ?? null,
      visibility: form.visibility,
      ownerId,
      now: now(),
      maxTotal: codebinConfig(c.env).maxTotalBytes,
    });
    await afterCreate(c, created, 'form', checked.bytes);
    const links = linksFor(c, created.slug, created.deleteToken);
    c.header('cache-control', 'no-store');
    if (isHtmx(c)) {
      return c.html(<views.CreatedResult links={links} qrSvg={qrSvg(links.url)} burn={created.burnAfterReading} expiresAt={created.expiresAt} />, 201);
    }
    // The fragment survives the redirect (browsers keep it), and the manage page's
    // script puts the token into its forms; it never reaches a server log.
    return c.redirect(`/codebin/${created.slug}/manage?created=1#token=${created.deleteToken}`, 303);
  },
);

// ---------------------------------------------------------------- create (API, curl)

function wantsJson(c: Context): boolean {
  return /application\/json/i.test(c.req.header('content-type') ?? '') || /application\/json/i.test(c.req.header('accept') ?? '');
}

async function apiCreate(c: Context<AppEnv>, pathFilename: string | null): Promise<Response> {
  const ownerId = ownerFor(c);
  const json = /^application\/json\b/i.test(c.req.header('content-type') ?? '');
  let input: { content: string; bytes: number; language: Language | null; filename: string | null; expiry?: string | undefined; burn: boolean; maxViews: number | null; visibility: repo.Visibility };
  if (json) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'The body is not valid JSON. Send {"content": "…"} or post the file itself (curl --data-binary @file).');
    }
    const parsed = schema.CreatePasteJson.safeParse(body);
    if (!parsed.success) throw invalidInput(parsed.error, 'paste');
    const checked = checkText(parsed.data.content);
    if (!checked.ok) throw new HttpError(checked.status, checked.message, { fields: { content: checked.message } });
    input = {
      content: checked.text, bytes: checked.bytes, language: parsed.data.language ?? null, filename: parsed.data.filename ?? pathFilename,
      expiry: parsed.data.expiresIn, burn: parsed.data.burnAfterReading, maxViews: parsed.data.maxViews ?? null, visibility: parsed.data.visibility,
    };
  } else {
    const query = schema.RawUploadQuery.safeParse(c.req.query());
    if (!query.success) throw invalidInput(query.error, 'query');
    const checked = checkBytes(new Uint8Array(await c.req.arrayBuffer()));
    if (!checked.ok) throw new HttpError(checked.status, checked.message, { fields: { content: checked.message } });
    input = {
      content: checked.text, bytes: checked.bytes, language: query.data.lang ?? null, filename: query.data.filename ?? pathFilename,
      expiry: query.data.expiresIn, burn: query.data.burn, maxViews: query.data.maxViews ?? null, visibility: query.data.visibility,
    };
  }
  const expiry = checkExpiry(c, input.expiry, ownerId);
  await reserveRoom(c, input.bytes, input.filename, ownerId);
  const created = await createPaste(c.env.DB, {
    content: input.content,
    bytes: input.bytes,
    language: input.language,
    filename: input.filename,
    expiry,
    burnAfterReading: input.burn,
    maxViews: input.maxViews,
    visibility: input.visibility,
    ownerId,
    now: now(),
    maxTotal: codebinConfig(c.env).maxTotalBytes,
  });
  await afterCreate(c, created, json ? 'api-json' : 'api-raw', input.bytes);
  const links = linksFor(c, created.slug, created.deleteToken);
  const headers = { location: links.url, 'cache-control': 'no-store', 'x-delete-token': created.deleteToken, 'x-raw-url': links.rawUrl };
  if (json || wantsJson(c)) {
    return c.json(
      {
        slug: created.slug,
        url: links.url,
        rawUrl: links.rawUrl,
        manageUrl: links.manageUrl,
        deleteToken: created.deleteToken,
        language: created.language,
        expiresAt: created.expiresAt === null ? null : new Date(created.expiresAt).toISOString(),
      },
      201,
      headers,
    );
  }
  return c.text(`${links.url}\n`, 201, headers);
}

codebin.post('/api/pastes', pasteLimit, (c) => apiCreate(c, null));

codebin.put('/api/pastes/:filename', pasteLimit, (c) => {
  const filename = schema.filenameField.safeParse(c.req.param('filename'));
  if (!filename.success) throw new HttpError(422, filename.error.issues[0]?.message ?? 'Bad file name.');
  return apiCreate(c, filename.data);
});

codebin.delete('/api/pastes/:slug', zValidator('param', schema.SlugParam, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const paste = await repo.findForManage(c.env.DB, slug, now());
  if (!paste) throw new HttpError(404, GONE);
  const bearer = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
  const auth = c.get('auth');
  if (!(await mayManage(paste, { auth, token: auth ? undefined : bearer || undefined }))) {
    throw new HttpError(403, 'Wrong delete token. Send the one you got when you created the paste: Authorization: Bearer <token>.');
  }
  await repo.deletePaste(c.env.DB, slug);
  await cache.purge(originOf(c), slug);
  audit('paste.deleted', { actor_id: auth?.user.id ?? null, paste: await pasteRef(c, slug), via: 'api' });
  return c.body(null, 204);
});

// ---------------------------------------------------------------- static-ish

codebin.get('/highlight.css', async (c) => {
  const { highlightCss } = await import('./highlight');
  return c.body(highlightCss(), 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
});

codebin.get('/mine', requireSession(), zValidator('query', schema.MineQuery, rejectInvalid), async (c) => {
  const { before } = c.req.valid('query');
  const cursor = before ? { createdAt: Number(before.split(':')[0]), slug: before.split(':')[1]! } : null;
  const rows = await repo.listOwned(c.env.DB, { ownerId: currentAuth(c).user.id, before: cursor, limit: MINE_PAGE + 1, now: now() });
  const page = rows.slice(0, MINE_PAGE);
  const last = page[page.length - 1];
  const next = rows.length > MINE_PAGE && last ? `${last.createdAt}:${last.slug}` : null;
  return c.render(<views.MinePage pastes={page} next={next} />, { title: 'My pastes' });
});

// ---------------------------------------------------------------- read

function canManage(c: Context<AppEnv>, meta: repo.PasteMeta): boolean {
  const auth = c.get('auth');
  return auth !== null && auth.via === 'session' && meta.ownerId === auth.user.id;
}

codebin.get('/:slug', zValidator('param', schema.SlugParam, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const t = now();
  const origin = originOf(c);
  let view = await cache.getView(origin, slug, t);
  if (!view) {
    const paste = await repo.findForView(c.env.DB, slug, t);
    if (!paste) throw new HttpError(404, GONE);
    if (paste.burnAfterReading) {
      c.header('cache-control', 'no-store');
      return c.render(<views.BurnInterstitial slug={slug} csrf={c.get('csrfToken')} />, { title: 'Burn after reading' });
    }
    if (paste.viewsLeft !== null) {
      // HEAD (link checkers, previews) never spends a view.
      const counted = c.req.method === 'HEAD' ? { ...paste, content: paste.content ?? '' } : await repo.consumeView(c.env.DB, slug, t);
      if (!counted) throw new HttpError(404, GONE);
      c.header('cache-control', 'no-store');
      const html = await pasteHtml(counted);
      return c.render(<views.PasteView meta={counted} html={html} canManage={canManage(c, counted)} viewsLeft={counted.viewsLeft} />, {
        title: counted.filename ?? `Paste ${slug}`,
        ...views.CODEBIN_ASSETS,
      });
    }
    const { htmlGz: _html, content: _content, ...meta } = paste;
    view = { meta, html: await pasteHtml(paste) };
    c.executionCtx.waitUntil(cache.putView(origin, meta, view.html, t));
  }
  // No ETag: the page carries this response's CSP nonce, and a 304 would make the
  // browser reuse an old body whose nonces no longer match (every script blocked).
  c.header('cache-control', 'private, no-cache');
  return c.render(<views.PasteView meta={view.meta} html={view.html} canManage={canManage(c, view.meta)} />, {
    title: view.meta.filename ?? `Paste ${slug}`,
    ...views.CODEBIN_ASSETS,
  });
});

codebin.post('/:slug/reveal', zValidator('param', schema.SlugParam, rejectInvalid), zValidator('form', schema.DeleteForm, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const paste = await repo.burn(c.env.DB, slug, now());
  if (!paste) throw new HttpError(404, GONE);
  await cache.purge(originOf(c), slug);
  audit('paste.burned', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug) });
  c.header('cache-control', 'no-store');
  const html = await pasteHtml(paste);
  return c.render(<views.PasteView meta={paste} html={html} canManage={false} />, { title: paste.filename ?? `Paste ${slug}`, ...views.CODEBIN_ASSETS });
});

codebin.get('/:slug/raw', zValidator('param', schema.SlugParam, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const t = now();
  const origin = originOf(c);
  let meta: repo.PasteMeta;
  let body: Uint8Array<ArrayBuffer>;
  const hit = await cache.getRaw(origin, slug, t);
  if (hit) {
    meta = hit.meta;
    body = new Uint8Array(hit.body);
  } else {
    const paste = await repo.findForRaw(c.env.DB, slug, t);
    if (!paste) throw new HttpError(404, GONE);
    if (paste.burnAfterReading) throw new HttpError(403, `This paste burns after reading; open it at /codebin/${slug}.`);
    let content = paste.content;
    meta = paste;
    // HEAD (link checkers, previews) never spends a view.
    if (paste.viewsLeft !== null && c.req.method !== 'HEAD') {
      const counted = await repo.consumeView(c.env.DB, slug, t);
      if (!counted) throw new HttpError(404, GONE);
      content = counted.content;
      meta = counted;
    }
    body = new TextEncoder().encode(content) as Uint8Array<ArrayBuffer>;
    c.executionCtx.waitUntil(cache.putRaw(origin, meta, body, t));
  }
  const headers = rawHeaders(meta, c.req.query('download') !== undefined);
  if (cache.cacheable(meta) && matchesEtag(c, `"${meta.etag}"`)) {
    return c.body(null, 304, headers);
  }
  headers['content-length'] = String(body.byteLength);
  return c.body(body, 200, headers);
});

// ---------------------------------------------------------------- manage

/** The paste, if this caller may manage it; otherwise the manage page again, 403, with the reason next to the token field. */
async function managed(c: Context<AppEnv>, slug: string, token: string | undefined, form: views.ManageError['form']): Promise<repo.ManageRow | Response> {
  const paste = await repo.findForManage(c.env.DB, slug, now());
  if (!paste) throw new HttpError(404, GONE);
  if (await mayManage(paste, { auth: c.get('auth'), token })) return paste;
  const message = token
    ? 'That token is wrong for this paste. Copy it again from your delete link (everything after #token=).'
    : 'Enter the delete token from your delete link, or sign in as the paste’s owner.';
  c.header('cache-control', 'no-store');
  return renderPage(
    c,
    { title: 'Manage paste', status: 403, ...views.CODEBIN_ASSETS },
    <views.ManagePage meta={paste} csrf={c.get('csrfToken')} owner={false} links={linksFor(c, slug)} qrSvg="" created={false} error={{ form, message }} />,
  );
}

/**
 * The manage page. The owner needs nothing more; anyone else proves themselves with
 * the delete token, which the page's script reads from `#token=…` into the forms
 * (without JavaScript, paste it into the field). The token is checked when a form is
 * posted, so the page itself shows only what the paste's view page shows.
 */
codebin.get('/:slug/manage', zValidator('param', schema.SlugParam, rejectInvalid), zValidator('query', schema.ManageQuery, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const { created } = c.req.valid('query');
  const paste = await repo.findForManage(c.env.DB, slug, now());
  if (!paste) throw new HttpError(404, GONE);
  const owner = await mayManage(paste, { auth: c.get('auth'), token: undefined });
  const links = linksFor(c, slug);
  c.header('cache-control', 'no-store');
  return c.render(
    <views.ManagePage meta={paste} csrf={c.get('csrfToken')} owner={owner} links={links} qrSvg={qrSvg(links.url)} created={created === '1'} />,
    { title: 'Manage paste', ...views.CODEBIN_ASSETS },
  );
});

/** Highlighting costs CPU, so changing the language is rate-limited like creating a paste. */
codebin.post('/:slug/language', pasteLimit, zValidator('param', schema.SlugParam, rejectInvalid), zValidator('form', schema.LanguageForm, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const form = c.req.valid('form');
  const paste = await managed(c, slug, form.token || undefined, 'language');
  if (paste instanceof Response) return paste;
  const language = form.language ?? 'plaintext';
  // The same language again changes nothing: no re-render, no queue job (repeated
  // posts would otherwise buy background CPU for free).
  if (language === paste.language) return c.redirect(`/codebin/${slug}`, 303);
  const rendering = await renderContent(paste.content, paste.size, language);
  const updated = await repo.updateRendering(c.env.DB, { slug, language, ...rendering }, codebinConfig(c.env).maxTotalBytes);
  if (updated === 'gone') throw new HttpError(404, GONE);
  if (updated === 'full') throw new HttpError(507, `${FULL_MESSAGE} The paste keeps its current language.`);
  await enqueueHighlight(c, slug, language, rendering.queued);
  await cache.purge(originOf(c), slug);
  audit('paste.language_changed', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug), from: paste.language, to: language });
  return c.redirect(`/codebin/${slug}`, 303);
});

codebin.post('/:slug/delete', zValidator('param', schema.SlugParam, rejectInvalid), zValidator('form', schema.DeleteForm, rejectInvalid), async (c) => {
  const { slug } = c.req.valid('param');
  const { token } = c.req.valid('form');
  const paste = await managed(c, slug, token || undefined, 'delete');
  if (paste instanceof Response) return paste;
  await repo.deletePaste(c.env.DB, slug);
  await cache.purge(originOf(c), slug);
  audit('paste.deleted', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug), via: 'web' });
  return c.render(<views.Deleted />, { title: 'Paste deleted' });
});

export default codebin;
