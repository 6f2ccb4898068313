/**
 * One Aura room: its sockets, its source, its analyzer, its settings.
 *
 * The Worker (workers/aura/web.tsx) checks the room id, the Origin and who the
 * caller is, then hands the upgrade here with a `Peer` (room-contract.ts) in a header
 * only it can set. Sockets use the hibernation API: each socket's role, user and own
 * display mode live in its attachment, the room's settings and test signal in
 * storage, so nothing a viewer needs is lost when the object hibernates or is
 * evicted; the analyzer's buffers simply refill (one FFT length of audio).
 *
 * Audio comes from a test signal generated here (a 33 ms pump while anyone is
 * connected) or from the presenter's binary frames. Each new analyzer frame replaces
 * `latest`; at most one frame per FRAME_INTERVAL_MS goes out, rendered once per
 * display mode in use. A socket has at most FRAMES_IN_FLIGHT frames unacknowledged
 * (`{"type":"ack"}` from the page's script once it has drawn one); beyond that the
 * newest frame waits in the socket's one `pending` slot, replacing any older one, so a
 * viewer that reads nothing costs one frame of memory however long the room plays.
 * (Workers' WebSocket has no `bufferedAmount`, so an acknowledgement is the only way
 * to know what a client has taken.)
 */
import { DurableObject } from 'cloudflare:workers';
import { createAnalyzer, type Analyzer, type Frame } from '../workers/aura/dsp/analyzer';
import { createGenerator, type Generator, type SignalSpec } from '../workers/aura/dsp/generator';
import { CLOSE, parseBinary, parseText, type ClientMessage, type Refusal, type StreamFormat } from '../workers/aura/protocol';
import {
  AUDIO_FRAME_BURST,
  AUDIO_FRAMES_PER_SECOND,
  AUDIO_SLACK_SECONDS,
  CONTROL_BURST,
  CONTROL_PER_SECOND,
  describeSource,
  FRAME_INTERVAL_MS,
  FRAMES_IN_FLIGHT,
  MAX_DROPPED_FRAMES,
  MAX_PRESENTERS,
  MAX_PRESENTERS_PER_USER,
  MAX_SOCKETS_PER_ADDRESS,
  MIN_FRAME_MS,
  STRAY_ACKS,
  MESSAGE_BURST,
  MESSAGES_PER_SECOND,
  MAX_VIEWERS,
  notice,
  PEER_HEADER,
  type Peer,
  SIGNAL_RATE,
  SPECTROGRAM_EVERY,
  VIEWERS_EVERY_MS,
  swapMessage,
  TARGETS,
  viewersLine,
} from '../workers/aura/room-contract';
import { DEFAULT_SETTINGS, type Mode, type Settings, settingsSchema } from '../workers/aura/settings';
import { renderSvg, SPECTROGRAM_COLUMNS } from '../workers/aura/svg/render';
import { escapeXml } from '../workers/aura/svg/format';

/** Bytes of the shortest audio frame taken: MIN_FRAME_MS of 16-bit audio in this format. */
function minFrameBytes(format: StreamFormat): number {
  return Math.floor((format.sampleRate * MIN_FRAME_MS) / 1000) * 2 * format.channels;
}

/** A test signal's generators: pink noise gets an independent right channel (seed 2). */
function generatorsFor(spec: SignalSpec): Generator[] {
  const left = createGenerator(spec, SIGNAL_RATE, 1);
  return spec.kind === 'pink' ? [left, createGenerator(spec, SIGNAL_RATE, 2)] : [left];
}

/** What a socket carries through hibernation (serializeAttachment). */
type Attachment = Peer & {
  /** Random per socket: who claimed the source. */
  id: string;
  /** Their own display mode; null follows the room's. */
  view: Mode | null;
  /** The PCM format this presenter announced (null: none, or no longer theirs). */
  stream: StreamFormat | null;
  /** Announced a stream at some point: audio after losing the source is dropped, not a protocol error. */
  streamed: boolean;
};

