/**
 * Where a redirect may send a browser: a path on this site, nothing else.
 * Pure (no platform imports), so it is tested table-driven.
 *
 * The check is the browser's own: resolve the value with the WHATWG URL parser
 * against our origin and require the same origin. String prefix tests are not
 * enough, because the parser strips tabs and newlines and reads `\` as `/`
 * ("/\t/evil.example" → "//evil.example" → another host). What comes back is
 * the parsed URL's path, query and fragment, never the raw value: it is
 * percent-encoded (no control characters, so it is always a valid header value)
 * and has the shape a browser will follow.
 */

/** Longer values are refused rather than echoed into a Location header. */
export const MAX_LOCAL_PATH = 2048;

/** `target` as a same-origin path ("/a?b#c"), or null if it would leave `origin` (or is not a URL). */
export function localPath(target: string, origin: string): string | null {
  if (target.length > MAX_LOCAL_PATH) return null;
  let url: URL;
  try {
    url = new URL(target, `${origin}/`);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can leave a path such as "//evil.example" ("/.//evil.example"),
  // which a browser resolving this Location reads as a host.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return null;
  return path.length <= MAX_LOCAL_PATH ? path : null;
}
