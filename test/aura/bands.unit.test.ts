import { describe, expect, it } from 'vitest';
import { bandLayout, bandMatrix, WARPED_BAND_COUNT } from '../../workers/aura/dsp/bands';
import type { BandWidth, Scale } from '../../workers/aura/settings';

describe('band layouts', () => {
  // [scale, bandwidth, sample rate, count, first centre, last centre]
  const layouts: Array<[Scale, BandWidth, number, number, number, number]> = [
    ['log', '1', 48000, 10, 31.6, 15849],
    ['log', '1/3', 48000, 31, 19.95, 19953],
    ['log', '1/3', 44100, 30, 19.95, 15849],
    ['log', '1/6', 48000, 61, 19.95, 19953],
    ['log', '1/12', 48000, 121, 19.95, 19953],
    ['log', '1/3', 22050, 27, 19.95, 7943],
    ['linear', '1/3', 48000, WARPED_BAND_COUNT, 176.1, 19844],
    ['mel', '1/3', 48000, WARPED_BAND_COUNT, 39.1, 19464],
    ['bark', '1/3', 48000, WARPED_BAND_COUNT, 34.2, 18395],
  ];
  for (const [scale, width, rate, count, first, last] of layouts) {
    it(`${scale}${scale === 'log' ? ` ${width} octave` : ''} at ${rate} Hz: ${count} bands, ${first} … ${last} Hz`, () => {
      const bands = bandLayout(scale, width, rate);
      expect(bands).toHaveLength(count);
      expect(bands[0]!.centre).toBeCloseTo(first, first < 100 ? 1 : -1);
      expect(bands.at(-1)!.centre / last).toBeCloseTo(1, 2);
      bands.forEach((b, i) => {
        expect(b.lo).toBeLessThan(b.centre);
        expect(b.centre).toBeLessThan(b.hi);
        expect(b.hi).toBeLessThanOrEqual(rate / 2);
        if (i > 0) expect(b.lo / bands[i - 1]!.hi, `band ${i} starts where ${i - 1} ends`).toBeCloseTo(1, 9);
      });
    });
  }

  it('log bands are centred on 1 kHz at every resolution, b bands per octave', () => {
    for (const [width, b] of [
      ['1', 1],
      ['1/3', 3],
      ['1/6', 6],
      ['1/12', 12],
    ] as const) {
      const bands = bandLayout('log', width, 48000);
      const k = bands.findIndex((band) => Math.abs(band.centre - 1000) < 1e-9);
      expect(k, width).toBeGreaterThanOrEqual(0);
      // Base-10 octaves: G = 10^0.3 ≈ 1.9953, not exactly 2.
      expect(bands[k + b]!.centre).toBeCloseTo(1000 * 10 ** 0.3, 6);
    }
  });

  it('warped scales start at 20 Hz and stop at 20 kHz or Nyquist', () => {
    for (const scale of ['linear', 'mel', 'bark'] as const) {
      const bands = bandLayout(scale, '1/3', 48000);
      expect(bands[0]!.lo).toBeCloseTo(20, 6);
      expect(bands.at(-1)!.hi).toBeCloseTo(20000, 6);
      expect(bandLayout(scale, '1/3', 16000).at(-1)!.hi).toBeCloseTo(8000, 6);
    }
  });
});

describe('bins to bands', () => {
  const binHz = 48000 / 4096;
  const lastBin = 2048;

  it('a band wider than a bin reads each bin by the fraction of it inside the band', () => {
    const m = bandMatrix([{ lo: 10.5 * binHz, centre: 12 * binHz, hi: 13.25 * binHz }], binHz, lastBin);
    expect(Array.from(m.bins)).toEqual([11, 12, 13]);
    expect(Array.from(m.weights)).toEqual([1, 1, 0.75]);
  });

  it('a band narrower than a bin interpolates between the bins around its centre, times its width', () => {
    const m = bandMatrix([{ lo: 2.2 * binHz, centre: 2.25 * binHz, hi: 2.7 * binHz }], binHz, lastBin);
    expect(Array.from(m.bins)).toEqual([2, 3]);
    expect(m.weights[0]).toBeCloseTo(0.75 * 0.5, 12);
    expect(m.weights[1]).toBeCloseTo(0.25 * 0.5, 12);
  });

  it('never reads bin 0 (DC), even for a band below the first bin', () => {
    const m = bandMatrix([{ lo: 0.2 * binHz, centre: 0.3 * binHz, hi: 0.4 * binHz }], binHz, lastBin);
    expect(Array.from(m.bins)).not.toContain(0);
  });

  for (const [scale, width] of [
    ['log', '1/12'],
    ['log', '1/3'],
    ['mel', '1/3'],
    ['linear', '1/3'],
  ] as const) {
    it(`${scale} ${width}: the weights add up to the span in bins (power is neither lost nor counted twice)`, () => {
      const bands = bandLayout(scale, width, 48000);
      const m = bandMatrix(bands, binHz, lastBin);
      const total = m.weights.reduce((a, b) => a + b, 0);
      expect(total / ((bands.at(-1)!.hi - bands[0]!.lo) / binHz)).toBeCloseTo(1, 2);
    });
  }
});
