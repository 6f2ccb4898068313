/**
 * CodeBin's pages and htmx fragments (mounted by routes.tsx at /codebin). The read
 * path (view, raw) is one primary-key SELECT or a cache hit, a gunzip (or escaping
 * plain text), and a string insert: Shiki runs only on writes, within a budget;
 * what does not fit goes to the Queue consumer (jobs.ts).
 *
 * The delete token travels in the manage link's fragment (never sent to a server,
 * so never in an edge log or a Referer) and in POST bodies.
 */
import { Hono, type Context } from 'hono';
import { currentAuth, requireSession } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { renderPage } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { audit } from '../../shared/http/logging';
import { describeRefusal, refusal } from '../../shared/http/refusal';
import { isHtmx } from '../../shared/http/request';
import { fragmentOrPage, matchesEtag } from '../../shared/http/respond';
import { form, formHook, params, query } from '../../shared/http/validation';
import { encodeCursor, keysetPage } from '../../shared/pagination';
import * as cache from './cache';
import { codebinConfig } from './config';
import { checkText } from './content';
import { links, paths } from './paths';
import { qrSvg } from '../../shared/html/qr';
import { rawHeaders } from './raw';
import { GONE_MESSAGE, REFUSALS } from './refusals';
import * as repo from './repository';
import * as schema from './schema';
import { mayManage, pasteHtml, renderContent } from './service';
import * as views from './views';
import { contentRefused, enqueueHighlight, offeredExpiries, originOf, ownerFor, pasteLimit, pasteRef, storeUpload } from './writes';

const web = new Hono<AppEnv>();

const MINE_PAGE = 50;
const RECENT = 20;

/** A slug that cannot exist is the same 404 as one that does not: no oracle for slugs. */
const slugParam = params(schema.SlugParam, GONE_MESSAGE);

// ---------------------------------------------------------------- create

const createFormRender = (c: Context<AppEnv>, state: { errors: FieldErrors; values: Record<string, unknown> }) => {
  const cfg = codebinConfig(c.env);
  return {
    title: 'CodeBin',
    ...views.CODEBIN_ASSETS,
    form: (
      <views.CreateForm csrf={c.get('csrfToken')} expiries={offeredExpiries(c)} defaultExpiry={cfg.defaultExpiry} values={state.values} errors={state.errors} />
    ),
  };
};

web.get('/', query(schema.CloneQuery), async (c) => {
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
    <views.CreatePage
      csrf={c.get('csrfToken')}
      expiries={offeredExpiries(c)}
      defaultExpiry={cfg.defaultExpiry}
      values={values}
      recent={recent}
      signedIn={c.get('auth') !== null}
    />,
    { title: 'CodeBin', ...views.CODEBIN_ASSETS },
  );
});

web.post('/', pasteLimit, form(schema.CreatePasteForm, formHook(createFormRender)), async (c) => {
  const fields = c.req.valid('form');
  // Browsers send a textarea's newlines as CRLF whatever the DOM held (LF): undo that
  // artefact of form encoding. The API keeps every byte as sent.
  const checked = checkText(fields.content.replace(/\r\n/g, '\n'));
  if (!checked.ok) {
    if (checked.status === 413) throw contentRefused(checked);
    const { form: again, ...page } = createFormRender(c, { errors: { content: checked.message }, values: fields });
    return fragmentOrPage(c, { ...page, status: 422 }, again);
  }
  const created = await storeUpload(c, schema.uploadOf(checked, fields), ownerFor(c), 'form');
  c.header('cache-control', 'no-store');
  if (isHtmx(c)) {
    const to = links(originOf(c), created.slug, created.deleteToken);
    return c.html(<views.CreatedResult links={to} qrSvg={qrSvg(to.url)} burn={created.burnAfterReading} expiresAt={created.expiresAt} />, 201);
  }
  // The fragment survives the redirect (browsers keep it), and the manage page's
  // script puts the token into its forms; it never reaches a server log.
  return c.redirect(paths.created(created.slug, created.deleteToken), 303);
});

