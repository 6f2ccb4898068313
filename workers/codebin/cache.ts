/**
 * The read path's cache: this isolate's memory, then the Workers Cache API (one
 * per Cloudflare location).
 *
 * Cached: the rendered code fragment of a view page and the raw response, keyed by
 * slug, for at most CACHE_SECONDS and never past the paste's expiry. Never cached:
 * burn-after-reading and max-views pastes (every read must reach D1 to be
 * counted). Deleting a paste or changing its language deletes the entries in this
 * isolate and this location; other isolates and locations may keep serving a
 * deleted paste until their copy's TTL (CACHE_SECONDS) runs out, which is why it
 * is short. Hits re-check the stored expiry, so an
 * expired paste is never served. (The Cache API does nothing on *.workers.dev
 * hostnames: use a custom domain to benefit.)
 */
import * as z from 'zod';
import { isExpired } from './expiry';
import { LANGUAGE_IDS, type Language } from './language';
import { paths } from './paths';
import type { PasteMeta } from './repository';

/** The metadata a cached view carries in its header, checked as it comes back (a malformed entry is a miss). */
const CachedMeta = z.object({
  slug: z.string(),
  ownerId: z.number().nullable(),
  size: z.number(),
  lines: z.number(),
  language: z.enum(LANGUAGE_IDS as [Language, ...Language[]]),
  filename: z.string().nullable(),
  highlighted: z.boolean(),
  highlightQueued: z.boolean(),
  hiddenChars: z.number(),
  visibility: z.enum(['public', 'unlisted']),
  burnAfterReading: z.boolean(),
  viewsLeft: z.number().nullable(),
  etag: z.string(),
  createdAt: z.number(),
  expiresAt: z.number().nullable(),
}) satisfies z.ZodType<PasteMeta>;

export const CACHE_SECONDS = 60;

const VERSION = 'v2';

function key(origin: string, slug: string, kind: 'view' | 'raw'): Request {
  return new Request(`${origin}${paths.cacheKey(VERSION, kind, slug)}`);
}

function ttlSeconds(meta: PasteMeta, now: number): number {
  if (meta.expiresAt === null) return CACHE_SECONDS;
  return Math.min(CACHE_SECONDS, Math.floor((meta.expiresAt - now) / 1000));
}

/** Only the metadata fields (never content: the schema keeps just its own keys), URI-encoded: header values must be ASCII. */
function metaHeader(meta: PasteMeta): string {
  return encodeURIComponent(JSON.stringify(CachedMeta.parse(meta)));
}

