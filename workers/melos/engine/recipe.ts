/**
 * A Melos recipe: everything that decides a piece, validated by one zod schema
 * (it is also the API's body and what the editor's form becomes). The same recipe
 * always gives the same score and the same bytes.
 *
 * Pure: zod and the engine only (no Workers, no Hono).
 */
import * as z from 'zod';
import { displayText } from '../../../shared/text';
import { parseProgression } from './theory';

export const KEYS = ['C', 'C#', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
export type Key = (typeof KEYS)[number];

export const SCALES = [
  'major',
  'minor',
  'dorian',
  'phrygian',
  'lydian',
  'mixolydian',
  'locrian',
  'major pentatonic',
  'minor pentatonic',
  'blues',
  'harmonic minor',
  'melodic minor',
  'whole tone',
] as const;
export type ScaleName = (typeof SCALES)[number];

/** Time signatures offered: beats per bar / the note that gets the beat. Tempo counts quarter notes. */
export const METERS = ['2/4', '3/4', '4/4', '5/4', '6/8', '7/8', '9/8', '12/8'] as const;
export type Meter = (typeof METERS)[number];

export const ROLES = ['melody', 'bass', 'chords', 'arpeggio', 'drums'] as const;
export type Role = (typeof ROLES)[number];

/** Note values a generator may step by: whole … sixteenth, and triplet eighths. */
export const RATES = ['1', '2', '4', '8', '8t', '16'] as const;
export type Rate = (typeof RATES)[number];

export const DRUMS = ['kick', 'snare', 'clap', 'closed hat', 'open hat', 'low tom', 'high tom', 'rim', 'crash', 'ride'] as const;
export type Drum = (typeof DRUMS)[number];

export const ARP_PATTERNS = ['up', 'down', 'up-down', 'random'] as const;
export const BASS_PATTERNS = ['roots', 'roots and fifths', 'octaves', 'walking'] as const;

/** What each generator makes, in one line (the editor shows it). */
export const GENERATORS = {
  markov: 'A Markov melody over the scale’s degrees, leaning up or down as the contour says',
  walk: 'A random walk over the scale, with the largest step you allow',
  euclid: 'One note on an Euclidean rhythm E(pulses, steps, rotation)',
  lsystem: 'A motif grown by an L-system: F plays, + and - step, [ ] remember and return',
  automaton: 'A 1-D cellular automaton: each generation’s live cells are scale notes (WolframTones)',
  arpeggio: 'The current chord, one note at a time',
  bass: 'Chord roots and fifths, an octave below',
  chords: 'The progression’s chords, voiced with the smallest movement between them',
  drums: 'A drum kit: each lane an Euclidean rhythm on one drum',
} as const;
export type GeneratorType = keyof typeof GENERATORS;

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what} must be a number.` })
    .int(`${what} must be a whole number.`)
    .min(min, `${what} must be at least ${min}.`)
    .max(max, `${what} must be at most ${max}.`);

const num = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what} must be a number.` })
    .min(min, `${what} must be at least ${min}.`)
    .max(max, `${what} must be at most ${max}.`);

const rate = z.enum(RATES, { error: `Choose a note value: ${RATES.join(', ')}.` });
const octave = int(1, 7, 'The octave');

