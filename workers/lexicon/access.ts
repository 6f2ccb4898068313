/**
 * Who is asking and what they may do: the viewer and actor of a request, the
 * staff-only gate, the validated ticket id, and the audit log line of a change.
 * Staff-only routes put `staffOnly` before every validator, so a requester gets the
 * same 403 for every id and every body: it reveals nothing.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { currentAuth } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import { HttpError } from '../../shared/http/http-error';
import { audit } from '../../shared/http/logging';
import { params } from '../../shared/http/validation';
import { NOT_FOUND, STAFF_ONLY } from './refusals';
import type { Actor, Viewer } from './rows';
import { TicketParams } from './schema';

export function viewerOf(c: Context<AppEnv>): Viewer {
  const user = currentAuth(c).user;
  return { id: user.id, staff: user.role !== 'member' };
}

export const actorOf = (c: Context<AppEnv>): Actor => ({ id: currentAuth(c).user.id, requestId: c.get('requestId') });

/** Agents and admins work tickets; members are requesters. */
export const isStaff = (c: Context<AppEnv>): boolean => viewerOf(c).staff;

export function requireStaff(c: Context<AppEnv>): Viewer {
  const viewer = viewerOf(c);
  if (!viewer.staff) throw new HttpError(403, STAFF_ONLY);
  return viewer;
}

/** Middleware: a 403 for anyone but staff, before anything else is looked at. */
export const staffOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  requireStaff(c);
  await next();
};

/** `:id` of a ticket route; anything but a number is the 404 of a ticket that does not exist. */
export const ticketParams = params(TicketParams, NOT_FOUND);

/**
 * The ticket id `ticketParams` validated, for code that gets the context untyped
 * (a form's refusal hook runs after the params validator, before the handler).
 */
export function validTicketId(c: Context<AppEnv>): number {
  return (c as unknown as Context<AppEnv, string, { out: { param: { id: number } } }>).req.valid('param').id;
}

/** The assignee a form names: "me", "" (nobody) or a user id. */
export function assigneeId(c: Context<AppEnv>, value: string): number | null {
  if (value === 'me') return currentAuth(c).user.id;
  return value === '' ? null : Number(value);
}

/** One `audit` log line for a change (the audit row itself is written in the change's batch). */
export function logChange(c: Context<AppEnv>, event: string, fields: Record<string, unknown>): void {
  audit(`lexicon.${event}`, { actor_id: currentAuth(c).user.id, ...fields });
}
