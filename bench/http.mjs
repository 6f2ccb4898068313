// HTTP helpers shared by the benchmark scripts.

/** The cookies a response sets, name → value. */
export function cookiesSet(res) {
  return Object.fromEntries(
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

/** A form page's CSRF cookie and token. */
export async function csrfOf(url, cookie = '') {
  const res = await fetch(url, { headers: cookie ? { cookie } : {} });
  const csrf = cookiesSet(res)['__Host-sf_csrf'] ?? /__Host-sf_csrf=([^;]+)/.exec(cookie)?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1];
  return { csrf, token };
}

/** Signs up a fresh account; returns its Cookie header (CSRF cookie + access token). */
export async function signUp(url) {
  const { csrf, token } = await csrfOf(`${url}/signup`);
  const res = await fetch(`${url}/signup`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-sf_csrf=${csrf}`, origin: url },
    body: new URLSearchParams({
      email: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
      password: 'correct horse battery staple',
      _csrf: token,
    }),
  });
  const access = cookiesSet(res)['__Host-sf_at'];
  if (res.status !== 303 || !access) throw new Error(`sign-up failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return `__Host-sf_csrf=${csrf}; __Host-sf_at=${access}`;
}

/**
 * Signs in over HTTP as a browser would: GET the form (CSRF cookie + token), POST it
 * same-origin. Returns the Cookie header for the measured requests: the CSRF cookie
 * and the 15-minute access token, but not the refresh cookie, so no request can
 * rotate the session (ten connections refreshing at once would look like token
 * theft). Each run signs in afresh, so any BENCH_SECONDS fits in the 15 minutes.
 */
export async function signIn(url, { email, password }) {
  const form = await fetch(`${url}/signin`);
  const csrf = cookiesSet(form)['__Host-sf_csrf'];
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrf || !token) throw new Error('sign-in form: no CSRF cookie or token');
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-sf_csrf=${csrf}`, origin: url, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ email, password, _csrf: token }),
  });
  const access = cookiesSet(res)['__Host-sf_at'];
  if (res.status !== 303 || !access) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return `__Host-sf_csrf=${csrf}; __Host-sf_at=${access}`;
}

/** The JSON "request" log lines in a server's output, by request id. */
export function requestLines(output) {
  const lines = new Map();
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      // The Worker always makes its own request id; the X-Request-Id the bench sent comes back as client_request_id.
      if (entry.msg === 'request' && entry.client_request_id) lines.set(entry.client_request_id, entry);
    } catch {
      /* not ours */
    }
  }
  return lines;
}
