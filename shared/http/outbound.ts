/**
 * Requests to URLs that users give us (webhooks, pulls): the SSRF guard. One module,
 * for every app that fetches a user's URL.
 *
 * A URL is allowed only if it is https (http too where `allowLocal` says so, for a
 * developer's own machine), names a port browsers would use, carries no credentials,
 * and its host is a public name or a public address: never loopback, private
 * (RFC 1918, unique local), link-local (cloud metadata lives there), CGNAT
 * (100.64/10), multicast, reserved, or an IPv6 form of any of these (mapped,
 * NAT64, 6to4). Names that only resolve inside a network (`localhost`, `.local`,
 * `.internal`, a single label) are refused too.
 *
 * What a name resolves to is not checked here: a Worker cannot resolve DNS itself,
 * and on Cloudflare's network a Worker's fetch cannot reach private addresses
 * anyway. Redirects are not followed by fetch (`redirect: 'manual'`): by default a 3xx
 * is an answer, not a new target; a caller that allows some (`followRedirects`) gets
 * each hop's Location checked by the same rules before it is requested, so a public URL
 * cannot bounce a request inward. `fetchPublic` does the request with those rules, a
 * time limit and a size limit.
 */

export type OutboundPolicy = {
  /** Allow http:// and loopback hosts (`localhost`, 127.0.0.1, ::1): a developer's own machine only. */
  allowLocal?: boolean;
};

/** Why `url` may not be fetched, in words a person can act on, or null if it may. */
export function outboundRefusal(url: string, policy: OutboundPolicy = {}): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL (it should look like https://example.com/hook).';
  }
  const local = policy.allowLocal === true && isLoopbackHost(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(local && parsed.protocol === 'http:')) return 'must start with https://.';
  if (parsed.username || parsed.password) return 'must not contain a user name or password.';
  if (parsed.port !== '' && !local && parsed.port !== '443' && parsed.port !== '8443') return 'must use the standard https port (443 or 8443).';
  if (local) return null;
  const host = parsed.hostname.toLowerCase();
  const v4 = parseIPv4(host);
  if (v4 !== null) return isPublicIPv4(v4) ? null : 'points to a private, loopback or reserved address.';
  if (host.startsWith('[')) {
    const v6 = parseIPv6(host.slice(1, -1));
    if (v6 === null) return 'has an address that is not valid IPv6.';
    return isPublicIPv6(v6) ? null : 'points to a private, loopback or reserved address.';
  }
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.includes('.')) return 'must name a public host (a name with a dot, like example.com).';
  if (/(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain|corp)$/.test(name)) return 'names a host on a local network.';
  // A name that is an address in disguise (0x7f.1, 2130706433, 127.1) was caught by parseIPv4, which reads those forms as WHATWG URL does.
  return null;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  const v4 = parseIPv4(host);
  return v4 !== null && v4 >>> 24 === 127;
}

/** An IPv4 address as an unsigned 32-bit number, or null. WHATWG URL has already normalized `0x7f.1` and friends to dotted quads. */
export function parseIPv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

const V4_BLOCKED: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
];

const V4_RANGES = V4_BLOCKED.map(([base, bits]) => {
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { net: (parseIPv4(base)! & mask) >>> 0, mask };
});

export function isPublicIPv4(address: number): boolean {
  return !V4_RANGES.some(({ net, mask }) => (address & mask) >>> 0 === net);
}

/** An IPv6 address as 8 16-bit groups, or null. Accepts `::` and a trailing dotted IPv4. */
export function parseIPv6(text: string): number[] | null {
  const zone = text.indexOf('%');
  let body = zone === -1 ? text : text.slice(0, zone);
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes its two groups.
  const lastColon = body.lastIndexOf(':');
  const dotted = body.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const v4 = parseIPv4(dotted);
    if (v4 === null) return null;
    body = `${body.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...left, ...right].some(Number.isNaN)) return null;
  if (halves.length === 1) return left.length === 8 ? left : null;
  const missing = 8 - left.length - right.length;
  if (missing < 1) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

export function isPublicIPv6(g: readonly number[]): boolean {
  const embedded = (hi: number, lo: number) => isPublicIPv4(((hi << 16) | lo) >>> 0);
  if (g.every((x) => x === 0)) return false; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return false; // ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): the IPv4 rules.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6]!, g[7]!);
  // 64:ff9b::/96 (NAT64) carries an IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g[6]!, g[7]!);
  // 2002::/16 (6to4) carries one in groups 1–2.
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!);
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return false; // fec0::/10 site-local (deprecated)
  if ((first & 0xff00) === 0xff00) return false; // multicast
  if (first === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false; // discard-only
  // Only global unicast (2000::/3) is reachable on the internet.
  return (first & 0xe000) === 0x2000;
}

export class OutboundError extends Error {
  override name = 'OutboundError';
}

/**
 * POSTs (or GETs) `url` under the guard: refused URLs throw before any request, the
 * request is cut at `timeoutMs` (all hops together), a 3xx is returned as it is unless
 * `followRedirects` allows that many hops (a GET each, every Location checked first),
 * and the body read back is cut at `maxBytes` (`truncated` says so).
 */
export async function fetchPublic(
  url: string,
  init: RequestInit & { timeoutMs?: number; maxBytes?: number; followRedirects?: number },
  policy: OutboundPolicy = {},
): Promise<{ status: number; headers: Headers; body: string; truncated: boolean; url: string }> {
  const { timeoutMs = 10_000, maxBytes = 64 * 1024, followRedirects = 0, ...rest } = init;
  const signal = AbortSignal.timeout(timeoutMs);
  let target = url;
  let request: RequestInit = rest;
  for (let hop = 0; ; hop++) {
    const refused = outboundRefusal(target, policy);
    if (refused !== null) throw new OutboundError(hop === 0 ? `The URL ${refused}` : `It redirected to a URL that ${refused}`);
    const res = await fetch(target, { ...request, redirect: 'manual', signal });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null && hop < followRedirects) {
      await res.body?.cancel();
      target = new URL(location, target).href;
      request = { method: 'GET', headers: rest.headers ?? {} };
      continue;
    }
    if (res.status >= 300 && res.status < 400 && followRedirects > 0 && location !== null)
      throw new OutboundError(`It redirected more than ${followRedirects} times.`);
    const { text, truncated } = await readCapped(res, maxBytes);
    return { status: res.status, headers: res.headers, body: text, truncated, url: target };
  }
}

async function readCapped(res: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => {});
  const all = new Uint8Array(Math.min(size, maxBytes));
  let at = 0;
  for (const c of chunks) {
    const room = all.length - at;
    if (room <= 0) break;
    all.set(c.subarray(0, room), at);
    at += Math.min(c.byteLength, room);
  }
  return { text: new TextDecoder().decode(all), truncated: size > maxBytes };
}
