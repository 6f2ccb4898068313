/**
 * What the Worker and an Aura room's Durable Object (durable-objects/aura-room.ts)
 * agree on: who a connecting socket is (decided by the Worker from the session and
 * the rooms table, passed in a header only the Worker can set, since the object is
 * reachable through its binding alone), the room's limits, and the messages the room
 * sends that are not frames.
 *
 * Frames go out as the bare SVG string: htmx's `hx-ws` swaps a non-JSON message into
 * the connecting element's `hx-target`. Everything else is JSON `{content, target}`,
 * which hx-ws swaps into `target` (status lines, the viewer count, errors for the sender).
 */
import type { SignalSpec } from './dsp/generator';
import type { Role } from './protocol';
import type { Mode } from './settings';
import { escapeXml, formatHz } from './svg/format';

/** The header carrying `Peer` JSON from the Worker to the room. */
export const PEER_HEADER = 'x-aura-peer';

export type Peer = {
  role: Role;
  /** The client's network (shared/http/request.ts `clientAddress`): sockets per address are capped. */
  address: string;
  /** The signed-in user, or null for an anonymous viewer. */
  userId: number | null;
  /** The room's owner: may take the source over from another presenter. */
  owner: boolean;
};

/** Viewers per room; presenters are counted apart (MAX_PRESENTERS). */
export const MAX_VIEWERS = 50;
export const MAX_PRESENTERS = 5;
/** At most one frame per this many ms (≈ 30 frames/s). */
export const FRAME_INTERVAL_MS = 33;
/** The spectrogram (10–45 KB a picture) goes out every this many frames (≈ 10/s) and scrolls one column per picture. */
export const SPECTROGRAM_EVERY = 3;
/** Frames a socket may have unacknowledged; beyond that only the newest waits (one per socket), replacing older ones. */
export const FRAMES_IN_FLIGHT = 2;
/** Control messages (settings, source, view) a socket may send: a burst of this many… */
export const CONTROL_BURST = 20;
/** …refilled at this many per second. */
export const CONTROL_PER_SECOND = 5;
/** Text messages of any kind (acknowledgements ≤ 30/s included) a socket may send: a burst of this many… */
export const MESSAGE_BURST = 80;
/** …refilled at this many per second; past that the socket is closed (1008). */
export const MESSAGES_PER_SECOND = 45;
/** Sockets one address may hold in a room (the owner's are not counted). */
export const MAX_SOCKETS_PER_ADDRESS = 10;
/** Presenter sockets one (non-owner) user may hold in a room. */
export const MAX_PRESENTERS_PER_USER = 2;
/** Acknowledgements of frames not in flight a socket may send before it is closed. */
export const STRAY_ACKS = 20;
/** Binary frames a presenter may send: a burst of this many… */
export const AUDIO_FRAME_BURST = 200;
/** …refilled at this many per second (a 20–50 ms chunk is 20–50 a second). */
export const AUDIO_FRAMES_PER_SECOND = 100;
/** The shortest audio frame, ms: smaller ones would let tiny frames buy unlimited work. */
export const MIN_FRAME_MS = 5;
/** Frames a presenter may keep sending after losing the source before their socket is closed. */
export const MAX_DROPPED_FRAMES = 250;
/** The viewer count goes out at most this often. */
export const VIEWERS_EVERY_MS = 250;
/** Audio may run ahead of the wall clock by at most this many seconds (a presenter cannot make the room do more than real-time work). */
export const AUDIO_SLACK_SECONDS = 2;
/** The sample rate of the built-in test signals. */
export const SIGNAL_RATE = 48_000;

/** The targets on the room page that the room's JSON messages swap into. */
export const TARGETS = { status: '#aura-status', viewers: '#aura-viewers', source: '#aura-source' } as const;

/** A JSON message htmx swaps into `target` (innerHTML); `html` must already be escaped. */
export function swapMessage(target: (typeof TARGETS)[keyof typeof TARGETS], html: string): string {
  return JSON.stringify({ content: html, target, swap: 'innerHTML' });
}

/** A message for the sender only: why what they asked was refused. */
export function notice(text: string): string {
  return swapMessage(TARGETS.status, `<p class="notice error" role="alert">${escapeXml(text)}</p>`);
}

export function viewersLine(viewers: number, presenters: number): string {
  const watching = `${viewers} watching`;
  return presenters > 0 ? `${watching}, ${presenters} presenting` : watching;
}

/** What is playing, for people ("1 kHz sine"): numbers and fixed words only. */
export function describeSource(source: { kind: 'signal'; spec: SignalSpec } | { kind: 'stream'; sampleRate: number; channels: number } | null): string {
  if (source === null) return 'Nothing is playing.';
  if (source.kind === 'stream') return `Live audio: ${formatHz(source.sampleRate)}, ${source.channels === 2 ? 'stereo' : 'mono'}.`;
  const spec = source.spec;
  switch (spec.kind) {
    case 'sine':
      return `Test signal: ${formatHz(spec.frequency)} sine.`;
    case 'chord':
      return `Test signal: chord of ${spec.frequencies.map(formatHz).join(', ')}.`;
    case 'sweep':
      return `Test signal: log sweep ${formatHz(spec.from)} to ${formatHz(spec.to)} every ${Math.round(spec.seconds)} s.`;
    case 'pink':
      return 'Test signal: pink noise.';
  }
}

/** A viewer's own mode (null: the room's). */
export type PeerView = Mode | null;
