/**
 * The instruments of Melos's synthesizer, and the voice that plays one note of one.
 *
 * An instrument is a patch: an oscillator, an ADSR envelope, and optionally a
 * 2-pole low-pass whose cutoff (a multiple of the note's frequency) glides from one
 * value to another, or an FM modulation index that glides. Drums are patches too:
 * noise and pitched sines with their own short envelopes.
 *
 * Oscillators: PolyBLEP saw and square (each discontinuity smoothed by a 2-sample
 * polynomial residual, so harmonics above Nyquist mostly do not fold back); a naive
 * triangle (its harmonics fall at 12 dB an octave, so what aliases is quiet: cheaper
 * and steadier than integrating a PolyBLEP square, which drifts with DC); sines from a
 * 4,096-point table with linear interpolation (error < 3e-7, far below 16 bits);
 * 2-operator FM (carrier and modulator from the same table) for keys and bells; and
 * a seeded xorshift32 noise for drums, so a render never calls Math.random.
 *
 * Envelope times are T60s (the time to fall 60 dB) for decay and release; attack is
 * linear. A voice ends when its level is under FLOOR after the attack.
 *
 * The Voice class explains how its loops are shaped for speed and why a block
 * boundary cannot change a sample.
 *
 * Pure: no Workers, no Hono.
 */
import type { Drum, Role } from './recipe';

/** The instruments (pitched) and what they sound like. */
export const INSTRUMENTS = [
  'sine',
  'flute',
  'fm key',
  'fm bell',
  'organ',
  'pluck',
  'bass',
  'synth bass',
  'strings',
  'brass',
  'reed',
  'square lead',
  'saw lead',
  'pad',
] as const;
export type Instrument = (typeof INSTRUMENTS)[number];

/**
 * The instrument that plays a General MIDI program, by family (GM's groups of eight),
 * with a few exceptions where a family holds very different sounds.
 */
export function instrumentFor(program: number): Instrument {
  const p = Math.min(127, Math.max(0, Math.round(program)));
  if (p <= 7) return 'fm key'; // pianos, electric pianos, harpsichord, clavinet
  if (p <= 15) return 'fm bell'; // celesta, glockenspiel, music box, vibraphone, marimba, xylophone, bells, dulcimer
  if (p <= 23) return 'organ';
  if (p <= 31) return 'pluck'; // guitars
  if (p <= 37) return 'bass'; // acoustic, finger, pick, fretless, slap basses
  if (p <= 39) return 'synth bass';
  if (p <= 55) return 'strings'; // strings and ensembles (choirs included)
  if (p <= 63) return 'brass';
  if (p <= 71) return 'reed';
  if (p <= 77) return 'flute'; // piccolo, flute, recorder, pan flute, bottle, shakuhachi
  if (p <= 79) return 'sine'; // whistle, ocarina
  if (p === 80) return 'square lead';
  if (p <= 87) return 'saw lead';
  if (p <= 103) return 'pad'; // synth pads and synth effects
  if (p <= 111) return 'pluck'; // sitar, banjo, shamisen, koto, kalimba, …
  if (p <= 119) return 'fm bell'; // tinkle bell, agogo, steel drums, woodblock, …
  return 'sine'; // sound effects: a plain tone rather than a bad imitation
}

/** The drum a General MIDI percussion key stands for, when a note names none. */
export function drumForKey(key: number): Drum {
  if (key === 35 || key === 36) return 'kick';
  if (key === 37) return 'rim';
  if (key === 38 || key === 40) return 'snare';
  if (key === 39) return 'clap';
  if (key === 46) return 'open hat';
  if (key === 41 || key === 43 || key === 45) return 'low tom';
  if (key === 47 || key === 48 || key === 50) return 'high tom';
  if (key === 49 || key === 52 || key === 55 || key === 57) return 'crash';
  if (key === 51 || key === 53 || key === 59) return 'ride';
  return 'closed hat';
}

