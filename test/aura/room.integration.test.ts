// An Aura room end to end over real WebSockets: the upgrade goes through the Worker
// (exports.default.fetch, the Origin and role checks of workers/aura/web.tsx), the
// socket lands in the room's Durable Object (durable-objects/aura-room.ts), and the
// frames come from its 33 ms pump, a real timer: every wait polls with a deadline.
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuraRoom } from '../../durable-objects/aura-room';
import type { Frame } from '../../workers/aura/dsp/analyzer';
import { sine } from '../../workers/aura/dsp/signals';
import { paths } from '../../workers/aura/paths';
import { CLOSE, encodePcm16, MAX_BINARY_BYTES } from '../../workers/aura/protocol';
import {
  CONTROL_BURST,
  FRAMES_IN_FLIGHT,
  MAX_PRESENTERS_PER_USER,
  MAX_VIEWERS,
  MESSAGE_BURST,
  MESSAGES_PER_SECOND,
  MAX_SOCKETS_PER_ADDRESS,
  STRAY_ACKS,
  TARGETS,
} from '../../workers/aura/room-contract';
import { auraUser, type AuraUser, ariaLabel, connect, loudest, newRoom, padUserIds, type RoomSocket, roomStub, upgrade, waitFor } from '../support/aura';

beforeAll(padUserIds);

const SINE_1K = { type: 'source', source: { kind: 'sine', frequency: 1000 } } as const;
const STREAM_MONO = { type: 'source', source: { kind: 'stream', sampleRate: 48_000, channels: 1 } } as const;

/** True when `run` occurs in `list` as a contiguous sequence. */
function containsRun(list: readonly string[], run: readonly string[]): boolean {
  for (let i = 0; i + run.length <= list.length; i++) if (run.every((s, k) => list[i + k] === s)) return true;
  return false;
}

function closeAll(...sockets: RoomSocket[]): void {
  for (const s of sockets) s.close();
}

describe('a test signal reaches everyone in the room', () => {
  it('the presenter plays a 1 kHz sine: the presenter and two anonymous viewers get the same SVG frames, loudest band 1 kHz at −6 dBFS', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner, 'Sine check');
    const presenter = await connect(owner, id);
    const a = await connect(null, id);
    const b = await connect(null, id);
    await a.swapFor(TARGETS.viewers, '2 watching, 1 presenting');

    presenter.send(SINE_1K);
    for (const s of [presenter, a, b]) await s.swapFor(TARGETS.source, 'Test signal: 1 kHz sine.');
    // Let the ballistics settle (attack 25 ms), then take a stretch both viewers received.
    await Promise.all([a.frame(15), b.frame(15)]);
    const fromB = b.frames.length;
    await b.frame(fromB + 12);
    await a.frame(a.frames.length + 3); // `a` has had time to receive what `b` received
    const stretch = b.frames.slice(fromB, fromB + 12);
    expect(containsRun(a.frames, stretch), 'the viewers were sent one sequence of frames').toBe(true);

    for (const s of [presenter, a, b]) {
      // Frames are bare SVG strings (hx-ws swaps them into #aura-screen); everything else is a JSON swap.
      expect(s.messages.every((m) => m.startsWith('<svg') || (JSON.parse(m) as { target?: string }).target !== undefined)).toBe(true);
      const last = s.frames.at(-1)!;
      expect(last).toMatch(/^<svg [^>]*class="aura aura-bars"/);
      expect(ariaLabel(last)).toMatch(/^Spectrum, loudest band 1 kHz at /);
      const level = loudest(last)!;
      expect(level.hz).toBe(1000);
      expect(level.db).toBeGreaterThanOrEqual(-7);
      expect(level.db).toBeLessThanOrEqual(-5);
    }
    // Everyone acknowledged what they drew: nobody is behind.
    const stats = await roomStub(id).stats();
    expect(stats.peers).toHaveLength(3);
    for (const peer of stats.peers) expect(peer.inFlight).toBeLessThanOrEqual(FRAMES_IN_FLIGHT);
    closeAll(presenter, a, b);
  });

  it('a late joiner gets the current picture at once, and a viewer may pick their own mode without changing the room’s', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const presenter = await connect(owner, id);
    presenter.send(SINE_1K);
    await presenter.frame(3);
    const late = await connect(null, id);
    // What is playing, then the current picture straight away (before the viewer count and any pump tick).
    await waitFor(() => late.messages.length >= 3, 'the greeting');
    expect(JSON.parse(late.messages[0]!)).toMatchObject({ target: TARGETS.source, content: 'Test signal: 1 kHz sine.' });
    expect(late.messages[1]).toMatch(/^<svg [^>]*class="aura aura-bars"/);

    late.send({ type: 'view', mode: 'line' });
    await waitFor(() => late.frames.at(-1)?.includes('class="aura aura-line"'), 'a line frame for the viewer');
    const n = presenter.frames.length;
    await presenter.frame(n + 3);
    expect(presenter.frames.slice(n).every((f) => f.includes('class="aura aura-bars"'))).toBe(true);
    expect((await roomStub(id).snapshot()).settings.mode).toBe('bars');
    closeAll(presenter, late);
  });

  it('a presenter streams PCM: the viewers see its spectrum; audio faster than real time closes the socket with 1008', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const presenter = await connect(owner, id);
    const viewer = await connect(null, id);
    presenter.send(STREAM_MONO);
    await viewer.swapFor(TARGETS.source, 'Live audio: 48 kHz, mono.');
    // 8192 samples (170 ms, 16 KiB): two FFT lengths at the default 4096.
    const chunk = encodePcm16([sine(8192, 48_000, 2000, 0.5)]);
    presenter.send(chunk);
    const frame = await viewer.frame(1);
    expect(loudest(frame)?.hz).toBe(2000);

    // Four more seconds at once: more than real time plus AUDIO_SLACK_SECONDS (2 s).
    const burst = encodePcm16([sine(32_000, 48_000, 2000, 0.5)]);
    for (let i = 0; i < 6 && presenter.open; i++) presenter.send(burst);
    expect(await presenter.whenClosed()).toEqual({ code: CLOSE.policy, reason: 'Audio is arriving faster than real time.' });
    // The stream ended with its presenter's socket.
    await viewer.swapFor(TARGETS.source, 'Nothing is playing.');
    closeAll(viewer);
  });
});

