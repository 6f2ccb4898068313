/**
 * A typed face on fft.js (radix-4, pure JavaScript, no WebAssembly: it runs as is in
 * workerd and in a Durable Object). Only the real transform is used: it fills bins
 * 0..N/2 of an interleaved [re, im, re, im, …] array, which is all a real signal
 * needs, about 25 % faster than the complex transform.
 */
import FFT from 'fft.js';

export interface RealFft {
  readonly size: number;
  /** Transforms `input` (length `size`) into `out` (length 2·size): re/im pairs of bins 0..size/2; the upper half is left unspecified. */
  transform(input: Float64Array, out: Float64Array): void;
}

export function createRealFft(size: number): RealFft {
  const fft = new FFT(size);
  return {
    size,
    transform(input, out) {
      fft.realTransform(out, input);
    },
  };
}
