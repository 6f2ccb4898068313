import { type MidiEvent, parseMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { keySignature, scoreToMidi } from '../../workers/melos/engine/midi';
import { type Note, PPQ, type Score, type ScoreTrack } from '../../workers/melos/engine/score';

const piano: ScoreTrack = { name: 'Piano', role: 'chords', program: 0, channel: 1, volume: 80, pan: -30 };
const bass: ScoreTrack = { name: 'Bass', role: 'bass', program: 33, channel: 2, volume: 100, pan: 0 };
const drums: ScoreTrack = { name: 'Drums', role: 'drums', program: 0, channel: 10, volume: 90, pan: 100 };

/** A score literal around `notes` (sorted here by tick, track, pitch as the type promises). */
function score(notes: Note[], over: Partial<Score> = {}): Score {
  const barTicks = PPQ * 4;
  return {
    title: 'Test piece',
    tempo: 120,
    meter: [4, 4],
    key: { tonic: 'C', minor: false },
    tracks: [piano, bass, drums],
    notes: [...notes].sort((a, b) => a.tick - b.tick || a.track - b.track || a.pitch - b.pitch),
    barTicks,
    lengthTicks: barTicks * 2,
    ...over,
  };
}

const notes: Note[] = [
  { tick: 0, duration: 128, pitch: 60, velocity: 80, track: 0 },
  { tick: 0, duration: 128, pitch: 64, velocity: 80, track: 0 },
  { tick: 0, duration: 256, pitch: 36, velocity: 100, track: 1 },
  { tick: 0, duration: 32, pitch: 36, velocity: 100, track: 2, drum: 'kick' },
  { tick: 128, duration: 32, pitch: 38, velocity: 70, track: 2, drum: 'snare' },
  { tick: 128, duration: 64, pitch: 67, velocity: 50, track: 0 },
  { tick: 192, duration: 200, pitch: 72, velocity: 1, track: 0 },
  { tick: 512, duration: 512, pitch: 43, velocity: 90, track: 1 },
  { tick: 1000, duration: 24, pitch: 42, velocity: 60, track: 2, drum: 'closed hat' },
];

type Timed = MidiEvent & { tick: number };

/** Events of each track with absolute ticks. */
function timed(bytes: Uint8Array): { header: ReturnType<typeof parseMidi>['header']; tracks: Timed[][] } {
  const midi = parseMidi(bytes);
  return {
    header: midi.header,
    tracks: midi.tracks.map((events) => {
      let tick = 0;
      return events.map((e) => {
        tick += e.deltaTime;
        return { ...e, tick };
      });
    }),
  };
}

describe('scoreToMidi', () => {
  it('writes format 1 at 128 ticks a beat: a conductor track, then one per score track', () => {
    const { header, tracks } = timed(scoreToMidi(score(notes)));
    expect(header.format).toBe(1);
    expect(header.ticksPerBeat).toBe(128);
    expect(header.numTracks).toBe(4);
    expect(tracks).toHaveLength(4);
    const names = tracks.map((t) => t.find((e) => e.type === 'trackName'));
    expect(names.map((e) => e && 'text' in e && e.text)).toEqual(['Test piece', 'Piano', 'Bass', 'Drums']);
    for (const [i, t] of tracks.entries()) {
      const last = t.at(-1)!;
      expect(last.type, `track ${i} ends with end-of-track`).toBe('endOfTrack');
      expect(last.tick, `track ${i} lasts the piece`).toBe(1024);
    }
  });

  it('puts tempo, time signature and key signature in the conductor track at tick 0', () => {
    const table: Array<[Partial<Score>, number, number, number, number, number]> = [
      // over, µs a beat, numerator, denominator, sharps/flats, minor
      [{}, 500_000, 4, 4, 0, 0],
      [{ tempo: 90, meter: [3, 4], key: { tonic: 'A', minor: true } }, 666_667, 3, 4, 0, 1],
      [{ tempo: 140, meter: [6, 8], key: { tonic: 'Eb', minor: false } }, 428_571, 6, 8, -3, 0],
      [{ tempo: 60, meter: [7, 8], key: { tonic: 'C#', minor: true } }, 1_000_000, 7, 8, 4, 1],
    ];
    for (const [over, micros, numerator, denominator, key, scale] of table) {
      const [conductor, ...rest] = timed(scoreToMidi(score(notes, over))).tracks;
      const tempo = conductor!.find((e) => e.type === 'setTempo');
      const meter = conductor!.find((e) => e.type === 'timeSignature');
      const sig = conductor!.find((e) => e.type === 'keySignature');
      const what = JSON.stringify(over);
      expect(tempo && 'microsecondsPerBeat' in tempo && [tempo.tick, tempo.microsecondsPerBeat], what).toEqual([0, micros]);
      expect(meter && 'numerator' in meter && [meter.tick, meter.numerator, meter.denominator], what).toEqual([0, numerator, denominator]);
      expect(sig && 'key' in sig && [sig.tick, sig.key, sig.scale], what).toEqual([0, key, scale]);
      for (const t of rest)
        expect(
          t.some((e) => e.type === 'setTempo' || e.type === 'keySignature'),
          what,
        ).toBe(false);
    }
  });

  it('maps every key the recipe offers to a signature with the fewest accidentals', () => {
    const table: Array<[string, boolean, number]> = [
      ['C', false, 0],
      ['G', false, 1],
      ['F', false, -1],
      ['C#', false, -5], // written as Db major
      ['Db', false, -5],
      ['F#', false, 6],
      ['Gb', false, -6],
      ['B', false, 5],
      ['A', true, 0],
      ['C#', true, 4],
      ['Db', true, 4], // Db minor would need 8 flats: C# minor
      ['Eb', true, -6],
      ['Ab', true, 5], // G# minor
      ['Bb', true, -5],
      ['F', true, -4],
      ['Gb', true, 3], // F# minor
    ];
    for (const [tonic, minor, sf] of table) expect(keySignature(tonic, minor), `${tonic} ${minor ? 'minor' : 'major'}`).toEqual({ sf, mi: minor ? 1 : 0 });
  });

  it('sets program, volume and pan per track, and no program change on the drum channel', () => {
    const [, p, b, d] = timed(scoreToMidi(score(notes))).tracks;
    const programs = (t: Timed[]) => t.filter((e) => e.type === 'programChange').map((e) => 'programNumber' in e && [e.channel, e.programNumber]);
    const controllers = (t: Timed[]) => t.filter((e) => e.type === 'controller').map((e) => 'controllerType' in e && [e.channel, e.controllerType, e.value]);
    expect(programs(p!)).toEqual([[0, 0]]);
    expect(programs(b!)).toEqual([[1, 33]]);
    expect(programs(d!)).toEqual([]);
    expect(controllers(p!)).toEqual([
      [0, 7, 102],
      [0, 10, 45],
    ]);
    expect(controllers(b!)).toEqual([
      [1, 7, 127],
      [1, 10, 64],
    ]);
    expect(controllers(d!)).toEqual([
      [9, 7, 114],
      [9, 10, 127],
    ]);
  });

  it('writes every note at its tick, pitch, channel, velocity and length', () => {
    const s = score(notes);
    const tracks = timed(scoreToMidi(s)).tracks.slice(1);
    const ons = tracks.flatMap((t) => t.filter((e) => e.type === 'noteOn'));
    expect(ons).toHaveLength(s.notes.length);
    const channelOf = [0, 1, 9];
    for (const [ti, t] of tracks.entries()) {
      const written = t
        .filter((e) => e.type === 'noteOn')
        .map((e) => 'noteNumber' in e && [e.tick, e.noteNumber, e.channel, e.velocity])
        .sort();
      const expected = s.notes
        .filter((n) => n.track === ti)
        .map((n) => [n.tick, n.pitch, channelOf[ti], Math.round((n.velocity * 127) / 100)])
        .sort();
      expect(written, `track ${ti}`).toEqual(expected);
      for (const n of s.notes.filter((x) => x.track === ti)) {
        const off = t.find((e) => e.type === 'noteOff' && 'noteNumber' in e && e.noteNumber === n.pitch && e.tick > n.tick);
        expect(off?.tick, `off of ${n.pitch} at ${n.tick}`).toBe(n.tick + n.duration);
      }
    }
  });

  it('cuts a note where the next one on its pitch starts, and merges two that start together', () => {
    const s = score([
      { tick: 0, duration: 256, pitch: 60, velocity: 50, track: 0 },
      { tick: 128, duration: 256, pitch: 60, velocity: 60, track: 0 },
      { tick: 512, duration: 64, pitch: 62, velocity: 40, track: 0 },
      { tick: 512, duration: 128, pitch: 62, velocity: 70, track: 0 },
    ]);
    const piano = timed(scoreToMidi(s)).tracks[1]!;
    const notes = piano.filter((e) => e.type === 'noteOn' || e.type === 'noteOff').map((e) => 'noteNumber' in e && [e.tick, e.type, e.noteNumber, e.velocity]);
    expect(notes).toEqual([
      [0, 'noteOn', 60, 64],
      [128, 'noteOff', 60, 64],
      [128, 'noteOn', 60, 76],
      [384, 'noteOff', 60, 76],
      [512, 'noteOn', 62, 89],
      [640, 'noteOff', 62, 89],
    ]);
  });

  it('is byte-identical for the same score, and changes with a note', () => {
    const a = scoreToMidi(score(notes));
    const b = scoreToMidi(score(notes));
    expect(b).toEqual(a);
    const moved = notes.map((n, i) => (i === 5 ? { ...n, pitch: n.pitch + 1 } : n));
    expect(scoreToMidi(score(moved))).not.toEqual(a);
  });

  it('keeps names outside ASCII as UTF-8', () => {
    const bytes = scoreToMidi(score(notes, { title: 'Café ’92' }));
    const name = timed(bytes).tracks[0]!.find((e) => e.type === 'trackName');
    const text = name && 'text' in name ? name.text : '';
    expect(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)))).toBe('Café ’92');
  });

  // midi-writer-js's own startTick merge is quadratic and its buildFile() overflows the stack on such a track.
  it('writes a long dense track without overflowing the stack', () => {
    const many: Note[] = [];
    for (let i = 0; i < 40_000; i++) many.push({ tick: i * 16, duration: 16, pitch: 48 + (i % 24), velocity: 64, track: 0 });
    const s = score(many, { tracks: [piano], lengthTicks: 40_000 * 16 });
    const { tracks } = timed(scoreToMidi(s));
    expect(tracks[1]!.filter((e) => e.type === 'noteOn')).toHaveLength(40_000);
  });
});
