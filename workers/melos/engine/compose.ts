/**
 * Recipe → score: runs every track's generator on its own random stream, then plays
 * the notes like a person would (swing, humanized timing and velocity) and tidies
 * them into a Score the MIDI writer and the synthesizer both read.
 *
 * Invariants:
 * - The same recipe gives a deep-equal score. Each track draws from streams seeded by
 *   (seed, purpose, track index), so appending a track never changes the others.
 * - scoreSize() bounds the work before any is done: it is computed from the
 *   parameters alone, and compose() never makes more notes than it says.
 * - The first N bars of a piece are the same notes as the piece cut to N bars
 *   (generators look only backwards), which is what firstBars() previews.
 *
 * Pure: no Workers, no Hono.
 */
import { generate, maxNotesPerStep, stepGrid, type TrackNote } from './generators';
import { type Random, substream } from './random';
import type { Meter, Recipe } from './recipe';
import { MAX_NOTES, MAX_SECONDS, type Note, PPQ, type Score, type ScoreTrack, tickSeconds } from './score';
import { isMinorScale, PITCH_CLASSES, parseProgression, SCALE_INTERVALS } from './theory';

/** General MIDI's percussion channel. */
export const DRUM_CHANNEL = 10;
/** The other fifteen channels, given to the other tracks in order. */
const MELODIC_CHANNELS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16] as const;

/** [beats a bar, the note that gets the beat]: '6/8' → [6, 8]. */
export function meterParts(meter: Meter): [number, number] {
  const [beats, unit] = meter.split('/').map(Number);
  return [beats!, unit!];
}

/** Ticks in one bar: beats × (4 / unit) quarters (6/8 is 3 quarters, 384 ticks). */
export function barTicksOf(meter: Meter): number {
  const [beats, unit] = meterParts(meter);
  return (beats * 4 * PPQ) / unit;
}

/**
 * How big the recipe's score can be, from its parameters alone (cheap even for a
 * recipe that would be enormous): `seconds` exactly, `notes` an upper bound (steps a
 * bar × most notes a step × bars, summed over tracks).
 */
export function scoreSize(recipe: Recipe): { notes: number; seconds: number } {
  const barTicks = barTicksOf(recipe.meter);
  const notes = recipe.tracks.reduce((sum, track) => sum + recipe.bars * stepGrid(track.generator.rate, barTicks).length * maxNotesPerStep(track.generator), 0);
  return { notes, seconds: tickSeconds(recipe.bars * barTicks, recipe.tempo) };
}

/** Thrown by compose() for a recipe over MAX_NOTES or MAX_SECONDS: callers refuse those with scoreSize() first, in their own words. */
export class ScoreTooLargeError extends RangeError {
  override name = 'ScoreTooLargeError';
}

/** The same recipe cut to its first `bars` bars: composing it gives exactly the first bars of the whole piece. */
export function firstBars(recipe: Recipe, bars = 8): Recipe {
  return { ...recipe, bars: Math.min(recipe.bars, bars) };
}

