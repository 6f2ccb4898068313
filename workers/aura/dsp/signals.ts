/**
 * Test signals, pure and reproducible: the same arguments give the same samples on
 * every run and platform (the noise comes from a seeded PRNG, never Math.random).
 * Each returns mono Float32Array samples, as audio arrives from a browser.
 */

/** mulberry32: a small, fast 32-bit PRNG, uniform in [0, 1). Good enough for noise, not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sine of `amplitude` (1 = full scale) at `frequency` Hz. */
export function sine(length: number, sampleRate: number, frequency: number, amplitude = 1, phase = 0): Float32Array {
  const out = new Float32Array(length);
  const w = (2 * Math.PI * frequency) / sampleRate;
  for (let n = 0; n < length; n++) out[n] = amplitude * Math.sin(w * n + phase);
  return out;
}

/** An exponential (log) sweep from `from` to `to` Hz over `length` samples: equal time per octave. */
export function logSweep(length: number, sampleRate: number, from: number, to: number, amplitude = 1): Float32Array {
  const out = new Float32Array(length);
  const duration = length / sampleRate;
  const rate = Math.log(to / from);
  const k = (2 * Math.PI * from * duration) / rate;
  for (let n = 0; n < length; n++) out[n] = amplitude * Math.sin(k * (Math.exp(((n / sampleRate) * rate) / duration) - 1));
  return out;
}

/** Partials of equal amplitude whose peaks add up to at most `amplitude`. */
export function chord(length: number, sampleRate: number, frequencies: readonly number[], amplitude = 1): Float32Array {
  const out = new Float32Array(length);
  const each = amplitude / Math.max(1, frequencies.length);
  for (const f of frequencies) {
    const w = (2 * Math.PI * f) / sampleRate;
    for (let n = 0; n < length; n++) out[n] = out[n]! + each * Math.sin(w * n);
  }
  return out;
}

/** Uniform white noise in [−amplitude, amplitude). */
export function whiteNoise(length: number, seed: number, amplitude = 1): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(length);
  for (let n = 0; n < length; n++) out[n] = amplitude * (2 * random() - 1);
  return out;
}

/**
 * Pink noise (−3 dB per octave) by Paul Kellet's "refined" filter: seven first-order
 * sections whose sum is within ±0.05 dB of 1/f above ≈ 10 Hz at 44.1–48 kHz. At the
 * default amplitude the RMS level is about −18 dBFS (AES17: relative to a full-scale sine) and peaks stay near −9 dBFS.
 */
export function pinkNoise(length: number, seed: number, amplitude = 0.05): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(length);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let b4 = 0;
  let b5 = 0;
  let b6 = 0;
  for (let n = 0; n < length; n++) {
    const white = 2 * random() - 1;
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[n] = amplitude * (b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362);
    b6 = white * 0.115926;
  }
  return out;
}
