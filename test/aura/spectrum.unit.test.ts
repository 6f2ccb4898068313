import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../workers/aura/dsp/analyzer';
import { createSpectrum } from '../../workers/aura/dsp/spectrum';
import { sine } from '../../workers/aura/dsp/signals';
import { DEFAULT_SETTINGS, type FftSize, type WindowKind } from '../../workers/aura/settings';

const db = (p: number) => 10 * Math.log10(p);

/** Bin powers of the first fftSize samples of `signal`. */
function binPowers(signal: Float32Array, fftSize: number, window: WindowKind, sampleRate: number) {
  const s = createSpectrum(fftSize, window, sampleRate);
  const out = new Float64Array(fftSize / 2 + 1);
  s.power(Float64Array.from(signal.subarray(0, fftSize)), out);
  return { power: out, binHz: s.binHz };
}

const argmax = (values: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
};

describe('a full-scale sine reads 0 dBFS in its band', () => {
  // [frequency, amplitude → expected dBFS, fftSize, window, sample rate]
  const rows: Array<[number, number, FftSize, WindowKind, number]> = [
    [1000, 1, 4096, 'blackman-harris', 48000],
    [1000, 1, 4096, 'hann', 48000],
    [1000, 1, 4096, 'blackman', 48000],
    [1000, 1, 2048, 'blackman-harris', 48000],
    [1000, 1, 8192, 'blackman-harris', 48000],
    [1000, 1, 1024, 'hann', 48000],
    [1000, 1, 4096, 'blackman-harris', 44100],
    [997, 1, 4096, 'blackman-harris', 48000],
    [1000, 0.1, 4096, 'blackman-harris', 48000],
  ];
  for (const [frequency, amplitude, fftSize, window, rate] of rows) {
    const expected = 20 * Math.log10(amplitude);
    it(`${frequency} Hz at ${expected} dBFS, ${window} ${fftSize} @ ${rate}: band reads ${expected} ± 0.5 dB, spectral peak within ±1 bin`, () => {
      const signal = sine(rate, rate, frequency, amplitude);
      const { power, binHz } = binPowers(signal, fftSize, window, rate);
      expect(Math.abs(argmax(power) - frequency / binHz)).toBeLessThanOrEqual(1);

      const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, fftSize, window, attack: 0 }, rate, 1);
      const frame = analyzer.push([signal]).at(-1)!;
      const levels = frame.channels[0]!.db;
      const loudest = argmax(levels);
      expect(frame.bands[loudest]!.centre).toBe(1000);
      expect(Math.abs(levels[loudest]! - expected)).toBeLessThanOrEqual(0.5);
    });
  }
});

describe('window leakage', () => {
  // A 1 kHz tone at 4096 points, 48 kHz sits at bin 85.3: between bins, the harder case.
  const rows: Array<[WindowKind, number, boolean]> = [
    ['blackman-harris', 10, true],
    ['blackman', 10, false],
    ['hann', 10, false],
  ];
  for (const [window, away, below] of rows) {
    it(`${window}: ${away}+ bins from the tone ${below ? 'is' : 'is not'} ≤ −90 dB`, () => {
      const { power, binHz } = binPowers(sine(4096, 48000, 1000), 4096, window, 48000);
      const k = Math.round(1000 / binHz);
      let worst = Number.NEGATIVE_INFINITY;
      for (let i = 1; i < power.length; i++) if (Math.abs(i - k) >= away) worst = Math.max(worst, db(power[i]!));
      expect(worst <= -90, `worst ${worst.toFixed(1)} dB`).toBe(below);
    });
  }

  it('Blackman-Harris: 1/12-octave bands a third of an octave or more from the tone read ≤ −90 dBFS', () => {
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, bands: '1/12', attack: 0 }, 48000, 1);
    const frame = analyzer.push([sine(48000, 48000, 1000)]).at(-1)!;
    const far = frame.bands.flatMap((b, i) => (b.hi < 1000 / 2 ** (1 / 3) || b.lo > 1000 * 2 ** (1 / 3) ? [frame.channels[0]!.db[i]!] : []));
    expect(far.length).toBeGreaterThan(100);
    expect(Math.max(...far)).toBeLessThanOrEqual(-90);
  });
});

describe('DC', () => {
  it('an offset does not leak into the bands', () => {
    const signal = sine(48000, 48000, 1000, 0.5).map((v) => v + 0.4);
    const { power } = binPowers(signal, 4096, 'blackman-harris', 48000);
    expect(power[0]).toBeLessThan(1e-20);
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, attack: 0 }, 48000, 1);
    const frame = analyzer.push([signal]).at(-1)!;
    expect(frame.channels[0]!.db[0]).toBeLessThanOrEqual(-100);
  });
});