// ---------------------------------------------------------------- static-ish (before /:slug)

web.get('/highlight.css', async (c) => {
  const { highlightCss } = await import('./highlight');
  return c.body(highlightCss(), 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
});

web.get('/mine', requireSession(), query(schema.MineQuery), async (c) => {
  const { before } = c.req.valid('query');
  const rows = await repo.listOwned(c.env.DB, { ownerId: currentAuth(c).user.id, before: before ?? null, limit: MINE_PAGE + 1, now: now() });
  const page = keysetPage(rows, MINE_PAGE, (last) => encodeCursor([last.createdAt, last.slug]));
  return c.render(<views.MinePage pastes={page.items} next={page.next} />, { title: 'My pastes' });
});

// ---------------------------------------------------------------- read

function canManage(c: Context<AppEnv>, meta: repo.PasteMeta): boolean {
  const auth = c.get('auth');
  return auth !== null && auth.via === 'session' && meta.ownerId === auth.user.id;
}

web.get('/:slug', slugParam, async (c) => {
  const { slug } = c.req.valid('param');
  const t = now();
  const origin = originOf(c);
  let view = await cache.getView(origin, slug, t);
  if (!view) {
    const paste = await repo.findForView(c.env.DB, slug, t);
    if (!paste) throw refusal(REFUSALS, 'gone');
    if (paste.burnAfterReading) {
      c.header('cache-control', 'no-store');
      return c.render(<views.BurnInterstitial slug={slug} csrf={c.get('csrfToken')} />, { title: 'Burn after reading' });
    }
    if (paste.viewsLeft !== null) {
      // HEAD (link checkers, previews) never spends a view.
      const counted = c.req.method === 'HEAD' ? { ...paste, content: paste.content ?? '' } : await repo.consumeView(c.env.DB, slug, t);
      if (!counted) throw refusal(REFUSALS, 'gone');
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

web.post('/:slug/reveal', slugParam, form(schema.DeleteForm), async (c) => {
  const { slug } = c.req.valid('param');
  const paste = await repo.burn(c.env.DB, slug, now());
  if (!paste) throw refusal(REFUSALS, 'gone');
  await cache.purge(originOf(c), slug);
  audit('paste.burned', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug) });
  c.header('cache-control', 'no-store');
  const html = await pasteHtml(paste);
  return c.render(<views.PasteView meta={paste} html={html} canManage={false} />, { title: paste.filename ?? `Paste ${slug}`, ...views.CODEBIN_ASSETS });
});

web.get('/:slug/raw', slugParam, query(schema.RawQuery), async (c) => {
  const { slug } = c.req.valid('param');
  const { download } = c.req.valid('query');
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
    if (!paste) throw refusal(REFUSALS, 'gone');
    if (paste.burnAfterReading) throw refusal(REFUSALS, 'burns_after_reading', { message: `This paste burns after reading; open it at ${paths.paste(slug)}.` });
    let content = paste.content;
    meta = paste;
    // HEAD (link checkers, previews) never spends a view.
    if (paste.viewsLeft !== null && c.req.method !== 'HEAD') {
      const counted = await repo.consumeView(c.env.DB, slug, t);
      if (!counted) throw refusal(REFUSALS, 'gone');
      content = counted.content;
      meta = counted;
    }
    body = new TextEncoder().encode(content) as Uint8Array<ArrayBuffer>;
    c.executionCtx.waitUntil(cache.putRaw(origin, meta, body, t));
  }
  const headers = rawHeaders(meta, download !== undefined);
  if (cache.cacheable(meta) && matchesEtag(c, `"${meta.etag}"`)) {
    return c.body(null, 304, headers);
  }
  headers['content-length'] = String(body.byteLength);
  return c.body(body, 200, headers);
});

// ---------------------------------------------------------------- manage

/** The paste, if this caller may manage it; otherwise the manage page again, 403, with the reason next to the token field. */
async function managed(c: Context<AppEnv>, slug: string, token: string | undefined, action: views.ManageError['form']): Promise<repo.ManageRow | Response> {
  const paste = await repo.findForManage(c.env.DB, slug, now());
  if (!paste) throw refusal(REFUSALS, 'gone');
  if (await mayManage(paste, { auth: c.get('auth'), token })) return paste;
  const { status, message } = describeRefusal(REFUSALS, token ? 'token_wrong' : 'token_missing');
  c.header('cache-control', 'no-store');
  return renderPage(
    c,
    { title: 'Manage paste', status, ...views.CODEBIN_ASSETS },
    <views.ManagePage
      meta={paste}
      csrf={c.get('csrfToken')}
      owner={false}
      links={links(originOf(c), slug)}
      qrSvg=""
      created={false}
      error={{ form: action, message }}
    />,
  );
}

/**
 * The manage page. The owner needs nothing more; anyone else proves themselves with
 * the delete token, which the page's script reads from `#token=…` into the forms
 * (without JavaScript, paste it into the field). The token is checked when a form is
 * posted, so the page itself shows only what the paste's view page shows.
 */
web.get('/:slug/manage', slugParam, query(schema.ManageQuery), async (c) => {
  const { slug } = c.req.valid('param');
  const { created } = c.req.valid('query');
  const paste = await repo.findForManage(c.env.DB, slug, now());
  if (!paste) throw refusal(REFUSALS, 'gone');
  const owner = await mayManage(paste, { auth: c.get('auth'), token: undefined });
  const to = links(originOf(c), slug);
  c.header('cache-control', 'no-store');
  return c.render(<views.ManagePage meta={paste} csrf={c.get('csrfToken')} owner={owner} links={to} qrSvg={qrSvg(to.url)} created={created === '1'} />, {
    title: 'Manage paste',
    ...views.CODEBIN_ASSETS,
  });
});

/** Highlighting costs CPU, so changing the language is rate-limited like creating a paste. */
web.post('/:slug/language', pasteLimit, slugParam, form(schema.LanguageForm), async (c) => {
  const { slug } = c.req.valid('param');
  const fields = c.req.valid('form');
  const paste = await managed(c, slug, fields.token || undefined, 'language');
  if (paste instanceof Response) return paste;
  const language = fields.language ?? 'plaintext';
  // The same language again changes nothing: no re-render, no queue job (repeated
  // posts would otherwise buy background CPU for free).
  if (language === paste.language) return c.redirect(paths.paste(slug), 303);
  const rendering = await renderContent(paste.content, paste.size, language);
  const updated = await repo.updateRendering(c.env.DB, { slug, language, ...rendering }, codebinConfig(c.env).maxTotalBytes);
  if (!updated.ok) {
    throw refusal(REFUSALS, updated.reason, updated.reason === 'full' ? { message: `${REFUSALS.full.message} The paste keeps its current language.` } : {});
  }
  await enqueueHighlight(c, slug, language, rendering.queued);
  await cache.purge(originOf(c), slug);
  audit('paste.language_changed', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug), from: paste.language, to: language });
  return c.redirect(paths.paste(slug), 303);
});

web.post('/:slug/delete', slugParam, form(schema.DeleteForm), async (c) => {
  const { slug } = c.req.valid('param');
  const { token } = c.req.valid('form');
  const paste = await managed(c, slug, token || undefined, 'delete');
  if (paste instanceof Response) return paste;
  await repo.deletePaste(c.env.DB, slug);
  await cache.purge(originOf(c), slug);
  audit('paste.deleted', { actor_id: c.get('auth')?.user.id ?? null, paste: await pasteRef(c, slug), via: 'web' });
  return c.render(<views.Deleted />, { title: 'Paste deleted' });
});

export default web;
