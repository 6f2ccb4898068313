import { describe, expect, it } from 'vitest';
import { weightingDb } from '../../workers/aura/dsp/weighting';

/** The exact base-10 midband frequency of the standards' tables: "31.5 Hz" is 1000·10^(−1.5). */
const midband = (x: number) => 1000 * 10 ** (x / 10);

describe('frequency weighting', () => {
  // IEC 61672-1:2013, table 3 (nominal frequency, band number, A, C); values given to 0.1 dB.
  const iec: Array<[string, number, number, number]> = [
    ['20 Hz', -17, -50.5, -6.2],
    ['31.5 Hz', -15, -39.4, -3.0],
    ['63 Hz', -12, -26.2, -0.8],
    ['100 Hz', -10, -19.1, -0.3],
    ['250 Hz', -6, -8.6, 0.0],
    ['500 Hz', -3, -3.2, 0.0],
    ['1 kHz', 0, 0.0, 0.0],
    ['2 kHz', 3, 1.2, -0.2],
    ['4 kHz', 6, 1.0, -0.8],
    ['8 kHz', 9, -1.1, -3.0],
    ['10 kHz', 10, -2.5, -4.4],
    ['16 kHz', 12, -6.6, -8.5],
    ['20 kHz', 13, -9.3, -11.2],
  ];
  for (const [label, x, a, c] of iec) {
    it(`A and C at ${label} match IEC 61672 within 0.1 dB`, () => {
      expect(Math.abs(weightingDb('A', midband(x)) - a), `A at ${label}`).toBeLessThanOrEqual(0.1);
      expect(Math.abs(weightingDb('C', midband(x)) - c), `C at ${label}`).toBeLessThanOrEqual(0.1);
    });
  }

  // ITU-R BS.468-4, table 1 (at the exact frequencies listed); tolerance 0.1 dB.
  const itu: Array<[number, number]> = [
    [31.5, -29.9],
    [63, -23.9],
    [100, -19.8],
    [200, -13.8],
    [400, -7.8],
    [1000, 0],
    [2000, 5.6],
    [4000, 10.5],
    [6300, 12.2],
    [8000, 11.4],
    [10000, 8.1],
    [12500, 0],
    [16000, -11.7],
    [20000, -22.2],
  ];
  for (const [f, db] of itu) {
    it(`ITU-R 468 at ${f} Hz is ${db} dB`, () => {
      expect(Math.abs(weightingDb('ITU-468', f) - db)).toBeLessThanOrEqual(0.1);
    });
  }

  it("'none' is flat", () => {
    for (const f of [20, 1000, 20000]) expect(weightingDb('none', f)).toBe(0);
  });
});
