/**
 * Frequency weightings as a dB offset at a frequency, from the closed forms of the
 * standards (not tables): A and C from IEC 61672-1:2013 (the analogue poles at
 * 20.6, 107.7, 737.9 and 12194 Hz, normalized to 0 dB at 1 kHz), ITU-R BS.468-4 from
 * its published transfer function (+12.2 dB at 6.3 kHz, 0 dB at 1 kHz).
 */
import type { Weighting } from '../settings';

const F1 = 20.598997;
const F2 = 107.65265;
const F3 = 737.86223;
const F4 = 12194.217;
function aResponse(f: number): number {
  const f2 = f * f;
  return 20 * Math.log10((F4 * F4 * f2 * f2) / ((f2 + F1 * F1) * Math.sqrt((f2 + F2 * F2) * (f2 + F3 * F3)) * (f2 + F4 * F4)));
}

function cResponse(f: number): number {
  const f2 = f * f;
  return 20 * Math.log10((F4 * F4 * f2) / ((f2 + F1 * F1) * (f2 + F4 * F4)));
}

/** The standard's A1000 (≈ −2.000 dB) and C1000 (≈ −0.062 dB): what makes both read 0 dB at 1 kHz. */
const A1000 = aResponse(1000);
const C1000 = cResponse(1000);

function itu468(f: number): number {
  const h1 = -4.73733898137838e-24 * f ** 6 + 2.043828333606125e-15 * f ** 4 - 1.363894795463638e-7 * f ** 2 + 1;
  const h2 = 1.306612257412824e-19 * f ** 5 - 2.118150887518656e-11 * f ** 3 + 5.559488023498642e-4 * f;
  const r = (1.246332637532143e-4 * f) / Math.sqrt(h1 * h1 + h2 * h2);
  return 18.2 + 20 * Math.log10(r);
}

/** The weighting's gain in dB at `frequency` Hz (0 for 'none'). */
export function weightingDb(kind: Weighting, frequency: number): number {
  switch (kind) {
    case 'A':
      return aResponse(frequency) - A1000;
    case 'C':
      return cResponse(frequency) - C1000;
    case 'ITU-468':
      return itu468(frequency);
    default:
      return 0;
  }
}
