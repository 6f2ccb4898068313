/** CodeBin's pages and fragments. Paste content only ever arrives here as pre-escaped HTML from render.ts. */
import { raw } from 'hono/html';
import shikiPackage from 'shiki/package.json';
import { asset } from '../assets';
import { Field, FormError, formValue, SelectField, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { formatBytes } from '../../shared/http/security';
import { HIDDEN_BIDI, HIDDEN_INVISIBLE, MAX_RENDER_LINES } from './content';
import { EXPIRY_CHOICES, type ExpiryChoice } from './expiry';
import { LANGUAGE_IDS, LANGUAGES } from './language';
import { paths, type Links } from './paths';
import type { PasteMeta } from './repository';
import { MAX_VIEWS } from './schema';

/**
 * The paste pages' assets. highlight.css is generated from Shiki's two themes
 * (highlight.ts), so it changes only when Shiki does: Shiki's version is its version.
 */
export const CODEBIN_ASSETS = { styles: [`${paths.highlightCss}?v=${shikiPackage.version}`], scripts: [asset('/codebin.js')] };

function pasteTitle(meta: PasteMeta): string {
  return meta.filename ?? `Paste ${meta.slug}`;
}

function ExpiryNote({ expiresAt }: { expiresAt: number | null }) {
  return expiresAt === null ? (
    <span>never expires</span>
  ) : (
    <span>
      expires <Time ms={expiresAt} />
    </span>
  );
}

// ---------------------------------------------------------------- create

const LANGUAGE_OPTIONS = [{ value: 'auto', label: 'Auto-detect' }, ...LANGUAGE_IDS.map((id) => ({ value: id, label: LANGUAGES[id].name }))];

export type CreateFormProps = {
  csrf: string;
  expiries: ExpiryChoice[];
  defaultExpiry: ExpiryChoice;
  values?: Record<string, unknown>;
  errors?: FieldErrors;
};

export function CreateForm({ csrf, expiries, defaultExpiry, values = {}, errors = {} }: CreateFormProps) {
  const v = (k: string) => formValue(values, k);
  const language = v('language') || 'auto';
  const expiry = v('expiresIn') || defaultExpiry;
  const visibility = v('visibility') || 'unlisted';
  return (
    <form
      id="paste-form"
      class="panel stack paste-form"
      method="post"
      action={paths.home}
      enctype="multipart/form-data"
      hx-post={paths.home}
      hx-target="#result"
      hx-swap="innerHTML show:top"
      {...{ 'hx-status:422': 'target:#paste-form swap:outerHTML' }}
      hx-disable="find button[type=submit]"
    >
      <CsrfField token={csrf} />
      <FormError message={errors._} />
      <div class={`field${errors.content ? ' has-error' : ''}`}>
        <label for="f-content">Content</label>
        <textarea
          id="f-content"
          name="content"
          required
          spellcheck={false}
          autocomplete="off"
          data-tab-indent
          aria-describedby="f-content-hint"
          aria-invalid={errors.content ? 'true' : undefined}
        >
          {v('content')}
        </textarea>
        <p class="hint" id="f-content-hint">
          Up to 1 MiB of text. Tab inserts a tab; press Esc, then Tab, to move on.
        </p>
        {errors.content && <p class="error">{errors.content}</p>}
      </div>
      <div class="grid-3">
        <SelectField label="Language" name="language" options={LANGUAGE_OPTIONS} value={language} error={errors.language} />
        <Field
          label="File name (optional)"
          name="filename"
          value={v('filename')}
          error={errors.filename}
          maxlength={255}
          hint="Its extension helps pick the language."
        />
        <SelectField
          label="Expires"
          name="expiresIn"
          options={expiries.map((k) => ({ value: k, label: EXPIRY_CHOICES[k].label }))}
          value={expiry}
          error={errors.expiresIn}
        />
      </div>
      <div class="grid-3">
        <fieldset>
          <legend>Visibility</legend>
          <label class="check">
            <input type="radio" name="visibility" value="unlisted" checked={visibility !== 'public'} /> Unlisted{' '}
            <span class="muted">only people with the link</span>
          </label>
          <label class="check">
            <input type="radio" name="visibility" value="public" checked={visibility === 'public'} /> Public <span class="muted">listed on this page</span>
          </label>
        </fieldset>
        <fieldset class={errors.maxViews ? 'has-error' : ''}>
          <legend>Reading limits</legend>
          <label class="check">
            <input type="checkbox" name="burnAfterReading" value="on" checked={v('burnAfterReading') === 'on' || values.burnAfterReading === true} /> Burn after
            reading
          </label>
          <label for="f-maxViews" class="check">
            Max views <input id="f-maxViews" class="narrow-input" name="maxViews" type="number" min={1} max={MAX_VIEWS} value={v('maxViews')} />
          </label>
          {errors.maxViews && <p class="error">{errors.maxViews}</p>}
        </fieldset>
        <div class="submit-cell">
          <button type="submit" class="big">
            Create paste
          </button>
        </div>
      </div>
    </form>
  );
}

export function CreatePage(props: CreateFormProps & { recent: PasteMeta[]; signedIn: boolean }) {
  return (
    <div class="stack-lg codebin">
      <header class="page-header">
        <h1>CodeBin</h1>
        {props.signedIn && (
          <p>
            <a href={paths.mine()}>My pastes</a>
          </p>
        )}
        <p class="muted">
          Paste code, get a short link. Highlighted on the server, expiring when you say, readable once if you want. Also from the shell:{' '}
          <code>
            curl --data-binary @file.py {'<this site>'}
            {paths.api.pastes}
          </code>
        </p>
      </header>
      <div id="result" aria-live="polite"></div>
      <CreateForm {...props} />
      {props.recent.length > 0 && (
        <section class="panel">
          <h2>Recent public pastes</h2>
          <PasteList pastes={props.recent} />
        </section>
      )}
    </div>
  );
}

export function PasteList({ pastes }: { pastes: PasteMeta[] }) {
  return (
    <table class="table paste-list">
      <thead>
        <tr>
          <th>Paste</th>
          <th>Language</th>
          <th>Size</th>
          <th>Created</th>
          <th>Expires</th>
        </tr>
      </thead>
      <tbody>
        {pastes.map((p) => (
          <tr>
            <td data-label="Paste">
              <a href={paths.paste(p.slug)}>{pasteTitle(p)}</a>
              {p.burnAfterReading && <span class="badge">burn</span>}
              {p.viewsLeft !== null && <span class="badge">{p.viewsLeft} views left</span>}
            </td>
            <td data-label="Language">{LANGUAGES[p.language]?.name ?? p.language}</td>
            <td data-label="Size">{formatBytes(p.size)}</td>
            <td data-label="Created">
              <Time ms={p.createdAt} />
            </td>
            <td data-label="Expires">
              <Time ms={p.expiresAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Shown once after creating: the only time the delete link (with its token) is visible. */
export function CreatedResult({
  links,
  qrSvg,
  burn,
  expiresAt,
  manageFromHash = false,
}: {
  links: Links;
  qrSvg: string;
  burn: boolean;
  expiresAt: number | null;
  manageFromHash?: boolean;
}) {
  return (
    <section class="panel created notice-success" id="created">
      <div class="created-main">
        <h2>Paste created</h2>
        <div class="copy-row">
          <input class="mono" readonly value={links.url} id="paste-url" aria-label="Paste link" />
          <button type="button" class="small" data-copy="#paste-url">
            Copy link
          </button>
        </div>
        <p>
          <a href={links.url}>Open</a> · <a href={links.rawUrl}>Raw</a> · <ExpiryNote expiresAt={expiresAt} />
          {burn && (
            <>
              {' '}
              · <strong>burns after the first reading</strong>
            </>
          )}
        </p>
        {manageFromHash ? (
          <p class="small">
            <strong>Bookmark this page:</strong> its address holds the delete token (after <code>#token=</code>), and it is shown only now.
            <span data-manage-link hidden>
              {' '}
              Delete link:{' '}
              {/* biome-ignore lint/a11y/useValidAnchor lint/a11y/useAnchorContent: codebin.js fills in the href and text (the token is in the fragment, known only in the browser); hidden until then. */}
              <a class="mono break" href=""></a>
            </span>
          </p>
        ) : (
          <p class="small">
            Delete link (keep it private, it is shown only now):{' '}
            <a href={links.manageUrl} class="mono break">
              {links.manageUrl}
            </a>
          </p>
        )}
      </div>
      <figure class="qr" aria-label="QR code of the paste link">
        {raw(qrSvg)}
      </figure>
    </section>
  );
}

// ---------------------------------------------------------------- view

export function PasteView({ meta, html, canManage, viewsLeft }: { meta: PasteMeta; html: string; canManage: boolean; viewsLeft?: number | null }) {
  return (
    <article class="paste stack" data-slug={meta.slug}>
      <header class="paste-header">
        <div>
          <h1 class="paste-title">{pasteTitle(meta)}</h1>
          <p class="muted small paste-meta">
            <span class="badge">{LANGUAGES[meta.language]?.name ?? meta.language}</span> {meta.lines} line{meta.lines === 1 ? '' : 's'} ·{' '}
            {formatBytes(meta.size)} · created <Time ms={meta.createdAt} /> · <ExpiryNote expiresAt={meta.expiresAt} />
            {viewsLeft !== undefined && viewsLeft !== null && (
              <>
                {' '}
                · <strong>{viewsLeft === 0 ? 'last view: it is now deleted' : `${viewsLeft} view${viewsLeft === 1 ? '' : 's'} left`}</strong>
              </>
            )}
            {meta.burnAfterReading && (
              <>
                {' '}
                · <strong>burned: this was the only reading</strong>
              </>
            )}
            {meta.highlightQueued && (
              <>
                {' '}
                · <strong>highlighting in the background</strong>: shown as plain text for now, reload in a moment
              </>
            )}
            {!meta.highlighted && !meta.highlightQueued && meta.language !== 'plaintext' && <> · shown as plain text (too large or too costly to highlight)</>}
            {!meta.highlighted && meta.lines > MAX_RENDER_LINES && <> · no line numbers over {MAX_RENDER_LINES.toLocaleString('en')} lines</>}
          </p>
        </div>
        <nav class="toolbar" aria-label="Paste actions">
          <button type="button" class="small secondary" data-copy="#code">
            Copy
          </button>
          {!meta.burnAfterReading && meta.viewsLeft === null && (
            <>
              <a class="button small secondary" href={paths.raw(meta.slug)}>
                Raw
              </a>
              <a class="button small secondary" href={paths.download(meta.slug)}>
                Download
              </a>
              {/* Cloning reads the paste again, which a burned or view-limited paste cannot give. */}
              <a class="button small secondary" href={paths.clone(meta.slug)}>
                Clone and edit
              </a>
            </>
          )}
          {canManage && (
            <a class="button small secondary" href={paths.manage(meta.slug)}>
              Manage
            </a>
          )}
        </nav>
      </header>
      {meta.hiddenChars !== 0 && (
        <HiddenCharsWarning bits={meta.hiddenChars} raw={meta.burnAfterReading || meta.viewsLeft !== null ? null : paths.raw(meta.slug)} />
      )}
      <pre class="code" id="code" tabindex={0}>
        <code>{raw(html)}</code>
      </pre>
    </article>
  );
}

/** As GitHub does: text may not be what it looks like (Trojan Source, invisible characters). */
function HiddenCharsWarning({ bits, raw: rawUrl }: { bits: number; raw: string | null }) {
  const kinds = [
    bits & HIDDEN_BIDI ? 'bidirectional Unicode control characters' : null,
    bits & HIDDEN_INVISIBLE ? 'invisible Unicode characters' : null,
  ].filter(Boolean);
  return (
    <p class="notice notice-warn" role="note" id="hidden-chars">
      <strong>This paste contains {kinds.join(' and ')}.</strong> They can make the text read differently from what a compiler or shell sees. Review it
      carefully
      {rawUrl && (
        <>
          {' '}
          (a hex viewer on the <a href={rawUrl}>raw bytes</a> shows them)
        </>
      )}{' '}
      before you run or copy it.
    </p>
  );
}

export function BurnInterstitial({ slug, csrf }: { slug: string; csrf: string }) {
  return (
    <section class="panel narrow stack burn">
      <h1>This paste burns after reading</h1>
      <p>
        It will be deleted the moment you open it; nobody, you included, can open it again. Link previews and scanners that only fetch this page do not count.
      </p>
      <form method="post" action={paths.reveal(slug)}>
        <CsrfField token={csrf} />
        <button type="submit" class="big">
          Open and delete it
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- manage

/**
 * Language and delete forms. The owner needs nothing more; anyone else enters the
 * delete token, which public/codebin.js fills in from the link's `#token=…` (the
 * fragment never reaches a server, so the token stays out of every log).
 */
export type ManageError = { form: 'language' | 'delete'; message: string };

export function ManagePage({
  meta,
  csrf,
  owner,
  links,
  qrSvg,
  created,
  error,
}: {
  meta: PasteMeta;
  csrf: string;
  owner: boolean;
  links: Links;
  qrSvg: string;
  created: boolean;
  error?: ManageError | undefined;
}) {
  // One form, one token field: both actions need the same token, so a visitor types
  // (or the delete link fills) it once; each button posts to its own action. A
  // refused token is reported under that field, where the person just typed it.
  const message = error?.message;
  return (
    <div class="stack-lg">
      <header class="page-header">
        <h1>Manage {pasteTitle(meta)}</h1>
        <p class="muted">
          <a href={links.url}>{links.url}</a> · <ExpiryNote expiresAt={meta.expiresAt} />
        </p>
      </header>
      {created && <CreatedResult links={links} qrSvg={qrSvg} burn={meta.burnAfterReading} expiresAt={meta.expiresAt} manageFromHash />}
      <form method="post" action={paths.language(meta.slug)} class="stack-lg">
        <CsrfField token={csrf} />
        {!owner && (
          <section class="panel stack" id="token">
            <div class={`field${message ? ' has-error' : ''}`}>
              <label for="m-token">Delete token</label>
              <input
                id="m-token"
                name="token"
                class="mono"
                type="password"
                required
                autocomplete="off"
                spellcheck={false}
                maxlength={100}
                data-delete-token
                aria-invalid={message ? 'true' : undefined}
                aria-describedby={message ? 'm-token-error m-token-hint' : 'm-token-hint'}
                autofocus={message ? true : undefined}
              />
              <p class="hint" id="m-token-hint">
                From your delete link (the part after <code>#token=</code>). With JavaScript on, opening that link fills this in. It is needed to change the
                language or to delete.
              </p>
              {message && (
                <p class="error" id="m-token-error" role="alert">
                  {message}
                </p>
              )}
            </div>
          </section>
        )}
        <section class="panel stack" id="language">
          <h2>Language</h2>
          <div class="inline-form">
            <label for="m-language" class="visually-hidden">
              Language
            </label>
            <select id="m-language" name="language">
              {LANGUAGE_IDS.map((id) => (
                <option value={id} selected={meta.language === id}>
                  {LANGUAGES[id].name}
                </option>
              ))}
            </select>
            <button type="submit" class="secondary">
              Change language
            </button>
          </div>
        </section>
        <section class="panel stack" id="delete">
          <h2>Delete</h2>
          <p class="muted">Deleting cannot be undone.</p>
          <div>
            <button type="submit" class="danger" formaction={paths.delete(meta.slug)}>
              Delete this paste now
            </button>
          </div>
        </section>
      </form>
    </div>
  );
}

export function Deleted() {
  return (
    <section class="panel narrow">
      <h1>Paste deleted</h1>
      <p>
        It is gone from CodeBin. <a href={paths.home}>Create another</a>
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- mine

export function MinePage({ pastes, next }: { pastes: PasteMeta[]; next: string | null }) {
  return (
    <div class="stack-lg">
      <header class="page-header">
        <h1>My pastes</h1>
        <p class="muted">
          Pastes you created while signed in, newest first. <a href={paths.home}>New paste</a>
        </p>
      </header>
      <section class="panel">
        {pastes.length ? <PasteList pastes={pastes} /> : <p class="muted">None yet.</p>}
        {next && (
          <p>
            <a href={paths.mine(next)}>Older pastes →</a>
          </p>
        )}
      </section>
    </div>
  );
}
