/**
 * The generators: each turns one track's parameters, the piece's harmony and its own
 * random stream into notes over the whole piece. Deterministic: the same parameters
 * and stream give the same notes.
 *
 * Time runs on a step grid that restarts every bar: steps of the track's `rate`
 * from the bar's start, the last one cut short where the bar ends (a half-note grid
 * in 3/4 is 256 + 128 ticks). Triplet eighths sit at 0, 43 and 85 ticks in each
 * quarter (128 / 3 rounded), so the grid stays exact on every beat. One chord sounds
 * a bar, the progression cycled.
 *
 * Every generator walks the steps in time order and never looks at the piece's
 * length, so the first bars of a long piece are the same notes as a short piece
 * with those bars (the editor's preview relies on this).
 *
 * Melodic degrees count from 0, the tonic in the track's octave. Velocities are on
 * midi-writer-js's 1–100 scale; compose() clamps pitches and velocities afterwards.
 *
 * Pure: no Workers, no Hono.
 */
import type { Random } from './random';
import type { Drum, Generator, Rate } from './recipe';
import { type Note, PPQ } from './score';
import { type Chord, degreePitch, euclid, voiceLead } from './theory';

/** A note before compose() assigns it to a track. */
export type TrackNote = Omit<Note, 'track'>;

/** What every generator knows about the piece. */
export type Context = {
  /** The key's tonic, pitch class 0–11. */
  tonic: number;
  /** The scale's steps above the tonic. */
  scale: readonly number[];
  /** The progression, at least one chord; bar b plays chords[b % length]. */
  chords: readonly Chord[];
  bars: number;
  barTicks: number;
};

type Params<T extends Generator['type']> = Extract<Generator, { type: T }>;

/** One step of a bar's grid: its start within the bar and its length, in ticks. */
export type Step = { tick: number; duration: number };

const STEP_TICKS: Record<Exclude<Rate, '8t'>, number> = { '1': 4 * PPQ, '2': 2 * PPQ, '4': PPQ, '8': PPQ / 2, '16': PPQ / 4 };
/** Triplet eighths within a quarter: k × 128 / 3, rounded. */
const TRIPLET_TICKS = [0, 43, 85] as const;

/** The grid of one bar at `rate`. */
export function stepGrid(rate: Rate, barTicks: number): Step[] {
  const starts: number[] = [];
  if (rate === '8t') {
    for (let beat = 0; beat < barTicks; beat += PPQ) for (const t of TRIPLET_TICKS) if (beat + t < barTicks) starts.push(beat + t);
  } else {
    for (let t = 0; t < barTicks; t += STEP_TICKS[rate]) starts.push(t);
  }
  return starts.map((tick, i) => ({ tick, duration: (starts[i + 1] ?? barTicks) - tick }));
}

/** A step placed in the piece. */
type Position = {
  /** Absolute start, in ticks. */
  tick: number;
  duration: number;
  bar: number;
  /** Start within the bar. */
  inBar: number;
  /** Index within the bar. */
  step: number;
  /** Index from the start of the piece: patterns that run across bar lines count with it. */
  index: number;
};

function positions(rate: Rate, context: Context): Position[] {
  const grid = stepGrid(rate, context.barTicks);
  const out: Position[] = [];
  for (let bar = 0; bar < context.bars; bar++) {
    grid.forEach((s, step) => {
      out.push({ tick: bar * context.barTicks + s.tick, duration: s.duration, bar, inBar: s.tick, step, index: bar * grid.length + step });
    });
  }
  return out;
}

const chordAt = (context: Context, bar: number): Chord => context.chords[bar % context.chords.length]!;

/** Louder on the bar's first beat, a little on the other beats, softer between. */
const accent = (inBar: number): number => (inBar === 0 ? 90 : inBar % PPQ === 0 ? 80 : 70);

/** Folds `value` back into low…high as a ball bounces off walls. */
function reflect(value: number, low: number, high: number): number {
  let v = value;
  while (v < low || v > high) v = v > high ? 2 * high - v : 2 * low - v;
  return v;
}

/** The root's pitch in `octave`: its pitch class placed in that octave's C…B. */
const rootPitch = (context: Context, chord: Chord, octave: number): number => 12 * (octave + 1) + ((context.tonic + chord.root) % 12);

