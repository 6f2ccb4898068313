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
