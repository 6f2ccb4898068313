/** The raw view's response headers (the platform's security headers come on top). */
import * as cache from './cache';
import type { PasteMeta } from './repository';

export function contentDisposition(filename: string): string {
  const base = filename.split(/[\\/]/).pop() || 'paste.txt';
  const ascii = base.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

/** Headers of a raw response (the platform's security headers come on top, in the app). */
export function rawHeaders(meta: PasteMeta, download: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    // A raw paste is never a document that may run anything, even if a browser sniffs it.
    'content-security-policy': "sandbox; default-src 'none'",
    etag: `"${meta.etag}"`,
    'cache-control': cache.cacheable(meta) ? 'public, no-cache' : 'no-store',
  };
  if (download) headers['content-disposition'] = contentDisposition(meta.filename ?? `${meta.slug}.txt`);
  return headers;
}