/** How likely a Markov move of 0, 1, 2 … 7 degrees is before the contour and the pull: mostly steps and thirds, an octave now and then. */
const MARKOV_LEAPS = [1, 8, 4, 1, 0.5, 0.25, 0.15, 0.3] as const;
/** How strongly the contour tilts steps up or down (e^1.2 ≈ 3.3 times likelier at ±1). */
const CONTOUR_TILT = 1.2;
/** How strongly degrees far from the middle are avoided: the range's edges are e^2 ≈ 7 times less likely. */
const CENTRE_PULL = 2;

/**
 * The Markov transition matrix over degrees −span…+span (row and column d + span):
 * leap sizes weighted as MARKOV_LEAPS, tilted up or down by `contour`, and damped
 * by the distance from the middle so a climbing or falling line turns back.
 */
export function markovMatrix(span: number, contour: number): number[][] {
  const size = 2 * span + 1;
  return Array.from({ length: size }, (_, from) =>
    Array.from({ length: size }, (_, to) => {
      const leap = to - from;
      const distance = (to - span) / span;
      return (MARKOV_LEAPS[Math.abs(leap)] ?? 0) * Math.exp(CONTOUR_TILT * contour * Math.sign(leap)) * Math.exp(-CENTRE_PULL * distance * distance);
    }),
  );
}

/** A melody drawn from a Markov chain over scale degrees, one octave either side of the tonic. */
export function markov(params: Params<'markov'>, context: Context, random: Random): TrackNote[] {
  const span = context.scale.length;
  const matrix = markovMatrix(span, params.contour);
  const notes: TrackNote[] = [];
  let degree = 0;
  for (const at of positions(params.rate, context)) {
    if (!random.chance(params.density)) continue;
    notes.push({ tick: at.tick, duration: at.duration, pitch: degreePitch(context.tonic, context.scale, params.octave, degree), velocity: accent(at.inBar) });
    degree = random.weighted(matrix[degree + span]!) - span;
  }
  return notes;
}

/** A random walk over scale degrees: steps of 1…maxStep (smaller likelier, ∝ 1/size), bouncing off an octave either side of the tonic. */
export function walk(params: Params<'walk'>, context: Context, random: Random): TrackNote[] {
  const span = context.scale.length;
  const sizes = Array.from({ length: params.maxStep }, (_, i) => 1 / (i + 1));
  const notes: TrackNote[] = [];
  let degree = 0;
  for (const at of positions(params.rate, context)) {
    if (!random.chance(params.density)) continue;
    notes.push({ tick: at.tick, duration: at.duration, pitch: degreePitch(context.tonic, context.scale, params.octave, degree), velocity: accent(at.inBar) });
    const size = random.weighted(sizes) + 1;
    degree = reflect(degree + (random.chance(0.5) ? size : -size), -span, span);
  }
  return notes;
}

/** One scale degree on an Euclidean rhythm whose steps run on across bar lines. */
export function euclidNotes(params: Params<'euclid'>, context: Context): TrackNote[] {
  const pattern = euclid(params.pulses, params.steps, params.rotation);
  const pitch = degreePitch(context.tonic, context.scale, params.octave, params.degree - 1);
  return positions(params.rate, context)
    .filter((at) => pattern[at.index % pattern.length])
    .map((at) => ({ tick: at.tick, duration: at.duration, pitch, velocity: accent(at.inBar) }));
}

/** The longest L-system string kept: iterations multiply its length, the cap bounds memory and time. */
export const LSYSTEM_MAX_SYMBOLS = 4096;

/** `axiom` with every F replaced by `rule`, `iterations` times, cut at `limit` symbols. */
export function expandLSystem(axiom: string, rule: string, iterations: number, limit = LSYSTEM_MAX_SYMBOLS): string {
  let text = axiom.slice(0, limit);
  for (let i = 0; i < iterations; i++) {
    let next = '';
    for (const symbol of text) {
      next += symbol === 'F' ? rule : symbol;
      if (next.length >= limit) break;
    }
    text = next.slice(0, limit);
  }
  return text;
}

/**
 * Reads an L-system string as a motif: F plays the current degree, f rests, + and -
 * step the degree up and down, [ remembers it and ] returns to it (an unmatched ]
 * is ignored). Degrees bounce back within an octave either side of the tonic.
 * One entry per F or f: a degree, or null for a rest.
 */