function readMeta(res: Response): PasteMeta | null {
  const header = res.headers.get('x-paste-meta');
  if (!header) return null;
  try {
    const parsed = CachedMeta.safeParse(JSON.parse(decodeURIComponent(header)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Views must reach D1 for burn and max-views pastes (to count), and while highlighting is queued (to pick it up). */
export function cacheable(meta: PasteMeta): boolean {
  return !meta.burnAfterReading && meta.viewsLeft === null && !meta.highlightQueued;
}

export type CachedView = { meta: PasteMeta; html: string };

/**
 * First tier: this isolate's memory. Isolates serve many requests in a row, so a
 * popular paste is rendered from a Map without even a Cache API round trip. Small
 * (MEMORY_ENTRIES pastes, MEMORY_BYTES of HTML), least-recently-used out first,
 * and bounded by the same TTL and expiry rules as the Cache API tier.
 */
const MEMORY_ENTRIES = 256;
const MEMORY_BYTES = 16 * 1024 * 1024;
type MemoryEntry = { meta: PasteMeta; html?: string; raw?: ArrayBuffer; until: number };
const memory = new Map<string, MemoryEntry>();
let memoryBytes = 0;

const sizeOf = (e: MemoryEntry) => (e.html?.length ?? 0) + (e.raw?.byteLength ?? 0);

/** Keys: `${origin}/${slug}` for views, `${origin}/${slug}/raw` for raw bodies. */
function remember(key: string, entry: MemoryEntry): void {
  forget(key);
  if (sizeOf(entry) > MEMORY_BYTES / 8) return;
  memory.set(key, entry);
  memoryBytes += sizeOf(entry);
  for (const [k, v] of memory) {
    if (memory.size <= MEMORY_ENTRIES && memoryBytes <= MEMORY_BYTES) break;
    memory.delete(k);
    memoryBytes -= sizeOf(v);
  }
}

function forget(key: string): void {
  const old = memory.get(key);
  if (old) {
    memory.delete(key);
    memoryBytes -= sizeOf(old);
  }
}

/** A live memory entry (moved to the most-recently-used end), or null. */
function recall(key: string, now: number): MemoryEntry | null {
  const local = memory.get(key);
  if (!local) return null;
  if (local.until > now && !isExpired(local.meta.expiresAt, now)) {
    memory.delete(key);
    memory.set(key, local);
    return local;
  }
  forget(key);
  return null;
}

export async function getView(origin: string, slug: string, now: number): Promise<CachedView | null> {
  const memoryKey = `${origin}/${slug}`;
  const local = recall(memoryKey, now);
  if (local?.html !== undefined) return { meta: local.meta, html: local.html };
  const hit = await caches.default.match(key(origin, slug, 'view'));
  if (!hit) return null;
  const meta = readMeta(hit);
  if (!meta || isExpired(meta.expiresAt, now)) return null;
  const view = { meta, html: await hit.text() };
  remember(memoryKey, { ...view, until: now + ttlSeconds(meta, now) * 1000 });
  return view;
}

export async function putView(origin: string, meta: PasteMeta, html: string, now: number): Promise<void> {
  const ttl = ttlSeconds(meta, now);
  if (!cacheable(meta) || ttl < 1) return;
  remember(`${origin}/${meta.slug}`, { meta, html, until: now + ttl * 1000 });
  await caches.default.put(
    key(origin, meta.slug, 'view'),
    new Response(html, { headers: { 'cache-control': `max-age=${ttl}`, 'x-paste-meta': metaHeader(meta) } }),
  );
}

/** Raw bodies use the same two tiers as views; a memory hit costs no I/O at all. */
export async function getRaw(origin: string, slug: string, now: number): Promise<{ meta: PasteMeta; body: ArrayBuffer } | null> {
  const memoryKey = `${origin}/${slug}/raw`;
  const local = recall(memoryKey, now);
  if (local?.raw !== undefined) return { meta: local.meta, body: local.raw };
  const hit = await caches.default.match(key(origin, slug, 'raw'));
  if (!hit) return null;
  const meta = readMeta(hit);
  if (!meta || isExpired(meta.expiresAt, now)) return null;
  const body = await hit.arrayBuffer();
  remember(memoryKey, { meta, raw: body, until: now + ttlSeconds(meta, now) * 1000 });
  return { meta, body };
}

export async function putRaw(origin: string, meta: PasteMeta, body: Uint8Array, now: number): Promise<void> {
  const ttl = ttlSeconds(meta, now);
  if (!cacheable(meta) || ttl < 1) return;
  remember(`${origin}/${meta.slug}/raw`, { meta, raw: body.slice().buffer, until: now + ttl * 1000 });
  await caches.default.put(
    key(origin, meta.slug, 'raw'),
    new Response(body, { headers: { 'cache-control': `max-age=${ttl}`, 'x-paste-meta': metaHeader(meta) } }),
  );
}

/** Forget a paste here (after delete or a language change). */
export async function purge(origin: string, slug: string): Promise<void> {
  forget(`${origin}/${slug}`);
  forget(`${origin}/${slug}/raw`);
  await Promise.all([caches.default.delete(key(origin, slug, 'view')), caches.default.delete(key(origin, slug, 'raw'))]);
}
