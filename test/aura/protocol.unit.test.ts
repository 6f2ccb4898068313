import { describe, expect, it } from 'vitest';
import { sine } from '../../workers/aura/dsp/signals';
import { CLOSE, encodePcm16, MAX_BINARY_BYTES, parseBinary, parseForm, parseText, type Refusal, type StreamFormat } from '../../workers/aura/protocol';

const STEREO: StreamFormat = { kind: 'stream', sampleRate: 48_000, channels: 2 };
const reasonFits = (r: Refusal) => expect(new TextEncoder().encode(r.reason).length).toBeLessThanOrEqual(123);

describe('text frames', () => {
  it('accepts each message type, with defaults filled in', () => {
    expect(parseText('{"type":"source","source":{"kind":"sine"}}', 'presenter')).toEqual({
      ok: true,
      message: { type: 'source', source: { kind: 'sine', frequency: 1000 } },
    });
    expect(parseText('{"type":"source","source":{"kind":"stream","sampleRate":44100,"channels":1}}', 'presenter')).toMatchObject({ ok: true });
    expect(parseText('{"type":"settings","settings":{"fftSize":"2048"}}', 'presenter')).toMatchObject({ ok: true });
    expect(parseText('{"type":"view","mode":"radial"}', 'viewer')).toEqual({ ok: true, message: { type: 'view', mode: 'radial' } });
  });

  it('a viewer may not change the source or the settings: 1008', () => {
    for (const text of ['{"type":"source","source":{"kind":"stop"}}', '{"type":"settings","settings":{}}']) {
      const r = parseText(text, 'viewer');
      expect(r).toMatchObject({ ok: false, refusal: { code: CLOSE.policy } });
    }
  });

  const bad: Array<[string, string, number]> = [
    ['not JSON', 'hello', CLOSE.unsupported],
    ['an unknown type', '{"type":"shout"}', CLOSE.unsupported],
    ['JSON that is not a message', '[1,2]', CLOSE.unsupported],
    ['a huge message', JSON.stringify({ type: 'settings', settings: { a: 'x'.repeat(5000) } }), CLOSE.tooBig],
  ];
  for (const [what, text, code] of bad) {
    it(`closes on ${what} (${code}), with a reason that fits a close frame`, () => {
      const r = parseText(text, 'presenter');
      expect(r.ok).toBe(false);
      if (r.ok || !('refusal' in r)) throw new Error(`expected a refusal, got ${JSON.stringify(r)}`);
      expect(r.refusal.code).toBe(code);
      expect(r.refusal.reason.length).toBeGreaterThan(10);
      reasonFits(r.refusal);
    });
  }

  // A known message with a value a form could send out of range: said to the sender, the socket stays open.
  const invalid: Array<[string, string, RegExp]> = [
    ['an unknown field', '{"type":"view","mode":"bars","x":1}', /.+/],
    ['an unknown mode', '{"type":"view","mode":"<script>"}', /.+/],
    ['a sine out of range', '{"type":"source","source":{"kind":"sine","frequency":5}}', /20 to 20,000 Hz/],
    ['a 192 kHz stream', '{"type":"source","source":{"kind":"stream","sampleRate":192000,"channels":2}}', /8000 to 96000 Hz/],
    ['a 3-channel stream', '{"type":"source","source":{"kind":"stream","sampleRate":48000,"channels":3}}', /1 or 2 channels/],
  ];
  for (const [what, text, says] of invalid) {
    it(`answers ${what} with a message for the sender, without closing`, () => {
      const r = parseText(text, 'presenter');
      if (r.ok || !('invalid' in r)) throw new Error(`expected an invalid value, got ${JSON.stringify(r)}`);
      expect(r.invalid).toMatch(says);
    });
  }
});

