/**
 * Every Aura URL, built in one place: views link with these, routes redirect to them.
 * Pure: no Hono, no Env. The app is mounted at BASE (its descriptor's slug,
 * workers/aura/index.ts).
 */
export const BASE = '/aura';

const room = (id: string) => `${BASE}/r/${id}`;

export const paths = {
  /** Your rooms and the form that makes one (it posts back here). */
  home: BASE,
  room,
  /** The WebSocket: GET with `Upgrade: websocket` (Origin checked). */
  socket: (id: string) => `${room(id)}/ws`,
  /** Presenter controls without JavaScript: the same messages as the socket, as form posts. */
  control: (id: string) => `${room(id)}/control`,
  /** Owner: title, lock, who may present. */
  update: (id: string) => `${room(id)}/update`,
  end: (id: string) => `${room(id)}/end`,
} as const;
