/**
 * Music theory for Melos: scales, roman-numeral chords, Euclidean rhythms and voice
 * leading, as small tables and pure functions.
 *
 * Conventions:
 * - Pitches are MIDI note numbers with C4 = 60, so octave `o` starts at 12 × (o + 1).
 * - A pitch class is 0–11 from C; chords and scales are intervals in semitones.
 * - Roman numerals count on the key's *major* scale whatever the recipe's scale is
 *   (I = the tonic, ii = 2 semitones up, iii = 4, IV = 5, V = 7, vi = 9, vii = 11),
 *   as in common harmonic analysis; b and # lower and raise that degree. So in A minor
 *   the relative-major chords are bIII, bVI and bVII, and `i iv v` is all minor.
 *
 * Pure and imports nothing: recipe.ts imports `parseProgression` to validate.
 */

/** Each scale's steps above its tonic, ascending. */
export const SCALE_INTERVALS = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  locrian: [0, 1, 3, 5, 6, 8, 10],
  'major pentatonic': [0, 2, 4, 7, 9],
  'minor pentatonic': [0, 3, 5, 7, 10],
  blues: [0, 3, 5, 6, 7, 10],
  'harmonic minor': [0, 2, 3, 5, 7, 8, 11],
  /** The ascending (jazz) melodic minor, the same both ways. */
  'melodic minor': [0, 2, 3, 5, 7, 9, 11],
  'whole tone': [0, 2, 4, 6, 8, 10],
} as const satisfies Record<string, readonly number[]>;
type Scale = keyof typeof SCALE_INTERVALS;

/** Note names (both spellings of each black key) → pitch class. */
export const PITCH_CLASSES = { C: 0, 'C#': 1, Db: 1, D: 2, Eb: 3, E: 4, F: 5, 'F#': 6, Gb: 6, G: 7, Ab: 8, A: 9, Bb: 10, B: 11 } as const;
type NoteName = keyof typeof PITCH_CLASSES;

/** The scale's pitch classes, tonic first: `scalePitches('G', 'major')` = [7, 9, 11, 0, 2, 4, 6]. */
export function scalePitches(key: NoteName, scale: Scale): number[] {
  return SCALE_INTERVALS[scale].map((step) => (PITCH_CLASSES[key] + step) % 12);
}

/**
 * The MIDI pitch of a scale degree counted from 0 (the tonic in `octave`). Degrees
 * past the scale's length climb into the next octaves, negative ones go down:
 * in C major, degree 7 is C5 and degree −1 is B3 (octave 4).
 */
export function degreePitch(tonic: number, intervals: readonly number[], octave: number, degree: number): number {
  const size = intervals.length;
  const octaves = Math.floor(degree / size);
  return 12 * (octave + 1) + tonic + intervals[degree - octaves * size]! + 12 * octaves;
}

/** Whether the scale's third is minor (for the MIDI key signature and the default chord). */
export function isMinorScale(scale: Scale): boolean {
  const steps: readonly number[] = SCALE_INTERVALS[scale];
  return steps.includes(3) && !steps.includes(4);
}

export type Chord = {
  /** The numeral as written, tidied: `bVII`, `vii°`, `V7`, `Imaj7`. */
  symbol: string;
  /** Semitones from the key's tonic up to the chord's root, 0–11. */
  root: number;
  /** Semitones above the root in stacking order, root first: [0, 4, 7] is a major triad, [0, 4, 7, 10, 14] a dominant ninth. */
  intervals: number[];
};

export type ProgressionResult = { ok: true; chords: Chord[] } | { ok: false; message: string };

/** The most chords a progression may hold (one a bar, cycled). */
export const MAX_CHORDS = 64;

/** Semitones above the tonic of each major-scale degree, I … VII. */
const MAJOR_DEGREES = [0, 2, 4, 5, 7, 9, 11] as const;
const NUMERALS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'] as const;

