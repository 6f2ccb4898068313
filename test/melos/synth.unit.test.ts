import { describe, expect, it } from 'vitest';
import { type Note, PPQ, type Score, type ScoreTrack } from '../../workers/melos/engine/score';
import { createRenderer, MAX_VOICES, type Renderer, renderLength, VOICE_BYTES } from '../../workers/melos/engine/synth';
import { drumForKey, type Instrument, instrumentFor } from '../../workers/melos/engine/voices';

const track = (over: Partial<ScoreTrack>): ScoreTrack => ({ name: 'T', role: 'melody', program: 0, channel: 1, volume: 80, pan: 0, ...over });

function score(tracks: ScoreTrack[], notes: Note[], bars: number, tempo = 120): Score {
  return {
    title: 'Test',
    tempo,
    meter: [4, 4],
    key: { tonic: 'C', minor: false },
    tracks,
    notes: [...notes].sort((a, b) => a.tick - b.tick || a.track - b.track || a.pitch - b.pitch),
    barTicks: PPQ * 4,
    lengthTicks: bars * PPQ * 4,
  };
}

/** `bars` bars of the same groove: bass and lead in eighths, a chord a bar, drums. */
function groove(bars: number): Score {
  const tracks = [
    track({ name: 'Bass', role: 'bass', program: 33 }),
    track({ name: 'Lead', role: 'melody', program: 81, channel: 2 }),
    track({ name: 'Keys', role: 'chords', program: 4, channel: 3 }),
    track({ name: 'Drums', role: 'drums', program: 0, channel: 10 }),
  ];
  const notes: Note[] = [];
  for (let bar = 0; bar < bars; bar++) {
    const t0 = bar * 512;
    for (const p of [60, 64, 67, 71]) notes.push({ tick: t0, duration: 480, pitch: p, velocity: 60, track: 2 });
    for (let s = 0; s < 8; s++) {
      notes.push({ tick: t0 + s * 64, duration: 60, pitch: 36 + (s % 2) * 7, velocity: 90, track: 0 });
      notes.push({ tick: t0 + s * 64, duration: 60, pitch: 72 + ((s * 5 + bar) % 12), velocity: 70, track: 1 });
      notes.push({ tick: t0 + s * 64, duration: 20, pitch: 42, velocity: 60, track: 3, drum: 'closed hat' });
      if (s % 4 === 0) notes.push({ tick: t0 + s * 64, duration: 20, pitch: 36, velocity: 100, track: 3, drum: 'kick' });
      if (s % 4 === 2) notes.push({ tick: t0 + s * 64, duration: 20, pitch: 38, velocity: 90, track: 3, drum: 'snare' });
    }
  }
  return score(tracks, notes, bars);
}

/** Pulls every block; returns the most bytes and voices the renderer held at any point, and the blocks' count. */
function drain(renderer: Renderer): { maxBytes: number; maxVoices: number; blocks: number } {
  let maxBytes = renderer.retainedBytes();
  let maxVoices = 0;
  let blocks = 0;
  let progress = renderer.progress();
  expect(progress).toBe(0);
  while (renderer.next()) {
    blocks++;
    maxBytes = Math.max(maxBytes, renderer.retainedBytes());
    maxVoices = Math.max(maxVoices, renderer.activeVoices());
    expect(renderer.progress()).toBeGreaterThan(progress);
    progress = renderer.progress();
  }
  expect(progress).toBe(1);
  return { maxBytes, maxVoices, blocks };
}

