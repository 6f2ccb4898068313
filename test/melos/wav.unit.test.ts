import { describe, expect, it } from 'vitest';
import { type Note, PPQ, type Score, type ScoreTrack } from '../../workers/melos/engine/score';
import { createRenderer, type RenderOptions, renderLength } from '../../workers/melos/engine/synth';
import { instrumentFor } from '../../workers/melos/engine/voices';
import { renderWav, WAV_HEADER_BYTES, wavChunks, wavHeader, wavLength } from '../../workers/melos/engine/wav';

const track = (over: Partial<ScoreTrack>): ScoreTrack => ({ name: 'T', role: 'melody', program: 0, channel: 1, volume: 80, pan: 0, ...over });

/** A 4/4 score literal of `bars` bars; notes sorted by tick, track, pitch as the type promises. */
function score(tracks: ScoreTrack[], notes: Note[], bars = 2, tempo = 120): Score {
  const barTicks = PPQ * 4;
  return {
    title: 'Test',
    tempo,
    meter: [4, 4],
    key: { tonic: 'C', minor: false },
    tracks,
    notes: [...notes].sort((a, b) => a.tick - b.tick || a.track - b.track || a.pitch - b.pitch),
    barTicks,
    lengthTicks: bars * barTicks,
  };
}

/** Two bars of a small band: keys, bass, pad, a lead and drums, starting on odd frames (swing) so blocks split notes. */
function band(): Score {
  const tracks = [
    track({ name: 'Keys', role: 'chords', program: 0, pan: -40 }),
    track({ name: 'Bass', role: 'bass', program: 38, channel: 2 }),
    track({ name: 'Pad', role: 'chords', program: 89, channel: 3, pan: 50 }),
    track({ name: 'Lead', role: 'melody', program: 80, channel: 4, pan: 20 }),
    track({ name: 'Drums', role: 'drums', program: 0, channel: 10, volume: 90 }),
  ];
  const notes: Note[] = [];
  for (let bar = 0; bar < 2; bar++) {
    const t0 = bar * 512;
    for (const p of [60, 64, 67]) notes.push({ tick: t0, duration: 500, pitch: p + bar * 5, velocity: 70, track: 0 });
    for (const p of [48, 55, 60]) notes.push({ tick: t0 + 7, duration: 512, pitch: p, velocity: 55, track: 2 });
    for (let s = 0; s < 8; s++) {
      const tick = t0 + s * 64 + (s % 2) * 21;
      notes.push({ tick, duration: 50, pitch: 36 + (s % 3) * 7, velocity: 90, track: 1 });
      notes.push({ tick, duration: 40, pitch: 72 + ((s * 5) % 12), velocity: 60 + s * 5, track: 3 });
      notes.push({ tick, duration: 20, pitch: 42, velocity: 70, track: 4, drum: s % 4 === 3 ? 'open hat' : 'closed hat' });
      if (s % 4 === 0) notes.push({ tick, duration: 20, pitch: 36, velocity: 100, track: 4, drum: 'kick' });
      if (s % 4 === 2) notes.push({ tick, duration: 20, pitch: 38, velocity: 90, track: 4, drum: s === 6 ? 'clap' : 'snare' });
    }
    notes.push({ tick: t0 + 448, duration: 20, pitch: 50, velocity: 80, track: 4, drum: 'low tom' });
    notes.push({ tick: t0 + 480, duration: 20, pitch: 48, velocity: 80, track: 4, drum: 'high tom' });
  }
  notes.push({ tick: 0, duration: 20, pitch: 49, velocity: 90, track: 4, drum: 'crash' });
  notes.push({ tick: 256, duration: 20, pitch: 51, velocity: 70, track: 4, drum: 'ride' });
  notes.push({ tick: 384, duration: 20, pitch: 37, velocity: 70, track: 4, drum: 'rim' });
  return score(tracks, notes);
}

/** All of a renderer's blocks, pulled with maxFrames cycling through `sizes`, as one Int16Array. */
function pull(s: Score, options: RenderOptions, sizes: number[] = [options.blockSize ?? 4096]): Int16Array {
  const renderer = createRenderer(s, options);
  const out = new Int16Array(renderer.totalFrames * renderer.channels);
  let at = 0;
  for (let i = 0, block = renderer.next(sizes[0]); block; i++, block = renderer.next(sizes[i % sizes.length])) {
    out.set(block, at);
    at += block.length;
  }
  expect(at).toBe(out.length);
  return out;
}

