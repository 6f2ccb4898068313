/** The raw view's response headers (the platform's security headers come on top). */
import { contentDisposition } from '../../shared/http/download';
import * as cache from './cache';
import type { PasteMeta } from './repository';

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
  if (download) headers['content-disposition'] = contentDisposition(meta.filename ?? `${meta.slug}.txt`, 'paste.txt');
  return headers;
}
