// Aura's figures for `npm run bench` (bench/run.mjs writes them into RESULTS.md):
//
// 1. `measureDsp()`: the CPU cost of one frame, analyzer + SVG, against the bare
//    fft.js real transform it is built on, at each FFT size (a ratio measured in one
//    run), and how many times faster than real time one room's pipeline runs: audio in
//    33 ms chunks, every analyzer frame computed, the newest one drawn per chunk, as
//    the room does (durable-objects/aura-room.ts). Pure modules bundled with esbuild
//    and timed in Node: workerd does not advance its clock during synchronous code.
// 2. `measureLatency(url)`: through `wrangler dev`, one presenter streams PCM to a
//    room with ten viewers; the time from sending an audio chunk to each viewer
//    receiving the SVG frame it produced, p50 and p99.
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { importBundle } from './bundle.mjs';
import { csrfOf, signUp } from './http.mjs';

const RATE = 48_000;

async function loadModules() {
  const entry = `
export { createAnalyzer } from './workers/aura/dsp/analyzer';
export { pinkNoise, sine } from './workers/aura/dsp/signals';
export { renderSvg } from './workers/aura/svg/render';
export { DEFAULT_SETTINGS } from './workers/aura/settings';
export { encodePcm16 } from './workers/aura/protocol';
export { default as FFT } from 'fft.js';
`;
  return importBundle(entry);
}

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

export async function measureDsp(seconds = 20) {
  const { createAnalyzer, pinkNoise, renderSvg, DEFAULT_SETTINGS, FFT } = await loadModules();
  const audio = pinkNoise(RATE * seconds, 1);
  const rows = [];
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
    // The room: 33 ms chunks (1,600 samples), every frame analyzed, the newest drawn once per chunk.
    const chunk = 1600;
    const roomMs = time(() => {
      const a = createAnalyzer(settings, RATE, 1);
      for (let at = 0; at < audio.length; at += chunk) {
        const made = a.push([audio.subarray(at, at + chunk)]);
        if (made.length > 0) renderSvg(settings, [made[made.length - 1]]);
      }
    });
    rows.push({
      fftSize,
      hop,
      frames,
      fftUs: (fftMs * 1000) / frames,
      analyzerUs: (analyzerMs * 1000) / frames,
      withSvgUs: (withSvgMs * 1000) / frames,
      ratio: withSvgMs / fftMs,
      svgBytes: bytes,
      realtime: (seconds * 1000) / roomMs,
    });
  }
  return { seconds, rows };
}

// ---------------------------------------------------------------- latency through wrangler dev

async function createRoom(url, cookie) {
  const { token } = await csrfOf(`${url}/aura`, cookie);
  const res = await fetch(`${url}/aura`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url },
    body: new URLSearchParams({ title: 'bench', _csrf: token }),
  });
  const room = /\/aura\/r\/([A-Za-z0-9_-]{22})$/.exec(res.headers.get('location') ?? '')?.[1];
  if (res.status !== 303 || !room) throw new Error(`create room failed: ${res.status}`);
  return room;
}

function connect(url, room, cookie) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/aura/r/${room}/ws`, { headers: { origin: url, ...(cookie ? { cookie } : {}) } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * One presenter, `viewers` anonymous viewers. The presenter sends one chunk of PCM
 * (2,048 samples of a sine at 48 kHz, FFT 4096: each chunk completes two analyzer
 * frames), then waits until every viewer has the frame it made (or 1 s), then at
 * least the chunk's own duration, so the audio never runs ahead of real time and each
 * frame is attributable to one chunk. Viewers acknowledge frames as the page does.
 */
export async function measureLatency(url, { viewers = 10, chunks = 300 } = {}) {
  const { sine, encodePcm16 } = await loadModules();
  const cookie = await signUp(url);
  const room = await createRoom(url, cookie);
  const presenter = await connect(url, room, cookie);
  const audience = await Promise.all(Array.from({ length: viewers }, () => connect(url, room)));
  let waiting = null;
  const latencies = [];
  for (const ws of audience) {
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      if (!text.startsWith('<svg')) return;
      ws.send('{"type":"ack"}');
      if (waiting && !waiting.got.has(ws)) {
        waiting.got.add(ws);
        latencies.push(performance.now() - waiting.sentAt);
        if (waiting.got.size === audience.length) waiting.done();
      }
    });
  }
  presenter.on('message', (data, isBinary) => {
    if (!isBinary && data.toString().startsWith('<svg')) presenter.send('{"type":"ack"}');
  });
  presenter.send(JSON.stringify({ type: 'settings', settings: { fftSize: 4096 } }));
  presenter.send(JSON.stringify({ type: 'source', source: { kind: 'stream', sampleRate: RATE, channels: 1 } }));
  const chunk = 2048;
  const chunkMs = (chunk / RATE) * 1000;
  const audio = sine(chunk * chunks, RATE, 1000, 0.5);
  let missed = 0;
  // Let the announcement land and the ring fill before measuring.
  await new Promise((r) => setTimeout(r, 200));
  for (let i = 0; i < chunks; i++) {
    const started = performance.now();
    const frameArrived = new Promise((resolve) => {
      waiting = { sentAt: performance.now(), got: new Set(), done: resolve };
      setTimeout(() => resolve('timeout'), 1000);
    });
    presenter.send(encodePcm16([audio.subarray(i * chunk, (i + 1) * chunk)]));
    if ((await frameArrived) === 'timeout') missed++;
    waiting = null;
    const rest = chunkMs + 5 - (performance.now() - started);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
  for (const ws of [presenter, ...audience]) ws.close();
  latencies.sort((a, b) => a - b);
  return { viewers, chunks, samples: latencies.length, missed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) };
}

// `node bench/aura.mjs`: the DSP part alone.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { seconds, rows } = await measureDsp(Number(process.env.AURA_BENCH_SECONDS ?? 20));
  console.log(`Aura DSP, ${seconds} s of pink noise at ${RATE} Hz, mono, Node ${process.version}\n`);
  console.log('| FFT size | hop | frames | bare realTransform µs/frame | analyzer µs/frame | analyzer + SVG µs/frame | ratio | SVG bytes | room × real time |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.fftSize} | ${r.hop} | ${r.frames} | ${r.fftUs.toFixed(1)} | ${r.analyzerUs.toFixed(1)} | ${r.withSvgUs.toFixed(1)} | ${r.ratio.toFixed(1)}× | ${r.svgBytes} | ${r.realtime.toFixed(0)}× |`,
    );
  }
}