describe('several presenters (the room open to presenters)', () => {
  it('when the owner stops letting others present, those presenting become viewers at once: their source stops, their changes are refused', async () => {
    const owner = await auraUser();
    const guest = await auraUser();
    const id = await newRoom(owner);
    expect((await owner.fetch(paths.update(id), { form: { title: '', openPresenting: 'on' } })).status).toBe(303);
    const guestSocket = await connect(guest, id);
    const viewer = await connect(null, id);
    guestSocket.send(SINE_1K);
    await viewer.swapFor(TARGETS.source, 'Test signal: 1 kHz sine.');

    expect((await owner.fetch(paths.update(id), { form: { title: '' } })).status).toBe(303);
    await guestSocket.swapFor(TARGETS.status, 'you are watching now');
    await viewer.swapFor(TARGETS.source, 'Nothing is playing.');
    guestSocket.send({ type: 'settings', settings: { mode: 'radial' } });
    expect(await guestSocket.whenClosed()).toMatchObject({ code: CLOSE.policy });
    expect((await roomStub(id).snapshot()).settings.mode).toBe('bars');
    closeAll(viewer);
  });

  it(`a user may present from at most ${MAX_PRESENTERS_PER_USER} sockets; the owner from any number`, async () => {
    const owner = await auraUser();
    const guest = await auraUser();
    const id = await newRoom(owner);
    expect((await owner.fetch(paths.update(id), { form: { title: '', openPresenting: 'on' } })).status).toBe(303);
    const guests = [];
    for (let i = 0; i < MAX_PRESENTERS_PER_USER; i++) guests.push(await connect(guest, id, { address: `192.0.2.${i + 1}` }));
    const extra = await connect(guest, id, { address: '192.0.2.99' });
    expect(await extra.whenClosed()).toMatchObject({ code: 1013, reason: expect.stringMatching(/from 2 places already/) });
    const owners = [];
    for (let i = 0; i < MAX_PRESENTERS_PER_USER + 1; i++) owners.push(await connect(owner, id));
    expect(owners.every((s) => s.open)).toBe(true);
    closeAll(...guests, ...owners);
  });

  it('a source is its presenter’s while they are here: another presenter is told to wait, the owner takes it over, and a replaced stream is dropped, not refused', async () => {
    const owner = await auraUser();
    const [guest, other] = [await auraUser(), await auraUser()];
    const id = await newRoom(owner);
    expect((await owner.fetch(paths.update(id), { form: { title: '', openPresenting: 'on' } })).status).toBe(303);
    const [guestSocket, otherSocket] = [await connect(guest, id), await connect(other, id)];
    const viewer = await connect(null, id);

    guestSocket.send(STREAM_MONO);
    await viewer.swapFor(TARGETS.source, 'Live audio: 48 kHz, mono.');
    otherSocket.send(SINE_1K);
    await otherSocket.swapFor(TARGETS.status, 'Someone else is presenting');
    expect(otherSocket.open).toBe(true);

    const ownerSocket = await connect(owner, id);
    ownerSocket.send(SINE_1K);
    await viewer.swapFor(TARGETS.source, 'Test signal: 1 kHz sine.');
    await guestSocket.swapFor(TARGETS.status, 'took over the source');
    // The guest's page may still send a chunk or two before it stops: dropped, the socket stays open.
    guestSocket.send(encodePcm16([sine(4096, 48_000, 200, 0.5)]));
    const n = viewer.frames.length;
    await viewer.frame(n + 3);
    expect(loudest(viewer.frames.at(-1)!)?.hz).toBe(1000);
    expect(guestSocket.open).toBe(true);
    closeAll(guestSocket, otherSocket, viewer, ownerSocket);
  });
});