/** The cutoff of each role's track low-pass, Hz: bass darker, drums nearly open. */
export const ROLE_CUTOFF: Record<Role, number> = { melody: 10_000, chords: 7_000, arpeggio: 9_000, bass: 3_500, drums: 16_000 };

// Oscillators (Patch.wave).
const SINE = 0;
const TRIANGLE = 1;
const SAW = 2;
const SQUARE = 3;
const SAWS = 4;
const ORGAN = 5;
const FM = 6;
const KICK = 7;
const TOM = 8;
const SNARE = 9;
const CLAP = 10;
const HAT = 11;
const CYMBAL = 12;
const RIM = 13;

/** A sound. Times in seconds; every field is present so voices stay one shape for the JIT. */
export type Patch = {
  wave: number;
  /** Linear rise to full level. */
  attack: number;
  /** T60 of the fall from full level towards `sustain` (0 = the note dies away while held). */
  decay: number;
  sustain: number;
  /** T60 after the note ends. */
  release: number;
  gain: number;
  /** Two detuned saws: cents between them. */
  detune: number;
  /** FM: modulator frequency ÷ carrier frequency, and the modulation index (radians) from `index` to `indexEnd`, T60 `indexTime`. */
  ratio: number;
  index: number;
  indexEnd: number;
  indexTime: number;
  /** Low-pass cutoff × the note's frequency, gliding from `cutoff` to `cutoffEnd` (T60 `cutoffTime`); 0 = no filter. */
  cutoff: number;
  cutoffEnd: number;
  cutoffTime: number;
  /** Drums: a sine swept from `f0` to `f1` Hz (T60 `sweep`), a second envelope of T60 `burst`, and noise high-passed at `hp` and low-passed at `lp` Hz. */
  f0: number;
  f1: number;
  sweep: number;
  burst: number;
  hp: number;
  lp: number;
};

const base: Patch = {
  wave: SINE,
  attack: 0.005,
  decay: 1,
  sustain: 1,
  release: 0.15,
  gain: 0.5,
  detune: 0,
  ratio: 1,
  index: 0,
  indexEnd: 0,
  indexTime: 1,
  cutoff: 0,
  cutoffEnd: 0,
  cutoffTime: 1,
  f0: 0,
  f1: 0,
  sweep: 1,
  burst: 1,
  hp: 0,
  lp: 0,
};
const patch = (p: Partial<Patch>): Patch => ({ ...base, ...p });

export const PATCHES: Record<Instrument, Patch> = {
  sine: patch({ wave: SINE, attack: 0.005, sustain: 1, release: 0.15, gain: 0.5 }),
  flute: patch({ wave: TRIANGLE, attack: 0.04, decay: 0.4, sustain: 0.85, release: 0.2, gain: 0.5 }),
  'fm key': patch({ wave: FM, attack: 0.003, decay: 3, sustain: 0, release: 0.35, gain: 0.5, ratio: 1, index: 2.2, indexEnd: 0.3, indexTime: 1.2 }),
  'fm bell': patch({ wave: FM, attack: 0.002, decay: 2.5, sustain: 0, release: 0.9, gain: 0.4, ratio: 3.5, index: 3, indexEnd: 0.2, indexTime: 1 }),
  organ: patch({ wave: ORGAN, attack: 0.01, decay: 0.2, sustain: 1, release: 0.08, gain: 0.4 }),
  pluck: patch({ wave: SAW, attack: 0.002, decay: 1.6, sustain: 0, release: 0.2, gain: 0.5, cutoff: 10, cutoffEnd: 1.5, cutoffTime: 0.6 }),
  bass: patch({ wave: SQUARE, attack: 0.004, decay: 1, sustain: 0.5, release: 0.1, gain: 0.6, cutoff: 5, cutoffEnd: 2, cutoffTime: 0.3 }),
  'synth bass': patch({ wave: SAW, attack: 0.003, decay: 0.6, sustain: 0.6, release: 0.08, gain: 0.55, cutoff: 12, cutoffEnd: 2.5, cutoffTime: 0.25 }),
  strings: patch({ wave: SAWS, attack: 0.25, decay: 0.6, sustain: 0.9, release: 0.5, gain: 0.4, detune: 8, cutoff: 5, cutoffEnd: 5 }),
  brass: patch({ wave: SAW, attack: 0.04, decay: 0.4, sustain: 0.8, release: 0.15, gain: 0.4, cutoff: 1.5, cutoffEnd: 5, cutoffTime: 0.2 }),
  reed: patch({ wave: SQUARE, attack: 0.03, decay: 0.3, sustain: 0.85, release: 0.12, gain: 0.35, cutoff: 4, cutoffEnd: 4 }),
  'square lead': patch({ wave: SQUARE, attack: 0.005, decay: 0.4, sustain: 0.8, release: 0.12, gain: 0.35, cutoff: 10, cutoffEnd: 10 }),
  'saw lead': patch({ wave: SAW, attack: 0.005, decay: 0.4, sustain: 0.8, release: 0.12, gain: 0.35, cutoff: 12, cutoffEnd: 12 }),
  pad: patch({ wave: SAWS, attack: 0.5, decay: 1.2, sustain: 0.8, release: 1, gain: 0.35, detune: 12, cutoff: 3, cutoffEnd: 3 }),
};

