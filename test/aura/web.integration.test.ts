// Aura's pages and forms through the Worker's entry point: making rooms (rate limit,
// open-room cap), room ids, who may open a room's page or socket (Origin, locked,
// ended, API token scope), the owner-only and presenter-only forms (IDOR), CSRF, and
// the no-JavaScript control path with the still picture it leads to.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../workers/app';
import { paths } from '../../workers/aura/paths';
import { MAX_OPEN_ROOMS, REFUSALS } from '../../workers/aura/refusals';
import { auraUser, type AuraUser, connect, loudest, newRoom, padUserIds, roomStub, seedRoom, upgrade, waitFor } from '../support/aura';
import { Client, createToken, ORIGIN } from '../support/client';
import { captureLogs } from '../support/logs';
import { attackAll, CSRF_MESSAGE, unsafeRoutes } from '../support/csrf';
import { normalized as normalizedIds } from '../support/lexicon';

beforeAll(padUserIds);

const ID = /^[A-Za-z0-9_-]{22}$/;
/** Well-formed, never issued. */
const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAAAA';
const MALFORMED = 'not-a-room';

const room = async (id: string) =>
  env.DB.prepare('SELECT title, locked, open_presenting, ended_at FROM aura_rooms WHERE id = ?')
    .bind(id)
    .first<{ title: string; locked: number; open_presenting: number; ended_at: number | null }>();
const openRooms = async (ownerId: number) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM aura_rooms WHERE owner_id = ? AND ended_at IS NULL').bind(ownerId).first<{ n: number }>())!.n;

/** A page or refusal with what differs per request blanked (nonces, request ids, each visitor's CSRF token) and `ids` as /<id>. */
const normalized = (text: string, ids: string[]) =>
  normalizedIds(text, ids).replace(/X-CSRF-Token&quot;:&quot;[^&]+&quot;/g, 'X-CSRF-Token&quot;:&quot;…&quot;');

/** The room's page as an HTML string (and its status). */
async function page(as: Client, id: string, query = ''): Promise<{ status: number; html: string; res: Response }> {
  const res = await as.fetch(paths.room(id) + query);
  return { status: res.status, html: await res.clone().text(), res };
}

