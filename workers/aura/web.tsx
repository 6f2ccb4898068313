/**
 * Aura's pages and the room's WebSocket (mounted at /aura by the descriptor). The
 * rooms table decides who may do what; the room's Durable Object
 * (durable-objects/aura-room.ts) holds the sockets, the audio and the settings.
 *
 * Who is what in a room:
 *   owner       the account that made it: presents, and may lock, retitle or end it
 *   presenter   the owner, or (if the owner allows it) any signed-in user
 *   viewer      anyone with the link, no account needed (unless the room is locked)
 */
import { Hono, type Context } from 'hono';
import type { AuraRoom } from '../../durable-objects/aura-room';
import { assertScope, currentAuth, requireSession } from '../../shared/auth/middleware';
import { now } from '../../shared/clock';
import type { AppEnv } from '../../shared/context';
import { randomToken } from '../../shared/crypto';
import { HttpError } from '../../shared/http/http-error';
import { audit, logRef } from '../../shared/http/logging';
import { enforceRateLimit } from '../../shared/http/rate-limit';
import { refusal } from '../../shared/http/refusal';
import { clientAddress } from '../../shared/http/request';
import { fragmentOrPage } from '../../shared/http/respond';
import { pagePolicy } from '../../shared/http/security';
import { form, formHook, params, query } from '../../shared/http/validation';
import * as z from 'zod';
import { paths } from './paths';
import { CLOSE, parseForm } from './protocol';
import { MAX_OPEN_ROOMS, REFUSALS } from './refusals';
import * as repo from './repository';
import { PEER_HEADER, type Peer } from './room-contract';
import * as schema from './schema';
import { type Mode, MODES } from './settings';
import * as views from './views';

const web = new Hono<AppEnv>();

const roomParam = params(schema.RoomParam, REFUSALS.missing.message);
const ROOMS_LISTED = 100;

/** The room's Durable Object (typed for RPC: wrangler types cannot see through the re-export). */
function roomStub(c: Context<AppEnv>, id: string): DurableObjectStub<AuraRoom> {
  const rooms = c.env.AURA_ROOM as unknown as DurableObjectNamespace<AuraRoom>;
  return rooms.get(rooms.idFromName(id));
}

/** The room, open; a missing one and an ended one each answer their refusal. */
async function openRoom(c: Context<AppEnv>, id: string): Promise<repo.Room> {
  const room = await repo.findRoom(c.env.DB, id);
  if (!room) throw refusal(REFUSALS, 'missing');
  if (room.endedAt !== null) throw refusal(REFUSALS, 'ended');
  return room;
}

/** What the caller is in this room (throws if a locked room keeps them out). */
function peerOf(c: Context<AppEnv>, room: repo.Room): Peer {
  const user = c.get('auth')?.user ?? null;
  const owner = user !== null && user.id === room.ownerId;
  if (room.locked && !owner) throw refusal(REFUSALS, 'locked');
  const presenter = owner || (user !== null && room.openPresenting);
  return { role: presenter ? 'presenter' : 'viewer', userId: user?.id ?? null, owner, address: clientAddress(c) };
}

/** The owner's open room, or the same 404 a missing one gives (another user's room is not theirs to learn about). */
async function ownRoom(c: Context<AppEnv>, id: string): Promise<repo.Room> {
  const room = await repo.findRoom(c.env.DB, id);
  if (!room || room.ownerId !== currentAuth(c).user.id) throw refusal(REFUSALS, 'not_owner');
  if (room.endedAt !== null) throw refusal(REFUSALS, 'ended');
  return room;
}

// ---------------------------------------------------------------- your rooms

const homeRender = (c: Context<AppEnv>, state: { errors: Record<string, string>; values: Record<string, unknown> }) => ({
  title: 'Aura',
  form: <views.HomePage signedIn rooms={[]} csrf={c.get('csrfToken')} errors={state.errors} values={state.values} />,
});

web.get('/', async (c) => {
  const auth = c.get('auth');
  const rooms = auth ? await repo.listRooms(c.env.DB, auth.user.id, ROOMS_LISTED) : [];
  return c.render(<views.HomePage signedIn={auth !== null} rooms={rooms} csrf={c.get('csrfToken')} />, { title: 'Aura', ...views.AURA_ASSETS });
});

web.post('/', requireSession(), form(schema.CreateRoomForm, formHook(homeRender)), async (c) => {
  const user = currentAuth(c).user;
  await enforceRateLimit(c.env.RL_AURA_ROOM, `aura-room:${user.id}`, 60, 'new rooms');
  const { title } = c.req.valid('form');
  const id = randomToken(16);
  if (!(await repo.createRoom(c.env.DB, { id, ownerId: user.id, title, now: now() }, MAX_OPEN_ROOMS))) {
    const page = homeRender(c, { errors: { _form: REFUSALS.too_many_rooms.message }, values: { title } });
    return fragmentOrPage(c, { title: page.title, status: REFUSALS.too_many_rooms.status }, page.form);
  }
  audit('aura.room_created', { actor_id: user.id, room: await logRef(c.env.SESSION_SECRET, id) });
  return c.redirect(paths.room(id), 303);
});

// ---------------------------------------------------------------- a room

const RoomQuery = z
  .object({
    // The "Show me" form without JavaScript: `type=view` rides along.
    type: z.literal('view').optional(),
    mode: z.enum([...MODES, 'room']).optional(),
  })
  .strict();

