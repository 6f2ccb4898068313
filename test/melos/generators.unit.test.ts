import { describe, expect, it } from 'vitest';
import {
  arpeggio,
  automaton,
  bass,
  type Context,
  chords,
  DRUM_KEYS,
  drums,
  euclidNotes,
  expandLSystem,
  generate,
  LSYSTEM_MAX_SYMBOLS,
  lsystem,
  lsystemMotif,
  markov,
  maxNotesPerStep,
  nextGeneration,
  stepGrid,
  type TrackNote,
  walk,
} from '../../workers/melos/engine/generators';
import { createRandom } from '../../workers/melos/engine/random';
import { DRUMS, type Generator, SCALES } from '../../workers/melos/engine/recipe';
import { euclid, parseProgression, SCALE_INTERVALS, voiceLead } from '../../workers/melos/engine/theory';

/** A piece's context: `bars` bars of `barTicks` in a key on `tonic`. */
function context(progression = 'I vi IV V', { tonic = 0, scale = 'major' as (typeof SCALES)[number], bars = 8, barTicks = 512 } = {}): Context {
  const parsed = parseProgression(progression, scale);
  if (!parsed.ok) throw new Error(parsed.message);
  return { tonic, scale: SCALE_INTERVALS[scale], chords: parsed.chords, bars, barTicks };
}

const inScale = (notes: TrackNote[], ctx: Context) => {
  const classes = new Set(ctx.scale.map((step) => (ctx.tonic + step) % 12));
  return notes.filter((n) => !classes.has(n.pitch % 12)).map((n) => n.pitch);
};

/** The note's scale degree counted from the tonic in `octave` (the inverse of degreePitch). */
function degreeOf(pitch: number, ctx: Context, octave: number): number {
  const from = pitch - 12 * (octave + 1) - ctx.tonic;
  const octaves = Math.floor(from / 12);
  return octaves * ctx.scale.length + ctx.scale.indexOf(from - 12 * octaves);
}

describe('stepGrid', () => {
  it('lays each rate over a bar, the last step cut at the bar line', () => {
    const rows: Array<[Parameters<typeof stepGrid>[0], number, number[], number[]]> = [
      ['4', 512, [0, 128, 256, 384], [128, 128, 128, 128]],
      ['1', 512, [0], [512]],
      ['1', 384, [0], [384]],
      ['2', 384, [0, 256], [256, 128]],
      ['8', 384, [0, 64, 128, 192, 256, 320], [64, 64, 64, 64, 64, 64]],
      ['4', 448, [0, 128, 256, 384], [128, 128, 128, 64]],
      ['8t', 256, [0, 43, 85, 128, 171, 213], [43, 42, 43, 43, 42, 43]],
      ['8t', 448, [0, 43, 85, 128, 171, 213, 256, 299, 341, 384, 427], [43, 42, 43, 43, 42, 43, 43, 42, 43, 43, 21]],
    ];
    for (const [rate, barTicks, ticks, durations] of rows) {
      const grid = stepGrid(rate, barTicks);
      expect(
        grid.map((s) => s.tick),
        `${rate} in ${barTicks}`,
      ).toEqual(ticks);
      expect(
        grid.map((s) => s.duration),
        `${rate} in ${barTicks}`,
      ).toEqual(durations);
    }
    expect(stepGrid('16', 768)).toHaveLength(24);
  });
});