type Quality = 'major' | 'minor' | 'diminished' | 'half-diminished' | 'augmented';
const TRIADS: Record<Quality, number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  diminished: [0, 3, 6],
  'half-diminished': [0, 3, 6],
  augmented: [0, 4, 8],
};
/** The seventh a plain `7` adds: dominant on major, minor on minor, diminished on °. */
const SEVENTHS: Record<Quality, number> = { major: 10, minor: 10, diminished: 9, 'half-diminished': 10, augmented: 10 };
const QUALITY_MARKS: Record<string, Quality> = {
  '°': 'diminished',
  o: 'diminished',
  dim: 'diminished',
  ø: 'half-diminished',
  '+': 'augmented',
  aug: 'augmented',
};
const SHOWN_MARKS: Partial<Record<Quality, string>> = { diminished: '°', 'half-diminished': 'ø', augmented: '+' };

const TOKEN = /^([b#♭♯]?)([ivxIVX]+)(.*)$/u;
const SUFFIX = /^(°|o|dim|ø|\+|aug)?(7|maj7|M7|m7|6|9|sus2|sus4|7sus4)?$/u;
const SUFFIX_HELP =
  'after the numeral write nothing or one of 7, maj7, 6, 9, sus2, sus4, 7sus4, with °, ø or + before a 7 for diminished, half-diminished or augmented';

/** One token → a chord, or what is wrong with it. */
function parseChord(token: string): Chord | string {
  const parts = TOKEN.exec(token);
  if (!parts) return `“${token}” is not a chord: start it with a numeral I–VII (lower case for minor), e.g. I, vi, bVII, V7.`;
  const [, accidental = '', numeral = '', suffix = ''] = parts;
  const degree = NUMERALS.indexOf(numeral.toUpperCase() as (typeof NUMERALS)[number]);
  if (degree < 0) return `“${numeral}” is not a degree; use I–VII.`;
  const upper = numeral === numeral.toUpperCase();
  if (!upper && numeral !== numeral.toLowerCase()) return `“${token}” is not a chord: write the numeral all upper case (major) or all lower case (minor).`;

  const marks = SUFFIX.exec(suffix);
  if (!marks) return `“${token}” is not a chord: ${SUFFIX_HELP}.`;
  const [, mark, extension = ''] = marks;
  const quality: Quality = mark ? QUALITY_MARKS[mark]! : upper ? 'major' : 'minor';
  if (mark && extension !== '' && extension !== '7')
    return `“${token}” is not a chord: ${quality === 'augmented' ? 'an' : 'a'} ${quality} chord takes only a 7 after its mark.`;
  if (extension === 'm7' && upper) return `“${token}” is not a chord: write minor chords in lower case, e.g. ${numeral.toLowerCase()}7.`;

  const shift = accidental === 'b' || accidental === '♭' ? -1 : accidental === '#' || accidental === '♯' ? 1 : 0;
  const third = TRIADS[quality];
  const intervals: Record<string, number[]> = {
    '': quality === 'half-diminished' ? [...third, 10] : [...third],
    '7': [...third, SEVENTHS[quality]],
    m7: [...third, SEVENTHS[quality]],
    maj7: [...third, 11],
    M7: [...third, 11],
    '6': [...third, 9],
    '9': [...third, SEVENTHS[quality], 14],
    sus2: [0, 2, 7],
    sus4: [0, 5, 7],
    '7sus4': [0, 5, 7, 10],
  };
  const shownExtension = extension === 'M7' ? 'maj7' : extension === 'm7' ? '7' : extension;
  return {
    symbol: `${shift < 0 ? 'b' : shift > 0 ? '#' : ''}${numeral}${SHOWN_MARKS[quality] ?? ''}${shownExtension}`,
    root: (MAJOR_DEGREES[degree]! + shift + 12) % 12,
    intervals: intervals[extension]!,
  };
}

/** The scale's own tonic triad (i in minor modes, i° in locrian, I+ in whole tone): what an empty progression plays. */
export function tonicTriad(scale: Scale): Chord {
  const steps: readonly number[] = SCALE_INTERVALS[scale];
  const third = isMinorScale(scale) ? 3 : 4;
  const fifth = steps.includes(7) ? 7 : steps.includes(6) && third === 3 ? 6 : 8;
  const quality = fifth === 6 ? '°' : fifth === 8 ? '+' : '';
  return { symbol: `${third === 3 ? 'i' : 'I'}${quality}`, root: 0, intervals: [0, third, fifth] };
}

/**
 * Reads a progression: roman numerals separated by spaces, `-` or `|` (bar lines may
 * lead, trail or double). Upper case is major, lower case minor; °/o/dim diminished,
 * ø half-diminished, +/aug augmented; then 7, maj7, 6, 9, sus2, sus4 or 7sus4; a
 * leading b or # borrows a flattened or sharpened degree (bVII). An empty progression
 * is the scale's tonic triad.
 */
export function parseProgression(text: string, scale: Scale = 'major'): ProgressionResult {
  const tokens = text.split(/[\s|-]+/u).filter((token) => token !== '');
  if (tokens.length === 0) return { ok: true, chords: [tonicTriad(scale)] };
  if (tokens.length > MAX_CHORDS) return { ok: false, message: `A progression has at most ${MAX_CHORDS} chords; this one has ${tokens.length}.` };
  const chords: Chord[] = [];
  for (const token of tokens) {
    const chord = parseChord(token);
    if (typeof chord === 'string') return { ok: false, message: chord };
    chords.push(chord);
  }
  return { ok: true, chords };
}

/**
 * Bjorklund's algorithm: `pulses` onsets spread as evenly as possible over `steps`,
 * grouped as Toussaint describes and as Tidal and Strudel compute it, so E(3,8) =
 * x..x..x., E(5,8) = x.xx.xx., E(7,16) = x..x.x.x..x.x.x. and E(2,5) = x.x..
 * (where pulses are more than half the steps some published tables list another
 * rotation: this gives E(3,4) = xxx.). `rotation` turns the pattern left, as Tidal's
 * `bd(3,8,1)` does: it starts `rotation` steps later in the cycle, so E(3,8) rotated
 * by 1 is ..x..x.x. Pulses clamp to 0…steps.
 */
export function euclid(pulses: number, steps: number, rotation = 0): boolean[] {
  if (steps <= 0) return [];
  const hits = Math.max(0, Math.min(pulses, steps));
  // Pair the remainder groups onto the leading groups until at most one remains.
  let groups: boolean[][] = Array.from({ length: hits }, () => [true]);
  let remainder: boolean[][] = Array.from({ length: steps - hits }, () => [false]);
  while (remainder.length > 1 && groups.length > 0) {
    const paired = Math.min(groups.length, remainder.length);
    const next = groups.slice(0, paired).map((group, i) => [...group, ...remainder[i]!]);
    remainder = groups.length > paired ? groups.slice(paired) : remainder.slice(paired);
    groups = next;
  }
  const pattern = [...groups, ...remainder].flat();
  const turn = ((rotation % steps) + steps) % steps;
  return pattern.map((_, i) => pattern[(i + turn) % steps]!);
}

/** Voicings stay within an octave below and two above the `octave`'s C (octave 4: C3–C6). */
export function voicingRange(octave: number): { low: number; high: number } {
  const c = 12 * (octave + 1);
  return { low: c - 12, high: c + 24 };
}

/** Which chord tones to keep first when voices are fewer than tones: root, third, seventh, ninth, then fifth. */
const KEEP_ORDER = [0, 1, 3, 4, 2] as const;
/** Which to double when voices are more: the root, then the fifth. */
const DOUBLE_ORDER = [0, 2] as const;

/**
 * The intervals above the root a `voices`-note voicing sounds, low to high in close
 * position: the kept tones, then doublings an octave up. A triad in four voices
 * doubles its root; a ninth chord in three keeps root, third and seventh.
 */
function voicedIntervals(chord: Chord, voices: number): number[] {
  // Intervals are in stacking order, so sorting the indices sorts the tones.
  const kept = KEEP_ORDER.filter((i) => i < chord.intervals.length)
    .slice(0, voices)
    .sort((a, b) => a - b)
    .map((i) => chord.intervals[i]!);
  for (let d = 0; kept.length < voices; d++) kept.push(chord.intervals[DOUBLE_ORDER[d % DOUBLE_ORDER.length]!]! + 12);
  return kept;
}

/** The pitch classes a `voices`-note voicing of `chord` sounds in a key on `tonic`, repeated where a tone is doubled. */
export function chordTones(chord: Chord, voices: number, tonic: number): number[] {
  return voicedIntervals(chord, voices).map((interval) => (tonic + chord.root + interval) % 12);
}

/** Total semitones the voices move: sorted voice to sorted voice (the cheapest pairing on a line), or nearest note when the counts differ. */
export function movement(previous: readonly number[], next: readonly number[]): number {
  return sortedMovement(
    [...previous].sort((x, y) => x - y),
    [...next].sort((x, y) => x - y),
  );
}

/** movement() of two voicings already sorted low to high (voiceLead's inner loop, so it sorts nothing). */
function sortedMovement(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  if (a.length === b.length) {
    for (let i = 0; i < b.length; i++) sum += Math.abs(b[i]! - a[i]!);
    return sum;
  }
  for (const pitch of b) sum += Math.min(...a.map((p) => Math.abs(pitch - p)));
  return sum;
}

/** Every voicing of `tones` (pitch classes, repeats meaning doubled) on distinct pitches within `low`–`high`, each sorted. */
function voicings(tones: readonly number[], low: number, high: number): number[][] {
  const counts = new Map<number, number>();
  for (const pc of tones) counts.set(pc, (counts.get(pc) ?? 0) + 1);
  const groups = [...counts].map(([pc, count]) => {
    const places: number[] = [];
    for (let p = low + ((pc - low + 1200) % 12); p <= high; p += 12) places.push(p);
    return { places, count };
  });
  const results: number[][] = [];
  const chosen: number[] = [];
  const place = (group: number, from: number, left: number): void => {
    if (group === groups.length) {
      results.push([...chosen].sort((x, y) => x - y));
      return;
    }
    if (left === 0) {
      place(group + 1, 0, groups[group + 1]?.count ?? 0);
      return;
    }
    const { places } = groups[group]!;
    // A doubled tone takes distinct octaves, chosen in ascending order so no voicing repeats.
    for (let i = from; i <= places.length - left; i++) {
      chosen.push(places[i]!);
      place(group, i + 1, left - 1);
      chosen.pop();
    }
  };
  place(0, 0, groups[0]?.count ?? 0);
  return results;
}

/**
 * A voicing of `chord` in `voices` notes (3–5), sorted low to high, in a key on
 * `tonic` (pitch class). The first chord (`previous` null) sits in close root
 * position near the `octave`'s C; each next one is the voicing within
 * `voicingRange(octave)` that moves the voices least in total from `previous`
 * (ties: the closer voicing, then the one nearer the range's middle), which keeps
 * common tones and moves the rest by step.
 */
export function voiceLead(previous: readonly number[] | null, chord: Chord, voices: number, octave: number, tonic: number): number[] {
  if (previous === null || previous.length === 0) {
    // Close root position, the root as near the octave's C as it can be (a tritone either way).
    const root = 12 * (octave + 1) + ((tonic + chord.root + 6) % 12) - 6;
    return voicedIntervals(chord, voices).map((interval) => root + interval);
  }
  const tones = chordTones(chord, voices, tonic);
  const { low, high } = voicingRange(octave);
  const middle = (low + high) / 2;
  const from = [...previous].sort((a, b) => a - b);
  let best: number[] = [];
  let [bestMove, bestSpan, bestCentre] = [Number.POSITIVE_INFINITY, 0, 0];
  for (const candidate of voicings(tones, low, high)) {
    const move = sortedMovement(from, candidate);
    if (move > bestMove) continue;
    const span = candidate[candidate.length - 1]! - candidate[0]!;
    const centre = Math.abs(candidate.reduce((sum, p) => sum + p, 0) / candidate.length - middle);
    if (move < bestMove || span < bestSpan || (span === bestSpan && centre < bestCentre)) {
      best = candidate;
      [bestMove, bestSpan, bestCentre] = [move, span, centre];
    }
  }
  return best;
}