/** Per-socket state that need not survive hibernation (it restarts empty). */
type Flow = {
  inFlight: number;
  pending: string | null;
  /** Control messages left in the burst (CONTROL_BURST, CONTROL_PER_SECOND). */
  tokens: number;
  refilledAt: number;
  /** Text messages of any kind left in the burst (MESSAGE_BURST, MESSAGES_PER_SECOND): a flood closes the socket. */
  messages: number;
  /** Audio received since `since` (ms), in sample frames, for the real-time check. */
  received: number;
  since: number;
  /** Acknowledgements of frames that were not in flight. */
  strayAcks: number;
  /** Binary frames left in the burst (AUDIO_FRAME_BURST, AUDIO_FRAMES_PER_SECOND). */
  audioFrames: number;
  /** Binary frames dropped (the source is no longer theirs). */
  dropped: number;
};

/** The room's source as stored: a test signal (generated here) or a presenter's stream. */
type Source = { kind: 'signal'; spec: SignalSpec; by: string | null } | { kind: 'stream'; format: StreamFormat; by: string };

/** What the Worker gets back from `control` (the no-JavaScript form path). */
export type ControlResult = { ok: true } | { ok: false; message: string };

/** The room as the page first draws it. */
export type RoomSnapshot = { settings: Settings; source: string; viewers: string; svg: string; sineFrequency: number | null };

/** For tests and operators: what each socket holds. */
export type RoomStats = {
  broadcasts: number;
  peers: Array<{ role: Peer['role']; inFlight: number; pendingBytes: number; view: Mode | null }>;
};

const ANALYZER_KEYS = ['fftSize', 'window', 'scale', 'bands', 'weighting', 'attack', 'release', 'peakHold', 'gravity', 'channelMode'] as const;