describe('melodic generators', () => {
  const melodic: Generator[] = [
    { type: 'markov', rate: '8', octave: 4, contour: 0.5, density: 0.8 },
    { type: 'markov', rate: '16', octave: 5, contour: -1, density: 1 },
    { type: 'walk', rate: '8t', octave: 3, maxStep: 7, density: 0.9 },
    { type: 'euclid', rate: '16', octave: 4, pulses: 5, steps: 13, rotation: 2, degree: 5 },
    { type: 'lsystem', rate: '8', octave: 4, axiom: 'F', rule: 'F[+F]f-F', iterations: 4 },
    { type: 'automaton', rate: '8', octave: 3, rule: 110, width: 16, voices: 4 },
  ];

  it('stay in the scale, in every scale and key', () => {
    for (const scale of SCALES) {
      for (const tonic of [0, 3, 11]) {
        const ctx = context('I', { tonic, scale });
        for (const generator of melodic) {
          const notes = generate(generator, ctx, createRandom(tonic + 1));
          expect(notes.length, `${generator.type} in ${scale} on ${tonic} makes notes`).toBeGreaterThan(0);
          expect(inScale(notes, ctx), `${generator.type} in ${scale} on ${tonic}`).toEqual([]);
        }
      }
    }
  });

  it('are the same for the same stream and differ for another', () => {
    const ctx = context();
    for (const generator of [melodic[0]!, melodic[2]!, melodic[5]!]) {
      expect(generate(generator, ctx, createRandom(7)), generator.type).toEqual(generate(generator, ctx, createRandom(7)));
      expect(generate(generator, ctx, createRandom(7)), generator.type).not.toEqual(generate(generator, ctx, createRandom(8)));
    }
  });

  it('start notes on the grid, inside the piece, with velocities 1–100', () => {
    const ctx = context('I', { bars: 3, barTicks: 384 });
    for (const generator of melodic) {
      const starts = new Set(stepGrid(generator.rate, 384).map((s) => s.tick));
      for (const n of generate(generator, ctx, createRandom(1))) {
        expect(starts.has(n.tick % 384) && n.tick < 3 * 384, `${generator.type} at ${n.tick}`).toBe(true);
        expect(n.velocity >= 1 && n.velocity <= 100 && n.duration >= 1, `${generator.type} velocity and duration`).toBe(true);
      }
    }
  });
});

describe('markov', () => {
  const meanDegree = (contour: number) => {
    const ctx = context('I', { bars: 64 });
    const notes = markov({ type: 'markov', rate: '16', octave: 4, contour, density: 1 }, ctx, createRandom(3));
    return notes.reduce((sum, n) => sum + degreeOf(n.pitch, ctx, 4), 0) / notes.length;
  };

  it('leans the way the contour says, and stays within an octave of the tonic', () => {
    const [falling, level, climbing] = [meanDegree(-1), meanDegree(0), meanDegree(1)];
    expect(falling).toBeLessThan(level);
    expect(level).toBeLessThan(climbing);
    const ctx = context('I', { bars: 64 });
    const notes = markov({ type: 'markov', rate: '16', octave: 4, contour: 1, density: 1 }, ctx, createRandom(9));
    const degrees = notes.map((n) => degreeOf(n.pitch, ctx, 4));
    expect(Math.max(...degrees)).toBeLessThanOrEqual(7);
    expect(Math.min(...degrees)).toBeGreaterThanOrEqual(-7);
    expect(new Set(degrees).size, 'a climbing line still turns back').toBeGreaterThan(4);
  });

  it('sounds about `density` of the steps', () => {
    const ctx = context('I', { bars: 64 });
    expect(markov({ type: 'markov', rate: '16', octave: 4, contour: 0, density: 0 }, ctx, createRandom(1))).toEqual([]);
    expect(markov({ type: 'markov', rate: '16', octave: 4, contour: 0, density: 1 }, ctx, createRandom(1))).toHaveLength(64 * 16);
    const half = markov({ type: 'markov', rate: '16', octave: 4, contour: 0, density: 0.5 }, ctx, createRandom(1)).length;
    expect(Math.abs(half - 512)).toBeLessThan(80);
  });
});

describe('walk', () => {
  it('steps at most maxStep degrees and bounces within an octave of the tonic', () => {
    for (const maxStep of [1, 3, 7]) {
      const ctx = context('I', { bars: 32, scale: 'minor pentatonic' });
      const degrees = walk({ type: 'walk', rate: '16', octave: 4, maxStep, density: 1 }, ctx, createRandom(maxStep)).map((n) => degreeOf(n.pitch, ctx, 4));
      const steps = degrees.slice(1).map((d, i) => Math.abs(d - degrees[i]!));
      expect(Math.max(...steps), `maxStep ${maxStep}`).toBeLessThanOrEqual(maxStep);
      expect(Math.min(...degrees) >= -5 && Math.max(...degrees) <= 5, `maxStep ${maxStep} range`).toBe(true);
    }
  });
});