const drum = (p: Partial<Patch>): Patch => patch({ attack: 0.001, sustain: 0, release: 0.05, ...p });

export const DRUM_PATCHES: Record<Drum, Patch> = {
  kick: drum({ wave: KICK, decay: 0.5, gain: 1, f0: 150, f1: 48, sweep: 0.12, burst: 0.012 }),
  snare: drum({ wave: SNARE, decay: 0.28, gain: 0.55, f0: 230, f1: 185, sweep: 0.05, burst: 0.12, hp: 1500 }),
  clap: drum({ wave: CLAP, decay: 0.35, gain: 0.7, burst: 0.025, hp: 900, lp: 3000 }),
  'closed hat': drum({ wave: HAT, decay: 0.09, gain: 0.45, hp: 7000 }),
  'open hat': drum({ wave: HAT, decay: 0.6, gain: 0.35, hp: 6500 }),
  'low tom': drum({ wave: TOM, decay: 0.45, gain: 0.7, f0: 125, f1: 85, sweep: 0.15, burst: 0.02 }),
  'high tom': drum({ wave: TOM, decay: 0.35, gain: 0.6, f0: 210, f1: 150, sweep: 0.12, burst: 0.02 }),
  rim: drum({ wave: RIM, decay: 0.05, gain: 0.5, f0: 1100, f1: 1100, burst: 0.03, hp: 2000 }),
  crash: drum({ wave: CYMBAL, decay: 2.2, gain: 0.3, f0: 0, f1: 0, burst: 1, hp: 4000 }),
  ride: drum({ wave: CYMBAL, decay: 1.4, gain: 0.22, f0: 3500, f1: 3500, burst: 0.8, hp: 5500 }),
};

const TABLE_BITS = 12;
const TABLE = 1 << TABLE_BITS;
/** One cycle of sine, plus a wrap-around point so interpolation needs no mask. Shared by every renderer. */
const SIN = new Float64Array(TABLE + 1);
for (let i = 0; i <= TABLE; i++) SIN[i] = Math.sin((2 * Math.PI * i) / TABLE);

/**
 * Phases are 32-bit integers (a whole cycle is 2^32, wrapping for free): the top 12
 * bits index the sine table, the low 20 interpolate. An integer add is all a sample's
 * phase costs, with no wrap test: floating-point phase carried a 2-add dependency a
 * sample and was the slowest part of the loops.
 */
const CYCLE = 4294967296;
const PHASE_TO_UNIT = 1 / CYCLE;
const FRAC_BITS = 32 - TABLE_BITS;
const FRAC_MASK = (1 << FRAC_BITS) - 1;
const FRAC_TO_UNIT = 1 / (1 << FRAC_BITS);
/** The most FM depth, in cycles: under half a cycle keeps depth × modulator inside int32. */
const MAX_DEPTH = 0.49;

