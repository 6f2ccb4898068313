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
