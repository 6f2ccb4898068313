/**
 * Helpers for Aura's integration tests: people, rooms, and real WebSockets opened
 * through the Worker's entry point (`exports.default.fetch` with `Upgrade: websocket`,
 * then `res.webSocket.accept()`), as a page's script would open them.
 *
 * The room pumps frames on a real 33 ms timer inside its Durable Object, so tests wait
 * by polling with a deadline (`waitFor`), never with fixed sleeps.
 */
import { env } from 'cloudflare:workers';
import type { AuraRoom } from '../../durable-objects/aura-room';
import { paths } from '../../workers/aura/paths';
import { Client, ORIGIN, signedUp } from './client';

export type AuraUser = Client & { email: string; id: number };

/**
 * Starts this file's user ids far from other files' ids: each file has its own D1, so
 * ids restart at 1, but the rate limiter (RL_AURA_ROOM, keyed `aura-room:<user id>`)
 * is shared by every file in the run.
 */
export async function padUserIds(): Promise<void> {
  const now = Date.now();
  await env.DB.prepare("INSERT INTO users (id, email, password_hash, role, created_at, updated_at) VALUES (?, ?, 'x', 'member', ?, ?)")
    .bind(1_000_000 + Math.floor(Math.random() * 1_000_000_000), `aura-pad-${crypto.randomUUID()}@example.com`, now, now)
    .run();
}

/** A new signed-in browser on Aura's home page (which gives it the CSRF token its forms carry). */
export async function auraUser(): Promise<AuraUser> {
  const client = await signedUp();
  const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(client.email).first<{ id: number }>();
  await client.visit(paths.home);
  return Object.assign(client, { id: row!.id });
}

/** Creates a room through the form (POST /aura): the route, its rate limit and all. */
export async function newRoom(owner: Client, title = ''): Promise<string> {
  const res = await owner.fetch(paths.home, { form: { title } });
  const location = res.headers.get('location') ?? '';
  const id = /^\/aura\/r\/([A-Za-z0-9_-]{22})$/.exec(location)?.[1];
  if (res.status !== 303 || id === undefined) throw new Error(`room not created: ${res.status} ${location} ${await res.text()}`);
  return id;
}

/**
 * A room row written straight to D1, for fixtures that need more rooms than the
 * creation rate limit (10 a minute) lets a test make through the form.
 */
export async function seedRoom(ownerId: number, fields: { locked?: boolean; openPresenting?: boolean; title?: string } = {}): Promise<string> {
  const id = base64url(crypto.getRandomValues(new Uint8Array(16)));
  await env.DB.prepare('INSERT INTO aura_rooms (id, owner_id, title, locked, open_presenting, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(id, ownerId, fields.title ?? '', fields.locked ? 1 : 0, fields.openPresenting ? 1 : 0, Date.now())
    .run();
  return id;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The room's Durable Object, typed for RPC (`snapshot`, `stats`, …). */
export function roomStub(id: string): DurableObjectStub<AuraRoom> {
  const rooms = env.AURA_ROOM as unknown as DurableObjectNamespace<AuraRoom>;
  return rooms.get(rooms.idFromName(id));
}

/** Polls `check` until it is truthy or `timeout` ms pass (then throws with `what`). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeout = 5000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export type Closed = { code: number; reason: string };
export type Swap = { content: string; target: string; swap: string };

/** One client end of a room's WebSocket, recording everything it receives. */
export class RoomSocket {
  /** Every text message, in order. */
  readonly messages: string[] = [];
  /** The frames: bare SVG strings. */
  readonly frames: string[] = [];
  /** The JSON swap messages (status lines, the viewer count, notices). */
  readonly swaps: Swap[] = [];
  closed: Closed | null = null;

  constructor(
    readonly ws: WebSocket,
    /** Acknowledge each frame as the page's script does once it has drawn it. */
    public autoAck: boolean,
  ) {
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      this.messages.push(event.data);
      if (event.data.startsWith('<svg')) {
        this.frames.push(event.data);
        if (this.autoAck) this.send({ type: 'ack' });
      } else this.swaps.push(JSON.parse(event.data) as Swap);
    });
    ws.addEventListener('close', (event) => {
      this.closed = { code: event.code, reason: event.reason };
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' || message instanceof ArrayBuffer ? message : JSON.stringify(message));
  }

  get open(): boolean {
    return this.closed === null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Waits until this socket holds at least `n` frames in all; returns the newest. */
  async frame(n = this.frames.length + 1, timeout = 5000): Promise<string> {
    await waitFor(() => this.frames.length >= n, `frame ${n} (have ${this.frames.length})`, timeout);
    return this.frames.at(-1)!;
  }

  async swapFor(target: string, match: RegExp | string, timeout = 5000): Promise<Swap> {
    return waitFor(
      () => this.swaps.find((s) => s.target === target && (typeof match === 'string' ? s.content.includes(match) : match.test(s.content))),
      `a message for ${target} matching ${match}`,
      timeout,
    );
  }

  async whenClosed(timeout = 5000): Promise<Closed> {
    return waitFor(() => this.closed, 'the socket to close', timeout);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(1000, 'done');
  }
}

/** The upgrade request a room page's script makes (same-origin by default); `as` null is an anonymous visitor. */
export async function upgrade(as: Client | null, id: string, headers: Record<string, string> = { origin: ORIGIN }): Promise<Response> {
  return (as ?? new Client()).fetch(paths.socket(id), { headers: { upgrade: 'websocket', ...headers } });
}

/** Opens a room's socket and accepts it (throws unless the upgrade succeeds). */
export async function connect(as: Client | null, id: string, options: { autoAck?: boolean; address?: string } = {}): Promise<RoomSocket> {
  const res = await upgrade(as, id, { origin: ORIGIN, ...(options.address ? { 'cf-connecting-ip': options.address } : {}) });
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  res.webSocket.accept();
  return new RoomSocket(res.webSocket, options.autoAck ?? true);
}

/** The aria-label of an SVG frame: what a screen reader hears, and a readable summary for tests. */
export function ariaLabel(svg: string): string {
  return /aria-label="([^"]*)"/.exec(svg)?.[1] ?? '';
}

/** The loudest band a frame reports: "loudest band 1 kHz at −6 dBFS" → { hz: 1000, db: -6 }. */
export function loudest(svg: string): { hz: number; db: number } | null {
  const m = /loudest band ([\d.]+) (k?)Hz(?: \([^)]*\))? at ([−\d.]+) dBFS/.exec(ariaLabel(svg));
  if (!m) return null;
  return { hz: Number(m[1]) * (m[2] === 'k' ? 1000 : 1), db: Number(m[3]!.replace('−', '-')) };
}