describe('instrumentFor', () => {
  it('maps General MIDI programs to instruments by family', () => {
    const table: Array<[number, Instrument]> = [
      [0, 'fm key'],
      [4, 'fm key'],
      [8, 'fm bell'],
      [11, 'fm bell'],
      [16, 'organ'],
      [24, 'pluck'],
      [32, 'bass'],
      [33, 'bass'],
      [38, 'synth bass'],
      [40, 'strings'],
      [48, 'strings'],
      [52, 'strings'],
      [56, 'brass'],
      [65, 'reed'],
      [73, 'flute'],
      [79, 'sine'],
      [80, 'square lead'],
      [81, 'saw lead'],
      [88, 'pad'],
      [95, 'pad'],
      [104, 'pluck'],
      [112, 'fm bell'],
      [127, 'sine'],
    ];
    for (const [program, instrument] of table) expect(instrumentFor(program), `program ${program}`).toBe(instrument);
  });

  it('maps General MIDI percussion keys to drums when a note names none', () => {
    const table: Array<[number, string]> = [
      [36, 'kick'],
      [38, 'snare'],
      [39, 'clap'],
      [42, 'closed hat'],
      [46, 'open hat'],
      [45, 'low tom'],
      [50, 'high tom'],
      [37, 'rim'],
      [49, 'crash'],
      [51, 'ride'],
      [80, 'closed hat'],
    ];
    for (const [key, drum] of table) expect(drumForKey(key), `key ${key}`).toBe(drum);
  });
});

describe('createRenderer', () => {
  it('holds the same memory for a 10-minute piece as for a 10-second one', { timeout: 120_000 }, () => {
    // 120 bpm, 4/4: 5 bars are 10 s, 300 bars 10 minutes.
    const short = drain(createRenderer(groove(5), { seed: 1 }));
    const long = drain(createRenderer(groove(300), { seed: 1 }));
    expect(long.blocks).toBeGreaterThan(50 * short.blocks);
    expect(long.maxBytes).toBe(short.maxBytes);
    expect(long.maxVoices).toBe(short.maxVoices);
    // Four tracks' buffers, the stereo mix, and the voice pool: nothing that grows with the piece.
    expect(long.maxBytes).toBeLessThanOrEqual(4 * 4096 * 8 + 2 * 4096 * 8 + MAX_VOICES * VOICE_BYTES);
  });

  it('caps the voices at MAX_VOICES however many notes start at once, and frees them after their release', () => {
    const notes: Note[] = [];
    // 300 notes in the first 1/16 note, no two on one pitch of one track (that would end the first early).
    for (let i = 0; i < 300; i++) notes.push({ tick: (i % 3) * 16, duration: 64, pitch: 20 + Math.floor(i / 4), velocity: 80, track: i % 4 });
    const tracks = [0, 1, 2, 3].map((i) => track({ name: `T${i}`, program: [0, 48, 89, 81][i]!, channel: i + 1 }));
    const renderer = createRenderer(score(tracks, notes, 1), {});
    const { maxBytes, maxVoices } = drain(renderer);
    expect(maxVoices).toBe(MAX_VOICES);
    expect(maxBytes).toBe(4 * 4096 * 8 + 2 * 4096 * 8 + MAX_VOICES * VOICE_BYTES);
    expect(renderer.activeVoices()).toBe(0);
  });

  it('rejects notes out of order and pieces longer than 10 minutes; skips notes that are not numbers', () => {
    const one = (tick: number): Note => ({ tick, duration: 10, pitch: 60, velocity: 80, track: 0 });
    const unsorted = { ...score([track({})], [], 1), notes: [one(100), one(50)] };
    expect(() => createRenderer(unsorted)).toThrow(RangeError);
    expect(() => renderLength(score([track({})], [], 301))).toThrow(RangeError);
    const clean = score([track({})], [one(0), one(200)], 1);
    const dirty = score([track({})], [one(0), { ...one(100), velocity: Number.NaN }, { ...one(150), pitch: Number.NaN }, one(200)], 1);
    const pcm = (s: Score) => {
      const r = createRenderer(s, { blockSize: 200_000 });
      return r.next();
    };
    expect(pcm(dirty)).toEqual(pcm(clean));
  });

  it('is silent for a score without notes, and as long as the piece plus the tail', () => {
    const r = createRenderer(score([track({})], [], 1, 60), { sampleRate: 22_050, channels: 1, tailSeconds: 1 });
    expect([r.totalFrames, r.byteLength]).toEqual([5 * 22_050, 5 * 22_050 * 2]);
    for (let block = r.next(); block; block = r.next()) expect(block.every((x) => x === 0)).toBe(true);
  });
});