describe('what each role may send', () => {
  let owner: AuraUser;
  let id: string;

  beforeAll(async () => {
    owner = await auraUser();
    id = await newRoom(owner, 'Refusals');
  });

  const pcm = (bytes: number) => new ArrayBuffer(bytes);
  const CASES: Array<{ name: string; as: 'viewer' | 'presenter'; send: unknown[]; code: number; reason: RegExp }> = [
    {
      name: 'a viewer changing the settings',
      as: 'viewer',
      send: [{ type: 'settings', settings: { mode: 'line' } }],
      code: 1008,
      reason: /Only the presenter/,
    },
    { name: 'a viewer choosing the source', as: 'viewer', send: [SINE_1K], code: 1008, reason: /Only the presenter/ },
    {
      name: 'a viewer sending the settings form as htmx does',
      as: 'viewer',
      send: [{ type: 'settings', fftSize: '2048', headers: {} }],
      code: 1008,
      reason: /Only the presenter/,
    },
    { name: 'a viewer sending audio', as: 'viewer', send: [pcm(4)], code: 1008, reason: /Only the presenter sends audio/ },
    { name: 'audio before a stream announcement', as: 'presenter', send: [pcm(4)], code: 1003, reason: /Announce the stream format/ },
    { name: 'an audio frame of 64 KiB + 2 bytes', as: 'presenter', send: [STREAM_MONO, pcm(MAX_BINARY_BYTES + 2)], code: 1009, reason: /at most 65536 bytes/ },
    { name: 'an odd byte count for 16-bit mono', as: 'presenter', send: [STREAM_MONO, pcm(3)], code: 1003, reason: /multiple of 2 bytes/ },
    {
      name: 'a byte count that splits a stereo frame',
      as: 'presenter',
      send: [{ type: 'source', source: { kind: 'stream', sampleRate: 44_100, channels: 2 } }, pcm(6)],
      code: 1003,
      reason: /multiple of 4 bytes/,
    },
    { name: 'text that is not JSON', as: 'presenter', send: ['hello'], code: 1003, reason: /must be JSON/ },
    { name: 'JSON that is not a message', as: 'presenter', send: [{ type: 'shout' }], code: 1003, reason: /Not an Aura message/ },
  ];

  it.each(CASES)('$name: closed with $code', async ({ as, send, code, reason }) => {
    const socket = await connect(as === 'presenter' ? owner : null, id);
    for (const message of send) socket.send(message);
    const closed = await socket.whenClosed();
    expect(closed.code).toBe(code);
    expect(closed.reason).toMatch(reason);
    expect(new TextEncoder().encode(closed.reason).length).toBeLessThanOrEqual(123);
  });

  it('the presenter may send the settings form as htmx does (flat fields as strings)', async () => {
    const presenter = await connect(owner, id);
    presenter.send({ type: 'settings', fftSize: '2048', mode: 'led', attack: '40', headers: { 'HX-Request': 'true' } });
    await waitFor(async () => (await roomStub(id).snapshot()).settings.mode === 'led', 'the settings to apply');
    expect((await roomStub(id).snapshot()).settings).toMatchObject({ fftSize: 2048, mode: 'led', attack: 40 });
    expect(presenter.open).toBe(true);
    // A valid message with a value the room refuses is answered to the sender, not by closing.
    presenter.send({ type: 'settings', settings: { dbMin: -30, dbMax: -25 } });
    const refused = await presenter.swapFor(TARGETS.status, 'at least 10 dB above the floor');
    expect(refused.content).toContain('role="alert"');
    expect(presenter.open).toBe(true);
    closeAll(presenter);
  });

  it('a flood of any text past MESSAGE_BURST closes the socket with 1008 (refused changes count too)', async () => {
    const viewer = await connect(null, id);
    for (let i = 0; i < MESSAGE_BURST + 10 && viewer.open; i++) viewer.send({ type: 'view', mode: 'room' });
    expect(await viewer.whenClosed()).toEqual({ code: CLOSE.policy, reason: 'Too many messages: at most a few dozen a second.' });
  });

  it('acknowledgements of frames that were never sent: a few are forgiven, a stream of them closes the socket', async () => {
    const viewer = await connect(null, id);
    for (let i = 0; i < STRAY_ACKS + 5 && viewer.open; i++) viewer.send({ type: 'ack' });
    expect(await viewer.whenClosed()).toEqual({ code: CLOSE.policy, reason: 'Acknowledged frames that were never sent.' });
  });

  it('more than CONTROL_BURST control messages at once: the sender is told to wait, and the socket stays open', async () => {
    const presenter = await connect(owner, id);
    const viewer = await connect(null, id);
    for (let i = 0; i < CONTROL_BURST + 5; i++) {
      presenter.send({ type: 'settings', settings: { mode: i % 2 ? 'line' : 'bars' } });
      viewer.send({ type: 'view', mode: i % 2 ? 'line' : 'bars' });
    }
    for (const s of [presenter, viewer]) {
      const notice = await s.swapFor(TARGETS.status, 'Too many changes');
      expect(notice.content).toContain('role="alert"');
      expect(notice.swap).toBe('innerHTML');
    }
    const refused = presenter.swaps.filter((s) => s.content.includes('Too many changes')).length;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(5);
    expect(presenter.open && viewer.open).toBe(true);
    // Tokens refill at CONTROL_PER_SECOND (5/s): a change a moment later is taken.
    await new Promise((r) => setTimeout(r, 250));
    presenter.send({ type: 'settings', settings: { mode: 'radial' } });
    await waitFor(async () => (await roomStub(id).snapshot()).settings.mode === 'radial', 'the later change to apply');
    expect(presenter.open && viewer.open).toBe(true);
    closeAll(presenter, viewer);
  });
});

