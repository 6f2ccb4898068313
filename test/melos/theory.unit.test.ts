import { describe, expect, it } from 'vitest';
import { KEYS, SCALES } from '../../workers/melos/engine/recipe';
import {
  type Chord,
  chordTones,
  degreePitch,
  euclid,
  isMinorScale,
  MAX_CHORDS,
  movement,
  PITCH_CLASSES,
  parseProgression,
  SCALE_INTERVALS,
  scalePitches,
  voiceLead,
  voicingRange,
} from '../../workers/melos/engine/theory';

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
/** A chord's notes in C as names, root first: ['A', 'C', 'E']. */
const spell = (chord: Chord, tonic = 0) => chord.intervals.map((i) => NAMES[(tonic + chord.root + i) % 12]);

function chordsOf(text: string): Chord[] {
  const parsed = parseProgression(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.chords;
}

const errorOf = (text: string) => {
  const parsed = parseProgression(text);
  return parsed.ok ? null : parsed.message;
};

describe('scales', () => {
  it('has the interval table of every scale a recipe may name', () => {
    const expected: Record<(typeof SCALES)[number], number[]> = {
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
      'melodic minor': [0, 2, 3, 5, 7, 9, 11],
      'whole tone': [0, 2, 4, 6, 8, 10],
    };
    for (const scale of SCALES) expect([...SCALE_INTERVALS[scale]], scale).toEqual(expected[scale]);
    expect(Object.keys(SCALE_INTERVALS).sort()).toEqual([...SCALES].sort());
  });

  it('knows every key a recipe may name, both spellings of a black key alike', () => {
    for (const key of KEYS) expect(PITCH_CLASSES[key], key).toBeTypeOf('number');
    expect(PITCH_CLASSES['C#']).toBe(PITCH_CLASSES.Db);
    expect(PITCH_CLASSES.Bb).toBe(10);
  });

  it('lists a scale’s pitch classes from its tonic', () => {
    const rows: Array<[(typeof KEYS)[number], (typeof SCALES)[number], number[]]> = [
      ['C', 'major', [0, 2, 4, 5, 7, 9, 11]],
      ['G', 'major', [7, 9, 11, 0, 2, 4, 6]],
      ['A', 'minor', [9, 11, 0, 2, 4, 5, 7]],
      ['Eb', 'minor pentatonic', [3, 6, 8, 10, 1]],
      ['F#', 'whole tone', [6, 8, 10, 0, 2, 4]],
    ];
    for (const [key, scale, pitches] of rows) expect(scalePitches(key, scale), `${key} ${scale}`).toEqual(pitches);
  });

  it('places degrees in octaves, wrapping past the top and below the tonic', () => {
    const major = SCALE_INTERVALS.major;
    const rows: Array<[number, number, number, number, string]> = [
      [0, 4, 0, 60, 'C4 is the tonic in octave 4'],
      [0, 4, 4, 67, 'the fifth degree (0-based 4) is G4'],
      [0, 4, 7, 72, 'degree 7 wraps to C5'],
      [0, 4, 9, 76, 'degree 9 is E5'],
      [0, 4, -1, 59, 'degree −1 is B3'],
      [0, 4, -7, 48, 'degree −7 is C3'],
      [0, 4, -8, 47, 'degree −8 is B2'],
      [9, 3, 2, 61, 'in A major, the third degree in octave 3 is C#4'],
    ];
    for (const [tonic, octave, degree, pitch, message] of rows) expect(degreePitch(tonic, major, octave, degree), message).toBe(pitch);
    expect(degreePitch(0, SCALE_INTERVALS['major pentatonic'], 4, 5), 'a pentatonic wraps after 5').toBe(72);
  });

  it('tells minor-third scales from major ones', () => {
    const minor = SCALES.filter((scale) => isMinorScale(scale));
    expect(minor.sort()).toEqual(['blues', 'dorian', 'harmonic minor', 'locrian', 'melodic minor', 'minor', 'minor pentatonic', 'phrygian']);
  });
});

describe('parseProgression', () => {
  it('reads I vi IV V in C as C, Am, F, G', () => {
    expect(chordsOf('I vi IV V').map((c) => spell(c))).toEqual([
      ['C', 'E', 'G'],
      ['A', 'C', 'E'],
      ['F', 'A', 'C'],
      ['G', 'B', 'D'],
    ]);
  });

  it('reads sevenths, borrowed and altered chords', () => {
    const rows: Array<[string, string[], string]> = [
      ['ii7', ['D', 'F', 'A', 'C'], 'minor seventh'],
      ['V7', ['G', 'B', 'D', 'F'], 'dominant seventh'],
      ['Imaj7', ['C', 'E', 'G', 'B'], 'major seventh'],
      ['IM7', ['C', 'E', 'G', 'B'], 'M7 is maj7'],
      ['iim7', ['D', 'F', 'A', 'C'], 'm7 on a minor numeral is its 7'],
      ['bVII', ['Bb', 'D', 'F'], 'the flat seventh, borrowed from minor'],
      ['bIII', ['Eb', 'G', 'Bb'], 'the flat third'],
      ['#iv°', ['F#', 'A', 'C'], 'a raised fourth, diminished'],
      ['vii°', ['B', 'D', 'F'], 'diminished'],
      ['viio', ['B', 'D', 'F'], 'o is °'],
      ['viidim', ['B', 'D', 'F'], 'dim is °'],
      ['vii°7', ['B', 'D', 'F', 'Ab'], 'fully diminished seventh'],
      ['viiø7', ['B', 'D', 'F', 'A'], 'half-diminished seventh'],
      ['viiø', ['B', 'D', 'F', 'A'], 'ø alone is half-diminished seventh'],
      ['I+', ['C', 'E', 'Ab'], 'augmented (G#, spelled Ab here)'],
      ['Vaug', ['G', 'B', 'Eb'], 'aug is +'],
      ['IV6', ['F', 'A', 'C', 'D'], 'added sixth'],
      ['ii6', ['D', 'F', 'A', 'B'], 'minor sixth'],
      ['V9', ['G', 'B', 'D', 'F', 'A'], 'dominant ninth'],
      ['ii9', ['D', 'F', 'A', 'C', 'E'], 'minor ninth'],
      ['Vsus4', ['G', 'C', 'D'], 'suspended fourth'],
      ['Isus2', ['C', 'D', 'G'], 'suspended second'],
      ['V7sus4', ['G', 'C', 'D', 'F'], 'seventh, suspended'],
      ['♭VI', ['Ab', 'C', 'Eb'], 'the ♭ sign works like b'],
      ['i', ['C', 'Eb', 'G'], 'lower case is minor'],
    ];
    for (const [text, notes, message] of rows) expect(spell(chordsOf(text)[0]!), `${text}: ${message}`).toEqual(notes);
  });

  it('counts numerals on the major scale whatever the key', () => {
    expect(chordsOf('I ii iii IV V vi vii°').map((c) => c.root)).toEqual([0, 2, 4, 5, 7, 9, 11]);
    expect(spell(chordsOf('i iv v')[2]!, 9), 'v in A is E minor').toEqual(['E', 'G', 'B']);
  });

  it('tidies the symbols it shows', () => {
    expect(chordsOf('viio IM7 ♭VII iim7 Vaug viidim7').map((c) => c.symbol)).toEqual(['vii°', 'Imaj7', 'bVII', 'ii7', 'V+', 'vii°7']);
  });

  it('takes spaces, dashes and bar lines between chords', () => {
    const rows: Array<[string, number]> = [
      ['I-IV-V-I', 4],
      ['| I | vi | IV | V |', 4],
      ['I || V', 2],
      ['  I\tIV\nV  ', 3],
      ['I - V', 2],
    ];
    for (const [text, count] of rows) expect(chordsOf(text), JSON.stringify(text)).toHaveLength(count);
  });

  it('plays the scale’s own tonic triad for an empty progression', () => {
    const rows: Array<[(typeof SCALES)[number], string, number[]]> = [
      ['major', 'I', [0, 4, 7]],
      ['minor', 'i', [0, 3, 7]],
      ['dorian', 'i', [0, 3, 7]],
      ['blues', 'i', [0, 3, 7]],
      ['major pentatonic', 'I', [0, 4, 7]],
      ['locrian', 'i°', [0, 3, 6]],
      ['whole tone', 'I+', [0, 4, 8]],
    ];
    for (const [scale, symbol, intervals] of rows) {
      expect(parseProgression('', scale), scale).toEqual({ ok: true, chords: [{ symbol, root: 0, intervals }] });
      expect(parseProgression(' | ', scale), `${scale}, bar lines only`).toEqual({ ok: true, chords: [{ symbol, root: 0, intervals }] });
    }
  });

  it('says what is wrong, naming the token', () => {
    const rows: Array<[string, string]> = [
      ['I IX V', '“IX” is not a degree; use I–VII.'],
      ['IIII', '“IIII” is not a degree; use I–VII.'],
      ['Q', '“Q” is not a chord: start it with a numeral I–VII'],
      ['I b V', '“b” is not a chord: start it with a numeral'],
      ['I 7', '“7” is not a chord: start it with a numeral'],
      ['Vq', '“Vq” is not a chord: after the numeral write nothing or one of 7, maj7'],
      ['Vi', '“Vi” is not a chord: write the numeral all upper case (major) or all lower case (minor).'],
      ['Im7', '“Im7” is not a chord: write minor chords in lower case, e.g. i7.'],
      ['vii°9', '“vii°9” is not a chord: a diminished chord takes only a 7'],
      ['V+sus4', '“V+sus4” is not a chord: an augmented chord takes only a 7'],
    ];
    for (const [text, message] of rows) expect(errorOf(text), text).toContain(message);
  });

  it('takes at most 64 chords', () => {
    expect(chordsOf(Array(MAX_CHORDS).fill('I').join(' '))).toHaveLength(64);
    expect(
      errorOf(
        Array(MAX_CHORDS + 1)
          .fill('I')
          .join(' '),
      ),
    ).toBe('A progression has at most 64 chords; this one has 65.');
  });
});

describe('euclid', () => {
  const show = (pattern: boolean[]) => pattern.map((hit) => (hit ? 'x' : '.')).join('');

  it('spreads pulses as the published patterns do', () => {
    const rows: Array<[number, number, string]> = [
      [3, 8, 'x..x..x.'],
      [5, 8, 'x.xx.xx.'],
      [7, 16, 'x..x.x.x..x.x.x.'],
      [4, 12, 'x..x..x..x..'],
      [2, 5, 'x.x..'],
      [4, 16, 'x...x...x...x...'],
      [5, 12, 'x..x.x..x.x.'],
      [5, 16, 'x..x..x..x..x...'],
      [7, 12, 'x.xx.x.xx.x.'],
      [9, 16, 'x.xx.x.x.xx.x.x.'],
      [13, 24, 'x.xx.x.x.x.x.xx.x.x.x.x.'],
      [1, 4, 'x...'],
      [3, 4, 'xxx.'],
    ];
    for (const [pulses, steps, pattern] of rows) expect(show(euclid(pulses, steps)), `E(${pulses},${steps})`).toBe(pattern);
  });

  it('rotates left: the pattern starts `rotation` steps later', () => {
    expect(show(euclid(3, 8, 1))).toBe('..x..x.x');
    expect(show(euclid(3, 8, 3))).toBe('x..x.x..');
    expect(show(euclid(3, 8, 8)), 'a whole turn').toBe('x..x..x.');
    expect(show(euclid(3, 8, 11)), 'turns wrap').toBe(show(euclid(3, 8, 3)));
  });

  it('clamps pulses: none, or every step', () => {
    expect(show(euclid(0, 5))).toBe('.....');
    expect(show(euclid(5, 5))).toBe('xxxxx');
    expect(show(euclid(9, 5))).toBe('xxxxx');
    expect(show(euclid(0, 1, 3))).toBe('.');
  });

  it('is as even as can be for every size a recipe allows', () => {
    for (let steps = 1; steps <= 32; steps++) {
      for (let pulses = 1; pulses <= steps; pulses++) {
        const pattern = euclid(pulses, steps);
        expect(pattern.filter(Boolean), `E(${pulses},${steps}) hits`).toHaveLength(pulses);
        expect(pattern[0], `E(${pulses},${steps}) starts on a hit`).toBe(true);
        const onsets = pattern.flatMap((hit, i) => (hit ? [i] : []));
        const gaps = onsets.map((at, i) => (onsets[i + 1] ?? onsets[0]! + steps) - at);
        expect(Math.max(...gaps) - Math.min(...gaps), `E(${pulses},${steps}) gaps differ by at most one`).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('chordTones', () => {
  it('drops the fifth first and doubles the root first', () => {
    const [triad, seventh, ninth] = chordsOf('I V7 V9');
    expect(chordTones(triad!, 3, 0)).toEqual([0, 4, 7]);
    expect(chordTones(triad!, 4, 0), 'root doubled').toEqual([0, 4, 7, 0]);
    expect(chordTones(triad!, 5, 0), 'root and fifth doubled').toEqual([0, 4, 7, 0, 7]);
    expect(chordTones(seventh!, 3, 0), 'shell voicing: G B F').toEqual([7, 11, 5]);
    expect(chordTones(ninth!, 4, 0), 'G B F A').toEqual([7, 11, 5, 9]);
    expect(chordTones(ninth!, 3, 2), 'in D: A C# G').toEqual([9, 1, 7]);
  });
});

/** Every voicing in the range by brute force: all combinations of pitches whose pitch classes are exactly `tones`. */
function allVoicings(tones: number[], low: number, high: number): number[][] {
  const wanted = [...tones].sort((a, b) => a - b).join();
  const pool: number[] = [];
  for (let p = low; p <= high; p++) if (tones.includes(p % 12)) pool.push(p);
  const out: number[][] = [];
  const choose = (from: number, picked: number[]) => {
    if (picked.length === tones.length) {
      if (
        picked
          .map((p) => p % 12)
          .sort((a, b) => a - b)
          .join() === wanted
      )
        out.push([...picked]);
      return;
    }
    for (let i = from; i < pool.length; i++) choose(i + 1, [...picked, pool[i]!]);
  };
  choose(0, []);
  return out;
}

/** The cheapest movement over every way of pairing the voices (not assuming sorted pairing is optimal). */
function cheapest(previous: number[], next: number[]): number {
  let best = Number.POSITIVE_INFINITY;
  const permute = (rest: number[], cost: number, i: number) => {
    if (rest.length === 0) best = Math.min(best, cost);
    rest.forEach((p, j) => {
      permute([...rest.slice(0, j), ...rest.slice(j + 1)], cost + Math.abs(previous[i]! - p), i + 1);
    });
  };
  permute(next, 0, 0);
  return best;
}

describe('voiceLead', () => {
  it('starts in close root position near the octave’s C', () => {
    const rows: Array<[string, number, number, number[]]> = [
      ['I', 3, 4, [60, 64, 67]],
      ['vi', 3, 4, [57, 60, 64]],
      ['IV', 3, 4, [65, 69, 72]],
      ['V', 3, 4, [55, 59, 62]],
      ['I', 4, 4, [60, 64, 67, 72]],
      ['I', 5, 3, [48, 52, 55, 60, 67]],
      ['V9', 5, 4, [55, 59, 62, 65, 69]],
      ['V7', 3, 4, [55, 59, 65]],
    ];
    for (const [numeral, voices, octave, pitches] of rows)
      expect(voiceLead(null, chordsOf(numeral)[0]!, voices, octave, 0), `${numeral} in ${voices}`).toEqual(pitches);
  });

  it('keeps common tones and moves the others by step', () => {
    const [four, five, five7] = chordsOf('IV V V7');
    expect(voiceLead([60, 64, 67], four!, 3, 4, 0), 'C E G → C F A').toEqual([60, 65, 69]);
    expect(voiceLead([60, 64, 67], five!, 3, 4, 0), 'C E G → B D G').toEqual([59, 62, 67]);
    expect(voiceLead([60, 64, 67], five7!, 3, 4, 0), 'C E G → B F G').toEqual([59, 65, 67]);
  });

  it('moves the least of all voicings in range, on a table of progressions', () => {
    const rows: Array<[string, number, number, number]> = [
      ['I vi IV V', 3, 4, 0],
      ['I vi IV V', 4, 4, 0],
      ['ii7 V7 Imaj7 vi7', 4, 3, 2],
      ['ii7 V9 Imaj7 IV6', 5, 4, 7],
      ['i bVI bIII bVII', 3, 5, 9],
      ['I bVII IV I', 5, 2, 4],
      ['vii°7 I+ Vsus4 V7sus4 viiø7', 4, 4, 11],
      ['I iii vi ii V I', 3, 6, 5],
    ];
    for (const [text, voices, octave, tonic] of rows) {
      const { low, high } = voicingRange(octave);
      let previous = voiceLead(null, chordsOf(text)[0]!, voices, octave, tonic);
      for (const [i, chord] of chordsOf(`${text} ${text}`).slice(1).entries()) {
        const mine = voiceLead(previous, chord, voices, octave, tonic);
        const label = `${text} (${voices} voices, octave ${octave}, tonic ${tonic}) step ${i + 1}`;
        const tones = chordTones(chord, voices, tonic);
        expect(mine.map((p) => p % 12).sort(), `${label}: the chord’s tones`).toEqual([...tones].sort());
        expect(new Set(mine).size, `${label}: distinct pitches`).toBe(voices);
        expect(Math.min(...mine) >= low && Math.max(...mine) <= high, `${label}: in range`).toBe(true);
        const least = Math.min(...allVoicings(tones, low, high).map((v) => cheapest(previous, v)));
        expect(cheapest(previous, mine), `${label}: least movement`).toBe(least);
        expect(movement(previous, mine), `${label}: sorted pairing is the cheapest`).toBe(least);
        previous = mine;
      }
    }
  });
});
