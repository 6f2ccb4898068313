/**
 * One FFT frame → power per bin, in units where a full-scale sine (peak 1.0) sums
 * to 1 over its bins, i.e. 0 dBFS (AES17). The window's gain is corrected on power
 * (÷ Σw², the noise/energy gain) rather than amplitude (÷ Σw), so that *summing*
 * bins gives the right answer for tones and noise alike, whatever the window; a
 * single bin of a tone reads lower by the window's noise bandwidth (≈ 3 dB for
 * Blackman-Harris), which is why the analyzer never reads single bins.
 *
 * DC is removed by subtracting the window-weighted mean, which zeroes bin 0 exactly
 * and so stops an offset leaking into the lowest bands through the main lobe. (The
 * plain mean would not do: a loud tone with a fractional number of cycles in the
 * frame has a non-zero plain mean, and subtracting it puts a phantom −55 dB bump
 * into the 20–30 Hz bands at 2048–4096 points.) The price is that content within a
 * main lobe of DC is taken down with it: with Blackman-Harris at 4096 points the
 * 20 Hz third-octave band of pink noise reads ≈ 1.7 dB low.
 */
import type { WindowKind } from '../settings';
import { createRealFft } from './fft';
import { windowCoefficients } from './window';

export interface Spectrum {
  readonly fftSize: number;
  readonly sampleRate: number;
  /** Width of a bin, Hz. */
  readonly binHz: number;
  /** Bin powers of `frame` (length fftSize; it is overwritten) into `out` (length fftSize/2 + 1). */
  power(frame: Float64Array, out: Float64Array): void;
}

export function createSpectrum(fftSize: number, window: WindowKind, sampleRate: number): Spectrum {
  const fft = createRealFft(fftSize);
  const w = windowCoefficients(window, fftSize);
  let sumW = 0;
  let sumW2 = 0;
  for (const v of w) {
    sumW += v;
    sumW2 += v * v;
  }
  // One-sided: each bin between DC and Nyquist also stands for its mirror image.
  const scale = 4 / (fftSize * sumW2);
  const half = fftSize / 2;
  const complex = new Float64Array(2 * fftSize);
  // The window's own spectrum, bins 0…half: removing the (window-weighted) mean m from the
  // frame before windowing is, by linearity, FFT(x·w) − m·FFT(w); subtracting m·W[k] in the
  // magnitude loop saves a whole pass over the frame.
  const windowSpectrum = new Float64Array(2 * fftSize);
  fft.transform(Float64Array.from(w), windowSpectrum);
  return {
    fftSize,
    sampleRate,
    binHz: sampleRate / fftSize,
    power(frame, out) {
      let weighted = 0;
      for (let n = 0; n < fftSize; n++) {
        const v = w[n]! * frame[n]!;
        weighted += v;
        frame[n] = v;
      }
      const mean = weighted / sumW;
      fft.transform(frame, complex);
      for (let k = 0; k <= half; k++) {
        const re = complex[2 * k]! - mean * windowSpectrum[2 * k]!;
        const im = complex[2 * k + 1]! - mean * windowSpectrum[2 * k + 1]!;
        out[k] = (re * re + im * im) * scale;
      }
      // DC and Nyquist have no mirror image.
      out[0] = out[0]! / 2;
      out[half] = out[half]! / 2;
    },
  };
}
