/**
 * What travels over an Aura room's WebSocket, one module for both ends of the wire.
 *
 *   text frames, client → room   JSON, one of `ClientMessage` (zod-validated):
 *     { type: 'settings', settings }        presenter: change the room's settings (clamped; see settings.ts)
 *     { type: 'source', source }            presenter: a built-in test signal, 'stop', or 'stream' announcing the
 *                                           PCM format of the binary frames that follow
 *     { type: 'view', mode }                anyone: their own display mode (theirs, not the room's; 'room' follows the room's)
 *     { type: 'ack' }                       anyone: a frame was drawn, send the next (flow control)
 *   htmx's hx-ws:send sends a form flat, `{type, …fields, headers}`; that shape is read too (`fromForm`).
 *   binary frames, presenter → room   16-bit little-endian PCM, interleaved, in the announced format, ≤ 64 KiB
 *
 * A known message with a value out of range (a sine at 5 Hz) is answered to the sender
 * and the socket stays open. Anything else closes it with a code and a reason (`Refusal`): 1003 for data
 * the room cannot take (binary before a `stream` announcement, a length that does not
 * fit the format, text that is not a message), 1009 for a frame over the limit, 1008
 * for a message the sender's role may not send. A valid message the room refuses
 * (a value out of range) is answered to the sender only, not by closing.
 */
import * as z from 'zod';
import { MODES } from './settings';

/** The largest binary frame (≈ 340 ms of 48 kHz stereo): bigger closes with 1009. */
export const MAX_BINARY_BYTES = 64 * 1024;
/** The largest text frame: settings are a few hundred bytes. */
export const MAX_TEXT_BYTES = 4 * 1024;
export const MIN_STREAM_RATE = 8000;
export const MAX_STREAM_RATE = 96_000;
export const MAX_STREAM_CHANNELS = 2;

export const CLOSE = {
  /** The endpoint cannot accept this kind of data (RFC 6455 §7.4.1). */
  unsupported: 1003,
  /** The sender's role may not send this. */
  policy: 1008,
  /** Too big to process. */
  tooBig: 1009,
} as const;

/** Why a socket is closed: a code from `CLOSE` and a reason a person can act on (≤ 123 bytes, the protocol's limit). */
export type Refusal = { code: (typeof CLOSE)[keyof typeof CLOSE]; reason: string };

// Numbers may arrive as strings: htmx sends form fields as text (see `fromForm`).
const FREQUENCIES = 'Frequencies go from 20 to 20,000 Hz.';
const frequency = z.coerce.number({ error: FREQUENCIES }).min(20, FREQUENCIES).max(20_000, FREQUENCIES);

export const TestSignal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sine'), frequency: frequency.default(1000) }).strict(),
  z
    .object({
      kind: z.literal('sweep'),
      from: frequency.default(20),
      to: frequency.default(20_000),
      seconds: z.coerce
        .number({ error: 'A sweep lasts 1 to 60 seconds.' })
        .min(1, 'A sweep lasts 1 to 60 seconds.')
        .max(60, 'A sweep lasts 1 to 60 seconds.')
        .default(10),
    })
    .strict(),
  z.object({ kind: z.literal('pink') }).strict(),
  z.object({ kind: z.literal('chord'), frequencies: z.array(frequency).min(1).max(6).default([261.63, 329.63, 392]) }).strict(),
]);
export type TestSignal = z.output<typeof TestSignal>;

const SAMPLE_RATES = `Audio streams run at ${MIN_STREAM_RATE} to ${MAX_STREAM_RATE} Hz.`;
const CHANNELS = `Audio streams have 1 or ${MAX_STREAM_CHANNELS} channels.`;

/** The format of the binary frames a presenter is about to send. */
export const StreamFormat = z
  .object({
    kind: z.literal('stream'),
    sampleRate: z.coerce.number().int().min(MIN_STREAM_RATE, SAMPLE_RATES).max(MAX_STREAM_RATE, SAMPLE_RATES),
    channels: z.coerce.number().int().min(1, CHANNELS).max(MAX_STREAM_CHANNELS, CHANNELS),
  })
  .strict();
export type StreamFormat = z.output<typeof StreamFormat>;

export const Source = z.union([TestSignal, StreamFormat, z.object({ kind: z.literal('stop') }).strict()], {
  error: 'A source is one of: sine, sweep, pink, chord, stream, stop.',
});
export type Source = z.output<typeof Source>;

export const ClientMessage = z.discriminatedUnion('type', [
  // The settings are validated by settings.ts against the room's current ones (a partial change), so here they are an object.
  z.object({ type: z.literal('settings'), settings: z.record(z.string(), z.unknown()) }).strict(),
  z.object({ type: z.literal('source'), source: Source }).strict(),
  // 'room': follow the room's mode again.
  z.object({ type: z.literal('view'), mode: z.enum([...MODES, 'room']) }).strict(),
  // A frame was drawn: the room may send the next one (flow control, see durable-objects/aura-room.ts).
  z.object({ type: z.literal('ack') }).strict(),
]);
export type ClientMessage = z.output<typeof ClientMessage>;

export type Role = 'presenter' | 'viewer';

/** Messages only the presenter may send. */
const PRESENTER_ONLY: ReadonlySet<ClientMessage['type']> = new Set(['settings', 'source']);

/**
 * A message this role may send; or `invalid`: a known message with a value out of
 * range (say so to the sender, keep the socket); or `refusal`: why the socket closes.
 */
