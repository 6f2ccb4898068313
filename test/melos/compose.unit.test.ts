import { describe, expect, it } from 'vitest';
import { barTicksOf, compose, firstBars, meterParts, ScoreTooLargeError, scoreSize } from '../../workers/melos/engine/compose';
import { createRandom, type Random } from '../../workers/melos/engine/random';
import { ARP_PATTERNS, BASS_PATTERNS, DRUMS, type Generator, KEYS, METERS, RATES, Recipe, SCALES, type Track } from '../../workers/melos/engine/recipe';
import { MAX_NOTES, type Note, PPQ, type Score } from '../../workers/melos/engine/score';
import { SCALE_INTERVALS } from '../../workers/melos/engine/theory';

const melody = (generator: Generator, name = 'Melody'): Track => ({ name, role: 'melody', program: 0, volume: 80, pan: 0, generator });
const kit: Track = {
  name: 'Drums',
  role: 'drums',
  program: 0,
  volume: 90,
  pan: 0,
  generator: {
    type: 'drums',
    rate: '16',
    lanes: [
      { drum: 'kick', pulses: 4, steps: 16, rotation: 0, velocity: 100 },
      { drum: 'closed hat', pulses: 7, steps: 16, rotation: 0, velocity: 60 },
    ],
  },
};

/** A valid recipe: the schema checks it, so the tests use only what a person could send. */
function recipe(overrides: Partial<Recipe> = {}): Recipe {
  return Recipe.parse({
    title: 'Test piece',
    seed: 1234,
    tempo: 120,
    meter: '4/4',
    key: 'C',
    scale: 'major',
    bars: 8,
    progression: 'I vi IV V',
    swing: 0,
    humanize: { timing: 0, velocity: 0 },
    tracks: [
      melody({ type: 'markov', rate: '8', octave: 5, contour: 0.3, density: 0.8 }),
      { name: 'Bass', role: 'bass', program: 33, volume: 80, pan: 0, generator: { type: 'bass', rate: '4', octave: 2, pattern: 'walking' } },
      { name: 'Pads', role: 'chords', program: 89, volume: 60, pan: -20, generator: { type: 'chords', rate: '2', octave: 4, voices: 4 } },
      kit,
    ],
    ...overrides,
  });
}

const ofTrack = (score: Score, track: number) => score.notes.filter((n) => n.track === track).map(({ track: _, ...rest }) => rest);

/** A random valid recipe of at most `maxBars` bars, drawn from `random`. */
function randomRecipe(random: Random, maxBars: number): Recipe {
  const rate = () => random.pick(RATES);
  const octave = () => 1 + random.int(7);
  const generators: Array<() => Generator> = [
    () => ({ type: 'markov', rate: rate(), octave: octave(), contour: random.next() * 2 - 1, density: random.next() }),
    () => ({ type: 'walk', rate: rate(), octave: octave(), maxStep: 1 + random.int(7), density: random.next() }),
    () => ({
      type: 'euclid',
      rate: rate(),
      octave: octave(),
      pulses: random.int(33),
      steps: 1 + random.int(32),
      rotation: random.int(32),
      degree: 1 + random.int(7),
    }),
    () => {
      const symbols = (n: number) => Array.from({ length: 1 + random.int(n) }, () => random.pick(['F', 'F', 'f', '+', '-', '[', ']'])).join('');
      return { type: 'lsystem', rate: rate(), octave: octave(), axiom: symbols(16), rule: symbols(24), iterations: 1 + random.int(6) };
    },
    () => ({ type: 'automaton', rate: rate(), octave: octave(), rule: random.int(256), width: 3 + random.int(14), voices: 1 + random.int(4) }),
    () => ({ type: 'arpeggio', rate: rate(), octave: octave(), pattern: random.pick(ARP_PATTERNS), octaves: 1 + random.int(3) }),
    () => ({ type: 'bass', rate: rate(), octave: octave(), pattern: random.pick(BASS_PATTERNS) }),
    () => ({ type: 'chords', rate: rate(), octave: octave(), voices: 3 + random.int(3) }),
  ];
  const tracks: Track[] = Array.from({ length: 1 + random.int(6) }, (_, i) => {
    if (random.chance(0.2)) {
      const lanes = Array.from({ length: 1 + random.int(8) }, () => ({
        drum: random.pick(DRUMS),
        pulses: random.int(33),
        steps: 1 + random.int(32),
        rotation: random.int(32),
        velocity: 1 + random.int(100),
      }));
      return { ...kit, name: `Kit ${i}`, generator: { type: 'drums', rate: rate(), lanes } };
    }
    return melody(random.pick(generators)(), `Track ${i}`);
  });
  const numerals = ['I', 'ii7', 'iii', 'IV6', 'V9', 'vi', 'vii°7', 'bVII', 'I+', 'Vsus4', 'viiø7', '#iv°'];
  return Recipe.parse({
    title: 'Random',
    seed: random.int(2 ** 32),
    tempo: 30 + random.int(271),
    meter: random.pick(METERS),
    key: random.pick(KEYS),
    scale: random.pick(SCALES),
    bars: 1 + random.int(maxBars),
    progression: Array.from({ length: random.int(6) }, () => random.pick(numerals)).join(' '),
    swing: random.int(76),
    humanize: { timing: random.int(41), velocity: random.int(31) },
    tracks,
  });
}