describe('euclid generator', () => {
  it('plays its degree on the pattern, which runs on across bar lines', () => {
    // Five steps of sixteenths against 16-step bars: the pattern drifts across the bar line.
    const ctx = context('I', { bars: 2 });
    const notes = euclidNotes({ type: 'euclid', rate: '16', octave: 4, pulses: 2, steps: 5, rotation: 0, degree: 3 }, ctx);
    const pattern = euclid(2, 5);
    const expected = Array.from({ length: 32 }, (_, i) => i).filter((i) => pattern[i % 5]);
    expect(notes.map((n) => n.tick / 32)).toEqual(expected);
    expect(new Set(notes.map((n) => n.pitch))).toEqual(new Set([64]));
  });
});

describe('lsystem', () => {
  it('expands F by the rule', () => {
    expect(expandLSystem('F', 'F+F', 2)).toBe('F+F+F+F');
    expect(expandLSystem('F-f', 'FF', 3)).toBe('FFFFFFFF-f');
    expect(expandLSystem('+[F]', 'F-F', 1)).toBe('+[F-F]');
  });

  it('caps the expansion however the rule multiplies', () => {
    expect(expandLSystem('F', 'FF', 6), 'a doubling rule, 2^6').toHaveLength(64);
    const started = Date.now();
    const huge = expandLSystem('FFFFFFFFFFFFFFFF', 'F'.repeat(24), 6);
    expect(huge).toHaveLength(LSYSTEM_MAX_SYMBOLS);
    expect(expandLSystem('F', 'F[+F]F[-F]F', 6).length).toBeLessThanOrEqual(LSYSTEM_MAX_SYMBOLS);
    expect(Date.now() - started, 'milliseconds').toBeLessThan(500);
    const notes = lsystem({ type: 'lsystem', rate: '16', octave: 4, axiom: 'F'.repeat(16), rule: 'F+'.repeat(12), iterations: 6 }, context('I', { bars: 512 }));
    expect(notes).toHaveLength(512 * 16);
  });

  it('reads F, f, +, -, [ and ] as a motif that repeats', () => {
    expect(lsystemMotif('F+F-f[++F]F', 7)).toEqual([0, 1, null, 2, 0]);
    expect(lsystemMotif(']F+F', 7), 'an unmatched ] is ignored').toEqual([0, 1]);
    expect(lsystemMotif('+++++F+++++F', 5), 'degrees bounce within an octave either way').toEqual([5, 0]);
    const notes = lsystem({ type: 'lsystem', rate: '4', octave: 4, axiom: 'F+Ff', rule: 'F', iterations: 1 }, context('I', { bars: 2 }));
    expect(notes.map((n) => [n.tick, n.pitch])).toEqual([
      [0, 60],
      [128, 62],
      [384, 60],
      [512, 62],
      [768, 60],
      [896, 62],
    ]);
    expect(lsystem({ type: 'lsystem', rate: '4', octave: 4, axiom: '+-', rule: 'F', iterations: 3 }, context()), 'nothing to play').toEqual([]);
  });
});

describe('automaton', () => {
  it('runs Wolfram’s rules on a wrapping row', () => {
    const row = (text: string) => [...text].map((c) => c === '1');
    expect(nextGeneration(row('0001000'), 90)).toEqual(row('0010100'));
    expect(nextGeneration(row('0010100'), 90)).toEqual(row('0100010'));
    expect(nextGeneration(row('0100010'), 90)).toEqual(row('1010101'));
    expect(nextGeneration(row('1000000'), 90), 'the ends wrap').toEqual(row('0100001'));
    expect(nextGeneration(row('0001000'), 30)).toEqual(row('0011100'));
    expect(nextGeneration(row('1111111'), 0)).toEqual(row('0000000'));
  });

  it('plays at most `voices` notes a step, the lowest live cells', () => {
    const ctx = context('I', { bars: 4 });
    for (const voices of [1, 2, 4]) {
      const notes = automaton({ type: 'automaton', rate: '8', octave: 4, rule: 30, width: 16, voices }, ctx, createRandom(5));
      const perTick = new Map<number, number>();
      for (const n of notes) perTick.set(n.tick, (perTick.get(n.tick) ?? 0) + 1);
      expect(Math.max(...perTick.values()), `voices ${voices}`).toBe(voices);
    }
  });
});

