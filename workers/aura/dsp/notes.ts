/** Equal-tempered note names, A4 = 440 Hz (MIDI note 69). */
const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'] as const;

/** The nearest MIDI note number to a frequency. */
export function midiNote(frequency: number): number {
  return Math.round(69 + 12 * Math.log2(frequency / 440));
}

/** The frequency of a MIDI note number, Hz. */
export function noteFrequency(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** The nearest note's name with its octave, scientific pitch notation: 440 → "A4", 261.6 → "C4". */
export function noteName(frequency: number): string {
  const midi = midiNote(frequency);
  return `${NAMES[((midi % 12) + 12) % 12]}${Math.floor(midi / 12) - 1}`;
}