describe('compose', () => {
  it('fills the score from the recipe', () => {
    const score = compose(recipe({ meter: '6/8', key: 'A', scale: 'minor', bars: 3, tempo: 96 }));
    expect(score).toMatchObject({ title: 'Test piece', tempo: 96, meter: [6, 8], key: { tonic: 'A', minor: true }, barTicks: 384, lengthTicks: 3 * 384 });
    expect(score.tracks).toEqual([
      { name: 'Melody', role: 'melody', program: 0, channel: 1, volume: 80, pan: 0 },
      { name: 'Bass', role: 'bass', program: 33, channel: 2, volume: 80, pan: 0 },
      { name: 'Pads', role: 'chords', program: 89, channel: 3, volume: 60, pan: -20 },
      { name: 'Drums', role: 'drums', program: 0, channel: 10, volume: 90, pan: 0 },
    ]);
    expect(compose(recipe({ scale: 'lydian' })).key).toEqual({ tonic: 'C', minor: false });
  });

  it('measures bars in ticks from the meter', () => {
    const rows: Array<[(typeof METERS)[number], [number, number], number]> = [
      ['2/4', [2, 4], 256],
      ['3/4', [3, 4], 384],
      ['4/4', [4, 4], 512],
      ['5/4', [5, 4], 640],
      ['6/8', [6, 8], 384],
      ['7/8', [7, 8], 448],
      ['9/8', [9, 8], 576],
      ['12/8', [12, 8], 768],
    ];
    for (const [meter, parts, ticks] of rows) {
      expect(meterParts(meter), meter).toEqual(parts);
      expect(barTicksOf(meter), meter).toBe(ticks);
    }
  });

  it('skips channel 10 for melodic tracks and puts every kit on it', () => {
    const tracks = Array.from({ length: 16 }, (_, i) => (i === 3 ? kit : melody({ type: 'bass', rate: '1', octave: 2, pattern: 'roots' }, `T${i}`)));
    expect(compose(recipe({ bars: 1, tracks })).tracks.map((t) => t.channel)).toEqual([1, 2, 3, 10, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16]);
    const melodicOnly = Array.from({ length: 16 }, (_, i) => melody({ type: 'bass', rate: '1', octave: 2, pattern: 'roots' }, `T${i}`));
    expect(
      compose(recipe({ bars: 1, tracks: melodicOnly })).tracks.map((t) => t.channel),
      'a sixteenth melodic track shares channel 1',
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 1]);
  });

  it('gives the same score for the same recipe, and other notes for another seed', () => {
    const a = recipe({ swing: 30, humanize: { timing: 20, velocity: 10 } });
    expect(compose(a)).toEqual(compose(structuredClone(a)));
    const other = compose({ ...a, seed: 1235 });
    expect(other.notes).not.toEqual(compose(a).notes);
    expect(ofTrack(other, 2), 'the chords draw nothing random, so only timing and velocity move').not.toEqual(ofTrack(compose(a), 2));
  });

  it('leaves the other tracks’ notes alone when a track is added', () => {
    const before = recipe({ swing: 40, humanize: { timing: 15, velocity: 12 } });
    const after = { ...before, tracks: [...before.tracks, melody({ type: 'walk', rate: '16', octave: 6, maxStep: 3, density: 0.7 }, 'Added')] };
    const [a, b] = [compose(before), compose(after)];
    for (let t = 0; t < before.tracks.length; t++) expect(ofTrack(b, t), `track ${t}`).toEqual(ofTrack(a, t));
    expect(ofTrack(b, before.tracks.length).length).toBeGreaterThan(0);
  });

  it('sorts notes by tick, track and pitch and keeps them in range', () => {
    const random = createRandom(77);
    for (let i = 0; i < 40; i++) {
      const r = randomRecipe(random, 12);
      const score = compose(r);
      const label = JSON.stringify({ seed: r.seed, meter: r.meter, bars: r.bars });
      score.notes.forEach((n, j) => {
        const previous = score.notes[j - 1];
        if (previous) expect(previous.tick - n.tick || previous.track - n.track || previous.pitch - n.pitch, `${label} order at ${j}`).toBeLessThanOrEqual(0);
        expect(n.pitch >= 0 && n.pitch <= 127 && Number.isInteger(n.pitch), `${label} pitch ${n.pitch}`).toBe(true);
        expect(n.velocity >= 1 && n.velocity <= 100 && Number.isInteger(n.velocity), `${label} velocity ${n.velocity}`).toBe(true);
        expect(n.tick >= 0 && n.tick < score.lengthTicks && Number.isInteger(n.tick), `${label} tick ${n.tick}`).toBe(true);
        expect(n.duration >= 1 && Number.isInteger(n.duration), `${label} duration ${n.duration}`).toBe(true);
        expect(n.drum !== undefined, `${label} drum only on kits`).toBe(r.tracks[n.track]!.role === 'drums');
      });
      // A note ends before the next of its pitch starts on its track.
      const last = new Map<string, Note>();
      for (const n of score.notes) {
        const key = `${n.track}:${n.pitch}`;
        const previous = last.get(key);
        if (previous) expect(previous.tick + previous.duration, `${label} overlap on ${key} at ${n.tick}`).toBeLessThanOrEqual(n.tick);
        last.set(key, n);
      }
    }
  });

  it('keeps the melodic generators in the scale, folding pitches into 0–127 by octaves', () => {
    const generators: Generator[] = [
      { type: 'markov', rate: '16', octave: 7, contour: 1, density: 1 },
      { type: 'walk', rate: '16', octave: 1, maxStep: 7, density: 1 },
      { type: 'euclid', rate: '8', octave: 7, pulses: 5, steps: 8, rotation: 1, degree: 7 },
      { type: 'lsystem', rate: '8', octave: 7, axiom: 'F', rule: 'F+F+[F++F]', iterations: 5 },
      { type: 'automaton', rate: '8', octave: 7, rule: 30, width: 16, voices: 4 },
    ];
    for (const scale of SCALES) {
      for (const key of ['B', 'F#', 'C'] as const) {
        const score = compose(recipe({ key, scale, bars: 16, tracks: generators.map((g) => melody(g, g.type)) }));
        const tonic = { B: 11, 'F#': 6, C: 0 }[key];
        const classes = new Set(SCALE_INTERVALS[scale].map((s) => (tonic + s) % 12));
        const outside = score.notes.filter((n) => !classes.has(n.pitch % 12));
        expect(outside, `${key} ${scale}`).toEqual([]);
        expect(Math.max(...score.notes.map((n) => n.pitch)), `${key} ${scale}`).toBeLessThanOrEqual(127);
      }
    }
  });
});