/** Samples between envelope ticks. */
const CONTROL = 32;
/** ln(1000): a T60 of T seconds is a per-sample factor of exp(−LN1000 / (T × rate)). */
const LN1000 = Math.log(1000);
/** A voice whose level (envelope × velocity × patch gain) falls below this after its attack is over: −86 dB, under the 16-bit step once mixed. */
const FLOOR = 5e-5;
/** 2^−31: an int32 to [−1, 1). */
const INT_TO_UNIT = 1 / 2147483648;

const t60 = (seconds: number, rate: number) => Math.exp(-LN1000 / (Math.max(1e-4, seconds) * rate));
/** The one-pole coefficient for a cutoff in Hz, the cutoff held between 10 Hz and 0.45 × the rate. */
export const onePole = (hz: number, rate: number) => 1 - Math.exp((-2 * Math.PI * Math.min(Math.max(hz, 10), 0.45 * rate)) / rate);
/** A frequency (cycles a sample, < ½) as a 32-bit phase increment. */
const increment = (cycles: number) => Math.round(Math.min(cycles, 0.45) * CYCLE) | 0;

/** A 32-bit hash (murmur3's finalizer) of a seed and a note's index: each drum hit its own, repeatable noise. */
export function noiseSeed(seed: number, note: number): number {
  let h = (seed ^ Math.imul(note + 1, 0x9e3779b9)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 0x6d2b79f5 : h;
}

/**
 * One sounding note. The renderer keeps a pool of these and reuses them; `start`
 * resets every field, so a reused voice remembers nothing of its last note.
 *
 * Each oscillator has one fused loop (oscillator, filter, envelope, sum into the
 * track's bus), so the dependency chains of phase, filter and level run side by side.
 * The envelope, the filter's cutoff glide and the FM depth glide move every CONTROL
 * samples of the voice's age (a tick) and the level is ramped linearly in between: a
 * note's end takes effect at the first tick at or after it (at most 0.7 ms late at
 * 44.1 kHz), and a voice dies at a tick. Ticks count from the note's start and every
 * other quantity moves once a sample, so where a block boundary falls changes nothing.
 */
export class Voice {
  active = false;
  track = 0;
  pitch = 0;
  /** The frame it started at (the oldest is stolen first). */
  startFrame = 0;
  /** The voice's age at its next tick, and the age at which the note ends (−1: never, for drums). */
  age = 0;
  offAt = -1;
  /** 0 attack, 1 decay/sustain, 2 release. */
  stage = 0;
  /** The envelope at the next tick; the level (× amp) now and its change a sample; samples to the next tick. */
  env = 0;
  level = 0;
  levelStep = 0;
  left = 0;
  attackStep = 0;
  decayK = 0;
  sustain = 0;
  releaseK = 0;
  amp = 0;
  wave = 0;
  /** The loop that plays this wave (see KERNELS). */
  kernel: Kernel = sineLoop;
  /** Phases (32-bit) and their increments a sample. */
  p1 = 0;
  p2 = 0;
  p3 = 0;
  d1 = 0;
  d2 = 0;
  d3 = 0;
  /** The saw's increment as a fraction of a cycle (PolyBLEP's width). */
  dt1 = 0;
  dt2 = 0;
  /** FM depth (phase units) gliding to depthEnd once a tick; organ partials' weights. */
  depth = 0;
  depthEnd = 0;
  depthK = 0;
  w2 = 0;
  w3 = 0;
  /** Low-pass coefficient gliding to gEnd once a tick, and the filter's two states. */
  g = 0;
  gEnd = 0;
  gK = 0;
  z1 = 0;
  z2 = 0;
  /** Drums: pitch sweep (cycles a sample) towards fEnd, second envelope, clap bursts, noise and its filters. */
  f = 0;
  fEnd = 0;
  fK = 0;
  e2 = 0;
  e2K = 0;
  burstLen = 0;
  burstLeft = 0;
  bursts = 0;
  noise = 1;
  hpA = 0;
  hpZ = 0;
  lpA = 0;
  lpZ = 0;

  /**
   * Starts a note: `length` is how many samples it is held (ignored by drums), `velocity`
   * 1–100, `seed` the noise seed (drums).
   */
  start(p: Patch, track: number, pitch: number, velocity: number, frame: number, length: number, rate: number, seed: number): void {
    this.active = true;
    this.track = track;
    this.pitch = pitch;
    this.startFrame = frame;
    this.age = 0;
    this.offAt = p.wave >= KICK ? -1 : Math.max(1, length);
    this.stage = 0;
    this.env = 0;
    this.level = 0;
    this.levelStep = 0;
    this.left = 0;
    this.attackStep = 1 / Math.max(1, p.attack * rate);
    // Decay and release factors for a whole tick.
    this.decayK = t60(p.decay, rate) ** CONTROL;
    this.sustain = p.sustain;
    this.releaseK = t60(p.release, rate) ** CONTROL;
    const v = Math.min(100, Math.max(1, velocity)) / 100;
    this.amp = p.gain * v * v;
    this.wave = p.wave;
    this.kernel = KERNELS[Math.min(p.wave, KICK)]!;
    const hz = 440 * 2 ** ((pitch - 69) / 12);
    const cycles = Math.min(hz / rate, 0.45);
    this.p1 = 0;
    this.p2 = 0;
    this.p3 = 0;
    this.d1 = increment(cycles);
    this.d2 = 0;
    this.d3 = 0;
    this.dt1 = this.d1 * PHASE_TO_UNIT;
    this.dt2 = 0;
    this.depth = 0;
    this.depthEnd = 0;
    this.depthK = 0;
    this.w2 = 0;
    this.w3 = 0;
    if (p.wave === SAWS) {
      // Two saws, `detune` cents apart around the note, half a cycle apart so their edges do not add up into one click.
      const spread = 2 ** (p.detune / 2400);
      this.d1 = increment(cycles * spread);
      this.d2 = increment(cycles / spread);
      this.dt1 = this.d1 * PHASE_TO_UNIT;
      this.dt2 = this.d2 * PHASE_TO_UNIT;
      this.p2 = -0x80000000;
    } else if (p.wave === ORGAN) {
      // Drawbars 8', 4' and 2⅔': the second and third harmonics, dropped where they would pass Nyquist.
      this.w2 = 2 * cycles < 0.45 ? 0.5 : 0;
      this.w3 = 3 * cycles < 0.45 ? 0.3 : 0;
      this.d2 = increment(2 * cycles);
      this.d3 = increment(3 * cycles);
    } else if (p.wave === FM) {
      this.d2 = increment(cycles * p.ratio);
      // High notes get less modulation, as a struck string or bar does.
      const scale = Math.min(1, 2 ** (-(pitch - 60) / 24));
      this.depth = Math.min(MAX_DEPTH, (p.index * scale) / (2 * Math.PI)) * CYCLE;
      this.depthEnd = Math.min(MAX_DEPTH, (p.indexEnd * scale) / (2 * Math.PI)) * CYCLE;
      this.depthK = t60(p.indexTime, rate) ** CONTROL;
    }
    this.g = p.cutoff > 0 ? onePole(p.cutoff * hz, rate) : 1;
    this.gEnd = p.cutoffEnd > 0 ? onePole(p.cutoffEnd * hz, rate) : this.g;
    this.gK = t60(p.cutoffTime, rate) ** CONTROL;
    this.z1 = 0;
    this.z2 = 0;
    this.f = p.f0 / rate;
    this.fEnd = p.f1 / rate;
    this.fK = t60(p.sweep, rate);
    this.e2 = 1;
    this.e2K = t60(p.burst, rate);
    this.burstLen = Math.max(1, Math.round(0.011 * rate));
    this.burstLeft = this.burstLen;
    this.bursts = p.wave === CLAP ? 2 : 0;
    this.noise = seed | 0 || 1;
    this.hpA = p.hp > 0 ? onePole(p.hp, rate) : 0;
    this.hpZ = 0;
    this.lpA = p.lp > 0 ? onePole(p.lp, rate) : 1;
    this.lpZ = 0;
  }

  /** Ends the note now (its release begins at the next tick). */
  release(): void {
    if (this.stage !== 2 && this.offAt !== -1) this.offAt = Math.min(this.offAt, this.age);
  }

  /** Adds samples [from, to) of this voice into `out`. Returns false once the voice has died away (it adds nothing after that). */
  render(out: Float64Array, from: number, to: number): boolean {
    return this.kernel(this, out, from, to);
  }

  /**
   * Moves to the next tick: the envelope's stage and the ramp to the level it reaches
   * then, the cutoff and FM depth glides. False once the voice has died away.
   */
  tick(): boolean {
    const env = this.env;
    if (this.stage !== 2 && this.offAt !== -1 && this.age >= this.offAt) this.stage = 2;
    if (this.stage !== 0 && env * this.amp < FLOOR) {
      this.active = false;
      return false;
    }
    let target: number;
    if (this.stage === 0) {
      target = env + this.attackStep * CONTROL;
      if (target >= 1) {
        target = 1;
        this.stage = 1;
      }
    } else if (this.stage === 1) target = this.sustain + (env - this.sustain) * this.decayK;
    else target = env * this.releaseK;
    this.level = env * this.amp;
    this.levelStep = ((target - env) * this.amp) / CONTROL;
    this.env = target;
    this.left = CONTROL;
    this.age += CONTROL;
    this.g = this.gEnd + (this.g - this.gEnd) * this.gK;
    this.depth = this.depthEnd + (this.depth - this.depthEnd) * this.depthK;
    return true;
  }
}

// The loops below share one shape: at a tick, ask tick() and reload what it moves;
// then one sample of the oscillator, × level, into out; level += step.

function sineLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p = voice.p1;
  const d = voice.d1;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
    }
    const j = p >>> FRAC_BITS;
    const a = SIN[j]!;
    out[i] = out[i]! + (a + (SIN[j + 1]! - a) * ((p & FRAC_MASK) * FRAC_TO_UNIT)) * level;
    p = (p + d) | 0;
    level += step;
    left--;
  }
  voice.p1 = p;
  voice.level = level;
  voice.left = left;
  return true;
}