describe('the room’s state and eviction', () => {
  // evictDurableObject refuses an object whose pump (a setInterval) is running ("it still
  // has active references"), as the runtime would not hibernate it either: a room plays
  // only while someone is connected, so these tests evict a room nobody is playing to.

  /** Until the room has stopped its pump (its next tick after the last socket left). Reads a private field. */
  const pumpStopped = (id: string) =>
    waitFor(() => runInDurableObject(roomStub(id), (room: AuraRoom) => (room as unknown as { pump: unknown }).pump === null), 'the pump to stop');

  it('settings and the test signal survive eviction: the snapshot, the page and the frames after reconnecting are radial at FFT 2048', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const presenter = await connect(owner, id);
    presenter.send({ type: 'settings', settings: { fftSize: 2048, mode: 'radial' } });
    presenter.send(SINE_1K);
    await waitFor(() => presenter.frames.at(-1)?.includes('class="aura aura-radial"'), 'a radial frame');
    const stub = roomStub(id);
    expect((await stub.stats()).broadcasts).toBeGreaterThan(0);
    presenter.close();
    await pumpStopped(id);

    await evictDurableObject(stub, { webSockets: 'close' });

    // A fresh instance (its frame counter restarted) read the settings and the signal back from storage.
    expect((await stub.stats()).broadcasts).toBe(0);
    const snapshot = await stub.snapshot();
    expect(snapshot.settings).toMatchObject({ fftSize: 2048, mode: 'radial' });
    expect(snapshot.source).toBe('Test signal: 1 kHz sine.');
    const page = await (await owner.fetch(paths.room(id))).text();
    expect(page).toMatch(/<select id="f-fftSize" name="fftSize"[^>]*>(?:(?!<\/select>).)*<option value="2048" selected="">2048<\/option>/s);
    expect(page).toMatch(/<select id="f-mode" name="mode"[^>]*>(?:(?!<\/select>).)*<option value="radial" selected="">Radial<\/option>/s);
    expect(page).toContain('class="aura aura-radial"');

    const again = await connect(null, id);
    const frame = await again.frame(2);
    expect(frame).toContain('class="aura aura-radial"');
    expect(loudest(frame)?.hz).toBe(1000);
    closeAll(again);
  });

  it('sockets hibernated through eviction keep their roles: the presenter still changes the settings, a viewer still may not', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const presenter = await connect(owner, id);
    const viewer = await connect(null, id);
    presenter.send({ type: 'settings', settings: { mode: 'line' } });
    const stub = roomStub(id);
    await waitFor(async () => (await stub.snapshot()).settings.mode === 'line', 'the first change');

    await evictDurableObject(stub); // webSockets: 'hibernate'
    expect(presenter.open && viewer.open).toBe(true);

    // The presenter's message wakes a new instance; the socket's attachment still says presenter.
    presenter.send({ type: 'settings', settings: { mode: 'led' } });
    presenter.send(SINE_1K);
    await waitFor(() => viewer.frames.at(-1)?.includes('class="aura aura-led"'), 'an LED frame after waking');
    expect((await stub.stats()).peers.map((p) => p.role).sort()).toEqual(['presenter', 'viewer']);
    viewer.send({ type: 'settings', settings: { mode: 'bars' } });
    expect((await viewer.whenClosed()).code).toBe(CLOSE.policy);
    expect((await stub.snapshot()).settings.mode).toBe('led');
    closeAll(presenter);
  });
});

