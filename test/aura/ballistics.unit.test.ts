import { describe, expect, it } from 'vitest';
import { createBallistics } from '../../workers/aura/dsp/ballistics';

const FLOOR = -160;

/** Runs `seconds` of frames at `frameSeconds` with every band at `db`; returns the ballistics. */
function run(b: ReturnType<typeof createBallistics>, db: number, seconds: number, frameSeconds: number) {
  const target = new Float64Array(b.level.length).fill(db);
  for (let t = 0; t < Math.round(seconds / frameSeconds); t++) b.step(target);
  return b;
}

const options = { attack: 0, release: 300, peakHold: 500, gravity: 200 };

describe('attack and release', () => {
  it('attack 0 follows a step up at once; the level never overshoots', () => {
    const b = run(createBallistics(options, 1024 / 48000, 3, FLOOR), -6, 1024 / 48000, 1024 / 48000);
    expect(Array.from(b.level)).toEqual([-6, -6, -6]);
    expect(Array.from(b.peak)).toEqual([-6, -6, -6]);
  });

  // A step down of 60 dB, then 0.64 s: 30720 samples, a whole number of frames at each hop.
  for (const hop of [512, 1024, 2048]) {
    it(`release is a time constant, the same at a hop of ${hop}: 60 dB·e^(−t/τ) left after t`, () => {
      const T = hop / 48000;
      const b = run(createBallistics(options, T, 1, FLOOR), 0, 0.1, T);
      run(b, -60, 0.64, T);
      expect(b.level[0]).toBeCloseTo(-60 + 60 * Math.exp(-0.64 / 0.3), 9);
    });
  }

  it('attack is a time constant too: 63 % of a step up after τ', () => {
    const T = 1024 / 48000;
    const b = run(createBallistics({ ...options, attack: 1024 / 48 }, T, 1, -60), -60, 0, T);
    run(b, 0, T, T);
    expect(b.level[0]).toBeCloseTo(-60 * Math.exp(-1), 9);
  });
});

describe('peak hold and gravity', () => {
  const T = 480 / 48000; // 10 ms frames: hold and fall times land on frames.

  it('after a step down the peak holds for peakHold, then falls as g·t²/2, and meets the level', () => {
    const b = run(createBallistics({ ...options, release: 0 }, T, 1, FLOOR), 0, 0.1, T);
    run(b, -80, 0.5, T);
    expect(b.level[0]).toBe(-80);
    expect(b.peak[0], 'held for 500 ms').toBeCloseTo(0, 9);
    run(b, -80, 0.3, T);
    expect(b.peak[0], '0.3 s of fall at 200 dB/s²').toBeCloseTo(-(200 * 0.3 ** 2) / 2, 9);
    run(b, -80, 1, T);
    expect(b.peak[0], 'down to the level, not below').toBe(-80);
  });

  it('a louder level lifts the peak again and restarts the hold', () => {
    const b = run(createBallistics({ ...options, release: 0 }, T, 1, FLOOR), 0, 0.1, T);
    run(b, -80, 1, T);
    run(b, -20, T, T);
    expect(b.peak[0]).toBe(-20);
    run(b, -80, 0.4, T);
    expect(b.peak[0]).toBe(-20);
  });

  it('gravity 0 leaves the peak where it was', () => {
    const b = run(createBallistics({ ...options, gravity: 0 }, T, 1, FLOOR), 0, 0.1, T);
    run(b, -80, 5, T);
    expect(b.peak[0]).toBe(0);
  });

  it('the peak follows the displayed (released) level, never below it', () => {
    const b = run(createBallistics({ ...options, peakHold: 0, gravity: 10000 }, T, 1, FLOOR), 0, 0.1, T);
    for (let i = 0; i < 100; i++) {
      run(b, -80, T, T);
      expect(b.peak[0]!).toBeGreaterThanOrEqual(b.level[0]!);
    }
  });
});