/** A naive triangle: its harmonics fall 12 dB an octave, so what aliases is quiet. */
function triangleLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p = voice.p1;
  const d = voice.d1;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
    }
    out[i] = out[i]! + (4 * Math.abs((p >>> 0) * PHASE_TO_UNIT - 0.5) - 1) * level;
    p = (p + d) | 0;
    level += step;
    left--;
  }
  voice.p1 = p;
  voice.level = level;
  voice.left = left;
  return true;
}

/** A PolyBLEP saw through the 2-pole low-pass. */
function sawLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p = voice.p1;
  const d = voice.d1;
  const dt = voice.dt1;
  let z1 = voice.z1;
  let z2 = voice.z2;
  let g = voice.g;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
      g = voice.g;
    }
    const t = (p >>> 0) * PHASE_TO_UNIT;
    let v = 2 * t - 1;
    if (t < dt) {
      const x = t / dt;
      v -= x + x - x * x - 1;
    } else if (t > 1 - dt) {
      const x = (t - 1) / dt;
      v -= x * x + x + x + 1;
    }
    z1 += g * (v - z1);
    z2 += g * (z1 - z2);
    out[i] = out[i]! + z2 * level;
    p = (p + d) | 0;
    level += step;
    left--;
  }
  voice.p1 = p;
  voice.z1 = z1;
  voice.z2 = z2;
  voice.level = level;
  voice.left = left;
  return true;
}