export class AuraRoom extends DurableObject<Env> {
  private settings: Settings;
  private source: Source | null;
  /** The test signal: one generator, or two (left, right) for stereo pink noise. */
  private generator: Generator[] | null = null;
  private analyzerInputs = 0;
  private analyzer: Analyzer | null = null;
  private latest: Frame | null = null;
  /** The last frame broadcast (the pump sends only a newer one). */
  private sent: Frame | null = null;
  private lastSentAt = 0;
  private broadcasts = 0;
  private spectrogram: Frame[] = [];
  private pump: ReturnType<typeof setInterval> | null = null;
  private pumpAt = 0;
  private carry = 0;
  private readonly flows = new Map<WebSocket, Flow>();
  /** Sockets the room has closed: whatever they still send is ignored. */
  private readonly refused = new WeakSet<WebSocket>();
  /** The latest frame drawn per mode (a viewer switching modes reuses it). */
  private drawn: { frame: Frame | null; settings: Settings; svgs: Map<Mode, string> } | null = null;
  private viewersTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.settings = (ctx.storage.kv.get<Settings>('settings') as Settings | undefined) ?? DEFAULT_SETTINGS;
    this.source = (ctx.storage.kv.get<Source>('source') as Source | undefined) ?? null;
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
    if (this.source?.kind === 'signal' && ctx.getWebSockets().length > 0) this.startSignal(this.source.spec);
  }

  // ------------------------------------------------------------------ sockets

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return new Response('Expected a WebSocket upgrade.', { status: 426 });
    const peer = JSON.parse(request.headers.get(PEER_HEADER) ?? 'null') as Peer | null;
    if (peer === null) return new Response('Missing peer.', { status: 400 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const refusal = this.admission(peer);
    if (refusal !== null) {
      // Accepted, then closed with a reason a page can show (a refused upgrade tells a browser nothing).
      // 1013 (try again later) makes htmx reconnect with back-off.
      server.close(1013, refusal);
      return new Response(null, { status: 101, webSocket: client });
    }
    const attachment: Attachment = { ...peer, id: crypto.randomUUID(), view: null, stream: null, streamed: false };
    server.serializeAttachment(attachment);
    this.sendTo(server, swapMessage(TARGETS.source, escapeXml(this.describe())));
    // The picture as it is now, so a late joiner does not wait for the next frame.
    if (this.latest) this.sendFrame(server, this.picture(this.settings.mode));
    this.announceViewers();
    if (this.source?.kind === 'signal' && this.pump === null) this.startSignal(this.source.spec);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Why this peer may not join now, or null. The owner always may (nobody can lock them out of their room). */
  private admission(peer: Peer): string | null {
    if (peer.owner) return null;
    let role = 0;
    let sameUser = 0;
    let sameAddress = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a === null) continue;
      if (a.role === peer.role && !a.owner) role++;
      if (peer.userId !== null && a.userId === peer.userId && a.role === 'presenter') sameUser++;
      if (a.address === peer.address && !a.owner) sameAddress++;
    }
    if (sameAddress >= MAX_SOCKETS_PER_ADDRESS) return `Too many connections to this room from your network (${MAX_SOCKETS_PER_ADDRESS}).`;
    if (peer.role === 'viewer') return role >= MAX_VIEWERS ? `This room is full (${MAX_VIEWERS} viewers). Trying again shortly.` : null;
    if (sameUser >= MAX_PRESENTERS_PER_USER) return `You are presenting here from ${MAX_PRESENTERS_PER_USER} places already.`;
    return role >= MAX_PRESENTERS ? 'Too many presenters.' : null;
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const me = ws.deserializeAttachment() as Attachment | null;
    // A socket the room has closed (or is closing) gets nothing more done for it: the runtime
    // still delivers what it had queued, and each of those must not cost the room anything.
    if (me === null || ws.readyState !== WebSocket.OPEN || this.refused.has(ws)) return;
    if (typeof data !== 'string') return this.onAudio(ws, me, data);
    if (!this.take(ws, 'messages')) return this.refuse(ws, { code: CLOSE.policy, reason: 'Too many messages: at most a few dozen a second.' });
    const parsed = parseText(data, me.role);
    if (!parsed.ok) {
      if ('refusal' in parsed) return this.refuse(ws, parsed.refusal);
      // A presenter's stream that fails to start must not turn the audio that follows into protocol errors.
      if (/"stream"/.test(data) && me.role === 'presenter') this.markStreamed(ws, me);
      this.sendTo(ws, notice(parsed.invalid));
      return;
    }
    const message = parsed.message;
    if (message.type === 'ack') return this.onAck(ws);
    if (!this.take(ws, 'tokens')) {
      this.sendTo(ws, notice('Too many changes at once: wait a second and try again.'));
      return;
    }
    if (message.type === 'view') {
      me.view = message.mode === 'room' ? null : message.mode;
      ws.serializeAttachment(me);
      if (this.latest) this.sendFrame(ws, this.picture(me.view ?? this.settings.mode));
      return;
    }
    if (message.type === 'source' && message.source.kind === 'stream') this.markStreamed(ws, me);
    const result = this.apply(message, me, ws);
    // A refusal is said to the sender; a success clears what was said before.
    this.sendTo(ws, result.ok ? swapMessage(TARGETS.status, '') : notice(result.message));
  }

  /** This presenter tried to stream: audio from them is dropped (not a protocol error) unless the room takes their stream. */
  private markStreamed(ws: WebSocket, me: Attachment): void {
    if (me.streamed) return;
    me.streamed = true;
    ws.serializeAttachment(me);
  }

  override async webSocketClose(ws: WebSocket, code: number, _reason: string, _wasClean: boolean): Promise<void> {
    this.left(ws);
    try {
      // Completes the closing handshake (1005/1006 may not be sent back).
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'Bye.');
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.left(ws);
  }

  // ------------------------------------------------------------------ the Worker's calls (RPC)

  /** The page's first picture and state; `mode` is the mode to draw (default: the room's). */
  snapshot(mode?: Mode): RoomSnapshot {
    // Computed once per source and settings (both reset `latest`), however often pages are loaded.
    if (this.pump === null && this.source?.kind === 'signal' && this.latest === null) this.still(this.source.spec);
    return {
      settings: this.settings,
      source: this.describe(),
      viewers: viewersLine(this.count('viewer'), this.count('presenter')),
      svg: this.render(mode ?? this.settings.mode),
      sineFrequency: this.source?.kind === 'signal' && this.source.spec.kind === 'sine' ? this.source.spec.frequency : null,
    };
  }

  /** A presenter's control message sent as a form post (no JavaScript): the same rules as over a socket. */
  control(message: ClientMessage, peer: Peer): ControlResult {
    if (peer.role !== 'presenter') return { ok: false, message: 'Only the presenter can change the source or the settings.' };
    if (message.type === 'source' && message.source.kind === 'stream')
      return { ok: false, message: 'Live audio needs JavaScript (the page streams it over a WebSocket).' };
    if (message.type === 'view' || message.type === 'ack') return { ok: true };
    return this.apply(message, { ...peer, id: `form:${peer.userId}`, view: null, stream: null, streamed: false }, null);
  }

  /**
   * The owner stopped letting others present: every other presenter's socket becomes a
   * viewer's (their page is told; their stream, if it was the source, stops).
   */
  demote(): void {
    for (const ws of this.ctx.getWebSockets()) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a === null || a.owner || a.role !== 'presenter') continue;
      if (this.source !== null && this.source.by === a.id) this.setSource(null);
      a.role = 'viewer';
      a.stream = null;
      ws.serializeAttachment(a);
      this.sendTo(ws, notice('The owner no longer lets others present: you are watching now. Reload for the viewer’s page.'));
    }
    this.announceViewers();
  }

  /** The room has ended: everyone is told and disconnected, and its storage emptied. */
  end(): void {
    this.stopPump();
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.close(1000, 'The room has ended.');
      } catch {
        // Already closing.
      }
    }
    this.flows.clear();
    this.source = null;
    this.latest = null;
    this.ctx.storage.kv.delete('settings');
    this.ctx.storage.kv.delete('source');
  }

  stats(): RoomStats {
    return {
      broadcasts: this.broadcasts,
      peers: this.ctx.getWebSockets().map((ws) => {
        const a = ws.deserializeAttachment() as Attachment;
        const flow = this.flows.get(ws);
        return { role: a.role, inFlight: flow?.inFlight ?? 0, pendingBytes: flow?.pending?.length ?? 0, view: a.view };
      }),
    };
  }

  // ------------------------------------------------------------------ control

  private apply(message: Extract<ClientMessage, { type: 'settings' | 'source' }>, me: Attachment, ws: WebSocket | null): ControlResult {
    if (message.type === 'settings') {
      const parsed = settingsSchema.safeParse({ ...this.settings, ...message.settings });
      if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? 'Those settings are not valid.' };
      const before = this.settings;
      this.settings = parsed.data;
      this.ctx.storage.kv.put('settings', this.settings);
      if (ANALYZER_KEYS.some((k) => before[k] !== this.settings[k])) this.resetAnalysis();
      if (this.latest) this.broadcast(this.latest, true);
      return { ok: true };
    }
    const next = message.source;
    const current = this.source;
    // A source someone else started stays theirs while they are here; the owner may always take it over.
    if (current !== null && current.by !== null && current.by !== me.id && !me.owner && this.isConnected(current.by)) {
      return { ok: false, message: 'Someone else is presenting: wait until they stop.' };
    }
    if (current?.kind === 'stream') this.revokeStream(current.by, me.id);
    if (next.kind === 'stop') this.setSource(null);
    else if (next.kind === 'stream') {
      if (ws === null) return { ok: false, message: 'Live audio needs a WebSocket.' };
      me.stream = next;
      ws.serializeAttachment(me);
      const flow = this.flow(ws);
      flow.received = 0;
      flow.since = Date.now();
      this.setSource({ kind: 'stream', format: next, by: me.id });
    } else this.setSource({ kind: 'signal', spec: next, by: ws === null ? null : me.id });
    return { ok: true };
  }

  private setSource(source: Source | null): void {
    this.source = source;
    if (source === null || source.kind === 'stream') this.ctx.storage.kv.delete('source');
    else this.ctx.storage.kv.put('source', source);
    this.stopPump();
    this.generator = null;
    this.resetAnalysis();
    if (source?.kind === 'signal') this.startSignal(source.spec);
    else if (source?.kind === 'stream') this.startPump();
    else this.clearPictures();
    this.broadcastText(swapMessage(TARGETS.source, escapeXml(this.describe())));
  }

  /** The presenter whose stream was replaced sends no more audio; their later frames are dropped. */
  private revokeStream(by: string, newcomer: string): void {
    if (by === newcomer) return;
    for (const ws of this.ctx.getWebSockets()) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a?.id === by) {
        a.stream = null;
        ws.serializeAttachment(a);
        this.sendTo(ws, notice('The room’s owner took over the source; your audio is no longer used.'));
      }
    }
  }

  /** Nothing plays: every screen shows the empty plot rather than the last spectrum, frozen. */
  private clearPictures(): void {
    this.sendPictures((mode) => this.render(mode, null));
  }

  /** To every socket, the picture in the mode it shows, each mode drawn once; `skip` leaves a mode out this time. */
  private sendPictures(draw: (mode: Mode) => string, skip: (mode: Mode) => boolean = () => false): void {
    const drawn = new Map<Mode, string>();
    for (const ws of this.ctx.getWebSockets()) {
      const a = ws.deserializeAttachment() as Attachment | null;
      if (a === null) continue;
      const mode = a.view ?? this.settings.mode;
      if (skip(mode)) continue;
      let svg = drawn.get(mode);
      if (svg === undefined) {
        svg = draw(mode);
        drawn.set(mode, svg);
      }
      this.sendFrame(ws, svg);
    }
  }

  private resetAnalysis(): void {
    this.analyzer = null;
    this.latest = null;
    this.spectrogram = [];
  }

  private describe(): string {
    const s = this.source;
    if (s === null) return describeSource(null);
    return s.kind === 'signal' ? describeSource(s) : describeSource({ kind: 'stream', sampleRate: s.format.sampleRate, channels: s.format.channels });
  }

  // ------------------------------------------------------------------ audio in

  private onAudio(ws: WebSocket, me: Attachment, bytes: ArrayBuffer): void {
    const source = this.source;
    const flow = this.flow(ws);
    // At most ~100 frames a second, whatever their size: tiny frames must not buy unlimited work.
    if (!this.take(ws, 'audioFrames')) {
      this.refuse(ws, { code: CLOSE.policy, reason: 'Too many audio frames: send 20 to 50 ms of audio in each.' });
      return;
    }
    // A presenter whose stream was replaced or refused: dropped before any decoding, and not for ever.
    if (me.role === 'presenter' && me.stream === null && me.streamed) {
      if (++flow.dropped > MAX_DROPPED_FRAMES) this.refuse(ws, { code: CLOSE.policy, reason: 'This audio is not the room’s source: stop sending it.' });
      return;
    }
    if (me.role === 'presenter' && me.stream !== null && (source?.kind !== 'stream' || source.by !== me.id)) {
      if (++flow.dropped > MAX_DROPPED_FRAMES) this.refuse(ws, { code: CLOSE.policy, reason: 'This audio is not the room’s source: stop sending it.' });
      return;
    }
    // (A length that does not fit the format at all is parseBinary's to refuse, with its own reason.)
    if (me.stream !== null && bytes.byteLength % (2 * me.stream.channels) === 0 && bytes.byteLength < minFrameBytes(me.stream)) {
      this.refuse(ws, { code: CLOSE.unsupported, reason: `Audio frames carry at least ${MIN_FRAME_MS} ms of audio.` });
      return;
    }
    const parsed = parseBinary(bytes, me.role, me.stream);
    if (!parsed.ok) {
      this.refuse(ws, parsed.refusal);
      return;
    }
    if (source?.kind !== 'stream' || source.by !== me.id || me.stream === null) return;
    flow.received += parsed.channels[0]!.length;
    const allowed = ((Date.now() - flow.since) / 1000 + AUDIO_SLACK_SECONDS) * me.stream.sampleRate;
    if (flow.received > allowed) {
      this.refuse(ws, { code: CLOSE.policy, reason: 'Audio is arriving faster than real time.' });
      return;
    }
    this.analyze(parsed.channels, me.stream.sampleRate);
    // Straight out if the last frame went out long enough ago: the lowest latency; else the pump sends it.
    if (this.latest && this.latest !== this.sent && Date.now() - this.lastSentAt >= FRAME_INTERVAL_MS) this.broadcast(this.latest);
  }

  private analyze(channels: Float32Array[], sampleRate: number): void {
    if (this.analyzer === null || this.analyzer.sampleRate !== sampleRate || this.analyzerInputs !== channels.length) {
      this.analyzer = createAnalyzer(this.settings, sampleRate, channels.length);
      this.analyzerInputs = channels.length;
      this.spectrogram = [];
    }
    const frames = this.analyzer.push(channels);
    if (frames.length > 0) this.latest = frames[frames.length - 1]!;
  }

  // ------------------------------------------------------------------ the pump

  /**
   * A picture of a test signal while nobody is connected (the pump only runs for an
   * audience): two seconds of it, enough for the ballistics to settle and for the peaks
   * the onset splashes across the spectrum to have fallen (hold 0.8 s, then gravity, at
   * the defaults). For pages without JavaScript, and for a page's first picture.
   */
  private still(spec: SignalSpec): void {
    this.resetAnalysis();
    this.analyze(this.signal(generatorsFor(spec), 2 * SIGNAL_RATE), SIGNAL_RATE);
  }

  /**
   * The next n samples of a test signal, as the analyzer's input: one channel, or for
   * "left and right" two (the same samples, or independent noise for pink, so the two
   * panels differ as a real stereo source's would).
   */
  private signal(generators: Generator[], n: number): Float32Array[] {
    const left = generators[0]!.next(n);
    if (this.settings.channelMode !== 'stereo') return [left];
    return [left, generators[1]?.next(n) ?? left];
  }

  /** The pump runs only for an audience; without one, `snapshot` draws a still picture on demand. */
  private startSignal(spec: SignalSpec): void {
    this.generator = generatorsFor(spec);
    if (this.ctx.getWebSockets().length > 0) this.startPump();
  }

  private startPump(): void {
    this.stopPump();
    this.pumpAt = Date.now();
    this.carry = 0;
    this.pump = setInterval(() => this.tick(), FRAME_INTERVAL_MS);
  }

  private stopPump(): void {
    if (this.pump !== null) clearInterval(this.pump);
    this.pump = null;
  }

  /** Every FRAME_INTERVAL_MS while a source plays and someone is connected: generate (test signals), then send the newest frame. */
  private tick(): void {
    if (this.ctx.getWebSockets().length === 0) {
      // Nobody is watching: stop paying for the room. The signal resumes when someone connects.
      this.stopPump();
      return;
    }
    const t = Date.now();
    if (this.generator !== null) {
      // Real-time pace, whatever the timer's jitter; at most 250 ms after a stall.
      const exact = (Math.min(250, t - this.pumpAt) / 1000) * SIGNAL_RATE + this.carry;
      const n = Math.floor(exact);
      this.carry = exact - n;
      if (n > 0) this.analyze(this.signal(this.generator, n), SIGNAL_RATE);
    }
    this.pumpAt = t;
    // Only a frame not sent yet: a stream that pauses leaves the picture as it is.
    if (this.latest && this.latest !== this.sent && t - this.lastSentAt >= FRAME_INTERVAL_MS - 5) this.broadcast(this.latest);
  }

  // ------------------------------------------------------------------ frames out

  /** `again`: the same frame redrawn (settings changed), not a new one. */
  private broadcast(frame: Frame, again = false): void {
    this.lastSentAt = Date.now();
    this.sent = frame;
    if (!again) this.broadcasts++;
    const spectrogramTurn = again || this.broadcasts % SPECTROGRAM_EVERY === 0;
    if (spectrogramTurn && !again) {
      this.spectrogram.push(frame);
      if (this.spectrogram.length > SPECTROGRAM_COLUMNS) this.spectrogram.shift();
    }
    this.sendPictures(
      (mode) => this.render(mode, frame),
      (mode) => mode === 'spectrogram' && !spectrogramTurn,
    );
  }

  /** The latest picture in `mode`, drawn once per frame, settings and mode however many ask for it. */
  private picture(mode: Mode): string {
    if (this.drawn === null || this.drawn.frame !== this.latest || this.drawn.settings !== this.settings) {
      this.drawn = { frame: this.latest, settings: this.settings, svgs: new Map() };
    }
    let svg = this.drawn.svgs.get(mode);
    if (svg === undefined) {
      svg = this.render(mode, this.latest);
      this.drawn.svgs.set(mode, svg);
    }
    return svg;
  }

  private render(mode: Mode, frame: Frame | null = this.latest): string {
    const settings = { ...this.settings, mode };
    if (mode === 'spectrogram') return renderSvg(settings, this.spectrogram.length > 0 ? this.spectrogram : frame ? [frame] : []);
    return renderSvg(settings, frame ? [frame] : []);
  }

  /** Sends now if the socket has room in its window; otherwise keeps only this newest frame for it. */
  private sendFrame(ws: WebSocket, svg: string): void {
    const flow = this.flow(ws);
    if (flow.inFlight >= FRAMES_IN_FLIGHT) {
      flow.pending = svg;
      return;
    }
    flow.inFlight++;
    this.sendTo(ws, svg);
  }

  private onAck(ws: WebSocket): void {
    const flow = this.flow(ws);
    if (flow.inFlight === 0) {
      // Nothing was waiting for it (a few are normal after the room wakes from hibernation, which forgets the window).
      if (++flow.strayAcks > STRAY_ACKS) this.refuse(ws, { code: CLOSE.policy, reason: 'Acknowledged frames that were never sent.' });
      return;
    }
    flow.inFlight--;
    if (flow.pending !== null) {
      const svg = flow.pending;
      flow.pending = null;
      flow.inFlight++;
      this.sendTo(ws, svg);
    }
  }

  private broadcastText(text: string): void {
    for (const ws of this.ctx.getWebSockets()) this.sendTo(ws, text);
  }

  /** The viewer count, at most every VIEWERS_EVERY_MS however fast people come and go. */
  private announceViewers(): void {
    if (this.viewersTimer !== null) return;
    this.viewersTimer = setTimeout(() => {
      this.viewersTimer = null;
      this.broadcastText(swapMessage(TARGETS.viewers, escapeXml(viewersLine(this.count('viewer'), this.count('presenter')))));
    }, VIEWERS_EVERY_MS);
  }

  private sendTo(ws: WebSocket, text: string): void {
    try {
      ws.send(text);
    } catch {
      // Closing or closed: webSocketClose tidies up.
    }
  }

  // ------------------------------------------------------------------ bookkeeping

  private flow(ws: WebSocket): Flow {
    let flow = this.flows.get(ws);
    if (flow === undefined) {
      flow = {
        inFlight: 0,
        pending: null,
        tokens: CONTROL_BURST,
        messages: MESSAGE_BURST,
        audioFrames: AUDIO_FRAME_BURST,
        refilledAt: Date.now(),
        received: 0,
        since: Date.now(),
        strayAcks: 0,
        dropped: 0,
      };
      this.flows.set(ws, flow);
    }
    return flow;
  }

  /** Refills both buckets for the time since the last message. */
  private refill(flow: Flow): void {
    const t = Date.now();
    const seconds = (t - flow.refilledAt) / 1000;
    flow.tokens = Math.min(CONTROL_BURST, flow.tokens + seconds * CONTROL_PER_SECOND);
    flow.messages = Math.min(MESSAGE_BURST, flow.messages + seconds * MESSAGES_PER_SECOND);
    flow.audioFrames = Math.min(AUDIO_FRAME_BURST, flow.audioFrames + seconds * AUDIO_FRAMES_PER_SECOND);
    flow.refilledAt = t;
  }

  /**
   * Takes one from a socket's bucket, after refilling them all; false when it is empty.
   * `tokens`: control messages; `messages`: any text (a flood closes the socket); `audioFrames`: binary frames.
   */
  private take(ws: WebSocket, bucket: 'tokens' | 'messages' | 'audioFrames'): boolean {
    const flow = this.flow(ws);
    this.refill(flow);
    if (flow[bucket] < 1) return false;
    flow[bucket] -= 1;
    return true;
  }

  private count(role: Peer['role']): number {
    let n = 0;
    for (const ws of this.ctx.getWebSockets()) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      if ((ws.deserializeAttachment() as Attachment | null)?.role === role) n++;
    }
    return n;
  }

  private isConnected(id: string): boolean {
    return this.ctx.getWebSockets().some((ws) => ws.readyState === WebSocket.OPEN && (ws.deserializeAttachment() as Attachment | null)?.id === id);
  }

  private left(ws: WebSocket): void {
    this.flows.delete(ws);
    const a = ws.deserializeAttachment() as Attachment | null;
    // The presenter's stream ends with their socket; a test signal plays on for the others.
    if (a !== null && this.source?.kind === 'stream' && this.source.by === a.id) this.setSource(null);
    this.announceViewers();
  }

  private refuse(ws: WebSocket, refusal: Refusal): void {
    // Its allowances stay until webSocketClose: a fresh one would reset the limits.
    this.refused.add(ws);
    try {
      ws.close(refusal.code, refusal.reason);
    } catch {
      // Already closing.
    }
  }
}
