import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../workers/aura/dsp/analyzer';
import { createGenerator, SIGNAL_LEVEL, type SignalSpec } from '../../workers/aura/dsp/generator';
import { pinkNoise, sine } from '../../workers/aura/dsp/signals';
import { DEFAULT_SETTINGS } from '../../workers/aura/settings';

const RATE = 48_000;
const SPECS: SignalSpec[] = [
  { kind: 'sine', frequency: 1000 },
  { kind: 'chord', frequencies: [261.63, 329.63, 392] },
  { kind: 'sweep', from: 20, to: 20_000, seconds: 1 },
  { kind: 'pink' },
];

/** The same generator read in pieces of these sizes, joined. */
function inPieces(spec: SignalSpec, sizes: number[]): Float32Array {
  const g = createGenerator(spec, RATE);
  const out = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const n of sizes) {
    out.set(g.next(n), at);
    at += n;
  }
  return out;
}

describe('streaming test signals', () => {
  for (const spec of SPECS) {
    it(`${spec.kind}: reading 33 ms at a time gives the same audio as one long read`, () => {
      const whole = createGenerator(spec, RATE).next(RATE);
      const pieces = inPieces(spec, [...Array.from({ length: 30 }, () => 1600), 0]);
      expect(pieces.length).toBe(whole.length);
      let worst = 0;
      for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(whole[i]! - pieces[i]!));
      // Phases are kept modulo 2π between calls: equal to float32 rounding.
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('the sine continues the one-shot sine of signals.ts (at the signal level)', () => {
    const stream = inPieces({ kind: 'sine', frequency: 440 }, [100, 37, 4000]);
    const oneShot = sine(4137, RATE, 440, SIGNAL_LEVEL);
    for (let i = 0; i < oneShot.length; i++) expect(stream[i]).toBeCloseTo(oneShot[i]!, 4);
  });

  it('pink noise is the one-shot pink noise of the same seed, sample for sample', () => {
    const stream = inPieces({ kind: 'pink' }, [5, 1000, 3]);
    const oneShot = pinkNoise(1008, 1);
    for (let i = 0; i < oneShot.length; i++) expect(stream[i]).toBeCloseTo(oneShot[i]!, 6);
  });

  it('stays within full scale', () => {
    for (const spec of SPECS) {
      const samples = createGenerator(spec, RATE).next(RATE * 2);
      expect(Math.max(...samples.map(Math.abs)), spec.kind).toBeLessThanOrEqual(1);
    }
  });

  it('a 1 kHz test sine reads −6 dBFS in the 1 kHz band of the room’s analyzer', () => {
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, attack: 0 }, RATE, 1);
    const frames = analyzer.push([createGenerator({ kind: 'sine', frequency: 1000 }, RATE).next(RATE / 2)]);
    const last = frames.at(-1)!;
    const loudest = last.channels[0]!.db.indexOf(Math.max(...last.channels[0]!.db));
    expect(last.bands[loudest]!.centre).toBeCloseTo(1000, -1);
    expect(last.channels[0]!.db[loudest]).toBeCloseTo(20 * Math.log10(SIGNAL_LEVEL), 0);
  });

  it('the sweep covers its range within its period', () => {
    const analyzer = createAnalyzer({ ...DEFAULT_SETTINGS, attack: 0, release: 0 }, RATE, 1);
    const frames = analyzer.push([createGenerator({ kind: 'sweep', from: 100, to: 10_000, seconds: 2 }, RATE).next(2 * RATE)]);
    const peaks = frames.map((f) => f.bands[f.channels[0]!.db.indexOf(Math.max(...f.channels[0]!.db))]!.centre);
    expect(Math.min(...peaks.slice(5))).toBeLessThan(200);
    // The 8 kHz third-octave band (centre 7.94 kHz) or above: the sweep reaches its top within its period.
    expect(Math.max(...peaks)).toBeGreaterThanOrEqual(7900);
  });
});