describe('swing', () => {
  it('delays only the off-beat eighths, by swing % of an eighth', () => {
    const tracks = [
      melody({ type: 'euclid', rate: '16', octave: 4, pulses: 16, steps: 16, rotation: 0, degree: 1 }, 'Sixteenths'),
      melody({ type: 'euclid', rate: '8t', octave: 4, pulses: 3, steps: 3, rotation: 0, degree: 3 }, 'Triplets'),
      melody({ type: 'euclid', rate: '8', octave: 4, pulses: 8, steps: 8, rotation: 0, degree: 5 }, 'Eighths'),
    ];
    for (const meter of ['4/4', '7/8', '6/8'] as const) {
      const straight = compose(recipe({ meter, tracks, bars: 3 }));
      const swung = compose(recipe({ meter, tracks, bars: 3, swing: 40 }));
      for (let t = 0; t < tracks.length; t++) {
        const [before, after] = [ofTrack(straight, t), ofTrack(swung, t)];
        expect(after, `${meter} ${tracks[t]!.name}`).toHaveLength(before.length);
        // 40 % of an eighth (64 ticks) is 26 ticks, on the bar's 2nd, 4th … eighth only.
        const delays = before.map((n, i) => after[i]!.tick - n.tick);
        const expected = before.map((n) => ((n.tick % straight.barTicks) % PPQ === PPQ / 2 ? 26 : 0));
        expect(delays, `${meter} ${tracks[t]!.name}`).toEqual(expected);
        expect(
          expected.some((d) => d > 0),
          `${meter} ${tracks[t]!.name} has off-beats`,
        ).toBe(t !== 1);
      }
    }
  });

  it('lengthens the on-beat eighth and shortens the off-beat one, keeping the line legato', () => {
    const eighths = melody({ type: 'euclid', rate: '8', octave: 4, pulses: 8, steps: 8, rotation: 0, degree: 1 });
    const notes = compose(recipe({ tracks: [eighths], bars: 1, swing: 75 })).notes;
    expect(notes.slice(0, 4).map((n) => [n.tick, n.duration])).toEqual([
      [0, 112],
      [112, 16],
      [128, 112],
      [240, 16],
    ]);
  });
});