describe('arpeggio', () => {
  const bar = (pattern: 'up' | 'down' | 'up-down', progression = 'I') =>
    arpeggio({ type: 'arpeggio', rate: '8', octave: 4, pattern, octaves: 2 }, context(progression, { bars: 2 }), createRandom(1)).map((n) => n.pitch);

  it('runs through the bar’s chord over its octaves', () => {
    expect(bar('up').slice(0, 8)).toEqual([60, 64, 67, 72, 76, 79, 60, 64]);
    expect(bar('down').slice(0, 8)).toEqual([79, 76, 72, 67, 64, 60, 79, 76]);
    expect(bar('up-down').slice(0, 8)).toEqual([60, 64, 67, 72, 76, 79, 76, 72]);
    expect(bar('up', 'I vi').slice(8, 12), 'the next bar starts afresh on A minor').toEqual([69, 72, 76, 81]);
  });

  it('picks chord tones at random', () => {
    const ctx = context('I vi IV V', { bars: 8 });
    const notes = arpeggio({ type: 'arpeggio', rate: '16', octave: 4, pattern: 'random', octaves: 3 }, ctx, createRandom(2));
    expect(inScale(notes, ctx)).toEqual([]);
    expect(new Set(notes.slice(0, 16).map((n) => n.pitch)).size).toBeGreaterThan(3);
  });
});

describe('bass', () => {
  const line = (pattern: 'roots' | 'roots and fifths' | 'octaves' | 'walking', progression = 'I V', rate: '4' | '8' = '4') =>
    bass({ type: 'bass', rate, octave: 2, pattern }, context(progression, { bars: 2 }), createRandom(4)).map((n) => n.pitch);

  it('plays roots, fifths and octaves in its octave', () => {
    expect(line('roots')).toEqual([36, 36, 36, 36, 43, 43, 43, 43]);
    expect(line('roots and fifths')).toEqual([36, 43, 36, 43, 43, 50, 43, 50]);
    expect(line('octaves')).toEqual([36, 48, 36, 48, 43, 55, 43, 55]);
    expect(line('roots and fifths', 'vii°').slice(0, 2), 'a diminished chord’s fifth').toEqual([47, 53]);
  });

  it('walks: the root on the downbeat, chord tones, then a scale tone next to the coming root', () => {
    const ctx = context('I vi ii V', { bars: 16 });
    const notes = bass({ type: 'bass', rate: '4', octave: 2, pattern: 'walking' }, ctx, createRandom(11));
    expect(inScale(notes, ctx)).toEqual([]);
    for (let b = 0; b < 16; b++) {
      const [first, second, third, last] = notes.slice(b * 4, b * 4 + 4).map((n) => n.pitch);
      const root = 36 + ((ctx.chords[b % 4]!.root + 0) % 12);
      const next = 36 + ctx.chords[(b + 1) % 4]!.root;
      expect(first, `bar ${b} root`).toBe(root);
      const tones = ctx.chords[b % 4]!.intervals.map((i) => (root + i) % 12);
      for (const pitch of [second!, third!]) expect(tones.includes(pitch % 12), `bar ${b} chord tone`).toBe(true);
      const distance = Math.min(...[next - 12, next, next + 12].map((p) => Math.abs(p - last!)));
      expect(distance >= 1 && distance <= 2, `bar ${b} approaches ${next} from ${last}`).toBe(true);
    }
  });
});

describe('chords', () => {
  it('holds the voice-led voicing of each bar on every step', () => {
    const ctx = context('I vi IV V', { bars: 4 });
    const notes = chords({ type: 'chords', rate: '2', octave: 4, voices: 4 }, ctx);
    let voicing: number[] | null = null;
    for (let b = 0; b < 4; b++) {
      voicing = voiceLead(voicing, ctx.chords[b]!, 4, 4, 0);
      for (const tick of [b * 512, b * 512 + 256])
        expect(
          notes.filter((n) => n.tick === tick).map((n) => n.pitch),
          `bar ${b} at ${tick}`,
        ).toEqual(voicing);
    }
    expect(notes).toHaveLength(4 * 2 * 4);
    expect(inScale(notes, ctx)).toEqual([]);
  });

  it('keeps a diatonic progression in the scale in 3 to 5 voices', () => {
    const ctx = context('ii7 V9 Imaj7 IV6 iii vii° viiø7 Vsus4', { bars: 16 });
    for (const voices of [3, 4, 5]) expect(inScale(chords({ type: 'chords', rate: '1', octave: 3, voices }, ctx), ctx), `${voices} voices`).toEqual([]);
    const borrowed = context('I bVII', { bars: 2 });
    expect(
      inScale(chords({ type: 'chords', rate: '1', octave: 3, voices: 3 }, borrowed), borrowed).map((p) => p % 12),
      'bVII borrows B♭',
    ).toEqual([10]);
  });
});