const samples = (wav: Uint8Array) => new Int16Array(wav.buffer, wav.byteOffset + WAV_HEADER_BYTES, (wav.length - WAV_HEADER_BYTES) / 2);
const text = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/** Power of `signal` at `hz` (Goertzel). */
function power(signal: Float64Array, rate: number, hz: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const x of signal) {
    const s0 = x + c * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - c * s1 * s2;
}

describe('wavHeader', () => {
  it('writes a 44-byte RIFF/WAVE PCM header', () => {
    const table: Array<[number, number, number]> = [
      [970_200, 44_100, 2],
      [0, 22_050, 1],
      [123_456, 48_000, 2],
    ];
    for (const [dataBytes, rate, channels] of table) {
      const h = wavHeader(dataBytes, rate, channels);
      const v = new DataView(h.buffer);
      const what = `${dataBytes} bytes at ${rate} Hz × ${channels}`;
      expect(h.length, what).toBe(44);
      expect([text(h, 0), text(h, 8), text(h, 12), text(h, 36)], what).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
      expect(v.getUint32(4, true), what).toBe(36 + dataBytes);
      expect([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(22, true)], what).toEqual([16, 1, channels]);
      expect([v.getUint32(24, true), v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)], what).toEqual([
        rate,
        rate * channels * 2,
        channels * 2,
        16,
      ]);
      expect(v.getUint32(40, true), what).toBe(dataBytes);
    }
  });
});

describe('renderWav', () => {
  it('lasts the piece plus a 1.5 s tail, in 16-bit stereo at 44.1 kHz (mono at 22.05 kHz for previews)', () => {
    const s = band(); // 2 bars of 4/4 at 120: 4 s
    const wav = renderWav(s, { seed: 1 });
    const v = new DataView(wav.buffer, wav.byteOffset);
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect([v.getUint16(22, true), v.getUint32(24, true), v.getUint16(34, true)]).toEqual([2, 44_100, 16]);
    expect(v.getUint32(40, true)).toBe(242_550 * 4);
    expect(wav.length).toBe(44 + 242_550 * 4);
    expect(renderLength(s)).toEqual({ totalFrames: 242_550, byteLength: 970_200 });

    const preview = renderWav(s, { sampleRate: 22_050, channels: 1, tailSeconds: 0.5 });
    const p = new DataView(preview.buffer, preview.byteOffset);
    expect([p.getUint16(22, true), p.getUint32(24, true), p.getUint32(40, true)]).toEqual([1, 22_050, 99_225 * 2]);
  });

  it('makes sound, every sample within ±32767 (a NaN would come out as −32768)', () => {
    for (const options of [{}, { sampleRate: 22_050, channels: 1 as const }]) {
      const pcm = samples(renderWav(band(), options));
      let peak = 0;
      let min = 0;
      for (const x of pcm) {
        peak = Math.max(peak, Math.abs(x));
        min = Math.min(min, x);
      }
      expect(min, JSON.stringify(options)).toBeGreaterThan(-32768);
      expect(peak, JSON.stringify(options)).toBeGreaterThan(3000);
    }
  });

  it('is byte-identical for the same score and options; the seed changes the drums and only them', () => {
    const s = band();
    const a = renderWav(s, { seed: 7 });
    expect(renderWav(s, { seed: 7 })).toEqual(a);
    expect(renderWav(s, { seed: 8 })).not.toEqual(a);
    const pitched = score(
      s.tracks,
      s.notes.filter((n) => n.track !== 4),
    );
    expect(renderWav(pitched, { seed: 7 })).toEqual(renderWav(pitched, { seed: 8 }));
    const moved = score(
      s.tracks,
      s.notes.map((n, i) => (i === 3 ? { ...n, pitch: n.pitch + 1 } : n)),
    );
    expect(renderWav(moved, { seed: 7 })).not.toEqual(a);
  });

  it('streams as chunks: the header, then the blocks, adding up to the same file', () => {
    const s = band();
    const chunks = [...wavChunks(s, { seed: 3 })];
    expect(chunks[0]!.length).toBe(44);
    expect(chunks.slice(1).every((c) => c.length <= 4096 * 4)).toBe(true);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      joined.set(c, at);
      at += c.length;
    }
    expect(joined.length).toBe(wavLength(s, { seed: 3 }));
    expect(joined).toEqual(renderWav(s, { seed: 3 }));
    // Little-endian: the first sample's low byte comes first.
    const first = samples(joined).findIndex((x) => x !== 0);
    const x = samples(joined)[first]!;
    expect([joined[44 + first * 2], joined[45 + first * 2]]).toEqual([x & 0xff, (x >> 8) & 0xff]);
  });
});