describe('humanize', () => {
  it('nudges timing within the milliseconds asked and velocity within its range', () => {
    const base = recipe({ tempo: 150, bars: 4 });
    const straight = compose(base);
    const human = compose({ ...base, humanize: { timing: 20, velocity: 8 } });
    // 20 ms at 150 bpm: 0.02 s × 2.5 quarters/s × 128 ticks = 6.4 ticks.
    expect(human.notes.map((n) => n.tick)).not.toEqual(straight.notes.map((n) => n.tick));
    const pairs = new Map(straight.notes.map((n) => [`${n.track}:${n.pitch}:${n.tick}`, n]));
    let matched = 0;
    for (const n of human.notes) {
      for (let d = -6; d <= 6; d++) {
        const original = pairs.get(`${n.track}:${n.pitch}:${n.tick - d}`);
        if (!original) continue;
        matched++;
        expect(Math.abs(n.velocity - original.velocity), 'velocity nudge').toBeLessThanOrEqual(8);
        break;
      }
    }
    expect(matched, 'every note is within 6 ticks of where it was').toBe(human.notes.length);
  });
});

describe('scoreSize', () => {
  it('gives the length in seconds exactly', () => {
    const rows: Array<[Partial<Recipe>, number]> = [
      [{ meter: '4/4', tempo: 120, bars: 8 }, 16],
      [{ meter: '6/8', tempo: 90, bars: 10 }, 20],
      [{ meter: '7/8', tempo: 60, bars: 2 }, 7],
      [{ meter: '12/8', tempo: 30, bars: 512 }, 6144],
    ];
    for (const [overrides, seconds] of rows) expect(scoreSize(recipe(overrides)).seconds, JSON.stringify(overrides)).toBeCloseTo(seconds, 9);
  });

  it('bounds the notes compose() makes, on many random recipes', () => {
    const random = createRandom(2024);
    for (let i = 0; i < 150; i++) {
      const r = randomRecipe(random, 24);
      const size = scoreSize(r);
      const made = compose(r).notes.length;
      expect(made, JSON.stringify(r)).toBeLessThanOrEqual(size.notes);
    }
  });

  it('multiplies steps a bar, most notes a step and bars', () => {
    const r = recipe({ bars: 5, meter: '7/8' });
    expect(scoreSize(r).notes).toBe(5 * (7 + 4 + 2 * 4) + 5 * 2 * 14);
  });

  it('sizes an enormous recipe without composing it, and compose() refuses it', () => {
    const huge = recipe({
      bars: 512,
      tempo: 300,
      meter: '12/8',
      tracks: Array.from({ length: 16 }, (_, i) => ({
        ...melody({ type: 'chords', rate: '16', octave: 4, voices: 5 }),
        name: `Pads ${i}`,
        role: 'chords' as const,
      })),
    });
    const started = Date.now();
    const size = scoreSize(huge);
    expect(Date.now() - started).toBeLessThan(50);
    expect(size.notes).toBe(512 * 24 * 5 * 16);
    expect(size.notes).toBeGreaterThan(MAX_NOTES);
    expect(() => compose(huge)).toThrow(ScoreTooLargeError);
    expect(() => compose(recipe({ bars: 512, tempo: 30, tracks: [kit] })), '4,096 seconds').toThrow(ScoreTooLargeError);
  });
});

describe('firstBars', () => {
  it('previews exactly the first bars of the piece', () => {
    const random = createRandom(5);
    for (let i = 0; i < 20; i++) {
      const r = { ...randomRecipe(random, 40), humanize: { timing: 0, velocity: 10 } };
      const whole = compose(r);
      const preview = compose(firstBars(r));
      expect(preview.lengthTicks).toBe(Math.min(r.bars, 8) * whole.barTicks);
      expect(preview.notes, JSON.stringify(r)).toEqual(whole.notes.filter((n) => n.tick < preview.lengthTicks));
    }
    expect(firstBars(recipe({ bars: 3 })).bars).toBe(3);
    expect(firstBars(recipe({ bars: 30 }), 4).bars).toBe(4);
  });
});
