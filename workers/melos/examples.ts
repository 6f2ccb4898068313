/**
 * What a new track and each generator start with, and the built-in example recipes
 * a newcomer starts from. Every example is a valid recipe (a test parses each one).
 */
import type { Generator, GeneratorType, Recipe, Role, Track } from './engine/recipe';

export const DEFAULT_GENERATORS: { [T in GeneratorType]: Extract<Generator, { type: T }> } = {
  markov: { type: 'markov', rate: '8', octave: 5, contour: 0, density: 0.8 },
  walk: { type: 'walk', rate: '8', octave: 5, maxStep: 2, density: 0.85 },
  euclid: { type: 'euclid', rate: '16', octave: 4, pulses: 5, steps: 16, rotation: 0, degree: 1 },
  lsystem: { type: 'lsystem', rate: '16', octave: 5, axiom: 'F', rule: 'F+F-F', iterations: 3 },
  automaton: { type: 'automaton', rate: '8', octave: 4, rule: 30, width: 8, voices: 2 },
  arpeggio: { type: 'arpeggio', rate: '16', octave: 4, pattern: 'up', octaves: 2 },
  bass: { type: 'bass', rate: '4', octave: 2, pattern: 'roots and fifths' },
  chords: { type: 'chords', rate: '2', octave: 4, voices: 4 },
  drums: {
    type: 'drums',
    rate: '16',
    lanes: [
      { drum: 'kick', pulses: 4, steps: 16, rotation: 0, velocity: 95 },
      { drum: 'snare', pulses: 2, steps: 16, rotation: 4, velocity: 85 },
      { drum: 'closed hat', pulses: 8, steps: 16, rotation: 0, velocity: 60 },
    ],
  },
};

/** What a track of each role starts as: its generator and a General MIDI program that suits it. */
const ROLE_DEFAULTS: Record<Role, { generator: GeneratorType; program: number; volume: number }> = {
  melody: { generator: 'markov', program: 0, volume: 80 },
  bass: { generator: 'bass', program: 33, volume: 85 },
  chords: { generator: 'chords', program: 48, volume: 60 },
  arpeggio: { generator: 'arpeggio', program: 11, volume: 65 },
  drums: { generator: 'drums', program: 0, volume: 85 },
};

export const defaultGeneratorFor = (role: Role): GeneratorType => ROLE_DEFAULTS[role].generator;
export const defaultProgramFor = (role: Role): number => ROLE_DEFAULTS[role].program;

export function newTrack(role: Role, name: string): Track {
  const d = ROLE_DEFAULTS[role];
  return { name, role, program: d.program, volume: d.volume, pan: 0, generator: structuredClone(DEFAULT_GENERATORS[d.generator]) };
}

export type Example = { slug: string; blurb: string; recipe: Recipe };