/** Two detuned PolyBLEP saws through the 2-pole low-pass. */
function sawsLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p1 = voice.p1;
  let p2 = voice.p2;
  const { d1, d2, dt1, dt2 } = voice;
  let z1 = voice.z1;
  let z2 = voice.z2;
  let g = voice.g;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
      g = voice.g;
    }
    const t1 = (p1 >>> 0) * PHASE_TO_UNIT;
    const t2 = (p2 >>> 0) * PHASE_TO_UNIT;
    let v = t1 + t2 - 1;
    if (t1 < dt1) {
      const x = t1 / dt1;
      v -= 0.5 * (x + x - x * x - 1);
    } else if (t1 > 1 - dt1) {
      const x = (t1 - 1) / dt1;
      v -= 0.5 * (x * x + x + x + 1);
    }
    if (t2 < dt2) {
      const x = t2 / dt2;
      v -= 0.5 * (x + x - x * x - 1);
    } else if (t2 > 1 - dt2) {
      const x = (t2 - 1) / dt2;
      v -= 0.5 * (x * x + x + x + 1);
    }
    z1 += g * (v - z1);
    z2 += g * (z1 - z2);
    out[i] = out[i]! + z2 * level;
    p1 = (p1 + d1) | 0;
    p2 = (p2 + d2) | 0;
    level += step;
    left--;
  }
  voice.p1 = p1;
  voice.p2 = p2;
  voice.z1 = z1;
  voice.z2 = z2;
  voice.level = level;
  voice.left = left;
  return true;
}

