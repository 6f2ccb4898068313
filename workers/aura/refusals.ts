/** Every way Aura refuses a request over HTTP, with its status and what a person reads. */
import type { RefusalTable } from '../../shared/http/refusal';

export type RoomRefusal = 'missing' | 'ended' | 'locked' | 'not_owner' | 'too_many_rooms' | 'cross_origin' | 'not_websocket';

/** Most open rooms one account may have. */
export const MAX_OPEN_ROOMS = 20;

export const REFUSALS: RefusalTable<RoomRefusal> = {
  // A room id that cannot exist is the same 404: no oracle for ids.
  missing: { status: 404, message: 'There is no room at this address. Check the link, or ask its owner for a new one.' },
  ended: { status: 410, message: 'This room has ended. Ask its owner for a new link.' },
  locked: { status: 403, message: 'This room is locked: its owner lets nobody new in right now.' },
  // Another user's room answers as a missing one would (no IDOR oracle), except to say it is not yours when it is open to you.
  not_owner: { status: 404, message: 'There is no room of yours at this address.' },
  too_many_rooms: { status: 409, message: `You have ${MAX_OPEN_ROOMS} open rooms: end one to make another.` },
  cross_origin: { status: 403, message: 'WebSocket connections to a room must come from this site’s own pages.' },
  not_websocket: { status: 426, message: 'This address takes WebSocket connections only; open the room’s page instead.' },
};
