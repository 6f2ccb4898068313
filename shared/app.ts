/**
 * What an app is to the platform: one descriptor, exported from
 * `workers/<app>/index.ts` and listed in `workers/apps.ts`. Everything the platform
 * wires up is derived from that list: routes at `/<slug>`, the home page and the
 * header menu, cron jobs, Queue job kinds, API-token scopes, body limits, page
 * and the reads that skip the session lookup. shared/ names no app; an app
 * plugs in here.
 */
import type { Hono } from 'hono';
import type * as z from 'zod';
import type { AppEnv } from './context';
import type { Scope } from './auth/scopes';

/** A periodic job, run on every tick of the one cron (`* * * * *`, UTC). Decide inside whether there is work; must be idempotent. */
export type CronJob = {
  /** `<app>.<job>`, as the log line names it. */
  name: string;
  run: (env: Env, now: number) => Promise<Record<string, unknown>>;
};

/**
 * One kind of Queue message. Delivery is at least once, so `run` must be
 * idempotent. `maxCost` is the most one job may cost (≈ ms of CPU): the consumer
 * only starts it if that still fits the invocation's budget, else defers it.
 */
export type QueueJob<S extends z.ZodObject = z.ZodObject> = {
  /** The message's `kind`; `<app>.<job>`. */
  kind: string;
  /** Validates the whole message, `kind` included (a `z.literal`). */
  schema: S;
  maxCost: number;
  /** Runs one job; `cost` is what it spent (≈ ms of CPU), counted against the batch's budget. */
  run: (env: Env, job: z.output<S>, now: number) => Promise<{ cost: number } & Record<string, unknown>>;
  /**
   * The job used all its retries and reached the dead-letter queue: record that it
   * failed (a job whose failure nobody needs to see may leave this out). Delivered
   * at least once too, and never retried: it must be idempotent and cheap.
   */
  deadLetter?: (env: Env, job: z.output<S>, now: number) => Promise<Record<string, unknown>>;
};

export type AppDescriptor = {
  /** The URL prefix (`/<slug>`) and the name in logs and job kinds. */
  slug: string;
  name: string;
  /** One line on the home page. */
  purpose: string;
  /** One character, shown beside the name. */
  icon: string;
  /** The Hono sub-app mounted at `/<slug>`. */
  routes: Hono<AppEnv>;
  /** API-token scopes this app's API asks for, with what each allows (shown when a token is made). */
  scopes?: Partial<Record<Scope, string>>;
  /** Largest request body under `/<slug>`, in bytes (default: the platform's 64 KiB). Refused with 413 before it is read. */
  bodyLimit?: number;
  /**
   * Larger limits for some paths under `/<slug>` (a full path pattern, bytes), checked
   * before `bodyLimit`, for requests that carry the CSRF token as a header (the app's
   * own scripts) or an `Authorization` header (API tokens): a plain form there keeps
   * `bodyLimit`, so no large form body is parsed before its sender is known.
   */
  largeBodies?: ReadonlyArray<readonly [pattern: RegExp, bytes: number]>;
  cron?: CronJob[];
  // biome-ignore lint/suspicious/noExplicitAny: each job kind has its own message type; the consumer validates with `schema` before `run`.
  queue?: QueueJob<any>[];
  /**
   * Durable Object classes by the binding name wrangler.toml gives them. ES module
   * exports are static, so the classes are also re-exported from
   * `durable-objects/index.ts`; a test checks the two agree.
   */
  durableObjects?: Record<string, new (...args: never[]) => unknown>;
  /**
   * Paths under `/<slug>` that serve public bytes, not pages (a paste's raw view): a
   * GET or HEAD there skips the CSRF cookie (a `Set-Cookie` would stop shared caches)
   * and the session lookup.
   */
  publicReads?: RegExp;
};

/** Identity, with its type checked: `defineApp({...})` in `workers/<app>/index.ts`. */
export function defineApp<const A extends AppDescriptor>(app: A): A {
  return app;
}
