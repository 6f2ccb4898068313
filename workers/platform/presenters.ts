/**
 * The platform's JSON shapes, each with the zod schema that documents it in
 * /api/openapi.json (shared/http/openapi.ts). Pure: no Hono, no bindings.
 */
import * as z from 'zod';
import { ROLES, type Auth } from '../../shared/auth/types';
import type { Health } from './health';

/** GET /api/me: who is calling, and how (a browser session, or a token with its scopes). */
export const Me = z
  .object({
    id: z.number().int(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    createdAt: z.iso.datetime(),
    auth: z.discriminatedUnion('via', [z.object({ via: z.literal('session') }), z.object({ via: z.literal('token'), scopes: z.array(z.string()) })]),
  })
  .meta({ id: 'Me' });

export type MeJson = z.infer<typeof Me>;

export function presentMe(auth: Auth): MeJson {
  const { user } = auth;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
    auth: auth.via === 'token' ? { via: 'token', scopes: [...auth.scopes] } : { via: 'session' },
  };
}

/** GET /healthz (and /healthz.json) for monitors and curl. */
export function presentHealth(health: Health) {
  return { status: health.ok ? ('ok' as const) : ('error' as const), checks: health.checks };
}
