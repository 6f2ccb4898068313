/**
 * A tiny browser stand-in for integration tests: keeps cookies, sends the
 * Origin/Sec-Fetch-Site a same-origin page would, and finds the CSRF token in the
 * last HTML it saw. Requests go through `exports.default.fetch`, the Worker's
 * real entry point.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import app from '../../workers/app';

export const ORIGIN = 'https://sixfold.test';

let addressCounter = 0;
/** A fresh client address, so rate limits of one test don't leak into another. */
export function freshAddress(): string {
  addressCounter += 1;
  return `198.51.100.${addressCounter % 250}-${crypto.randomUUID().slice(0, 8)}`;
}

export type RequestOptions = {
  method?: string;
  form?: Record<string, string | string[]>;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Leave out the CSRF token (for negative tests). */
  noToken?: boolean;
  htmx?: boolean;
  /** Send no Origin / Sec-Fetch-Site, as curl does. */
  bare?: boolean;
};

export class Client {
  readonly cookies = new Map<string, string>();
  csrf = '';
  readonly address = freshAddress();

  /** Where this browser's requests go (and what its Origin header says). */
  readonly origin: string;

  /**
   * `envOverrides` runs requests through the app with changed configuration (e.g. SIGNUP=closed);
   * `options.origin` makes the browser talk to another host (e.g. a public hostname, not a local one).
   */
  constructor(
    private readonly envOverrides?: Partial<Env>,
    options: { origin?: string } = {},
  ) {
    this.origin = options.origin ?? ORIGIN;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async fetch(path: string, options: RequestOptions = {}): Promise<Response> {
    const method = options.method ?? (options.form || options.json !== undefined || options.body ? 'POST' : 'GET');
    const headers = new Headers(options.headers);
    if (this.cookies.size && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', this.address);
    if (method !== 'GET' && method !== 'HEAD' && !options.bare) {
      if (!headers.has('origin')) headers.set('origin', this.origin);
      if (!headers.has('sec-fetch-site')) headers.set('sec-fetch-site', 'same-origin');
    }
    if (options.htmx) headers.set('hx-request', 'true');
    let body: BodyInit | undefined = options.body;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(options.form)) for (const item of [v].flat()) params.append(k, item);
      if (!options.noToken && this.csrf && !params.has('_csrf') && !options.htmx) params.set('_csrf', this.csrf);
      body = params;
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers.set('content-type', 'application/json');
    }
    if (options.htmx && !options.noToken && this.csrf) headers.set('x-csrf-token', this.csrf);
    const request = new Request(this.origin + path, { method, headers, body, redirect: 'manual' });
    let res: Response;
    if (this.envOverrides) {
      const ctx = createExecutionContext();
      res = await app.fetch(request, { ...env, ...this.envOverrides }, ctx);
      await waitOnExecutionContext(ctx);
    } else {
      res = await exports.default.fetch(request);
    }
    this.absorbCookies(res);
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
      const html = await res.clone().text();
      const token = /X-CSRF-Token&quot;:&quot;([^&]+)&quot;/.exec(html)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      if (token) this.csrf = token;
    }
    return res;
  }

  private absorbCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Loads a page first (as a person would) so the CSRF cookie and token exist. */
  async visit(path = '/'): Promise<Response> {
    return this.fetch(path);
  }
}

let emailCounter = 0;
export function uniqueEmail(prefix = 'user'): string {
  emailCounter += 1;
  return `${prefix}${emailCounter}-${crypto.randomUUID().slice(0, 6)}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';

/** A new browser with a new signed-in account. */
export async function signedUp(options: { email?: string; password?: string; env?: Partial<Env> } = {}): Promise<Client & { email: string }> {
  const client = new Client(options.env);
  await client.visit('/signup');
  const email = options.email ?? uniqueEmail();
  const res = await client.fetch('/signup', { form: { email, password: options.password ?? PASSWORD, displayName: '' } });
  if (res.status !== 303) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  await client.visit('/account');
  return Object.assign(client, { email });
}

/** Signs in an existing account in a new browser. */
export async function signedIn(email: string, password = PASSWORD): Promise<Client> {
  const client = new Client();
  await client.visit('/signin');
  const res = await client.fetch('/signin', { form: { email, password } });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  await client.visit('/account');
  return client;
}

/** Creates an API token through the account page and returns it. */
export async function createToken(client: Client, scopes: string[], name = 'test token'): Promise<string> {
  const res = await client.fetch('/account/tokens', { form: { name, scopes, expires: '30' } });
  const html = await res.text();
  const token = /id="new-token" value="([^"]+)"|value="(sfp_[^"]+)"/.exec(html);
  const value = token?.[1] ?? token?.[2];
  if (!value) throw new Error(`no token in response ${res.status}: ${html.slice(0, 400)}`);
  return value;
}