/** A PolyBLEP square (edges at phase 0 and ½) through the 2-pole low-pass. */
function squareLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p = voice.p1;
  const d = voice.d1;
  const dt = voice.dt1;
  let z1 = voice.z1;
  let z2 = voice.z2;
  let g = voice.g;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
      g = voice.g;
    }
    const t = (p >>> 0) * PHASE_TO_UNIT;
    const q = ((p + 0x80000000) >>> 0) * PHASE_TO_UNIT;
    let v = t < 0.5 ? 1 : -1;
    if (t < dt) {
      const x = t / dt;
      v += x + x - x * x - 1;
    } else if (t > 1 - dt) {
      const x = (t - 1) / dt;
      v += x * x + x + x + 1;
    }
    if (q < dt) {
      const x = q / dt;
      v -= x + x - x * x - 1;
    } else if (q > 1 - dt) {
      const x = (q - 1) / dt;
      v -= x * x + x + x + 1;
    }
    z1 += g * (v - z1);
    z2 += g * (z1 - z2);
    out[i] = out[i]! + z2 * level;
    p = (p + d) | 0;
    level += step;
    left--;
  }
  voice.p1 = p;
  voice.z1 = z1;
  voice.z2 = z2;
  voice.level = level;
  voice.left = left;
  return true;
}

function organLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let p1 = voice.p1;
  let p2 = voice.p2;
  let p3 = voice.p3;
  const { d1, d2, d3, w2, w3 } = voice;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
    }
    const j1 = p1 >>> FRAC_BITS;
    const j2 = p2 >>> FRAC_BITS;
    const j3 = p3 >>> FRAC_BITS;
    const a1 = SIN[j1]!;
    const a2 = SIN[j2]!;
    const a3 = SIN[j3]!;
    const v =
      a1 +
      (SIN[j1 + 1]! - a1) * ((p1 & FRAC_MASK) * FRAC_TO_UNIT) +
      w2 * (a2 + (SIN[j2 + 1]! - a2) * ((p2 & FRAC_MASK) * FRAC_TO_UNIT)) +
      w3 * (a3 + (SIN[j3 + 1]! - a3) * ((p3 & FRAC_MASK) * FRAC_TO_UNIT));
    out[i] = out[i]! + 0.6 * v * level;
    p1 = (p1 + d1) | 0;
    p2 = (p2 + d2) | 0;
    p3 = (p3 + d3) | 0;
    level += step;
    left--;
  }
  voice.p1 = p1;
  voice.p2 = p2;
  voice.p3 = p3;
  voice.level = level;
  voice.left = left;
  return true;
}