/** A pitch moved by octaves into MIDI's 0–127, so it keeps its pitch class (and stays in the scale). */
function foldPitch(pitch: number): number {
  let p = pitch;
  while (p > 127) p -= 12;
  while (p < 0) p += 12;
  return p;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** A uniform nudge in −most…+most; draws nothing when there is nothing to nudge. */
const jitter = (random: Random, most: number) => (most > 0 ? (random.next() * 2 - 1) * most : 0);

type Performance = { barTicks: number; lengthTicks: number; swingTicks: number; timingTicks: number; velocity: number };

/**
 * Plays one track's notes: swing delays whatever starts or ends on a bar's second,
 * fourth … eighth (so an on-beat eighth lengthens and the off-beat one shortens),
 * then timing and velocity get their seeded nudges, pitches fold into 0–127 and
 * velocities clamp to 1–100.
 */
function perform(notes: readonly TrackNote[], track: number, how: Performance, random: Random): Note[] {
  const swung = (tick: number) => ((tick % how.barTicks) % PPQ === PPQ / 2 ? tick + how.swingTicks : tick);
  return notes.map((note) => {
    const start = swung(note.tick);
    const end = swung(note.tick + note.duration);
    return {
      ...note,
      tick: clamp(start + Math.round(jitter(random, how.timingTicks)), 0, how.lengthTicks - 1),
      // A heavily swung sixteenth can be pushed past its own end: it keeps its length.
      duration: end > start ? end - start : note.duration,
      pitch: foldPitch(note.pitch),
      velocity: clamp(Math.round(note.velocity + jitter(random, how.velocity)), 1, 100),
      track,
    };
  });
}

/**
 * Within one track, a note of a pitch ends before the next of that pitch starts (a
 * MIDI note-off cannot say which of two overlapping notes it ends); a second note
 * starting on the same tick as the first is dropped.
 */
function separate(notes: Note[]): Note[] {
  const byPitch = new Map<number, Note[]>();
  for (const note of notes) {
    const same = byPitch.get(note.pitch);
    if (same) same.push(note);
    else byPitch.set(note.pitch, [note]);
  }
  const kept: Note[] = [];
  for (const same of byPitch.values()) {
    same.sort((a, b) => a.tick - b.tick);
    let next = 0;
    for (let i = 0; i < same.length; i++) {
      const note = same[i]!;
      if (i > 0 && same[i - 1]!.tick === note.tick) continue;
      while (next < same.length && same[next]!.tick <= note.tick) next++;
      const following = same[next];
      // The notes are perform()'s fresh objects, so trimming in place copies nothing.
      if (following) note.duration = Math.min(note.duration, following.tick - note.tick);
      kept.push(note);
    }
  }
  return kept;
}

/** The score of a recipe. Throws ScoreTooLargeError past MAX_NOTES or MAX_SECONDS. */
export function compose(recipe: Recipe): Score {
  // A guard, not the refusal: a forgotten size check must not become a Worker spinning on a huge piece.
  const size = scoreSize(recipe);
  if (size.notes > MAX_NOTES || size.seconds > MAX_SECONDS) {
    throw new ScoreTooLargeError(`compose() refuses a piece of up to ${size.notes} notes lasting ${Math.ceil(size.seconds)} s; check scoreSize() first.`);
  }
  const progression = parseProgression(recipe.progression, recipe.scale);
  // The schema refuses a progression that does not parse, so this is a caller's bug.
  if (!progression.ok) throw new TypeError(`compose() needs a validated recipe: ${progression.message}`);

  const barTicks = barTicksOf(recipe.meter);
  const lengthTicks = recipe.bars * barTicks;
  const context = { tonic: PITCH_CLASSES[recipe.key], scale: SCALE_INTERVALS[recipe.scale], chords: progression.chords, bars: recipe.bars, barTicks };
  const how: Performance = {
    barTicks,
    lengthTicks,
    swingTicks: Math.round((recipe.swing / 100) * (PPQ / 2)),
    timingTicks: (recipe.humanize.timing / 1000) * (recipe.tempo / 60) * PPQ,
    velocity: recipe.humanize.velocity,
  };

  let melodic = 0;
  const tracks: ScoreTrack[] = recipe.tracks.map((track) => {
    const drums = track.role === 'drums';
    // Only fifteen channels are not percussion: a sixteenth melodic track shares channel 1.
    const channel = drums ? DRUM_CHANNEL : MELODIC_CHANNELS[melodic++ % MELODIC_CHANNELS.length]!;
    return { name: track.name, role: track.role, program: drums ? 0 : track.program, channel, volume: track.volume, pan: track.pan };
  });

  const notes = recipe.tracks.flatMap((track, index) => {
    const generated = generate(track.generator, context, substream(recipe.seed, 'notes', index));
    return separate(perform(generated, index, how, substream(recipe.seed, 'humanize', index)));
  });
  notes.sort((a, b) => a.tick - b.tick || a.track - b.track || a.pitch - b.pitch);

  return {
    title: recipe.title,
    tempo: recipe.tempo,
    meter: meterParts(recipe.meter),
    key: { tonic: recipe.key, minor: isMinorScale(recipe.scale) },
    tracks,
    notes,
    barTicks,
    lengthTicks,
  };
}
