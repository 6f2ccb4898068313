/**
 * The renderer's PCM as a WAVE file: a 44-byte RIFF header (PCM, 16-bit) and the
 * samples, little-endian.
 *
 * Two ways to have it: `wavChunks` yields the header and then each block as bytes, so a
 * caller can stream a long render into R2 holding one block at a time (`wavLength`
 * gives the file's size up front, for a fixed-length stream); `renderWav` builds the
 * whole file in memory, for short previews and tests.
 *
 * Pure: no Workers, no Hono.
 */
import type { Score } from './score';
import { createRenderer, type RenderOptions, renderLength } from './synth';

export const WAV_HEADER_BYTES = 44;

/** The RIFF/WAVE header of a 16-bit PCM file with `dataBytes` of samples. */
export function wavHeader(dataBytes: number, sampleRate: number, channels: number): Uint8Array {
  const header = new Uint8Array(WAV_HEADER_BYTES);
  const view = new DataView(header.buffer);
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) header[at + i] = text.charCodeAt(i);
  };
  const blockAlign = channels * 2;
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A block of samples as little-endian bytes: a view of the same memory on a little-endian machine (every one Workers runs on). */
export function pcmBytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const bytes = new Uint8Array(samples.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!, true);
  return bytes;
}

/** The size of the WAVE file of `score` under `options`, header included. */
export function wavLength(score: Score, options: RenderOptions = {}): number {
  return WAV_HEADER_BYTES + renderLength(score, options).byteLength;
}

/** The WAVE file of `score` in pieces: the header, then one block of PCM at a time. */
export function* wavChunks(score: Score, options: RenderOptions = {}): Generator<Uint8Array, void, undefined> {
  const renderer = createRenderer(score, options);
  yield wavHeader(renderer.byteLength, renderer.sampleRate, renderer.channels);
  for (let block = renderer.next(); block; block = renderer.next()) yield pcmBytes(block);
}

/** The whole WAVE file of `score` in memory: for previews and tests (a long piece should be streamed with `wavChunks`). */
export function renderWav(score: Score, options: RenderOptions = {}): Uint8Array {
  const file = new Uint8Array(wavLength(score, options));
  let at = 0;
  for (const chunk of wavChunks(score, options)) {
    file.set(chunk, at);
    at += chunk.length;
  }
  return file;
}