/** 2-operator FM: a sine modulator (ratio × the note) bends a sine carrier's phase by up to `depth`. */
function fmLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  let pc = voice.p1;
  let pm = voice.p2;
  const { d1, d2 } = voice;
  let depth = voice.depth;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
      depth = voice.depth;
    }
    // The modulator from the nearest table entry (an error of 1/1300 of its depth, a periodic one: a slightly
    // different timbre, not noise), the carrier interpolated. depth < ½ cycle keeps depth × m inside int32.
    const m = SIN[((pm >>> 1) + (1 << (FRAC_BITS - 2))) >>> (FRAC_BITS - 1)]!;
    const q = (pc + ((depth * m) | 0)) | 0;
    const jc = q >>> FRAC_BITS;
    const ac = SIN[jc]!;
    out[i] = out[i]! + (ac + (SIN[jc + 1]! - ac) * ((q & FRAC_MASK) * FRAC_TO_UNIT)) * level;
    pc = (pc + d1) | 0;
    pm = (pm + d2) | 0;
    level += step;
    left--;
  }
  voice.p1 = pc;
  voice.p2 = pm;
  voice.level = level;
  voice.left = left;
  return true;
}

/** Drums: xorshift32 noise, high- and low-passed, and a sine swept in pitch, mixed per drum. */
function drumLoop(voice: Voice, out: Float64Array, from: number, to: number): boolean {
  const wave = voice.wave;
  let p = voice.p1;
  let f = voice.f;
  let e2 = voice.e2;
  let x = voice.noise;
  let hpZ = voice.hpZ;
  let lpZ = voice.lpZ;
  let burstLeft = voice.burstLeft;
  let bursts = voice.bursts;
  const { fEnd, fK, e2K, hpA, lpA, burstLen } = voice;
  let level = voice.level;
  let step = voice.levelStep;
  let left = voice.left;
  for (let i = from; i < to; i++) {
    if (left === 0) {
      if (!voice.tick()) return false;
      level = voice.level;
      step = voice.levelStep;
      left = CONTROL;
    }
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const n = x * INT_TO_UNIT;
    // One-pole high-pass (the input minus its low-passed self), then a one-pole low-pass.
    hpZ += hpA * (n - hpZ);
    lpZ += lpA * (n - hpZ - lpZ);
    let tone = 0;
    if (f > 0) {
      const j = p >>> FRAC_BITS;
      const a = SIN[j]!;
      tone = a + (SIN[j + 1]! - a) * ((p & FRAC_MASK) * FRAC_TO_UNIT);
      p = (p + ((f * CYCLE) | 0)) | 0;
      f = fEnd + (f - fEnd) * fK;
    }
    let v: number;
    if (wave === KICK) v = tone + 0.5 * n * e2;
    else if (wave === TOM) v = tone + 0.25 * lpZ * e2;
    else if (wave === SNARE) v = 0.75 * lpZ + 0.6 * tone * e2;
    else if (wave === CLAP) {
      // Three hand claps 11 ms apart, then the room.
      if (--burstLeft === 0 && bursts > 0) {
        e2 = 1;
        bursts--;
        burstLeft = burstLen;
      }
      v = 1.6 * lpZ * (e2 + 0.25);
    } else if (wave === HAT) v = lpZ;
    else if (wave === CYMBAL) v = lpZ + 0.15 * tone * e2;
    else v = 0.6 * tone * e2 + 0.5 * lpZ; // rim
    e2 *= e2K;
    out[i] = out[i]! + v * level;
    level += step;
    left--;
  }
  voice.p1 = p;
  voice.f = f;
  voice.e2 = e2;
  voice.noise = x;
  voice.hpZ = hpZ;
  voice.lpZ = lpZ;
  voice.burstLeft = burstLeft;
  voice.bursts = bursts;
  voice.level = level;
  voice.left = left;
  return true;
}

type Kernel = (v: Voice, out: Float64Array, from: number, to: number) => boolean;

/**
 * The loop for each wave, by number (every drum shares the last). A voice calls its
 * loop through this table rather than a switch, so V8 compiles each loop on its own:
 * one function holding all of them, inlined, was deoptimized and recompiled as each new
 * wave turned up, and could end up 3× slower for the rest of the render.
 */
const KERNELS: Kernel[] = [sineLoop, triangleLoop, sawLoop, squareLoop, sawsLoop, organLoop, fmLoop, drumLoop];