/** The room's page for this caller; `notice` (with `status`) after a refused control form. */
async function roomPage(c: Context<AppEnv>, room: repo.Room, peer: Peer, view: Mode | null, notice?: { message: string; status: number }) {
  const snapshot = await roomStub(c, room.id).snapshot(view ?? undefined);
  const origin = new URL(c.req.url).origin;
  // The worklet module cannot carry a nonce: the policy names that one file. Only presenters use the microphone.
  pagePolicy(c, { scriptSrc: [`${origin}${views.WORKLET.split('?')[0]}`], allow: peer.role === 'presenter' ? ['microphone'] : [] });
  c.header('cache-control', 'no-store');
  if (notice) c.status(notice.status as 422);
  return c.render(
    <views.RoomPage
      room={room}
      url={`${origin}${paths.room(room.id)}`}
      csrf={c.get('csrfToken')}
      presenter={peer.role === 'presenter'}
      owner={peer.owner}
      settings={snapshot.settings}
      source={snapshot.source}
      viewers={snapshot.viewers}
      sineFrequency={snapshot.sineFrequency}
      svg={snapshot.svg}
      view={view}
      notice={notice?.message}
    />,
    { title: room.title ? `${room.title} · Aura` : 'Aura room', ...views.AURA_ASSETS },
  );
}

web.get('/r/:id', roomParam, query(RoomQuery), async (c) => {
  const { id } = c.req.valid('param');
  const { mode } = c.req.valid('query');
  const room = await openRoom(c, id);
  return roomPage(c, room, peerOf(c, room), mode === undefined || mode === 'room' ? null : mode);
});

/**
 * The room's WebSocket. Checked here, before the room's object wakes: the id, that
 * this is an upgrade, that it comes from our own pages (a cross-site page could
 * otherwise open it with the visitor's cookies), the room is open and the caller let
 * in. Then the object gets a request carrying only what it needs, and its 101 goes back.
 */
web.get('/r/:id/ws', roomParam, async (c) => {
  const { id } = c.req.valid('param');
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw refusal(REFUSALS, 'not_websocket', { headers: { upgrade: 'websocket' } });
  if (c.req.header('origin') !== new URL(c.req.url).origin) throw refusal(REFUSALS, 'cross_origin');
  const room = await openRoom(c, id);
  const auth = c.get('auth');
  // An API token (scripts, the latency bench) needs the `aura` scope; without it, it is refused rather than quietly made a viewer.
  if (auth) assertScope(auth, 'aura');
  const peer = peerOf(c, room);
  const upstream = await roomStub(c, id).fetch('https://aura-room/connect', { headers: { upgrade: 'websocket', [PEER_HEADER]: JSON.stringify(peer) } });
  // A fresh Response: the middleware after us sets headers, and a fetched response's are immutable.
  return new Response(null, { status: upstream.status, webSocket: upstream.webSocket, headers: upstream.headers });
});

/** A presenter's control without JavaScript: the same message the socket would carry, then back to the room. */
web.post('/r/:id/control', roomParam, requireSession(), form(schema.ControlForm), async (c) => {
  const { id } = c.req.valid('param');
  const room = await openRoom(c, id);
  const peer = peerOf(c, room);
  // The socket allows CONTROL_PER_SECOND changes; the form path gets a per-user limit of its own.
  await enforceRateLimit(c.env.RL_AURA_CONTROL, `aura-control:${currentAuth(c).user.id}`, 60, 'changes to the room');
  const parsed = parseForm(c.req.valid('form'), peer.role);
  if (!parsed.ok && 'refusal' in parsed) throw new HttpError(parsed.refusal.code === CLOSE.policy ? 403 : 422, parsed.refusal.reason);
  const result = parsed.ok ? await roomStub(c, id).control(parsed.message, peer) : { ok: false as const, message: parsed.invalid };
  // Refused: the room again, with the reason above the picture (and the form as the room has it).
  if (!result.ok) return roomPage(c, room, peer, null, { message: result.message, status: 422 });
  return c.redirect(paths.room(id), 303);
});

web.post('/r/:id/update', roomParam, requireSession(), form(schema.UpdateRoomForm), async (c) => {
  const { id } = c.req.valid('param');
  const room = await ownRoom(c, id);
  const change = c.req.valid('form');
  await repo.updateRoom(c.env.DB, room.id, room.ownerId, change);
  // Presenting is decided when a socket opens: those already presenting lose it now, not at their next reload.
  if (room.openPresenting && !change.openPresenting) await roomStub(c, id).demote();
  audit('aura.room_updated', {
    actor_id: room.ownerId,
    room: await logRef(c.env.SESSION_SECRET, id),
    locked: change.locked,
    open_presenting: change.openPresenting,
  });
  return c.redirect(paths.room(id), 303);
});

web.post('/r/:id/end', roomParam, requireSession(), async (c) => {
  const { id } = c.req.valid('param');
  const room = await ownRoom(c, id);
  if (await repo.endRoom(c.env.DB, room.id, room.ownerId, now())) await roomStub(c, id).end();
  audit('aura.room_ended', { actor_id: room.ownerId, room: await logRef(c.env.SESSION_SECRET, id) });
  return c.redirect(paths.home, 303);
});

export default web;
