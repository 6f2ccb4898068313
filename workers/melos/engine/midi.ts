/**
 * A score as a Standard MIDI File (format 1, 128 ticks a quarter note), written with
 * midi-writer-js.
 *
 * Track 1 is the conductor: the title as its name, then tempo, time signature and key
 * signature, all at tick 0, and its end-of-track at the piece's length, so a DAW reads
 * the tempo map where it expects it and the file is as long as the piece (trailing
 * rests included). Then one track per score track: its name, a program change (not
 * for drums on channel 10, which keep the GM kit), volume (CC 7) and pan (CC 10), and
 * its notes.
 *
 * Notes are not given to midi-writer-js with `startTick`: its merge of explicit-tick
 * events is quadratic (each event is spliced into the list and every delta after it is
 * rewritten; 8,000 notes take a third of a second, 16,000 overflow the stack), and it
 * reads `startTick: 0` as "no start tick" and queues that note after whatever came
 * before. Instead this module sorts every note-on and note-off itself and hands them
 * over in order as delta-timed NoteOn/NoteOff events, which midi-writer-js writes in
 * one pass. Two notes of one pitch overlapping in a track would come out as on, on,
 * off, off, and the first off would silence the second; so an earlier note is cut
 * where the next one on its pitch starts, and two notes starting together on one pitch
 * become one (the longer and louder). At one tick, offs come before ons.
 *
 * The chunks are concatenated here rather than with `Writer.buildFile()`, which spreads
 * a whole track into `push.apply` and overflows the stack on long tracks. There is no
 * timestamp anywhere: the same score gives the same bytes.
 *
 * Pure: midi-writer-js only (its CJS build bundles for workerd; it touches `Buffer`
 * and `process` only in methods this module does not call).
 */
import MidiWriter from 'midi-writer-js';
import type { Score, ScoreTrack } from './score';

const DRUM_CHANNEL = 10;
const CC_VOLUME = 7;
const CC_PAN = 10;

type Writable = InstanceType<typeof MidiWriter.NoteOnEvent> | InstanceType<typeof MidiWriter.NoteOffEvent>;

const LETTER_PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

/**
 * The key signature of a tonic (`C`, `F#`, `Bb`, …) in major or minor: sharps (> 0) or
 * flats (< 0), −7 … 7. The enharmonic spelling with fewer accidentals wins (C# major
 * is written as Db major, 5 flats; Db minor, which would need 8 flats, as C# minor);
 * at six either way the tonic's own spelling decides (F# major: 6 sharps; Gb: 6 flats).
 */
