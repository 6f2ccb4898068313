/** CodeBin's SQL. Every lookup excludes expired pastes, so an expired paste is gone for every reader at once. */
import { sql, type SQL } from 'drizzle-orm';
import { all, batch, first, run } from '../../shared/db';
import { ok, refused, type Ok, type Refused } from '../../shared/result';
import type { Language } from './language';

export type Visibility = 'public' | 'unlisted';

export type NewPaste = {
  slug: string;
  ownerId: number | null;
  content: string;
  size: number;
  lines: number;
  language: Language;
  filename: string | null;
  htmlGz: string;
  highlighted: boolean;
  highlightQueued: boolean;
  hiddenChars: number;
  visibility: Visibility;
  burnAfterReading: boolean;
  viewsLeft: number | null;
  deleteTokenHash: string;
  etag: string;
  createdAt: number;
  expiresAt: number | null;
};

export type PasteMeta = {
  slug: string;
  ownerId: number | null;
  size: number;
  lines: number;
  language: Language;
  filename: string | null;
  highlighted: boolean;
  /** Plain for now; the Queue consumer is highlighting it. */
  highlightQueued: boolean;
  /** content.ts HIDDEN_* bits: bidi controls, invisible characters. */
  hiddenChars: number;
  visibility: Visibility;
  burnAfterReading: boolean;
  viewsLeft: number | null;
  etag: string;
  createdAt: number;
  expiresAt: number | null;
};

type MetaRow = {
  slug: string;
  owner_id: number | null;
  size: number;
  lines: number;
  language: Language;
  filename: string | null;
  highlighted: number;
  highlight_queued: number;
  hidden_chars: number;
  visibility: Visibility;
  burn_after_reading: number;
  views_left: number | null;
  etag: string;
  created_at: number;
  expires_at: number | null;
};

const META = sql.raw(
  'slug, owner_id, size, lines, language, filename, highlighted, highlight_queued, hidden_chars, visibility, burn_after_reading, views_left, etag, created_at, expires_at',
);

