// Melos's figures for `npm run bench` (bench/run.mjs writes them into RESULTS.md):
//
// 1. `measureRender()`: an 8-track, 3-minute piece composed, written as MIDI and
//    synthesized to 44.1 kHz stereo WAV the way the Queue job does it (blocks copied
//    into one 5 MiB upload part), each stage's speed as × real time, and the peak
//    memory above the starting point; then the same recipe at 10 minutes, whose peak
//    must not grow with the length. The pure engine is bundled with esbuild and run in
//    a child Node process (--expose-gc), so nothing else shares its heap: workerd's
//    clock does not move during synchronous code, and its memory cannot be read.
// 2. `measureServer(url)`: through `wrangler dev`, the piano roll of the editor's form
//    (POST /melos/roll) p50/p99, and enqueue-to-done of a render through the local
//    queue (POST …/renders, then GET the render until it is done).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleSource, importBundle } from './bundle.mjs';
import { csrfOf, signUp } from './http.mjs';

const ENGINE = `
export { compose } from './workers/melos/engine/compose';
export { scoreToMidi } from './workers/melos/engine/midi';
export { createRenderer } from './workers/melos/engine/synth';
export { wavHeader } from './workers/melos/engine/wav';
export { pianoRoll } from './workers/melos/roll';
export { EXAMPLES } from './workers/melos/examples';
`;

/** 8 tracks (the first two examples' together), 4/4 at 120 bpm: 2 s a bar. */
export function benchRecipe(examples, seconds) {
  const [a, b] = examples;
  const tracks = [...a.recipe.tracks, ...b.recipe.tracks, ...examples[2].recipe.tracks].slice(0, 8);
  return { ...a.recipe, title: 'Bench', tempo: 120, meter: '4/4', bars: Math.round(seconds / 2), tracks };
}

// The child: renders as the Queue job does and prints one JSON line.
const CHILD = `
const engine = await import(process.argv[2]);
const seconds = Number(process.argv[3]);
// 'time': no sampling in the loop; 'memory': the live heap (after a full GC) every 64 blocks, so garbage not yet collected is not counted.
const memory = process.argv[5] === 'memory';
const PART = 5 * 1024 * 1024;
const { benchRecipe } = await import(process.argv[4]);
const recipe = benchRecipe(engine.EXAMPLES, seconds);
const used = () => { const m = process.memoryUsage(); return { heap: m.heapUsed + m.arrayBuffers, rss: m.rss }; };
globalThis.gc(); globalThis.gc();
const base = used();
let peak = { ...base };
const sample = () => { if (memory) globalThis.gc(); const u = used(); peak = { heap: Math.max(peak.heap, u.heap), rss: Math.max(peak.rss, u.rss) }; };
let t = performance.now();
const score = engine.compose(recipe);
const composeMs = performance.now() - t;
sample();
t = performance.now();
const midi = engine.scoreToMidi(score);
const midiMs = performance.now() - t;
t = performance.now();
const renderer = engine.createRenderer(score, { sampleRate: 44100, channels: 2, seed: recipe.seed });
const part = new Uint8Array(PART);
part.set(engine.wavHeader(renderer.byteLength, 44100, 2));
let filled = 44, blocks = 0, peakSample = 0;
for (let block = renderer.next(); block !== null; block = renderer.next()) {
  const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
  for (let at = 0; at < bytes.length; ) {
    const n = Math.min(bytes.length - at, PART - filled);
    part.set(bytes.subarray(at, at + n), filled);
    filled += n; at += n;
    if (filled === PART) filled = 0; // uploaded: the part buffer is reused
  }
  if (memory && ++blocks % 64 === 0) sample();
}
const wavMs = performance.now() - t;
sample();
const audio = renderer.totalFrames / 44100;
console.log(JSON.stringify({ seconds: audio, notes: score.notes.length, tracks: score.tracks.length, composeMs, midiMs, wavMs, midiBytes: midi.byteLength,
  wavBytes: renderer.byteLength + 44, heapPeak: peak.heap - base.heap, rssPeak: peak.rss - base.rss, retained: renderer.retainedBytes() }));
`;

export async function measureRender() {
  const dir = mkdtempSync(join(tmpdir(), 'melos-bench-'));
  try {
    const engine = join(dir, 'engine.mjs');
    writeFileSync(engine, await bundleSource(ENGINE));
    const child = join(dir, 'child.mjs');
    writeFileSync(child, CHILD);
    const run = (seconds, mode) =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', child, engine, String(seconds), fileURLToPath(import.meta.url), mode], { encoding: 'utf8' }).trim(),
      );
    const withMemory = (seconds) => {
      const timed = run(seconds, 'time');
      const live = run(seconds, 'memory');
      return { ...timed, livePeak: live.heapPeak, rssPeak: live.rssPeak };
    };
    const three = withMemory(180);
    const ten = withMemory(600);
    const rt = (r, ms) => r.seconds / (ms / 1000);
    const figures = (r) => ({ ...r, composeRt: rt(r, r.composeMs), midiRt: rt(r, r.midiMs), wavRt: rt(r, r.wavMs) });
    return { three: figures(three), ten: figures(ten) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The editor's form fields for a recipe (named by their path, as the page names them). */
function formOf(recipe, prefix = '') {
  const out = {};
  for (const [k, v] of Object.entries(recipe)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') Object.assign(out, formOf(v, name));
    else out[name] = String(v);
  }
  return out;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function measureServer(url, { rolls = 50 } = {}) {
  const examples = (await importBundle(ENGINE)).EXAMPLES;
  const cookie = await signUp(url);
  const { token } = await csrfOf(`${url}/melos/new`, cookie);
  const headers = { cookie, origin: url, 'x-csrf-token': token };

  // The piano roll of the editor's form, as htmx posts it on every change.
  const form = new URLSearchParams(formOf(examples[0].recipe));
  const times = [];
  for (let i = 0; i < rolls; i++) {
    form.set('seed', String(1000 + i));
    const t = performance.now();
    const res = await fetch(`${url}/melos/roll`, {
      method: 'POST',
      headers: { ...headers, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    await res.text();
    if (res.status !== 200) throw new Error(`roll: ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);

  // Enqueue to done: a short piece and the 8-track, 3-minute one.
  const renders = [];
  for (const [what, recipe] of [
    ['16 bars, 4 tracks (an example)', examples[0].recipe],
    ['8 tracks, 3 minutes', benchRecipe(examples, 180)],
  ]) {
    const created = await fetch(`${url}/melos/api/recipes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(recipe),
    });
    if (created.status !== 201) throw new Error(`create recipe: ${created.status} ${await created.text()}`);
    const { id } = await created.json();
    const t = performance.now();
    const asked = await fetch(`${url}/melos/api/recipes/${id}/renders`, { method: 'POST', headers });
    if (asked.status !== 202) throw new Error(`render: ${asked.status} ${await asked.text()}`);
    const render = await asked.json();
    let state = render;
    while (state.status !== 'done' && state.status !== 'failed' && performance.now() - t < 120_000) {
      await new Promise((r) => setTimeout(r, 50));
      state = await (await fetch(render.url, { headers })).json();
    }
    if (state.status !== 'done') throw new Error(`render ${what}: ${state.status} ${state.error ?? ''}`);
    renders.push({ what, ms: performance.now() - t, seconds: state.seconds, wavBytes: state.files.wav.bytes });
  }
  return { rolls, rollP50: percentile(times, 50), rollP99: percentile(times, 99), renders };
}
