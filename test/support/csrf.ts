/**
 * The CSRF matrix, reusable by every app: it walks the routes registered on the
 * root app, so a new unsafe route is covered the moment it is mounted.
 *
 * Each unsafe route × each attack below must answer 403 with a CSRF message, and
 * the same request from a same-origin page with its token must not.
 */
import app from '../../workers/app';
import type { Client } from './client';

export type Route = { method: string; path: string };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Unsafe method + path pairs registered on the Worker (middleware-only entries excluded). */
export function unsafeRoutes(): Route[] {
  const seen = new Map<string, Route>();
  for (const r of app.routes) {
    if (!UNSAFE.has(r.method)) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

/** Fills `:name` segments from `params` (default: a well-formed but unknown id). */
export function materialize(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => params[name] ?? 'zzzzzzzzzzzz');
}

export type Attack = {
  name: string;
  headers: Record<string, string>;
  token: boolean;
  json?: boolean;
};

export const ATTACKS: Attack[] = [
  { name: 'foreign Origin', headers: { origin: 'https://evil.example' }, token: true },
  { name: 'Sec-Fetch-Site: cross-site', headers: { 'sec-fetch-site': 'cross-site' }, token: true },
  { name: 'Origin: null', headers: { origin: 'null' }, token: true },
  { name: 'no token (form)', headers: {}, token: false },
  { name: 'no token (JSON)', headers: {}, token: false, json: true },
];

export const CSRF_MESSAGE = /Cross-site request refused|security token is missing|did not come from a Sixfold page/;

export type MatrixResult = { route: string; attack: string; status: number; ok: boolean };

/** Sends every attack at every route as `client` (which must hold cookies). */
export async function attackAll(client: Client, routes: Route[], params: Record<string, string> = {}): Promise<MatrixResult[]> {
  const results: MatrixResult[] = [];
  for (const route of routes) {
    const path = materialize(route.path, params);
    for (const attack of ATTACKS) {
      const res = await client.fetch(path, {
        method: route.method,
        headers: attack.headers,
        noToken: !attack.token,
        ...(attack.json ? { json: {} } : { form: {} }),
      });
      const body = await res.text();
      results.push({ route: `${route.method} ${route.path}`, attack: attack.name, status: res.status, ok: res.status === 403 && CSRF_MESSAGE.test(body) });
    }
  }
  return results;
}

/** The positive control: the same route from a same-origin page with its token is not refused as CSRF. */
export async function sameOriginControl(client: Client, route: Route, params: Record<string, string> = {}): Promise<{ status: number; csrfRefused: boolean }> {
  const res = await client.fetch(materialize(route.path, params), { method: route.method, form: {} });
  const body = await res.text();
  return { status: res.status, csrfRefused: res.status === 403 && CSRF_MESSAGE.test(body) };
}