describe('flow control', () => {
  /** The private parts of AuraRoom this test drives (see below for why). */
  type Internals = { latest: Frame | null; broadcast(frame: Frame): void; stopPump(): void };

  it('1,000 frames go out: an acknowledging viewer gets every one; one that never acknowledges holds two in flight and only the newest pending', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    // The source through the no-JavaScript form, so the only sockets are the two viewers below.
    expect((await owner.fetch(paths.control(id), { form: { type: 'source', kind: 'sine', frequency: '1000' } })).status).toBe(303);
    const stalled = await connect(null, id, { autoAck: false });
    const reader = await connect(null, id);
    // The reader's own view ('bars', the same picture as the room's) tells the two apart in stats().
    reader.send({ type: 'view', mode: 'bars' });
    await reader.frame(3);
    await stalled.frame(FRAMES_IN_FLIGHT);

    // The pump sends at most one frame per 33 ms, and streamed audio is held to real
    // time (+2 s), so 1,000 frames through the front door take 33 s. Instead the test
    // runs the room's own broadcast path (the one the pump's tick calls) 1,000 times
    // inside the object. The pump is stopped first so that every frame counted is one
    // sent here: the reader's count can then be compared exactly.
    const stub = roomStub(id);
    await runInDurableObject(stub, (room: AuraRoom) => (room as unknown as Internals).stopPump());
    const before = (await stub.stats()).broadcasts;
    const from = reader.frames.length;
    // The reader acknowledges each frame, and a socket may send MESSAGE_BURST text
    // messages at once and MESSAGES_PER_SECOND after that: past the burst the frames
    // are paced to stay under that rate (≈ 20 s in all).
    const started = Date.now();
    for (let i = 0; i < 1000; i++) {
      const due = started + Math.max(0, i - (MESSAGE_BURST - 20)) * (1000 / (MESSAGES_PER_SECOND - 5));
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      await runInDurableObject(stub, (room: AuraRoom) => {
        const internals = room as unknown as Internals;
        internals.broadcast(internals.latest!);
      });
      await reader.frame(from + i + 1);
    }
    const stats = await stub.stats();
    expect(stats.broadcasts - before).toBe(1000);
    expect(reader.frames.length - from).toBe(1000);

    const stalledPeer = stats.peers.find((p) => p.view === null)!;
    const readerPeer = stats.peers.find((p) => p.view === 'bars')!;
    expect(stalledPeer.inFlight).toBe(FRAMES_IN_FLIGHT);
    expect(stalledPeer.pendingBytes).toBeGreaterThan(0);
    expect(stalledPeer.pendingBytes).toBeLessThanOrEqual(Math.max(...reader.frames.map((f) => f.length)));
    expect(readerPeer.pendingBytes).toBe(0);
    expect(stalled.frames).toHaveLength(FRAMES_IN_FLIGHT);

    // One acknowledgement: the newest frame comes, not the 998 it missed.
    stalled.send({ type: 'ack' });
    const next = await stalled.frame(FRAMES_IN_FLIGHT + 1);
    expect(next).toBe(reader.frames.at(-1));
    stalled.send({ type: 'ack' });
    stalled.send({ type: 'ack' });
    await waitFor(async () => (await stub.stats()).peers.find((p) => p.view === null)?.inFlight === 0, 'the acknowledgements');
    expect(stalled.frames).toHaveLength(FRAMES_IN_FLIGHT + 1);
    closeAll(stalled, reader);
  }, 60_000);
});

