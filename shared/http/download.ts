/**
 * Files people download: the Content-Disposition that names them, and stored
 * objects (R2) served the way browsers and download tools expect: ETag and `304`,
 * single byte ranges (`206`, so an `<audio>` element can seek), `416` for a range
 * past the end.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../context';

/** `attachment` with an ASCII fallback name and the exact one (RFC 6266 / 5987). */
export function contentDisposition(filename: string, fallback = 'download'): string {
  const base = filename.split(/[\\/]/).pop() || fallback;
  const ascii = base.replace(/[^\x20-\x7e]|["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * ! as they are; RFC 5987's attr-char does not allow them.
  const exact = encodeURIComponent(base).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** A filename from a title a person typed: no path, no control characters, at most 100 characters before the extension. */
export function safeFilename(title: string, extension: string, fallback = 'download'): string {
  const base =
    title
      .replace(/[\p{Cc}\\/:*?"<>|]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+/, '')
      .slice(0, 100) || fallback;
  return `${base}.${extension}`;
}

type ByteRange = { offset: number; length?: number } | { suffix: number };

/**
 * One `bytes=` range, or null for none we serve: a missing or malformed header, or
 * several ranges (answering the whole file is always allowed, RFC 9110 §14.2).
 */
export function parseRange(header: string | undefined): ByteRange | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const offset = Number(m[1]);
  if (m[2] === '') return { offset };
  const end = Number(m[2]);
  return end < offset ? null : { offset, length: end - offset + 1 };
}

/**
 * Streams `key` from `bucket`, or null if there is no such object (the caller
 * refuses in its own words). Private caching: the files are their owner's.
 */
export async function serveObject(c: Context<AppEnv>, bucket: R2Bucket, key: string, cacheControl = 'private, no-cache'): Promise<Response | null> {
  const head = await bucket.head(key);
  if (!head) return null;
  const headers = new Headers();
  head.writeHttpMetadata(headers);
  headers.set('etag', head.httpEtag);
  headers.set('accept-ranges', 'bytes');
  headers.set('cache-control', cacheControl);
  headers.set('x-content-type-options', 'nosniff');
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch?.split(/\s*,\s*/).some((t) => t === head.httpEtag || t === `W/${head.httpEtag}` || t === '*')) {
    return new Response(null, { status: 304, headers });
  }
  const size = head.size;
  // If-Range: a range only of the version the client has; otherwise the whole (new) file.
  const ifRange = c.req.header('if-range');
  const range = ifRange === undefined || ifRange === head.httpEtag ? parseRange(c.req.header('range')) : null;
  if (range) {
    const start = 'suffix' in range ? Math.max(0, size - range.suffix) : range.offset;
    const end = 'suffix' in range ? size - 1 : Math.min(size - 1, range.length === undefined ? size - 1 : range.offset + range.length - 1);
    if (start >= size || ('suffix' in range && range.suffix === 0)) {
      headers.set('content-range', `bytes */${size}`);
      return new Response(null, { status: 416, headers });
    }
    // The etag pins the version: a file replaced between the head and the read is not spliced.
    const part = await bucket.get(key, { range: { offset: start, length: end - start + 1 }, onlyIf: { etagMatches: head.etag } });
    if (!part || !('body' in part)) return null;
    headers.set('content-range', `bytes ${start}-${end}/${size}`);
    headers.set('content-length', String(end - start + 1));
    return new Response(part.body, { status: 206, headers });
  }
  const whole = await bucket.get(key, { onlyIf: { etagMatches: head.etag } });
  if (!whole || !('body' in whole)) return null;
  headers.set('content-length', String(size));
  return new Response(c.req.method === 'HEAD' ? null : whole.body, { status: 200, headers });
}
