/**
 * Band layouts: where each displayed band starts, centres and ends, for the four
 * scales, and how each band gathers power from FFT bins.
 *
 * Log bands are fractional-octave bands on the base-10 system of IEC 61260-1
 * (G = 10^(3/10), midbands f = 1000·G^(x/b)), from the band at ≈ 20 Hz up to the one at
 * ≈ 20 kHz or the last whose upper edge is below Nyquist. Unlike the standard, which puts
 * the band *edges* on 1 kHz when b is even, every resolution here has a band *centred*
 * on 1 kHz, so a 1 kHz tone sits mid-band at every resolution.
 * Linear, Bark (Traunmüller's formula) and mel (O'Shaughnessy's 2595·log10(1 + f/700))
 * bands are equal steps on their own axis between 20 Hz and min(20 kHz, Nyquist).
 */
import type { BandWidth, Scale } from '../settings';

export interface Band {
  /** Lower edge, Hz. */
  readonly lo: number;
  /** Centre, Hz: geometric for log bands, the midpoint on the scale's own axis otherwise. */
  readonly centre: number;
  /** Upper edge, Hz. */
  readonly hi: number;
}

export const MIN_FREQUENCY = 20;
export const MAX_FREQUENCY = 20_000;
/** How many bands the linear, Bark and mel scales have. */
export const WARPED_BAND_COUNT = 64;

const G = 10 ** 0.3;
const FRACTION: Record<BandWidth, number> = { '1': 1, '1/3': 3, '1/6': 6, '1/12': 12 };

interface Warp {
  to(f: number): number;
  from(v: number): number;
}

const WARPS: Record<Exclude<Scale, 'log'>, Warp> = {
  linear: { to: (f) => f, from: (v) => v },
  mel: { to: (f) => 2595 * Math.log10(1 + f / 700), from: (m) => 700 * (10 ** (m / 2595) - 1) },
  bark: { to: (f) => (26.81 * f) / (1960 + f) - 0.53, from: (z) => (1960 * (z + 0.53)) / (26.28 - z) },
};

/** The bands of a scale at a sample rate (`bandWidth` applies to the log scale only). */
export function bandLayout(scale: Scale, bandWidth: BandWidth, sampleRate: number, count = WARPED_BAND_COUNT): Band[] {
  const nyquist = sampleRate / 2;
  if (scale === 'log') return logBands(FRACTION[bandWidth], nyquist);
  const warp = WARPS[scale];
  const lo = warp.to(MIN_FREQUENCY);
  const step = (warp.to(Math.min(MAX_FREQUENCY, nyquist)) - lo) / count;
  return Array.from({ length: count }, (_, i) => ({
    lo: warp.from(lo + i * step),
    centre: warp.from(lo + (i + 0.5) * step),
    hi: warp.from(lo + (i + 1) * step),
  }));
}

function logBands(b: number, nyquist: number): Band[] {
  const logG = (f: number) => Math.log10(f) / Math.log10(G);
  // 19.9 and 20.01 kHz: the nominal 20 Hz and 20 kHz midbands are 19.95 Hz and 19.95 kHz.
  const first = Math.ceil(b * logG(19.9 / 1000));
  const last = Math.floor(b * logG(20_010 / 1000));
  const half = G ** (1 / (2 * b));
  const bands: Band[] = [];
  for (let x = first; x <= last; x++) {
    const centre = 1000 * G ** (x / b);
    if (centre * half > nyquist) break;
    bands.push({ lo: centre / half, centre, hi: centre * half });
  }
  return bands;
}

/** For each band, the bins it reads and the weight of each: a sparse matrix in CSR form. */
export interface BandMatrix {
  /** Band i reads entries offsets[i]..offsets[i+1]−1. */
  readonly offsets: Int32Array;
  readonly bins: Int32Array;
  readonly weights: Float64Array;
}

/**
 * How bands gather bin powers. A band at least one bin wide sums the bins it covers,
 * each weighted by the fraction of the bin inside the band (bin k spans k ± ½), so
 * adjacent bands share the power of a bin without double counting. A narrower band
 * (the lowest ones at small FFT sizes) takes the power density interpolated linearly
 * between the two bins around its centre, times its width in bins: it reads what a
 * longer FFT would have put in it on average, and noise stays flat across the
 * boundary. Bin 0 (DC, removed) is never read.
 */
export function bandMatrix(bands: readonly Band[], binHz: number, lastBin: number): BandMatrix {
  const offsets = new Int32Array(bands.length + 1);
  const bins: number[] = [];
  const weights: number[] = [];
  bands.forEach((band, i) => {
    const lo = band.lo / binHz;
    const hi = Math.min(band.hi / binHz, lastBin + 0.5);
    const width = hi - lo;
    if (width < 1) {
      const c = Math.min(Math.max(band.centre / binHz, 1), lastBin);
      const k = Math.min(Math.floor(c), lastBin - 1);
      const t = c - k;
      bins.push(k, k + 1);
      weights.push((1 - t) * width, t * width);
    } else {
      for (let k = Math.max(1, Math.round(lo)); k <= Math.min(lastBin, Math.round(hi)); k++) {
        const overlap = Math.min(hi, k + 0.5) - Math.max(lo, k - 0.5);
        if (overlap > 0) {
          bins.push(k);
          weights.push(overlap);
        }
      }
    }
    offsets[i + 1] = bins.length;
  });
  return { offsets, bins: Int32Array.from(bins), weights: Float64Array.from(weights) };
}

/** Band powers from bin powers: `out[i]` = Σ weight·power over band i's bins. */
export function bandPowers(power: Float64Array, matrix: BandMatrix, out: Float64Array): void {
  const { offsets, bins, weights } = matrix;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (let j = offsets[i]!; j < offsets[i + 1]!; j++) sum += weights[j]! * power[bins[j]!]!;
    out[i] = sum;
  }
}