describe('binary frames', () => {
  it('decodes interleaved 16-bit PCM back to the samples sent (within one quantization step)', () => {
    const left = sine(480, 48_000, 1000, 0.5);
    const right = sine(480, 48_000, 440, 0.25);
    const r = parseBinary(encodePcm16([left, right]), 'presenter', STEREO);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.channels).toHaveLength(2);
    for (const [sent, got] of [
      [left, r.channels[0]!],
      [right, r.channels[1]!],
    ] as const) {
      expect(got).toHaveLength(480);
      expect(Math.max(...got.map((v, i) => Math.abs(v - sent[i]!)))).toBeLessThanOrEqual(1 / 32767);
    }
  });

  it('full scale stays within −1…1', () => {
    const r = parseBinary(encodePcm16([Float32Array.of(1, -1, 2, -2)]), 'presenter', { ...STEREO, channels: 1 });
    expect(r.ok && [...r.channels[0]!]).toEqual([32767 / 32768, -1, 32767 / 32768, -1]);
  });

  const refusals: Array<[string, ArrayBuffer, 'presenter' | 'viewer', StreamFormat | null, number]> = [
    ['audio from a viewer', new ArrayBuffer(4), 'viewer', STEREO, CLOSE.policy],
    ['audio before the format', new ArrayBuffer(4), 'presenter', null, CLOSE.unsupported],
    ['a length that splits a stereo frame', new ArrayBuffer(6), 'presenter', STEREO, CLOSE.unsupported],
    ['an empty frame', new ArrayBuffer(0), 'presenter', STEREO, CLOSE.unsupported],
    ['a frame over 64 KiB', new ArrayBuffer(MAX_BINARY_BYTES + 4), 'presenter', STEREO, CLOSE.tooBig],
  ];
  for (const [what, bytes, role, format, code] of refusals) {
    it(`closes on ${what} (${code})`, () => {
      const r = parseBinary(bytes, role, format);
      expect(r).toMatchObject({ ok: false, refusal: { code } });
      if (!r.ok) reasonFits(r.refusal);
    });
  }

  it('a frame of exactly 64 KiB is taken', () => {
    expect(parseBinary(new ArrayBuffer(MAX_BINARY_BYTES), 'presenter', STEREO).ok).toBe(true);
  });
});

describe('what htmx sends (hx-ws:send) and what a form posts', () => {
  const headers = { 'HX-Request': 'true', 'HX-Current-URL': 'http://localhost/aura/r/x' };

  it('a settings form arrives flat, with its strings and htmx headers: read as a settings message', () => {
    const text = JSON.stringify({ type: 'settings', fftSize: '2048', window: 'hann', noteLabels: 'true', _csrf: 'token', headers });
    expect(parseText(text, 'presenter')).toEqual({
      ok: true,
      message: { type: 'settings', settings: { fftSize: '2048', window: 'hann', noteLabels: 'true' } },
    });
  });

  it('a source form arrives flat: its numbers as strings are read as numbers', () => {
    const text = JSON.stringify({ type: 'source', kind: 'sine', frequency: '440', headers });
    expect(parseText(text, 'presenter')).toEqual({ ok: true, message: { type: 'source', source: { kind: 'sine', frequency: 440 } } });
  });

  it('a view form, including "follow the room again"', () => {
    expect(parseText(JSON.stringify({ type: 'view', mode: 'room', headers }), 'viewer')).toEqual({ ok: true, message: { type: 'view', mode: 'room' } });
    expect(parseText(JSON.stringify({ type: 'view', mode: 'spectrogram', headers }), 'viewer')).toMatchObject({ ok: true });
  });

  it('an acknowledgement, from anyone', () => {
    expect(parseText('{"type":"ack"}', 'viewer')).toEqual({ ok: true, message: { type: 'ack' } });
  });

  it('a flat form with a field its kind does not have is refused like any unknown field (to the sender)', () => {
    const text = JSON.stringify({ type: 'source', kind: 'pink', frequency: '440', headers });
    expect(parseText(text, 'presenter')).toMatchObject({ ok: false, invalid: expect.any(String) });
  });

  it('an unknown source kind is named as such', () => {
    expect(parseText(JSON.stringify({ type: 'source', kind: 'theremin', headers }), 'presenter')).toEqual({
      ok: false,
      invalid: 'A source is one of: sine, sweep, pink, chord, stream, stop.',
    });
  });

  it('a viewer’s flat settings form is still a policy refusal', () => {
    expect(parseText(JSON.stringify({ type: 'settings', fftSize: '2048', headers }), 'viewer')).toMatchObject({ ok: false, refusal: { code: CLOSE.policy } });
  });

  it('parseForm reads a posted form (no JavaScript) the same way', () => {
    expect(parseForm({ type: 'source', kind: 'sine', frequency: '880', _csrf: 'x' }, 'presenter')).toEqual({
      ok: true,
      message: { type: 'source', source: { kind: 'sine', frequency: 880 } },
    });
    expect(parseForm({ type: 'source', kind: 'sine', frequency: '5' }, 'presenter')).toMatchObject({ ok: false });
    expect(parseForm({ type: 'settings', mode: 'radial' }, 'viewer')).toMatchObject({ ok: false, refusal: { code: CLOSE.policy } });
  });
});
