import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../workers/aura/dsp/analyzer';
import { chord, logSweep, pinkNoise, seededRandom, sine, whiteNoise } from '../../workers/aura/dsp/signals';
import { DEFAULT_SETTINGS } from '../../workers/aura/settings';

const rms = (x: Float32Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

describe('test signals', () => {
  it('noise is reproducible from its seed, and differs between seeds', () => {
    expect(pinkNoise(1000, 7)).toEqual(pinkNoise(1000, 7));
    expect(whiteNoise(1000, 7)).toEqual(whiteNoise(1000, 7));
    expect(pinkNoise(1000, 7)).not.toEqual(pinkNoise(1000, 8));
    const r = seededRandom(1);
    const draws = Array.from({ length: 10000 }, r);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((a, b) => a + b) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('a sine has its amplitude and frequency (zero crossings)', () => {
    const s = sine(48000, 48000, 1000, 0.5);
    expect(rms(s)).toBeCloseTo(0.5 / Math.SQRT2, 4);
    let crossings = 0;
    for (let i = 1; i < s.length; i++) if (s[i - 1]! < 0 && s[i]! >= 0) crossings++;
    expect(crossings, 'one upward crossing per cycle, the first at t = 0').toBe(999);
  });

  it('pink noise is about −18 dBFS and stays under full scale', () => {
    const p = pinkNoise(480000, 3);
    expect(20 * Math.log10(rms(p) * Math.SQRT2)).toBeCloseTo(-18, 0);
    expect(p.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThan(0.5);
  });

  it('a log sweep climbs through the bands in equal time per octave', () => {
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, attack: 0, release: 0 }, 48000, 1);
    const frames = analyzer.push([logSweep(48000 * 10, 48000, 20, 20000, 0.5)]);
    const loudest = frames.map((f) => f.channels[0]!.db.indexOf(Math.max(...f.channels[0]!.db)));
    for (let i = 1; i < loudest.length; i++) expect(loudest[i]!).toBeGreaterThanOrEqual(loudest[i - 1]! - 1);
    // 10 octaves in 10 s: at 5 s the sweep is at 20·2^5 = 640 Hz, the 631 Hz band.
    const middle = frames.find((f) => f.time >= 5)!;
    const band = middle.channels[0]!.db.indexOf(Math.max(...middle.channels[0]!.db));
    expect(middle.bands[band]!.centre).toBe(631);
  });

  it('a chord shows each of its notes, each at its share of the amplitude', () => {
    // C major (C4 E4 G4 C5): each note in its own 1/3-octave band, with the Hann main lobe (±11.7 Hz at 8192) inside it.
    const notes = [261.63, 329.63, 392, 523.25];
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, fftSize: 8192, window: 'hann', attack: 0 }, 48000, 1);
    const frame = analyzer.push([chord(48000, 48000, notes)]).at(-1)!;
    const levels = frame.channels[0]!.db;
    const holding = frame.bands.map((b) => notes.some((f) => b.lo <= f && f < b.hi));
    expect(holding.filter(Boolean)).toHaveLength(4);
    for (let i = 0; i < levels.length; i++) {
      if (holding[i]) expect(Math.abs(levels[i]! - 20 * Math.log10(1 / 4)), `${frame.bands[i]!.centre} Hz`).toBeLessThanOrEqual(0.5);
      else expect(levels[i]!, `${frame.bands[i]!.centre} Hz`).toBeLessThan(-40);
    }
  });
});