export const EXAMPLES: readonly Example[] = [
  {
    slug: 'morning-in-c',
    blurb: 'A Markov melody on piano over I–vi–IV–V, strings, bass and a four-on-the-floor kit.',
    recipe: {
      title: 'Morning in C',
      seed: 20_261_130,
      tempo: 96,
      meter: '4/4',
      key: 'C',
      scale: 'major',
      bars: 16,
      progression: 'I vi IV V',
      swing: 0,
      humanize: { timing: 8, velocity: 8 },
      tracks: [
        { name: 'Piano', role: 'melody', program: 0, volume: 80, pan: -10, generator: { type: 'markov', rate: '8', octave: 5, contour: 0.2, density: 0.75 } },
        { name: 'Strings', role: 'chords', program: 48, volume: 55, pan: 15, generator: { type: 'chords', rate: '1', octave: 4, voices: 4 } },
        { name: 'Bass', role: 'bass', program: 33, volume: 80, pan: 0, generator: { type: 'bass', rate: '4', octave: 2, pattern: 'roots and fifths' } },
        { name: 'Drums', role: 'drums', program: 0, volume: 80, pan: 0, generator: structuredClone(DEFAULT_GENERATORS.drums) },
      ],
    },
  },
  {
    slug: 'rule-30-bells',
    blurb: 'WolframTones-style: cellular automaton rule 30 rings tubular bells in D dorian, over a walking bass.',
    recipe: {
      title: 'Rule 30 bells',
      seed: 30,
      tempo: 112,
      meter: '4/4',
      key: 'D',
      scale: 'dorian',
      bars: 24,
      progression: 'i IV i VII',
      swing: 0,
      humanize: { timing: 0, velocity: 10 },
      tracks: [
        {
          name: 'Bells',
          role: 'melody',
          program: 14,
          volume: 70,
          pan: 20,
          generator: { type: 'automaton', rate: '8', octave: 5, rule: 30, width: 12, voices: 2 },
        },
        { name: 'Bass', role: 'bass', program: 32, volume: 75, pan: -10, generator: { type: 'bass', rate: '4', octave: 2, pattern: 'walking' } },
        {
          name: 'Kit',
          role: 'drums',
          program: 0,
          volume: 70,
          pan: 0,
          generator: {
            type: 'drums',
            rate: '8',
            lanes: [
              { drum: 'kick', pulses: 3, steps: 8, rotation: 0, velocity: 90 },
              { drum: 'rim', pulses: 5, steps: 8, rotation: 2, velocity: 55 },
              { drum: 'ride', pulses: 8, steps: 8, rotation: 0, velocity: 45 },
            ],
          },
        },
      ],
    },
  },
  {
    slug: 'euclid-groove',
    blurb: 'Swung Euclidean rhythms in A minor pentatonic: E(3,8), E(5,8) and E(7,16), an arpeggio and a walk.',
    recipe: {
      title: 'Euclid groove',
      seed: 716,
      tempo: 104,
      meter: '4/4',
      key: 'A',
      scale: 'minor pentatonic',
      bars: 16,
      progression: 'i iv v i',
      swing: 40,
      humanize: { timing: 6, velocity: 12 },
      tracks: [
        {
          name: 'Pluck',
          role: 'arpeggio',
          program: 24,
          volume: 60,
          pan: -25,
          generator: { type: 'arpeggio', rate: '16', octave: 4, pattern: 'up-down', octaves: 2 },
        },
        { name: 'Lead', role: 'melody', program: 81, volume: 55, pan: 25, generator: { type: 'walk', rate: '8', octave: 5, maxStep: 2, density: 0.6 } },
        {
          name: 'Bass',
          role: 'bass',
          program: 38,
          volume: 80,
          pan: 0,
          generator: { type: 'euclid', rate: '16', octave: 2, pulses: 7, steps: 16, rotation: 0, degree: 1 },
        },
        {
          name: 'Drums',
          role: 'drums',
          program: 0,
          volume: 85,
          pan: 0,
          generator: {
            type: 'drums',
            rate: '16',
            lanes: [
              { drum: 'kick', pulses: 3, steps: 8, rotation: 0, velocity: 95 },
              { drum: 'clap', pulses: 2, steps: 16, rotation: 4, velocity: 80 },
              { drum: 'closed hat', pulses: 5, steps: 8, rotation: 0, velocity: 55 },
              { drum: 'open hat', pulses: 1, steps: 16, rotation: 14, velocity: 50 },
            ],
          },
        },
      ],
    },
  },
  {
    slug: 'lsystem-lullaby',
    blurb: 'A motif grown by an L-system, in 3/4 and F lydian, with voice-led chords on electric piano.',
    recipe: {
      title: 'L-system lullaby',
      seed: 1968,
      tempo: 76,
      meter: '3/4',
      key: 'F',
      scale: 'lydian',
      bars: 16,
      progression: 'I II vii IV',
      swing: 0,
      humanize: { timing: 12, velocity: 10 },
      tracks: [
        {
          name: 'Celesta',
          role: 'melody',
          program: 8,
          volume: 70,
          pan: 10,
          generator: { type: 'lsystem', rate: '8', octave: 5, axiom: 'F', rule: 'F[+F]-F', iterations: 4 },
        },
        { name: 'Keys', role: 'chords', program: 4, volume: 55, pan: -10, generator: { type: 'chords', rate: '2', octave: 4, voices: 4 } },
        { name: 'Bass', role: 'bass', program: 32, volume: 65, pan: 0, generator: { type: 'bass', rate: '2', octave: 2, pattern: 'roots' } },
      ],
    },
  },
];

export const exampleBySlug = (slug: string): Example | undefined => EXAMPLES.find((e) => e.slug === slug);