export function keySignature(tonic: string, minor: boolean): { sf: number; mi: 0 | 1 } {
  const match = /^([A-Ga-g])([#b]*)$/.exec(tonic.trim());
  if (!match) return { sf: 0, mi: minor ? 1 : 0 };
  const letter = match[1]!.toUpperCase();
  const accidentals = match[2]!;
  let pc = LETTER_PC[letter]!;
  for (const a of accidentals) pc += a === '#' ? 1 : -1;
  // The relative major carries the signature: a minor tonic is three semitones below it.
  const major = (((pc + (minor ? 3 : 0)) % 12) + 12) % 12;
  // Going round the circle of fifths: each fifth up adds a sharp.
  let sf = (major * 7) % 12;
  if (sf > 6) sf -= 12;
  if (sf === 6 && accidentals.includes('b')) sf = -6;
  return { sf, mi: minor ? 1 : 0 };
}

/** MIDI clocks per metronome click: a dotted quarter in 6/8, 9/8, 12/8; the beat otherwise. */
function clocksPerClick([beats, unit]: [number, number]): number {
  const beat = (24 * 4) / unit;
  return unit === 8 && beats % 3 === 0 && beats > 3 ? beat * 3 : beat;
}

/**
 * midi-writer-js writes each UTF-16 code unit of a text as one byte; hand it the UTF-8
 * bytes as a one-byte-per-character string so names outside ASCII survive.
 */
function utf8Binary(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** 0–100 → 0–127. */
const volumeValue = (volume: number) => Math.round((Math.min(100, Math.max(0, volume)) * 127) / 100);

/** −100 … +100 → 0 (left) … 64 (centre) … 127 (right). */
const panValue = (pan: number) => {
  const p = Math.min(100, Math.max(-100, pan));
  return Math.round(p < 0 ? 64 + (p * 64) / 100 : 64 + (p * 63) / 100);
};

type Span = { on: number; off: number; pitch: number; velocity: number };

/**
 * One track's notes as spans with overlaps on one pitch resolved (see the header), in
 * start order. `notes` is the score's list, already sorted by tick.
 */
function trackSpans(score: Score, trackIndex: number): Span[] {
  const spans: Span[] = [];
  const sounding = new Map<number, Span>();
  for (const note of score.notes) {
    if (note.track !== trackIndex) continue;
    const on = Math.max(0, Math.round(note.tick));
    const off = on + Math.max(1, Math.round(note.duration));
    const velocity = Math.min(100, Math.max(1, Math.round(note.velocity)));
    const previous = sounding.get(note.pitch);
    if (previous && previous.off > on) {
      if (previous.on === on) {
        previous.off = Math.max(previous.off, off);
        previous.velocity = Math.max(previous.velocity, velocity);
        continue;
      }
      previous.off = on;
    }
    const span = { on, off, pitch: note.pitch, velocity };
    spans.push(span);
    sounding.set(note.pitch, span);
  }
  return spans;
}

/** Note-ons and note-offs of one track in playing order, as delta-timed midi-writer-js events; and the last tick. */
function noteEvents(spans: Span[], channel: number): { events: Writable[]; end: number } {
  // [tick, 0 = off | 1 = on, pitch, velocity]: offs sort before ons at one tick.
  const points: Array<[number, number, number, number]> = [];
  for (const s of spans) points.push([s.on, 1, s.pitch, s.velocity], [s.off, 0, s.pitch, s.velocity]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const events: Writable[] = [];
  let at = 0;
  for (const [tick, kind, pitch, velocity] of points) {
    const delta = tick - at;
    at = tick;
    events.push(
      kind === 1
        ? new MidiWriter.NoteOnEvent({ channel, pitch, velocity, wait: `T${delta}` })
        : new MidiWriter.NoteOffEvent({ channel, pitch, velocity, duration: 0, delta }),
    );
  }
  return { events, end: at };
}

function conductor(score: Score) {
  const track = new MidiWriter.Track();
  const { sf, mi } = keySignature(score.key.tonic, score.key.minor);
  const [beats, unit] = score.meter;
  track.addTrackName(utf8Binary(score.title));
  track.setTempo(score.tempo, 0);
  track.setTimeSignature(beats, unit, clocksPerClick(score.meter), 8);
  track.setKeySignature(sf, mi);
  track.addEvent(new MidiWriter.EndTrackEvent({ delta: Math.max(0, Math.round(score.lengthTicks)) }));
  return track;
}

function instrumentTrack(score: Score, scoreTrack: ScoreTrack, index: number) {
  const track = new MidiWriter.Track();
  const channel = Math.min(16, Math.max(1, scoreTrack.channel));
  track.addTrackName(utf8Binary(scoreTrack.name));
  // midi-writer-js numbers channels from 1 everywhere except here, where it takes 0–15.
  if (channel !== DRUM_CHANNEL) track.addEvent(new MidiWriter.ProgramChangeEvent({ channel: channel - 1, instrument: scoreTrack.program & 127 }));
  track.controllerChange(CC_VOLUME, volumeValue(scoreTrack.volume), channel, 0);
  track.controllerChange(CC_PAN, panValue(scoreTrack.pan), channel, 0);
  const { events, end } = noteEvents(trackSpans(score, index), channel);
  if (events.length > 0) track.addEvent(events);
  track.addEvent(new MidiWriter.EndTrackEvent({ delta: Math.max(0, Math.round(score.lengthTicks) - end) }));
  return track;
}

/** The score as a format-1 MIDI file: a conductor track, then one track per score track. */
export function scoreToMidi(score: Score): Uint8Array {
  const tracks = [conductor(score), ...score.tracks.map((t, i) => instrumentTrack(score, t, i))];
  const chunks = new MidiWriter.Writer(tracks).buildData();
  let length = 0;
  for (const c of chunks) length += c.type.length + c.size.length + c.data.length;
  const file = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    for (const part of [c.type, c.size, c.data]) {
      // Meta bytes such as a flat key signature (−5) arrive negative; a Uint8Array stores them as two's complement.
      for (let i = 0; i < part.length; i++) file[at + i] = part[i]!;
      at += part.length;
    }
  }
  return file;
}
