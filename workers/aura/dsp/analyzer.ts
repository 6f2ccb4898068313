/**
 * The streaming analyzer: audio in, in chunks of any size; frames out, one every
 * `hop` samples.
 *
 * Each output channel keeps a ring of the last fftSize samples (zeros before the
 * first sample arrives). Whenever `hop` new samples have been written, the ring is
 * unrolled oldest-first, analyzed, and a frame is emitted; so a frame depends only
 * on the samples before it and never on how they were chunked (37-sample chunks and
 * one 4096-sample chunk give identical frames). The hop gives 75 % overlap where
 * that stays under ~60 frames/s and at least 50 % otherwise (see `hopSize`).
 *
 * Per frame and channel: DC removal and window (spectrum.ts) → bin powers → band
 * powers (summed, never averaged in dB; bands.ts) → dB + weighting at each band
 * centre → ballistics (attack/release, peak hold and gravity; ballistics.ts) → values
 * rounded to 0.1 dB and floored at FLOOR_DB, so a frame is small and JSON-safe.
 *
 * Input channels: 'mono' mixes all of them to one (the mean); 'stereo' analyzes the
 * first two (or the only one, if there is one). To change settings, make a new
 * analyzer; it starts from silence.
 */
import type { Settings } from '../settings';
import { bandLayout, bandMatrix, bandPowers, type Band } from './bands';
import { createBallistics, type Ballistics } from './ballistics';
import { createSpectrum } from './spectrum';
import { weightingDb } from './weighting';

/** The quietest value a frame reports, dB (silence reads this, not −Infinity). */
export const FLOOR_DB = -160;
export const MIN_SAMPLE_RATE = 8000;
export const MAX_SAMPLE_RATE = 192_000;
export const MAX_INPUT_CHANNELS = 8;

export type AnalyzerSettings = Pick<
  Settings,
  'fftSize' | 'window' | 'scale' | 'bands' | 'weighting' | 'attack' | 'release' | 'peakHold' | 'gravity' | 'channelMode'
>;

/** One channel of a frame: per band, the displayed level and its peak marker, dB (0.1 dB steps). */
export interface ChannelLevels {
  readonly db: number[];
  readonly peak: number[];
}

export interface Frame {
  /** 0 for the first frame of this analyzer, then +1 per frame. */
  readonly index: number;
  /** Seconds of audio pushed when the frame was taken (its last sample's end). */
  readonly time: number;
  readonly sampleRate: number;
  /** Band edges and centres, Hz (0.1 Hz steps); the same array in every frame of an analyzer. */
  readonly bands: readonly Band[];
  /** One channel (mono) or two (left, right). */
  readonly channels: readonly ChannelLevels[];
}

export interface Analyzer {
  readonly sampleRate: number;
  readonly fftSize: number;
  /** Samples between frames. */
  readonly hop: number;
  /** Frames per second (sampleRate / hop). */
  readonly frameRate: number;
  readonly bands: readonly Band[];
  /** Channels in each frame: 1 or 2. */
  readonly channels: number;
  /** Appends one chunk (one Float32Array per input channel, equal lengths); returns the frames it completed, oldest first. */
  push(input: readonly Float32Array[]): Frame[];
}

/** Samples between frames: fftSize/4 (75 % overlap), lengthened towards fftSize/2 while that keeps the rate ≥ ~60 frames/s. */
export function hopSize(fftSize: number, sampleRate: number): number {
  let hop = fftSize / 4;
  while (hop < fftSize / 2 && sampleRate / hop > 60) hop *= 2;
  return hop;
}

const round1 = (v: number) => Math.round(v * 10) / 10 || 0;

export function createAnalyzer(settings: AnalyzerSettings, sampleRate: number, inputChannels: number): Analyzer {
  if (!Number.isInteger(sampleRate) || sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
    throw new RangeError(`sampleRate must be an integer from ${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE}.`);
  }
  if (!Number.isInteger(inputChannels) || inputChannels < 1 || inputChannels > MAX_INPUT_CHANNELS) {
    throw new RangeError(`channels must be an integer from 1 to ${MAX_INPUT_CHANNELS}.`);
  }
  const { fftSize } = settings;
  const hop = hopSize(fftSize, sampleRate);
  const outputs = settings.channelMode === 'stereo' && inputChannels >= 2 ? 2 : 1;
  const spectrum = createSpectrum(fftSize, settings.window, sampleRate);
  const exact = bandLayout(settings.scale, settings.bands, sampleRate);
  const matrix = bandMatrix(exact, spectrum.binHz, fftSize / 2);
  const weighting = Float64Array.from(exact, (b) => weightingDb(settings.weighting, b.centre));
  const bands: readonly Band[] = Object.freeze(exact.map((b) => Object.freeze({ lo: round1(b.lo), centre: round1(b.centre), hi: round1(b.hi) })));
  const count = exact.length;

  const rings = Array.from({ length: outputs }, () => new Float64Array(fftSize));
  const ballistics: Ballistics[] = rings.map(() => createBallistics(settings, hop / sampleRate, count, FLOOR_DB));
  const work = new Float64Array(fftSize);
  const power = new Float64Array(fftSize / 2 + 1);
  const bandPower = new Float64Array(count);
  const target = new Float64Array(count);
  let write = 0;
  let pending = 0;
  let pushed = 0;
  let index = 0;

  /** Writes input[from, from+length) into the rings (mixed down when mono) at `write`. */
  function store(input: readonly Float32Array[], from: number, length: number): void {
    for (let c = 0; c < outputs; c++) {
      const ring = rings[c]!;
      for (let i = 0; i < length; i++) {
        let v: number;
        if (outputs === 2) v = input[c]![from + i]!;
        else {
          v = 0;
          for (const channel of input) v += channel[from + i]!;
          v /= input.length;
        }
        // A NaN or ±Infinity from a broken client would poison every later frame of this band.
        ring[(write + i) % fftSize] = Number.isFinite(v) ? v : 0;
      }
    }
    write = (write + length) % fftSize;
  }

  function analyze(): Frame {
    const channels = rings.map((ring, c): ChannelLevels => {
      // Oldest sample first: the ring from the write position on, then its start.
      work.set(ring.subarray(write));
      work.set(ring.subarray(0, write), fftSize - write);
      spectrum.power(work, power);
      bandPowers(power, matrix, bandPower);
      for (let i = 0; i < count; i++) target[i] = Math.max(FLOOR_DB, 10 * Math.log10(bandPower[i]!) + weighting[i]!);
      const b = ballistics[c]!;
      b.step(target);
      return { db: Array.from(b.level, round1), peak: Array.from(b.peak, round1) };
    });
    return { index: index++, time: Math.round((pushed / sampleRate) * 1e6) / 1e6, sampleRate, bands, channels };
  }

  return {
    sampleRate,
    fftSize,
    hop,
    frameRate: sampleRate / hop,
    bands,
    channels: outputs,
    push(input) {
      if (input.length !== inputChannels) throw new RangeError(`Expected ${inputChannels} channel(s), got ${input.length}.`);
      const length = input[0]!.length;
      if (input.some((channel) => channel.length !== length)) throw new RangeError('Every channel of a chunk must have the same length.');
      const frames: Frame[] = [];
      let offset = 0;
      while (offset < length) {
        const take = Math.min(length - offset, hop - pending);
        store(input, offset, take);
        offset += take;
        pending += take;
        pushed += take;
        if (pending === hop) {
          pending = 0;
          frames.push(analyze());
        }
      }
      return frames;
    },
  };
}