describe('the renderer', () => {
  it('gives the same bytes whatever the block size: 1,000, 4,096, 37 or the whole piece at once', () => {
    const s = band();
    const whole = pull(s, { seed: 5, blockSize: renderLength(s).totalFrames });
    expect(pull(s, { seed: 5 }, [1000])).toEqual(whole);
    expect(pull(s, { seed: 5 }, [4096])).toEqual(whole);
    expect(pull(s, { seed: 5 }, [37])).toEqual(whole);
    expect(pull(s, { seed: 5, blockSize: 777 }, [777, 1, 2048, 13])).toEqual(whole);
    const mono = pull(s, { seed: 5, channels: 1, sampleRate: 22_050, blockSize: 200_000 });
    expect(pull(s, { seed: 5, channels: 1, sampleRate: 22_050 }, [37, 4096, 1000])).toEqual(mono);
  });

  it('plays a sine A4 at 440 Hz', () => {
    expect(instrumentFor(79)).toBe('sine');
    const s = score([track({ program: 79, volume: 100 })], [{ tick: 0, duration: 512, pitch: 69, velocity: 100, track: 0 }], 1);
    const rate = 44_100;
    const pcm = pull(s, { channels: 1, sampleRate: rate });
    // 0.25 s … 0.75 s, past the attack and before the note ends, Hann-windowed.
    const from = rate / 4;
    const length = rate / 2;
    const x = new Float64Array(length);
    for (let i = 0; i < length; i++) x[i] = (pcm[from + i]! / 32768) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length));
    let inside = 0;
    for (let hz = 430; hz <= 450; hz++) inside = Math.max(inside, power(x, rate, hz));
    let outside = 0;
    for (let hz = 40; hz <= 8000; hz += 7) if (hz < 420 || hz > 460) outside = Math.max(outside, power(x, rate, hz));
    expect(10 * Math.log10(inside / outside)).toBeGreaterThan(60);
    expect(power(x, rate, 440)).toBeGreaterThan(power(x, rate, 435));
  });

  it('pans with equal power: centred tracks are the same in both channels, hard left is silent on the right', () => {
    const note: Note = { tick: 0, duration: 256, pitch: 60, velocity: 90, track: 0 };
    const centre = pull(score([track({ program: 81 })], [note], 1), {});
    const left = pull(score([track({ program: 81, pan: -100 })], [note], 1), {});
    let centreDiff = 0;
    let rightPeak = 0;
    let leftPeak = 0;
    for (let i = 0; i < centre.length; i += 2) {
      centreDiff = Math.max(centreDiff, Math.abs(centre[i]! - centre[i + 1]!));
      leftPeak = Math.max(leftPeak, Math.abs(left[i]!));
      rightPeak = Math.max(rightPeak, Math.abs(left[i + 1]!));
    }
    expect(centreDiff).toBe(0);
    expect(rightPeak).toBe(0);
    expect(leftPeak).toBeGreaterThan(1000);
  });

  it('keeps a 16-track fortissimo pile-up under full scale without flattening it', () => {
    const programs = [81, 80, 38, 89, 48, 56, 0, 11, 16, 24, 65, 73, 81, 80, 38, 89];
    const tracks = programs.map((program, i) => track({ name: `T${i}`, program, channel: i < 9 ? i + 1 : i + 2, volume: 100 }));
    const notes: Note[] = [];
    for (let t = 0; t < 16; t++)
      for (let beat = 0; beat < 8; beat++)
        for (const p of [36, 48, 55, 60, 64, 67]) notes.push({ tick: beat * 128, duration: 128, pitch: p, velocity: 100, track: t });
    const pcm = pull(score(tracks, notes, 2), {});
    let peak = 0;
    let atFullScale = 0;
    let loud = 0;
    for (const x of pcm) {
      const a = Math.abs(x);
      peak = Math.max(peak, a);
      if (a >= 32_000) atFullScale++;
      if (a >= 8000) loud++;
    }
    expect(peak).toBeLessThanOrEqual(32_767);
    expect(atFullScale).toBe(0);
    // It is loud (the limiter holds it near its ceiling), and the waveform still has shape: few samples at the top.
    expect(peak).toBeGreaterThan(25_000);
    expect(loud).toBeGreaterThan(pcm.length / 10);
  });
});