function toMeta(r: MetaRow): PasteMeta {
  return {
    slug: r.slug,
    ownerId: r.owner_id,
    size: r.size,
    lines: r.lines,
    language: r.language,
    filename: r.filename,
    highlighted: r.highlighted === 1,
    highlightQueued: r.highlight_queued === 1,
    hiddenChars: r.hidden_chars,
    visibility: r.visibility,
    burnAfterReading: r.burn_after_reading === 1,
    viewsLeft: r.views_left,
    etag: r.etag,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

const live = (now: number) => sql`(expires_at IS NULL OR expires_at > ${now})`;

/** What a row costs beyond its text, HTML and file name (slug, hashes, times, index entries). */
export const ROW_OVERHEAD = 256;

/** What a paste row adds to `codebin_usage` (migration 0016's triggers count the same). */
export const storedBytes = (size: number, htmlGz: string, filename: string | null) =>
  size + htmlGz.length + new TextEncoder().encode(filename ?? '').length + ROW_OVERHEAD;

/** Room for `bytes` more under the instance's total: the guard of every write that grows CodeBin. */
const hasRoom = (bytes: SQL | number, maxTotal: number) => sql`(SELECT bytes FROM codebin_usage WHERE id = 1) + ${bytes} <= ${maxTotal}`;

export type Inserted = Ok | Refused<'taken' | 'full'>;

/**
 * Inserts if the slug is free and the paste fits under `maxTotal`, in one guarded
 * statement: the check and the write cannot be separated by a parallel request, so
 * concurrent posts cannot overshoot the cap together (`taken` means "pick another slug").
 */
export async function insertPaste(db: D1Database, p: NewPaste, maxTotal: number): Promise<Inserted> {
  // RETURNING, not meta.changes: D1 counts the rows the usage trigger touches too.
  const inserted = await first<{ slug: string }>(
    db,
    sql`
    INSERT INTO pastes (slug, owner_id, content, size, lines, language, filename, html_gz, highlighted, highlight_queued,
                        hidden_chars, visibility, burn_after_reading, views_left, delete_token_hash, etag, created_at, expires_at)
    SELECT ${p.slug}, ${p.ownerId}, ${p.content}, ${p.size}, ${p.lines}, ${p.language}, ${p.filename}, ${p.htmlGz},
           ${p.highlighted ? 1 : 0}, ${p.highlightQueued ? 1 : 0}, ${p.hiddenChars}, ${p.visibility}, ${p.burnAfterReading ? 1 : 0}, ${p.viewsLeft}, ${p.deleteTokenHash},
           ${p.etag}, ${p.createdAt}, ${p.expiresAt}
     WHERE ${hasRoom(storedBytes(p.size, p.htmlGz, p.filename), maxTotal)}
    ON CONFLICT (slug) DO NOTHING
    RETURNING slug`,
  );
  if (inserted) return ok({});
  const fits = await first<{ fits: number }>(db, sql`SELECT ${hasRoom(storedBytes(p.size, p.htmlGz, p.filename), maxTotal)} AS fits`);
  return refused(fits?.fits === 1 ? 'taken' : 'full');
}

/** The stored highlighting, or '' with the content to escape on read (plain pastes). */
export type PasteWithHtml = PasteMeta & { htmlGz: string; content: string | null };
export type PasteWithContent = PasteMeta & { content: string };

/** What the view page needs: metadata and the stored HTML, or the content when there is none (plain). */
export async function findForView(db: D1Database, slug: string, now: number): Promise<PasteWithHtml | null> {
  const row = await first<MetaRow & { html_gz: string; content: string | null }>(
    db,
    sql`
    SELECT ${META}, html_gz, CASE WHEN html_gz = '' THEN content END AS content
      FROM pastes WHERE slug = ${slug} AND ${live(now)}`,
  );
  return row && { ...toMeta(row), htmlGz: row.html_gz, content: row.content };
}

/** What the raw route needs: metadata and the exact content. */
export async function findForRaw(db: D1Database, slug: string, now: number): Promise<PasteWithContent | null> {
  const row = await first<MetaRow & { content: string }>(
    db,
    sql`
    SELECT ${META}, content FROM pastes WHERE slug = ${slug} AND ${live(now)}`,
  );
  return row && { ...toMeta(row), content: row.content };
}

export type ConsumedPaste = PasteMeta & { htmlGz: string; content: string };

/**
 * Counts one view of a max-views paste, atomically: the guarded UPDATE hands out
 * each remaining view exactly once, and the DELETE in the same batch removes the
 * paste when the last one is taken. Null when no view was left.
 */
export async function consumeView(db: D1Database, slug: string, now: number): Promise<ConsumedPaste | null> {
  const [updated] = await batch<MetaRow & { html_gz: string; content: string }>(db, [
    sql`UPDATE pastes SET views_left = views_left - 1
         WHERE slug = ${slug} AND views_left > 0 AND ${live(now)}
     RETURNING ${META}, html_gz, content`,
    sql`DELETE FROM pastes WHERE slug = ${slug} AND views_left = 0`,
  ]);
  const row = updated?.results[0];
  return row ? { ...toMeta(row), htmlGz: row.html_gz, content: row.content } : null;
}

/**
 * Reveals a burn-after-reading paste: one DELETE … RETURNING, so of any number of
 * simultaneous readers exactly one gets the row and every other finds nothing.
 */
export async function burn(db: D1Database, slug: string, now: number): Promise<ConsumedPaste | null> {
  const row = await first<MetaRow & { html_gz: string; content: string }>(
    db,
    sql`
    DELETE FROM pastes WHERE slug = ${slug} AND burn_after_reading = 1 AND ${live(now)}
    RETURNING ${META}, html_gz, content`,
  );
  return row && { ...toMeta(row), htmlGz: row.html_gz, content: row.content };
}

export type ManageRow = PasteMeta & { deleteTokenHash: string; content: string };

/** For owners and holders of the delete token. */
export async function findForManage(db: D1Database, slug: string, now: number): Promise<ManageRow | null> {
  const row = await first<MetaRow & { delete_token_hash: string; content: string }>(
    db,
    sql`
    SELECT ${META}, delete_token_hash, content FROM pastes WHERE slug = ${slug} AND ${live(now)}`,
  );
  return row && { ...toMeta(row), deleteTokenHash: row.delete_token_hash, content: row.content };
}

export async function deletePaste(db: D1Database, slug: string): Promise<boolean> {
  return (await first<{ slug: string }>(db, sql`DELETE FROM pastes WHERE slug = ${slug} RETURNING slug`)) !== null;
}

/**
 * A new language's rendering, if the paste still exists and its new HTML fits under
 * `maxTotal` (highlighting can make a paste ~10x bigger than plain text).
 */
export async function updateRendering(
  db: D1Database,
  input: { slug: string; language: Language; htmlGz: string; highlighted: boolean; queued: boolean },
  maxTotal: number,
): Promise<Ok | Refused<'gone' | 'full'>> {
  const row = await first<{ slug: string }>(
    db,
    sql`
    UPDATE pastes SET language = ${input.language}, html_gz = ${input.htmlGz}, highlighted = ${input.highlighted ? 1 : 0},
                      highlight_queued = ${input.queued ? 1 : 0}
     WHERE slug = ${input.slug} AND ${hasRoom(sql`${input.htmlGz.length} - length(html_gz)`, maxTotal)}
    RETURNING slug`,
  );
  if (row) return ok({});
  const exists = await first<{ slug: string }>(db, sql`SELECT slug FROM pastes WHERE slug = ${input.slug}`);
  return refused(exists ? 'full' : 'gone');
}

/** The Queue consumer's input: a paste still waiting to be highlighted in `language`. */
export async function findQueuedHighlight(db: D1Database, slug: string, language: Language, now: number): Promise<{ content: string; size: number } | null> {
  return first<{ content: string; size: number }>(
    db,
    sql`
    SELECT content, size FROM pastes
     WHERE slug = ${slug} AND language = ${language} AND highlight_queued = 1 AND ${live(now)}`,
  );
}

/**
 * Stores the consumer's result, guarded: only if the paste still waits for this
 * language (a language change in between, a delete, or a retried message that
 * already landed all make it a no-op: `stale`). `full`: the highlighting did not fit
 * under `maxTotal`, so the paste stays plain text and stops waiting.
 */
export async function storeQueuedHighlight(
  db: D1Database,
  input: { slug: string; language: Language; htmlGz: string; highlighted: boolean },
  maxTotal: number,
): Promise<Ok | Refused<'stale' | 'full'>> {
  const [stored, settled] = await batch<{ slug: string }>(db, [
    sql`
    UPDATE pastes SET html_gz = ${input.htmlGz}, highlighted = ${input.highlighted ? 1 : 0}, highlight_queued = 0
     WHERE slug = ${input.slug} AND language = ${input.language} AND highlight_queued = 1
       AND ${hasRoom(sql`${input.htmlGz.length} - length(html_gz)`, maxTotal)}
    RETURNING slug`,
    // No room: the paste stays plain text and stops waiting (still queued here means it did not fit).
    sql`
    UPDATE pastes SET highlight_queued = 0
     WHERE slug = ${input.slug} AND language = ${input.language} AND highlight_queued = 1
    RETURNING slug`,
  ]);
  if (stored?.results.length) return ok({});
  return refused(settled?.results.length ? 'full' : 'stale');
}

export type Cursor = { createdAt: number; slug: string };

/** A user's pastes, newest first, one page after `before` (key pagination). */
export async function listOwned(db: D1Database, input: { ownerId: number; before: Cursor | null; limit: number; now: number }): Promise<PasteMeta[]> {
  const after = input.before
    ? sql`AND (created_at < ${input.before.createdAt} OR (created_at = ${input.before.createdAt} AND slug < ${input.before.slug}))`
    : sql``;
  const rows = await all<MetaRow>(
    db,
    sql`
    SELECT ${META} FROM pastes
     WHERE owner_id = ${input.ownerId} AND ${live(input.now)} ${after}
     ORDER BY created_at DESC, slug DESC
     LIMIT ${input.limit}`,
  );
  return rows.map(toMeta);
}

/** Newest public pastes. */
export async function listRecentPublic(db: D1Database, now: number, limit: number): Promise<PasteMeta[]> {
  const rows = await all<MetaRow>(
    db,
    sql`
    SELECT ${META} FROM pastes
     WHERE visibility = 'public' AND ${live(now)}
     ORDER BY created_at DESC LIMIT ${limit}`,
  );
  return rows.map(toMeta);
}

/** Cron: deletes expired pastes, at most `limit` per run (the next run takes the rest). */
export async function purgeExpired(db: D1Database, now: number, limit = 500): Promise<string[]> {
  const rows = await all<{ slug: string }>(
    db,
    sql`
    DELETE FROM pastes
     WHERE slug IN (SELECT slug FROM pastes WHERE expires_at IS NOT NULL AND expires_at <= ${now} LIMIT ${limit})
    RETURNING slug`,
  );
  return rows.map((r) => r.slug);
}

export type Reservation = Ok | Refused<'full' | 'daily_limit'>;

/**
 * Checks there is room for a new paste of `bytes` under `maxTotal` (cheaply, before
 * it is rendered; insertPaste's guard is the one that holds under races) and reserves
 * `bytes` of the writer's daily allowance (`daily.who`: 'a:<address hash>' or
 * 'u:<user id>') with one guarded upsert, so parallel requests cannot overshoot it.
 * Bytes reserved for a paste that then fails to store stay counted for the day.
 */
export async function reserveStorage(
  db: D1Database,
  input: { bytes: number; maxTotal: number; daily: { who: string; day: number; limit: number } },
): Promise<Reservation> {
  const room = hasRoom(input.bytes, input.maxTotal);
  const { who, day, limit } = input.daily;
  const [total, daily] = await batch<{ fits?: number; bytes?: number }>(db, [
    sql`SELECT ${room} AS fits`,
    sql`
      INSERT INTO codebin_daily (who, day, bytes)
      SELECT ${who}, ${day}, ${input.bytes} WHERE ${room} AND ${input.bytes} <= ${limit}
      ON CONFLICT (who, day) DO UPDATE SET bytes = bytes + excluded.bytes
       WHERE bytes + excluded.bytes <= ${limit}
      RETURNING bytes`,
  ]);
  if (total?.results[0]?.fits !== 1) return refused('full');
  if (!daily?.results.length) return refused('daily_limit');
  return ok({});
}

/** Cron: forgets daily allowances of days before `day`. */
export async function purgeDailyAllowances(db: D1Database, day: number): Promise<number> {
  const meta = await run(db, sql`DELETE FROM codebin_daily WHERE day < ${day}`);
  return meta.changes;
}