export function lsystemMotif(symbols: string, span: number): Array<number | null> {
  const motif: Array<number | null> = [];
  const saved: number[] = [];
  let degree = 0;
  for (const symbol of symbols) {
    if (symbol === 'F') motif.push(reflect(degree, -span, span));
    else if (symbol === 'f') motif.push(null);
    else if (symbol === '+') degree++;
    else if (symbol === '-') degree--;
    else if (symbol === '[') saved.push(degree);
    else if (symbol === ']') degree = saved.pop() ?? degree;
  }
  return motif;
}

/** An L-system motif, one F or f a step, repeated from its start until the piece ends. */
export function lsystem(params: Params<'lsystem'>, context: Context): TrackNote[] {
  const motif = lsystemMotif(expandLSystem(params.axiom, params.rule, params.iterations), context.scale.length);
  if (motif.length === 0) return [];
  const notes: TrackNote[] = [];
  for (const at of positions(params.rate, context)) {
    const degree = motif[at.index % motif.length];
    if (degree === null || degree === undefined) continue;
    notes.push({ tick: at.tick, duration: at.duration, pitch: degreePitch(context.tonic, context.scale, params.octave, degree), velocity: accent(at.inBar) });
  }
  return notes;
}

/** One generation of Wolfram's elementary automaton `rule`, the row wrapping around at its ends. */
export function nextGeneration(row: readonly boolean[], rule: number): boolean[] {
  const width = row.length;
  return row.map((alive, i) => {
    const neighbourhood = (row[(i + width - 1) % width] ? 4 : 0) + (alive ? 2 : 0) + (row[(i + 1) % width] ? 1 : 0);
    return ((rule >> neighbourhood) & 1) === 1;
  });
}

/** A cellular automaton, one generation a step: live cell i plays degree i (the lowest `voices` of them). */
export function automaton(params: Params<'automaton'>, context: Context, random: Random): TrackNote[] {
  let row = Array.from({ length: params.width }, () => random.chance(0.5));
  // An empty first row would stay silent under most rules: light the middle cell.
  if (!row.includes(true)) row[params.width >> 1] = true;
  const notes: TrackNote[] = [];
  for (const at of positions(params.rate, context)) {
    let sounding = 0;
    for (let cell = 0; cell < row.length && sounding < params.voices; cell++) {
      if (!row[cell]) continue;
      notes.push({
        tick: at.tick,
        duration: at.duration,
        pitch: degreePitch(context.tonic, context.scale, params.octave, cell),
        velocity: accent(at.inBar) - 10,
      });
      sounding++;
    }
    row = nextGeneration(row, params.rule);
  }
  return notes;
}

/** The chord's tones from its root in `octave` upwards, over `octaves` octaves, ascending. */
export function arpeggioTones(context: Context, chord: Chord, octave: number, octaves: number): number[] {
  const root = rootPitch(context, chord, octave);
  const tones = new Set<number>();
  for (let o = 0; o < octaves; o++) for (const interval of chord.intervals) tones.add(root + interval + 12 * o);
  return [...tones].sort((a, b) => a - b);
}

/** The bar's chord one tone a step; each bar starts the pattern afresh on the new chord. */
export function arpeggio(params: Params<'arpeggio'>, context: Context, random: Random): TrackNote[] {
  const notes: TrackNote[] = [];
  let order: number[] = [];
  for (const at of positions(params.rate, context)) {
    if (at.step === 0) {
      const tones = arpeggioTones(context, chordAt(context, at.bar), params.octave, params.octaves);
      const down = [...tones].reverse();
      order = params.pattern === 'down' ? down : params.pattern === 'up-down' && tones.length > 2 ? [...tones, ...down.slice(1, -1)] : tones;
    }
    const pitch = params.pattern === 'random' ? random.pick(order) : order[at.step % order.length]!;
    notes.push({ tick: at.tick, duration: at.duration, pitch, velocity: accent(at.inBar) - 5 });
  }
  return notes;
}

/** The nearest scale tone strictly above (`direction` 1) or below (−1) `pitch`. */
function scaleNeighbour(context: Context, pitch: number, direction: 1 | -1): number {
  const inScale = new Set(context.scale.map((step) => (context.tonic + step) % 12));
  let p = pitch + direction;
  while (!inScale.has(((p % 12) + 12) % 12)) p += direction;
  return p;
}

