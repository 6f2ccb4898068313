/**
 * Where frequencies and levels land on the drawing: a frequency's fractional band
 * index (so labels line up with bars on any scale), the frequency and note labels
 * that fit without overlapping, and the dB grid lines.
 */
import type { Band } from '../dsp/bands';
import { noteFrequency, noteName } from '../dsp/notes';

export interface Label {
  /** Fractional band index: 0 is the lower edge of the first band, n the upper edge of the last. */
  readonly position: number;
  readonly text: string;
}

/**
 * The fractional band index of a frequency, or null outside the bands. Inside band
 * i it moves logarithmically from lo to hi: exact for log bands, and close enough
 * within one band of any other scale.
 */
export function bandPosition(bands: readonly Band[], frequency: number): number | null {
  for (let i = 0; i < bands.length; i++) {
    const { lo, hi } = bands[i]!;
    if (frequency >= lo && frequency < hi && lo > 0) return i + Math.log(frequency / lo) / Math.log(hi / lo);
  }
  return null;
}

/** Octave-band nominal frequencies (IEC 61260) first, then round numbers that help on linear and mel axes. */
const FREQUENCY_LABELS: ReadonlyArray<readonly [number, string]> = [
  [31.5, '31.5'],
  [63, '63'],
  [125, '125'],
  [250, '250'],
  [500, '500'],
  [1000, '1k'],
  [2000, '2k'],
  [4000, '4k'],
  [8000, '8k'],
  [16000, '16k'],
  [20, '20'],
  [3000, '3k'],
  [5000, '5k'],
  [6000, '6k'],
  [10000, '10k'],
  [12000, '12k'],
  [14000, '14k'],
  [20000, '20k'],
];

/** The C of each octave from C1 (32.7 Hz) to C9 (8.37 kHz), named from their MIDI numbers. */
const NOTE_LABELS: ReadonlyArray<readonly [number, string]> = Array.from({ length: 9 }, (_, i) => {
  const f = noteFrequency(24 + 12 * i);
  return [f, noteName(f)] as const;
});

/** Labels in priority order, each kept if it is at least `spacing` band widths from every label already kept; sorted by position. */
function keepApart(bands: readonly Band[], candidates: ReadonlyArray<readonly [number, string]>, spacing: number): Label[] {
  const kept: Label[] = [];
  for (const [frequency, text] of candidates) {
    const position = bandPosition(bands, frequency);
    if (position === null || kept.some((l) => Math.abs(l.position - position) < spacing)) continue;
    kept.push({ position, text });
  }
  return kept.sort((a, b) => a.position - b.position);
}

/** Frequency labels at least `spacing` band widths apart. */
export function frequencyLabels(bands: readonly Band[], spacing: number): Label[] {
  return keepApart(bands, FREQUENCY_LABELS, spacing);
}

/** Note labels (C1…C9) at least `spacing` band widths apart. */
export function noteLabels(bands: readonly Band[], spacing: number): Label[] {
  return keepApart(bands, NOTE_LABELS, spacing);
}

/** dB values for grid lines: multiples of a step that gives four to ten lines, from dbMax down, above dbMin. */
export function gridLevels(dbMin: number, dbMax: number): number[] {
  const span = dbMax - dbMin;
  const step = span > 100 ? 30 : span > 50 ? 20 : span > 20 ? 10 : 5;
  const levels: number[] = [];
  for (let db = Math.floor(dbMax / step) * step; db > dbMin; db -= step) levels.push(db);
  return levels;
}
