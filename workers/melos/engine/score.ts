/**
 * A score: what a recipe becomes before it becomes bytes. Times are in ticks,
 * PPQ ticks to a quarter note (midi-writer-js's fixed resolution), so the MIDI file
 * and the synthesizer read the same integers.
 *
 * Pure: no Workers, no Hono.
 */
import type { Drum, Role } from './recipe';

/** Ticks per quarter note (midi-writer-js writes 128 and nothing else). */
export const PPQ = 128;

/**
 * The most notes a score may hold, and the longest audio a render may make. The issue
 * asked for 200,000 notes; a score that size (~64 MB) and its MIDI build (midi-writer-js
 * keeps an object per event) do not fit a Worker's 128 MB, 100,000 do with room to spare.
 */
export const MAX_NOTES = 100_000;
export const MAX_SECONDS = 600;

export type ScoreTrack = {
  name: string;
  role: Role;
  /** General MIDI program 0–127 (drums: 0, on channel 10). */
  program: number;
  /** MIDI channel 1–16: 10 for drums, the others in track order skipping 10. */
  channel: number;
  /** 0–100. */
  volume: number;
  /** −100 … +100. */
  pan: number;
};

export type Note = {
  /** Start, in ticks from the beginning (≥ 0). */
  tick: number;
  /** Length in ticks (≥ 1). */
  duration: number;
  /** MIDI note number 0–127 (drums: the General MIDI percussion key). */
  pitch: number;
  /** 1–100, midi-writer-js's scale (it writes round(v × 127 / 100)). */
  velocity: number;
  /** Index into `Score.tracks`. */
  track: number;
  /** For drum notes, which drum (the synthesizer's voice); absent otherwise. */
  drum?: Drum;
};

export type Score = {
  title: string;
  /** Quarter notes a minute. */
  tempo: number;
  /** [beats per bar, the note that gets the beat]. */
  meter: [number, number];
  /** For the MIDI key signature: the tonic's name and whether the scale is minor-like. */
  key: { tonic: string; minor: boolean };
  tracks: ScoreTrack[];
  /** Sorted by tick, then track, then pitch. */
  notes: Note[];
  /** Ticks per bar. */
  barTicks: number;
  /** The piece's length: bars × barTicks (notes never start after it). */
  lengthTicks: number;
};

/** Seconds from the start at `tick`. */
export const tickSeconds = (tick: number, tempo: number) => (tick / PPQ) * (60 / tempo);