/**
 * The bass line in `octave`: roots; roots and fifths (or the chord's altered fifth);
 * roots and octaves; or walking, where a bar's root is followed by chord tones and
 * its last step is a scale tone next to the coming bar's root, leading into it.
 */
export function bass(params: Params<'bass'>, context: Context, random: Random): TrackNote[] {
  const perBar = stepGrid(params.rate, context.barTicks).length;
  const notes: TrackNote[] = [];
  for (const at of positions(params.rate, context)) {
    const chord = chordAt(context, at.bar);
    const root = rootPitch(context, chord, params.octave);
    let pitch = root;
    if (params.pattern === 'roots and fifths' && at.step % 2 === 1) pitch = root + (chord.intervals.find((i) => i >= 6 && i <= 8) ?? 7);
    else if (params.pattern === 'octaves' && at.step % 2 === 1) pitch = root + 12;
    else if (params.pattern === 'walking' && at.step > 0) {
      if (at.step === perBar - 1) {
        // A step above or below the pitch the next bar's root will sound at, so the line leads into it.
        const next = rootPitch(context, chordAt(context, at.bar + 1), params.octave);
        pitch = scaleNeighbour(context, next, random.chance(0.5) ? 1 : -1);
      } else {
        pitch = random.pick([...chord.intervals.filter((i) => i > 0 && i < 12).map((i) => root + i), root + 12]);
      }
    }
    notes.push({ tick: at.tick, duration: at.duration, pitch, velocity: accent(at.inBar) });
  }
  return notes;
}

/** The bar's chord voiced with the least movement from the last, sounded on every step. */
export function chords(params: Params<'chords'>, context: Context): TrackNote[] {
  const notes: TrackNote[] = [];
  let voicing: number[] | null = null;
  for (const at of positions(params.rate, context)) {
    if (at.step === 0) voicing = voiceLead(voicing, chordAt(context, at.bar), params.voices, params.octave, context.tonic);
    for (const pitch of voicing ?? []) notes.push({ tick: at.tick, duration: at.duration, pitch, velocity: accent(at.inBar) - 15 });
  }
  return notes;
}

/** General MIDI percussion keys (channel 10). */
export const DRUM_KEYS: Record<Drum, number> = {
  kick: 36,
  rim: 37,
  snare: 38,
  clap: 39,
  'closed hat': 42,
  'low tom': 45,
  'open hat': 46,
  crash: 49,
  'high tom': 50,
  ride: 51,
};

/** Each lane an Euclidean rhythm on one drum, its steps running on across bar lines; two lanes on one drum hit once, the louder. */
export function drums(params: Params<'drums'>, context: Context): TrackNote[] {
  const lanes = params.lanes.map((lane) => ({ ...lane, pattern: euclid(lane.pulses, lane.steps, lane.rotation) }));
  const notes: TrackNote[] = [];
  for (const at of positions(params.rate, context)) {
    const hits = new Map<Drum, number>();
    for (const lane of lanes) if (lane.pattern[at.index % lane.pattern.length]) hits.set(lane.drum, Math.max(hits.get(lane.drum) ?? 0, lane.velocity));
    for (const [drum, velocity] of hits) notes.push({ tick: at.tick, duration: at.duration, pitch: DRUM_KEYS[drum], velocity, drum });
  }
  return notes;
}

/** Runs the track's generator. */
export function generate(generator: Generator, context: Context, random: Random): TrackNote[] {
  switch (generator.type) {
    case 'markov':
      return markov(generator, context, random);
    case 'walk':
      return walk(generator, context, random);
    case 'euclid':
      return euclidNotes(generator, context);
    case 'lsystem':
      return lsystem(generator, context);
    case 'automaton':
      return automaton(generator, context, random);
    case 'arpeggio':
      return arpeggio(generator, context, random);
    case 'bass':
      return bass(generator, context, random);
    case 'chords':
      return chords(generator, context);
    case 'drums':
      return drums(generator, context);
  }
}

/** The most notes the generator can start on one step (what scoreSize() multiplies by). */
export function maxNotesPerStep(generator: Generator): number {
  switch (generator.type) {
    case 'automaton':
    case 'chords':
      return generator.voices;
    case 'drums':
      return new Set(generator.lanes.filter((lane) => lane.pulses > 0).map((lane) => lane.drum)).size;
    case 'euclid':
      return generator.pulses > 0 ? 1 : 0;
    default:
      return 1;
  }
}