export type Parsed = { ok: true; message: ClientMessage } | { ok: false; invalid: string } | { ok: false; refusal: Refusal };

const MESSAGE_TYPES: ReadonlySet<ClientMessage['type']> = new Set(['settings', 'source', 'view', 'ack']);

/** A text frame as a message this role may send (see `Parsed`). */
export function parseText(text: string, role: Role): Parsed {
  if (new TextEncoder().encode(text).length > MAX_TEXT_BYTES) {
    return { ok: false, refusal: { code: CLOSE.tooBig, reason: `Text messages are at most ${MAX_TEXT_BYTES} bytes.` } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, refusal: { code: CLOSE.unsupported, reason: 'Text frames must be JSON messages.' } };
  }
  return parseMessage(fromForm(json), role);
}

/**
 * A control form posted without JavaScript (the same fields htmx sends over the
 * socket, CSRF field included), as the message it stands for.
 */
export function parseForm(fields: Record<string, unknown>, role: Role): Parsed {
  return parseMessage(fromForm({ ...fields, headers: {} }), role);
}

function parseMessage(json: unknown, role: Role): Parsed {
  const type = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { type?: unknown }).type : undefined;
  const known = typeof type === 'string' && MESSAGE_TYPES.has(type as ClientMessage['type']);
  // Who may send it comes first: a viewer's settings are refused whatever they say.
  if (known && role !== 'presenter' && PRESENTER_ONLY.has(type as ClientMessage['type'])) {
    return { ok: false, refusal: { code: CLOSE.policy, reason: 'Only the presenter can change the source or the settings.' } };
  }
  const parsed = ClientMessage.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  // A message of a known type with a value out of range (a form field): answered, the socket stays open.
  if (known) return { ok: false, invalid: issue?.message ?? 'That value is not valid.' };
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, refusal: { code: CLOSE.unsupported, reason: truncate(`Not an Aura message. ${where}${issue?.message ?? ''}`) } };
}

/**
 * A binary frame as one Float32Array per channel (−1…1), or why the socket closes.
 * `format` is the presenter's `stream` announcement (null: none yet).
 */
export function parseBinary(
  bytes: ArrayBuffer,
  role: Role,
  format: StreamFormat | null,
): { ok: true; channels: Float32Array[] } | { ok: false; refusal: Refusal } {
  if (role !== 'presenter') return { ok: false, refusal: { code: CLOSE.policy, reason: 'Only the presenter sends audio.' } };
  if (bytes.byteLength > MAX_BINARY_BYTES) return { ok: false, refusal: { code: CLOSE.tooBig, reason: `Audio frames are at most ${MAX_BINARY_BYTES} bytes.` } };
  if (!format)
    return {
      ok: false,
      refusal: { code: CLOSE.unsupported, reason: 'Announce the stream format ({"type":"source","source":{"kind":"stream",…}}) before audio.' },
    };
  const frameBytes = 2 * format.channels;
  if (bytes.byteLength === 0 || bytes.byteLength % frameBytes !== 0) {
    return {
      ok: false,
      refusal: {
        code: CLOSE.unsupported,
        reason: `Audio frames are 16-bit PCM, ${format.channels} channel(s) interleaved: a multiple of ${frameBytes} bytes.`,
      },
    };
  }
  const view = new DataView(bytes);
  const frames = bytes.byteLength / frameBytes;
  const channels = Array.from({ length: format.channels }, () => new Float32Array(frames));
  for (let i = 0; i < frames; i++) {
    for (let ch = 0; ch < format.channels; ch++) channels[ch]![i] = view.getInt16((i * format.channels + ch) * 2, true) / 32768;
  }
  return { ok: true, channels };
}

/** Float samples (−1…1, one array per channel, equal lengths) as the 16-bit interleaved frames a presenter sends. */
export function encodePcm16(channels: readonly Float32Array[]): ArrayBuffer {
  const frames = channels[0]?.length ?? 0;
  const out = new DataView(new ArrayBuffer(frames * channels.length * 2));
  for (let i = 0; i < frames; i++) {
    for (let ch = 0; ch < channels.length; ch++) {
      const v = Math.max(-1, Math.min(1, channels[ch]![i] ?? 0));
      out.setInt16((i * channels.length + ch) * 2, Math.round(v < 0 ? v * 32768 : v * 32767), true);
    }
  }
  return out.buffer;
}

/**
 * htmx's `hx-ws:send` sends a form as one flat object of its fields plus the request
 * `headers` htmx would have sent: `{"type":"settings","fftSize":"2048",…,"headers":{…}}`.
 * That shape becomes the nested message (`{type, settings: {…}}` or `{type, source: {…}}`);
 * the CSRF field a no-JavaScript form also carries is dropped (the socket was
 * authenticated when it opened). A message without `headers` is taken as it is.
 */
function fromForm(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || Array.isArray(json) || !('headers' in json)) return json;
  const { headers: _headers, _csrf, type, ...fields } = json as Record<string, unknown>;
  if (type === 'settings') return { type, settings: fields };
  if (type === 'source') return { type, source: fields };
  return { type, ...fields };
}

/** Close reasons are at most 123 bytes of UTF-8. */
function truncate(reason: string): string {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= 123) return reason;
  return `${new TextDecoder().decode(bytes.slice(0, 120)).replace(/\uFFFD$/, '')}…`;
}