/** Generators and their parameters, told apart by `type`. */
export const Generator = z.discriminatedUnion(
  'type',
  [
    z
      .object({
        type: z.literal('markov'),
        rate,
        octave,
        /** −1 falls, 0 wanders, +1 climbs. */
        contour: num(-1, 1, 'The contour'),
        /** Chance a step sounds (the rest are rests), 0–1. */
        density: num(0, 1, 'The density'),
      })
      .strict(),
    z.object({ type: z.literal('walk'), rate, octave, maxStep: int(1, 7, 'The largest step'), density: num(0, 1, 'The density') }).strict(),
    z
      .object({
        type: z.literal('euclid'),
        rate,
        octave,
        pulses: int(0, 32, 'Pulses'),
        steps: int(1, 32, 'Steps'),
        rotation: int(0, 31, 'The rotation'),
        /** The scale degree every hit plays, 1 = the tonic. */
        degree: int(1, 7, 'The degree'),
      })
      .strict(),
    z
      .object({
        type: z.literal('lsystem'),
        rate,
        octave,
        axiom: z
          .string({ error: 'The axiom must be text: F, f, +, -, [ and ].' })
          .regex(/^[Ff+\-[\]]{1,16}$/, 'The axiom uses F, f (rest), +, -, [ and ], at most 16 of them.'),
        /** Replacement for F; the other symbols stay. */
        rule: z
          .string({ error: 'The rule must be text: F, f, +, -, [ and ].' })
          .regex(/^[Ff+\-[\]]{1,24}$/, 'The rule uses F, f (rest), +, -, [ and ], at most 24 of them.'),
        iterations: int(1, 6, 'Iterations'),
      })
      .strict(),
    z
      .object({
        type: z.literal('automaton'),
        rate,
        octave,
        /** Wolfram's elementary rule number. */
        rule: int(0, 255, 'The rule'),
        /** Cells in a generation; each is one scale step, the lowest at the left. */
        width: int(3, 16, 'The width'),
        /** Most notes sounding at once (the lowest live cells win). */
        voices: int(1, 4, 'Voices'),
      })
      .strict(),
    z.object({ type: z.literal('arpeggio'), rate, octave, pattern: z.enum(ARP_PATTERNS), octaves: int(1, 3, 'Octaves') }).strict(),
    z.object({ type: z.literal('bass'), rate, octave, pattern: z.enum(BASS_PATTERNS) }).strict(),
    z
      .object({
        type: z.literal('chords'),
        rate,
        octave,
        /** 3 = triads, 4 = sevenths where the numeral asks and added tones otherwise. */
        voices: int(3, 5, 'Voices'),
      })
      .strict(),
    z
      .object({
        type: z.literal('drums'),
        rate,
        lanes: z
          .array(
            z
              .object({
                drum: z.enum(DRUMS),
                pulses: int(0, 32, 'Pulses'),
                steps: int(1, 32, 'Steps'),
                rotation: int(0, 31, 'The rotation'),
                velocity: int(1, 100, 'The velocity'),
              })
              .strict(),
          )
          .min(1, 'A drum track needs a lane.')
          .max(8, 'A drum track has at most 8 lanes.'),
      })
      .strict(),
  ],
  { error: `Choose a generator: ${Object.keys(GENERATORS).join(', ')}.` },
);
export type Generator = z.infer<typeof Generator>;

export const Track = z
  .object({
    name: displayText(40, 'The track name').min(1, 'Name the track.'),
    role: z.enum(ROLES, { error: `Choose a role: ${ROLES.join(', ')}.` }),
    /** General MIDI program 0–127 (ignored for drums, which play channel 10's kit). */
    program: int(0, 127, 'The program'),
    volume: int(0, 100, 'The volume'),
    /** −100 hard left … +100 hard right. */
    pan: int(-100, 100, 'The pan'),
    generator: Generator,
  })
  .strict()
  .refine((t) => (t.role === 'drums') === (t.generator.type === 'drums'), {
    message: 'A drums track uses the drums generator, and only a drums track does.',
    path: ['generator', 'type'],
  });
export type Track = z.infer<typeof Track>;

export const Recipe = z
  .object({
    title: displayText(80, 'The title').min(1, 'Give the piece a title.'),
    /** 32-bit unsigned: the same seed, the same piece. */
    seed: int(0, 4_294_967_295, 'The seed'),
    /** Quarter notes a minute. */
    tempo: int(30, 300, 'The tempo'),
    meter: z.enum(METERS, { error: `Choose a time signature: ${METERS.join(', ')}.` }),
    key: z.enum(KEYS, { error: `Choose a key: ${KEYS.join(', ')}.` }),
    scale: z.enum(SCALES, { error: `Choose a scale: ${SCALES.join(', ')}.` }),
    bars: int(1, 512, 'The length in bars'),
    /** Roman numerals, one chord a bar, cycled: `I vi IV V`, `ii7 V7 Imaj7`. */
    progression: z
      .string({ error: 'The progression must be text (roman numerals), or empty.' })
      .trim()
      .max(200, 'Keep the progression to 200 characters.')
      .superRefine((text, ctx) => {
        const parsed = parseProgression(text);
        if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
      }),
    /** Delay of every second eighth, as % of an eighth: 0 straight … 75 hard swing. */
    swing: int(0, 75, 'Swing'),
    humanize: z
      .object({
        /** Largest timing nudge, in ms either way. */
        timing: int(0, 40, 'Timing jitter'),
        /** Largest velocity change, either way (velocities are 1–100). */
        velocity: int(0, 30, 'Velocity jitter'),
      })
      .strict(),
    tracks: z.array(Track).min(1, 'A recipe needs a track.').max(16, 'A recipe has at most 16 tracks.'),
  })
  .strict();
export type Recipe = z.infer<typeof Recipe>;