describe('drums', () => {
  it('lays each lane’s pattern on its General MIDI key with the lane’s velocity', () => {
    const notes = drums(
      {
        type: 'drums',
        rate: '16',
        lanes: [
          { drum: 'kick', pulses: 4, steps: 16, rotation: 0, velocity: 100 },
          { drum: 'snare', pulses: 2, steps: 16, rotation: 4, velocity: 80 },
          { drum: 'closed hat', pulses: 3, steps: 8, rotation: 0, velocity: 50 },
        ],
      },
      context('I', { bars: 2 }),
    );
    const ticks = (drum: string) => notes.filter((n) => n.drum === drum).map((n) => n.tick);
    expect(ticks('kick')).toEqual([0, 128, 256, 384, 512, 640, 768, 896]);
    expect(ticks('snare'), 'rotated by 4: beats 2 and 4').toEqual([128, 384, 640, 896]);
    expect(ticks('closed hat')).toEqual([0, 96, 192, 256, 352, 448, 512, 608, 704, 768, 864, 960]);
    const velocities: Record<string, number> = { kick: 100, snare: 80, 'closed hat': 50 };
    for (const n of notes) {
      expect(n.pitch, n.drum).toBe(DRUM_KEYS[n.drum!]);
      expect(n.velocity, n.drum).toBe(velocities[n.drum!]);
    }
  });

  it('runs patterns on across bar lines and hits a drum once when two lanes share it', () => {
    const notes = drums(
      {
        type: 'drums',
        rate: '8',
        lanes: [
          { drum: 'rim', pulses: 3, steps: 5, rotation: 0, velocity: 40 },
          { drum: 'rim', pulses: 1, steps: 4, rotation: 0, velocity: 90 },
        ],
      },
      context('I', { bars: 2, barTicks: 384 }),
    );
    const steps = notes.map((n) => n.tick / 64);
    const rim = euclid(3, 5);
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i).filter((i) => rim[i % 5] || i % 4 === 0));
    expect(notes.filter((n) => n.tick === 0).map((n) => n.velocity)).toEqual([90]);
  });

  it('knows every drum', () => {
    expect(Object.keys(DRUM_KEYS).sort()).toEqual([...DRUMS].sort());
    expect(DRUM_KEYS).toMatchObject({
      kick: 36,
      snare: 38,
      clap: 39,
      'closed hat': 42,
      'open hat': 46,
      'low tom': 45,
      'high tom': 50,
      rim: 37,
      crash: 49,
      ride: 51,
    });
  });
});

describe('maxNotesPerStep', () => {
  it('bounds what each generator makes on any step', () => {
    const ctx = context('I V9 IV', { bars: 6, barTicks: 448 });
    const generators: Generator[] = [
      { type: 'automaton', rate: '16', octave: 3, rule: 150, width: 16, voices: 3 },
      { type: 'chords', rate: '8t', octave: 3, voices: 5 },
      { type: 'euclid', rate: '8', octave: 3, pulses: 0, steps: 8, rotation: 0, degree: 1 },
      { type: 'arpeggio', rate: '16', octave: 3, pattern: 'random', octaves: 3 },
      {
        type: 'drums',
        rate: '16',
        lanes: [
          { drum: 'kick', pulses: 16, steps: 16, rotation: 0, velocity: 90 },
          { drum: 'kick', pulses: 16, steps: 16, rotation: 0, velocity: 90 },
          { drum: 'ride', pulses: 16, steps: 16, rotation: 0, velocity: 90 },
          { drum: 'crash', pulses: 0, steps: 16, rotation: 0, velocity: 90 },
        ],
      },
    ];
    for (const generator of generators) {
      const notes = generate(generator, ctx, createRandom(1));
      const perTick = new Map<number, number>();
      for (const n of notes) perTick.set(n.tick, (perTick.get(n.tick) ?? 0) + 1);
      expect(Math.max(0, ...perTick.values()), generator.type).toBe(maxNotesPerStep(generator));
    }
  });
});