describe('limits', () => {
  it(`the ${MAX_VIEWERS + 1}st viewer is let in and closed with 1013 (room full); the owner still presents; a freed place is taken`, async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const viewers: RoomSocket[] = [];
    // Each from its own address (one address may hold MAX_SOCKETS_PER_ADDRESS sockets).
    for (let i = 0; i < MAX_VIEWERS; i++) viewers.push(await connect(null, id, { address: `198.51.100.${i + 1}` }));
    await viewers[0]!.swapFor(TARGETS.viewers, `${MAX_VIEWERS} watching`);

    const extra = await connect(null, id, { address: '198.51.100.200' });
    const closed = await extra.whenClosed();
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/full \(50 viewers\)/);
    expect(viewers.every((v) => v.open)).toBe(true);

    const presenter = await connect(owner, id);
    await presenter.swapFor(TARGETS.viewers, `${MAX_VIEWERS} watching, 1 presenting`);
    expect(presenter.open).toBe(true);

    viewers.pop()!.close();
    await presenter.swapFor(TARGETS.viewers, `${MAX_VIEWERS - 1} watching, 1 presenting`);
    const newcomer = await connect(null, id, { address: '198.51.100.201' });
    await newcomer.swapFor(TARGETS.viewers, `${MAX_VIEWERS} watching, 1 presenting`);
    expect(newcomer.open).toBe(true);
    closeAll(presenter, newcomer, ...viewers);
  }, 30_000);

  it(`one address holds at most ${MAX_SOCKETS_PER_ADDRESS} sockets (not counting the owner's); the owner is never turned away`, async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const mine: RoomSocket[] = [];
    for (let i = 0; i < MAX_SOCKETS_PER_ADDRESS; i++) mine.push(await connect(null, id, { address: '203.0.113.7' }));
    const extra = await connect(null, id, { address: '203.0.113.7' });
    expect(await extra.whenClosed()).toMatchObject({ code: 1013, reason: expect.stringMatching(/from your network/) });
    const elsewhere = await connect(null, id, { address: '203.0.113.8' });
    const presenter = await connect(owner, id, { address: '203.0.113.7' });
    await presenter.swapFor(TARGETS.viewers, `${MAX_SOCKETS_PER_ADDRESS + 1} watching, 1 presenting`);
    expect(presenter.open && elsewhere.open).toBe(true);
    closeAll(presenter, elsewhere, ...mine);
  });

  it('ending the room closes every socket with 1000 and a reason, and the socket address then answers 410', async () => {
    const owner = await auraUser();
    const id = await newRoom(owner);
    const presenter = await connect(owner, id);
    const viewer = await connect(null, id);
    presenter.send(SINE_1K);
    await viewer.frame(1);
    expect((await owner.fetch(paths.end(id), { form: {} })).status).toBe(303);
    for (const s of [presenter, viewer]) expect(await s.whenClosed()).toEqual({ code: 1000, reason: 'The room has ended.' });
    const res = await upgrade(null, id);
    expect(res.status).toBe(410);
    expect(res.webSocket).toBeNull();
    expect(await res.text()).toContain('This room has ended.');
  });
});
