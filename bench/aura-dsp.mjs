#!/usr/bin/env node
// `node bench/aura-dsp.mjs`: the CPU cost of one Aura frame, analyzer + SVG, against the
// bare fft.js real transform it is built on, at each FFT size. Not part of `npm run bench`
// (no Worker involved): it bundles the pure modules with esbuild and times them in Node,
// because workerd does not advance its clock during synchronous code.
//
// The headline is the ratio (analyzer + SVG) / bare FFT, measured in one run, since the
// absolute figures move with the machine.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = `
export { createAnalyzer } from './workers/aura/dsp/analyzer';
export { pinkNoise } from './workers/aura/dsp/signals';
export { renderSvg } from './workers/aura/svg/render';
export { DEFAULT_SETTINGS } from './workers/aura/settings';
export { default as FFT } from 'fft.js';
`;
const bundle = await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts' },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  write: false,
});
const { createAnalyzer, pinkNoise, renderSvg, DEFAULT_SETTINGS, FFT } = await import(
  `data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`
);

const RATE = 48000;
const SECONDS = Number(process.env.AURA_BENCH_SECONDS ?? 20);
const audio = pinkNoise(RATE * SECONDS, 1);

/** Median of `runs` timings of fn(), in ms. */
function time(fn, runs = 5) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    t.push(performance.now() - start);
  }
  return t.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

console.log(`Aura DSP, ${SECONDS} s of pink noise at ${RATE} Hz, mono, Node ${process.version}\n`);
console.log('| FFT size | hop | frames | bare realTransform µs/frame | analyzer µs/frame | analyzer + SVG (bars) µs/frame | ratio | SVG bytes |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const fftSize of [1024, 2048, 4096, 8192]) {
  const settings = { ...DEFAULT_SETTINGS, fftSize };
  let frames = 0;
  let hop = 0;
  const analyzerMs = time(() => {
    const a = createAnalyzer(settings, RATE, 1);
    hop = a.hop;
    frames = a.push([audio]).length;
  });
  let bytes = 0;
  const withSvgMs = time(() => {
    const a = createAnalyzer(settings, RATE, 1);
    for (let at = 0; at < audio.length; at += 4096) {
      for (const frame of a.push([audio.subarray(at, at + 4096)])) bytes = renderSvg(settings, [frame]).length;
    }
  });
  const fft = new FFT(fftSize);
  const input = new Float64Array(fftSize);
  const out = new Float64Array(2 * fftSize);
  const fftMs = time(() => {
    for (let f = 0; f < frames; f++) {
      input.set(audio.subarray(f * hop, f * hop + fftSize));
      fft.realTransform(out, input);
    }
  });
  const per = (ms) => ((ms * 1000) / frames).toFixed(1);
  console.log(`| ${fftSize} | ${hop} | ${frames} | ${per(fftMs)} | ${per(analyzerMs)} | ${per(withSvgMs)} | ${(withSvgMs / fftMs).toFixed(1)}× | ${bytes} |`);
}
