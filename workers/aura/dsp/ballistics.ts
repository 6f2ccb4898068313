/**
 * Meter ballistics, per band, in dB: the displayed level follows the measured one
 * with separate attack and release time constants, and a peak marker holds the
 * highest displayed level for `peakHold` ms, then falls with constant acceleration
 * (`gravity`, dB/s²) until it meets the level again.
 *
 * Everything is expressed in time, not frames: the smoothing coefficient is
 * exp(−T/τ) for a frame period T, and the peak's fall is the closed form g·t²/2 of
 * the time since the hold ended, so the same settings look the same at any FFT size,
 * hop or sample rate.
 */
export interface BallisticsOptions {
  /** Time constant of a rise, ms (0: instant). */
  readonly attack: number;
  /** Time constant of a fall, ms (0: instant). */
  readonly release: number;
  /** How long a peak holds, ms. */
  readonly peakHold: number;
  /** Acceleration of a falling peak, dB/s² (0: peaks stay up once the hold is over). */
  readonly gravity: number;
}

export interface Ballistics {
  /** The displayed level of each band, dB. */
  readonly level: Float64Array;
  /** The peak marker of each band, dB. */
  readonly peak: Float64Array;
  /** Advances one frame towards the measured levels `target` (dB). */
  step(target: Float64Array): void;
}

/** Ballistics for `count` bands updated every `frameSeconds`, starting at `floorDb`. */
export function createBallistics(options: BallisticsOptions, frameSeconds: number, count: number, floorDb: number): Ballistics {
  const coefficient = (ms: number) => (ms <= 0 ? 0 : Math.exp(-frameSeconds / (ms / 1000)));
  const attack = coefficient(options.attack);
  const release = coefficient(options.release);
  const hold = options.peakHold / 1000;
  const gravity = options.gravity;
  const level = new Float64Array(count).fill(floorDb);
  const peak = new Float64Array(count).fill(floorDb);
  const top = new Float64Array(count).fill(floorDb);
  // Seconds since each peak was last raised.
  const since = new Float64Array(count);
  return {
    level,
    peak,
    step(target) {
      for (let i = 0; i < count; i++) {
        const t = target[i]!;
        const l = level[i]!;
        const next = t + (t > l ? attack : release) * (l - t);
        level[i] = next;
        if (next >= peak[i]!) {
          top[i] = next;
          peak[i] = next;
          since[i] = 0;
          continue;
        }
        const s = since[i]! + frameSeconds;
        since[i] = s;
        const fall = s <= hold ? 0 : (gravity * (s - hold) ** 2) / 2;
        peak[i] = Math.max(next, top[i]! - fall);
      }
    },
  };
}