describe('rooms and their ids', () => {
  it('the owner makes a room with the form: 303 to /aura/r/<22-character id>; anyone with the link sees the page', async () => {
    const owner = await auraUser();
    const res = await owner.fetch(paths.home, { form: { title: 'Friday listening' } });
    expect(res.status).toBe(303);
    const id = /^\/aura\/r\/(.+)$/.exec(res.headers.get('location') ?? '')?.[1] ?? '';
    expect(id).toMatch(ID);
    expect((await room(id))?.title).toBe('Friday listening');

    const anonymous = await page(new Client(), id);
    expect(anonymous.status).toBe(200);
    expect(anonymous.res.headers.get('cache-control')).toBe('no-store');
    expect(anonymous.html).toContain('<h1>Friday listening</h1>');
    expect(anonymous.html).toContain(`value="${ORIGIN}/aura/r/${id}"`); // the link to share
    expect(anonymous.html).toContain('You are watching.');
    expect(anonymous.html).not.toContain('Play sine');
    expect(anonymous.html).not.toContain('End the room');
    expect(anonymous.html).toContain('Nothing is playing.');
    expect(anonymous.html).toContain('Spectrum, waiting for audio');

    const mine = await page(owner, id);
    expect(mine.html).toContain('Play sine');
    expect(mine.html).toContain('End the room');
    expect(await (await owner.fetch(paths.home)).text()).toContain(`<a href="/aura/r/${id}">Friday listening</a>`);
  });

  it('ids are 16 random bytes in base64url: two rooms differ, and an id cannot be told from a missing one', async () => {
    const owner = await auraUser();
    const [a, b] = [await newRoom(owner), await newRoom(owner)];
    expect(a).toMatch(ID);
    expect(b).toMatch(ID);
    expect(a).not.toBe(b);

    const anon = new Client();
    const unknown = await page(anon, UNKNOWN);
    const malformed = await page(anon, MALFORMED);
    expect(unknown.status).toBe(404);
    expect(malformed.status).toBe(404);
    expect(unknown.html).toContain(REFUSALS.missing.message.replace('’', '&#39;').slice(0, 30));
    expect(normalized(unknown.html, [UNKNOWN])).toBe(normalized(malformed.html, [MALFORMED]));
    // The socket's address too (an upgrade to a missing room is the same 404).
    const [wsUnknown, wsMalformed] = [await upgrade(null, UNKNOWN), await upgrade(null, MALFORMED)];
    expect([wsUnknown.status, wsMalformed.status]).toEqual([404, 404]);
    expect(normalized(await wsUnknown.text(), [UNKNOWN])).toBe(normalized(await wsMalformed.text(), [MALFORMED]));
  });

  it('refuses text-direction controls in a title (they can make it read as something else)', async () => {
    const owner = await auraUser();
    const res = await owner.fetch(paths.home, { form: { title: 'invoice \u202Egpj.exe' } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('text-direction controls');
  });

  it('a refused request to a room’s address logs the id as its keyed ref, like a routed one', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const logs = captureLogs();
    try {
      // No CSRF token: refused by middleware before any route matched; and a path no route has.
      await new Client().fetch(paths.end(id), { method: 'POST', headers: { origin: ORIGIN } });
      await new Client().fetch(`${paths.room(id)}/`);
      const lines = logs.lines().filter((l) => l.msg === 'request');
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(logs.raw().join('\n')).not.toContain(id);
      for (const l of lines) expect(String(l.path)).toMatch(/^\/aura\/r\/~[A-Za-z0-9_-]{12}(\/|$)/);
    } finally {
      logs.stop();
    }
  });

  it('escapes the title wherever it is shown', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner, '<img src=x onerror=alert(1)>');
    for (const html of [(await page(new Client(), id)).html, await (await owner.fetch(paths.home)).text()]) {
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});

describe('making rooms: limits', () => {
  it('RL_AURA_ROOM (10 a minute per user): the 21st try at the latest is a 429 with Retry-After; nothing written by it', async () => {
    const owner = await auraUser();
    const statuses: number[] = [];
    let last!: Response;
    for (let i = 0; i < 21; i++) {
      last = await owner.fetch(paths.home, { form: { title: `Room ${i}` } });
      statuses.push(last.status);
      if (last.status === 429) break;
      await last.arrayBuffer();
    }
    expect(statuses.at(-1), statuses.join(',')).toBe(429);
    expect(
      statuses.slice(0, -1).every((s) => s === 303),
      statuses.join(','),
    ).toBe(true);
    expect(last.headers.get('retry-after')).toBe('60');
    expect(await last.text()).toContain('Too many new rooms');
    expect(await openRooms(owner.id)).toBe(statuses.length - 1);
    // Per user: someone else is not refused.
    expect((await (await auraUser()).fetch(paths.home, { form: { title: 'Mine' } })).status).toBe(303);
  });

  it(`at ${MAX_OPEN_ROOMS} open rooms a new one is refused (409, the form again with the message) until one ends`, async () => {
    const owner = await auraUser();
    const seeded: string[] = [];
    for (let i = 0; i < MAX_OPEN_ROOMS; i++) seeded.push(await seedRoom(owner.id, { title: `Seeded ${i}` }));
    const refused = await owner.fetch(paths.home, { form: { title: 'One more' } });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(`You have ${MAX_OPEN_ROOMS} open rooms: end one to make another.`);
    expect(html).toContain('value="One more"');
    expect(await openRooms(owner.id)).toBe(MAX_OPEN_ROOMS);

    expect((await owner.fetch(paths.end(seeded[0]!), { form: {} })).status).toBe(303);
    expect(await newRoom(owner, 'One more')).toMatch(ID);
    expect(await openRooms(owner.id)).toBe(MAX_OPEN_ROOMS);
  });
});

describe('who may open a room’s socket', () => {
  let owner: AuraUser;
  let id: string;

  beforeAll(async () => {
    owner = await auraUser();
    id = await newRoom(owner);
  });

  it('refuses a cross-site Origin or none (403, no socket) and a plain GET (426)', async () => {
    for (const [name, headers] of [
      ['foreign Origin', { origin: 'https://evil.example' }],
      ['Origin: null', { origin: 'null' }],
      ['no Origin', {}],
      ['an Origin on another port', { origin: `${ORIGIN}:8443` }],
    ] as const) {
      for (const as of [null, owner]) {
        const res = await upgrade(as, id, headers);
        expect(res.status, name).toBe(403);
        expect(res.webSocket, name).toBeNull();
        expect(await res.text(), name).toContain('must come from this site');
      }
    }
    const plain = await owner.fetch(paths.socket(id));
    expect(plain.status).toBe(426);
    expect(plain.headers.get('upgrade')).toBe('websocket');
    expect(await plain.text()).toContain('WebSocket connections only');
    expect((await roomStub(id).stats()).peers).toHaveLength(0);
  });

  it('an API token needs the aura scope; with it, the owner joins as the presenter', async () => {
    const without = await createToken(owner, ['account:read'], 'no aura');
    const refused = await upgrade(null, id, { origin: ORIGIN, authorization: `Bearer ${without}` });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(await refused.text()).toContain('“aura” scope');

    const token = await createToken(owner, ['aura'], 'aura bench');
    const res = await upgrade(null, id, { origin: ORIGIN, authorization: `Bearer ${token}` });
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    expect((await roomStub(id).stats()).peers.map((p) => p.role)).toEqual(['presenter']);
    res.webSocket!.close(1000, 'done');
  });

  it('a locked room keeps out everyone new but the owner (page and socket 403); those already watching stay', async () => {
    const lockedOwner = await auraUser();
    const lockedId = await newRoom(lockedOwner, 'Rehearsal');
    const stranger = await auraUser();
    const watching = await connect(null, lockedId);
    expect((await lockedOwner.fetch(paths.update(lockedId), { form: { title: 'Rehearsal', locked: 'on' } })).status).toBe(303);
    expect((await room(lockedId))?.locked).toBe(1);

    for (const as of [new Client(), stranger]) {
      const p = await page(as, lockedId);
      expect(p.status).toBe(403);
      expect(p.html).toContain('This room is locked');
      expect(p.html).not.toContain('Rehearsal');
      const socket = await upgrade(as, lockedId);
      expect(socket.status).toBe(403);
      expect(socket.webSocket).toBeNull();
    }
    expect((await page(lockedOwner, lockedId)).status).toBe(200);
    const ownerSocket = await connect(lockedOwner, lockedId);
    expect(ownerSocket.open && watching.open).toBe(true);
    ownerSocket.close();
    watching.close();
  });

  it('an ended room answers 410 to its page, its socket and its forms, and is listed as ended for its owner', async () => {
    const endedOwner = await auraUser();
    const endedId = await newRoom(endedOwner, 'Last night');
    const end = await endedOwner.fetch(paths.end(endedId), { form: {} });
    expect(end.status).toBe(303);
    expect(end.headers.get('location')).toBe(paths.home);

    const p = await page(new Client(), endedId);
    expect(p.status).toBe(410);
    expect(p.html).toContain('This room has ended. Ask its owner for a new link.');
    const socket = await upgrade(null, endedId);
    expect(socket.status).toBe(410);
    expect(socket.webSocket).toBeNull();
    for (const [path, form] of [
      [paths.update(endedId), { title: 'Again' }],
      [paths.end(endedId), {}],
      [paths.control(endedId), { type: 'source', kind: 'stop' }],
    ] as const) {
      const res = await endedOwner.fetch(path, { form });
      expect(res.status, path).toBe(410);
      expect(await res.text(), path).toContain('This room has ended.');
    }
    expect((await room(endedId))?.title).toBe('Last night');
    expect(await (await endedOwner.fetch(paths.home)).text()).toContain('Ended rooms (1)');
  });
});

describe('the IDOR matrix: owner-only and presenter-only forms', () => {
  let owner: AuraUser;
  let stranger: AuraUser;
  let theirs: string;
  let endedTheirs: string;

  beforeAll(async () => {
    owner = await auraUser();
    stranger = await auraUser();
    theirs = await newRoom(owner, 'Secret rehearsal');
    endedTheirs = await newRoom(owner, 'Old secret');
    await owner.fetch(paths.end(endedTheirs), { form: {} });
  });

  const OWNER_ONLY: Array<{ route: string; path: (id: string) => string; form: Record<string, string> }> = [
    { route: 'POST /aura/r/:id/update', path: paths.update, form: { title: 'Taken over', locked: 'on', openPresenting: 'on' } },
    { route: 'POST /aura/r/:id/end', path: paths.end, form: {} },
  ];

  it('covers every Aura route that takes an :id', () => {
    const registered = new Set(
      app.routes.filter((r) => r.path.startsWith('/aura') && r.path.includes(':id') && r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    expect(registered).toEqual(new Set(['GET /aura/r/:id', 'GET /aura/r/:id/ws', 'POST /aura/r/:id/control', ...OWNER_ONLY.map((r) => r.route)]));
  });

  it('another user gets, for someone else’s room (open or ended), exactly the 404 of a missing one; nothing changes', async () => {
    const before = [await room(theirs), await room(endedTheirs)];
    for (const { route, path, form } of OWNER_ONLY) {
      const missing = await stranger.fetch(path(UNKNOWN), { form });
      expect(missing.status, route).toBe(404);
      const missingBody = normalized(await missing.text(), [UNKNOWN]);
      expect(missingBody, route).toContain('There is no room of yours at this address.');
      for (const id of [theirs, endedTheirs]) {
        const res = await stranger.fetch(path(id), { form });
        expect(res.status, `${route} ${id}`).toBe(404);
        const body = await res.text();
        expect(normalized(body, [id]), route).toBe(missingBody);
        expect(body).not.toMatch(/secret/i);
      }
      const malformed = await stranger.fetch(path(MALFORMED), { form });
      expect(malformed.status, `${route} malformed`).toBe(404);
    }
    expect([await room(theirs), await room(endedTheirs)]).toEqual(before);
  });

  it('another user may not use the presenter’s controls (403) until the owner opens the room to presenters; then they present', async () => {
    const sine = { type: 'source', kind: 'sine', frequency: '440' };
    const refused = await stranger.fetch(paths.control(theirs), { form: sine });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('Only the presenter can change the source or the settings.');
    expect((await roomStub(theirs).snapshot()).source).toBe('Nothing is playing.');
    expect((await page(stranger, theirs)).html).not.toContain('Play sine');

    expect((await owner.fetch(paths.update(theirs), { form: { title: 'Secret rehearsal', openPresenting: 'on' } })).status).toBe(303);
    const allowed = await stranger.fetch(paths.control(theirs), { form: sine });
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get('location')).toBe(paths.room(theirs));
    expect((await roomStub(theirs).snapshot()).source).toBe('Test signal: 440 Hz sine.');
    const strangerPage = (await page(stranger, theirs)).html;
    expect(strangerPage).toContain('Play sine');
    expect(strangerPage).not.toContain('End the room');
    const socket = await connect(stranger, theirs);
    expect((await roomStub(theirs).stats()).peers.map((p) => p.role)).toEqual(['presenter']);
    socket.close();
    // Open presenting does not make them an owner.
    expect((await stranger.fetch(paths.end(theirs), { form: {} })).status).toBe(404);
    expect((await room(theirs))?.ended_at).toBeNull();
  });

  it('an anonymous visitor’s control post is sent to sign in; nothing plays', async () => {
    const anon = new Client();
    await anon.visit(paths.room(theirs));
    const res = await anon.fetch(paths.control(theirs), { form: { type: 'source', kind: 'stop' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/signin/);
    expect((await roomStub(theirs).snapshot()).source).toBe('Test signal: 440 Hz sine.');
  });
});

describe('CSRF', () => {
  it('the CSRF matrix covers Aura’s four unsafe routes', () => {
    const routes = unsafeRoutes()
      .filter((r) => r.path.startsWith('/aura'))
      .map((r) => `${r.method} ${r.path}`);
    expect(new Set(routes)).toEqual(new Set(['POST /aura', 'POST /aura/r/:id/control', 'POST /aura/r/:id/update', 'POST /aura/r/:id/end']));
  });

  it('every Aura form post without the token or from another site is refused (403) and changes nothing, for the owner’s own room', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner, 'Guarded');
    const before = [await room(id), await openRooms(owner.id), (await roomStub(id).snapshot()).source];
    const results = await attackAll(
      owner,
      unsafeRoutes().filter((r) => r.path.startsWith('/aura')),
      { id },
    );
    const failures = results.filter((r) => !r.ok);
    expect(failures, JSON.stringify(failures, null, 1)).toEqual([]);
    expect(results).toHaveLength(4 * 5);
    // With real fields too (a forged "end" or "play" carrying everything but the token).
    for (const [path, form] of [
      [paths.home, { title: 'Forged' }],
      [paths.control(id), { type: 'source', kind: 'sine', frequency: '440' }],
      [paths.update(id), { title: 'Forged', locked: 'on' }],
      [paths.end(id), {}],
    ] as const) {
      const res = await owner.fetch(path, { form, noToken: true });
      expect(res.status, path).toBe(403);
      expect(await res.text(), path).toMatch(CSRF_MESSAGE);
    }
    expect([await room(id), await openRooms(owner.id), (await roomStub(id).snapshot()).source]).toEqual(before);
  });
});

describe('presenting without JavaScript (the control forms post)', () => {
  /** The inline SVG of a room page (the still picture drawn before any socket opens). */
  const screen = (html: string) => /<div id="aura-screen" class="aura-screen">(<svg .*?<\/svg>)<\/div>/s.exec(html)?.[1] ?? '';

  /** Within a third of an octave of `hz` (440 Hz falls in the 1/3-octave band centred on 400 Hz) at about −6 dBFS (the test signals' level). */
  function expectLoudestNear(svg: string, hz: number): void {
    const level = loudest(svg);
    expect(level, svg.slice(0, 300)).not.toBeNull();
    expect(Math.abs(Math.log2(level!.hz / hz))).toBeLessThanOrEqual(1 / 6 + 0.01);
    expect(level!.db).toBeGreaterThanOrEqual(-8);
    expect(level!.db).toBeLessThanOrEqual(-4);
  }

  it('a 440 Hz sine from the form: 303 back to the room, whose page (followed at once, as a browser does) says so and draws it', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const res = await owner.fetch(paths.control(id), { form: { type: 'source', kind: 'sine', frequency: '440' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(paths.room(id));

    const { status, html } = await page(owner, id);
    expect(status).toBe(200);
    expect(html).toContain('Test signal: 440 Hz sine.');
    const svg = screen(html);
    expect(svg).toMatch(/^<svg [^>]*class="aura aura-bars"/);
    expectLoudestNear(svg, 440);
  });

  it('anyone’s page draws the playing signal, in the room’s mode or their own (?mode=, the "Show me" form without JavaScript)', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    expect((await owner.fetch(paths.control(id), { form: { type: 'source', kind: 'sine', frequency: '440' } })).status).toBe(303);
    const anon = new Client();
    // Polls only because of the bug the test above shows (an empty picture for ~33 ms after the post); once fixed, the first try succeeds.
    const html = await waitFor(
      async () => {
        const p = await page(anon, id);
        return loudest(screen(p.html)) ? p.html : null;
      },
      'a drawn still picture',
      2000,
    );
    expect(html).toContain('Test signal: 440 Hz sine.');
    expect(html).toContain('You are watching.');
    expectLoudestNear(screen(html), 440);

    const radial = await page(anon, id, '?type=view&mode=radial');
    expect(radial.status).toBe(200);
    expect(screen(radial.html)).toMatch(/^<svg [^>]*class="aura aura-radial"/);
    expectLoudestNear(screen(radial.html), 440);
    expect(radial.html).toMatch(/<option value="radial" selected="">Radial<\/option>/);
    expect((await roomStub(id).snapshot()).settings.mode).toBe('bars');
  });

  it('the settings form applies (numbers as text, clamped); a refused value is a 422 with the reason; live audio needs JavaScript', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const ok = await owner.fetch(paths.control(id), { form: { type: 'settings', mode: 'line', fftSize: '8192', attack: '99999', release: '' } });
    expect(ok.status).toBe(303);
    expect((await roomStub(id).snapshot()).settings).toMatchObject({ mode: 'line', fftSize: 8192, attack: 5000, release: 300 });
    const { html } = await page(owner, id);
    expect(html).toMatch(/<select id="f-mode" name="mode"[^>]*>(?:(?!<\/select>).)*<option value="line" selected="">Line<\/option>/s);
    expect(html).toContain('class="aura aura-line"');

    for (const [form, message] of [
      [{ type: 'settings', dbMin: '-30', dbMax: '-25' }, 'at least 10 dB above the floor'],
      [{ type: 'settings', fftSize: '1000' }, 'FFT size must be one of'],
      [{ type: 'source', kind: 'stream', sampleRate: '48000', channels: '1' }, 'Live audio needs JavaScript'],
      [{ type: 'source', kind: 'theremin' }, 'A source is one of: sine, sweep, pink, chord, stream, stop.'],
    ] as const) {
      const res = await owner.fetch(paths.control(id), { form });
      expect(res.status, JSON.stringify(form)).toBe(422);
      expect(await res.text(), JSON.stringify(form)).toContain(message);
    }
    expect((await roomStub(id).snapshot()).settings).toMatchObject({ mode: 'line', fftSize: 8192 });
  });
});
