/**
 * The built-in test signals as endless streams: `next(n)` returns the next n samples,
 * continuing exactly where the previous call stopped (phase, sweep position and noise
 * filter state carry over), so a room that generates 33 ms at a time produces the
 * same audio as one long call. Pure and seeded, like signals.ts, whose one-shot
 * functions these continue.
 */
import { seededRandom } from './signals';

export type SignalSpec =
  | { kind: 'sine'; frequency: number }
  | { kind: 'sweep'; from: number; to: number; seconds: number }
  | { kind: 'pink' }
  | { kind: 'chord'; frequencies: readonly number[] };

export interface Generator {
  readonly sampleRate: number;
  next(n: number): Float32Array;
}

/** Test signals play at −6 dBFS (a full-scale sine would pin every meter at the ceiling); pink noise at ≈ −18 dBFS RMS. */
export const SIGNAL_LEVEL = 0.5;
const TAU = 2 * Math.PI;

function oscillators(frequencies: readonly number[], sampleRate: number, amplitude: number): Generator {
  const steps = frequencies.map((f) => (TAU * f) / sampleRate);
  const phases = frequencies.map(() => 0);
  const each = amplitude / Math.max(1, frequencies.length);
  return {
    sampleRate,
    next(n) {
      const out = new Float32Array(n);
      for (let k = 0; k < steps.length; k++) {
        const w = steps[k]!;
        let p = phases[k]!;
        for (let i = 0; i < n; i++) {
          out[i] = out[i]! + each * Math.sin(p);
          p += w;
        }
        phases[k] = p % TAU;
      }
      return out;
    },
  };
}

/** An exponential sweep from `from` to `to` over `seconds`, then again from the start (phase continuous at the wrap). */
function sweep(from: number, to: number, seconds: number, sampleRate: number, amplitude: number): Generator {
  const length = Math.max(1, Math.round(seconds * sampleRate));
  const growth = Math.log(to / from) / length;
  let position = 0;
  let phase = 0;
  return {
    sampleRate,
    next(n) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = amplitude * Math.sin(phase);
        phase = (phase + (TAU * from * Math.exp(growth * position)) / sampleRate) % TAU;
        position = (position + 1) % length;
      }
      return out;
    },
  };
}

/** Paul Kellet's refined pink filter (see signals.ts `pinkNoise`), its state kept between calls. */
function pink(seed: number, sampleRate: number, amplitude: number): Generator {
  const random = seededRandom(seed);
  const b = new Float64Array(7);
  return {
    sampleRate,
    next(n) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const white = 2 * random() - 1;
        b[0] = 0.99886 * b[0]! + white * 0.0555179;
        b[1] = 0.99332 * b[1]! + white * 0.0750759;
        b[2] = 0.969 * b[2]! + white * 0.153852;
        b[3] = 0.8665 * b[3]! + white * 0.3104856;
        b[4] = 0.55 * b[4]! + white * 0.5329522;
        b[5] = -0.7616 * b[5]! - white * 0.016898;
        out[i] = amplitude * (b[0]! + b[1]! + b[2]! + b[3]! + b[4]! + b[5]! + b[6]! + white * 0.5362);
        b[6] = white * 0.115926;
      }
      return out;
    },
  };
}

export function createGenerator(spec: SignalSpec, sampleRate: number, seed = 1): Generator {
  switch (spec.kind) {
    case 'sine':
      return oscillators([spec.frequency], sampleRate, SIGNAL_LEVEL);
    case 'chord':
      return oscillators(spec.frequencies, sampleRate, SIGNAL_LEVEL);
    case 'sweep':
      return sweep(spec.from, spec.to, spec.seconds, sampleRate, SIGNAL_LEVEL);
    case 'pink':
      return pink(seed, sampleRate, 0.05);
  }
}
