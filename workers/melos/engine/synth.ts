/**
 * A score played by direct synthesis, pulled as 16-bit PCM one block at a time.
 *
 * Memory is flat however long the piece is: the renderer walks the score's sorted
 * notes with an index, starts a voice when the render position reaches a note and
 * frees it when it has died away, and holds only a pool of at most MAX_VOICES voices
 * and a few block-sized buffers (one per track, two for the mix). The caller gets
 * each block as a fresh Int16Array and the renderer never sees it again. A dense score
 * cannot blow up the CPU either: past MAX_VOICES, a new note steals the oldest voice
 * (one already releasing first).
 *
 * Signal path: voices (voices.ts) → their track's bus → a one-pole low-pass per track
 * (cutoff by role) → track volume (squared, like CC 7) and equal-power pan → the mix ×
 * MASTER → a limiter (a peak envelope that jumps up at once and falls with a 250 ms
 * time constant; the gain keeps it at LIMIT, so nothing reaches the converter louder)
 * → a smooth knee above KNEE (tanh: it approaches full scale and never reaches it) →
 * a 50 ms fade at the very end → × 32767, rounded. Mono is the mean of the two channels.
 *
 * Output does not depend on the block size: within a block the renderer stops at each
 * note's first frame, renders every voice up to it, then starts the note; the voices'
 * envelopes tick on their own age, and every filter and the limiter move once a
 * sample. So blocks of 37, 1,000 or 4,096 frames, or the whole piece in one, give the
 * same bytes; and the same score and options always do (drum noise comes from `seed`
 * and the note's index, never Math.random).
 *
 * Speed: about 100× real time for a dense 8-track piece at 44.1 kHz stereo on one slow
 * core (see voices.ts for how the loops are written); previews twice that.
 *
 * Pure: no Workers, no Hono.
 */
import { MAX_SECONDS, type Score, tickSeconds } from './score';
import { DRUM_PATCHES, drumForKey, instrumentFor, noiseSeed, onePole, PATCHES, type Patch, ROLE_CUTOFF, Voice } from './voices';

export type RenderOptions = {
  /** Frames a second: 44,100 for the download, 22,050 for previews. */
  sampleRate?: number;
  /** 2 (interleaved L, R) or 1. */
  channels?: 1 | 2;
  /** Seconds after the piece's last bar, for releases to ring out. */
  tailSeconds?: number;
  /** Seeds the drums' noise (pass the recipe's seed): another seed, other hiss, same piece. */
  seed?: number;
  /** The most frames `next()` returns at once (and the scratch buffers' length). */
  blockSize?: number;
};

export const DEFAULT_RENDER = { sampleRate: 44_100, channels: 2, tailSeconds: 1.5, seed: 0, blockSize: 4096 } as const;
/** What previews use: half the rate, one channel, a quarter of the bytes. */
export const PREVIEW_RENDER = { sampleRate: 22_050, channels: 1 } as const satisfies RenderOptions;

/** The most voices sounding at once. */
export const MAX_VOICES = 32;
/** What `retainedBytes()` counts for one voice: its fields (about 50 numbers) and the object's header. */
export const VOICE_BYTES = 512;

const MASTER = 0.6;
/** The limiter's ceiling, going into the knee (which maps it to 0.875, −1.2 dBFS). */
const LIMIT = 0.9;
const KNEE = 0.7;
const FADE_SECONDS = 0.05;

export type Renderer = {
  readonly sampleRate: number;
  readonly channels: 1 | 2;
  /** Frames in the whole render (the piece plus the tail). */
  readonly totalFrames: number;
  /** Bytes of PCM in the whole render (totalFrames × channels × 2). */
  readonly byteLength: number;
  /** The next block, interleaved: min(maxFrames, blockSize) frames (at least one) or what is left; null once everything has been rendered. */
  next(maxFrames?: number): Int16Array | null;
  /** Frames rendered ÷ totalFrames. */
  progress(): number;
  /** Bytes the renderer holds: its typed arrays plus VOICE_BYTES for each voice in its pool (the pool only grows to the most voices sounding at once). */
  retainedBytes(): number;
  /** Voices sounding now. */
  activeVoices(): number;
};

type Resolved = { sampleRate: number; channels: 1 | 2; tailSeconds: number; seed: number; blockSize: number };

function resolve(options: RenderOptions): Resolved {
  const sampleRate = Math.round(options.sampleRate ?? DEFAULT_RENDER.sampleRate);
  if (!(sampleRate >= 8000 && sampleRate <= 192_000)) throw new RangeError(`A sample rate of ${sampleRate} is not supported (8,000–192,000).`);
  const channels = options.channels ?? DEFAULT_RENDER.channels;
  if (channels !== 1 && channels !== 2) throw new RangeError('Channels must be 1 or 2.');
  const tailSeconds = Math.min(10, Math.max(0, options.tailSeconds ?? DEFAULT_RENDER.tailSeconds));
  const blockSize = Math.max(1, Math.round(options.blockSize ?? DEFAULT_RENDER.blockSize));
  return { sampleRate, channels, tailSeconds, seed: (options.seed ?? DEFAULT_RENDER.seed) >>> 0, blockSize };
}

/** How long a render of `score` is: frames (the piece plus the tail, rounded) and PCM bytes. */
export function renderLength(score: Score, options: RenderOptions = {}): { totalFrames: number; byteLength: number } {
  const { sampleRate, channels, tailSeconds } = resolve(options);
  const seconds = tickSeconds(score.lengthTicks, score.tempo);
  if (!(seconds >= 0 && seconds <= MAX_SECONDS)) throw new RangeError(`A piece of ${seconds} s is longer than ${MAX_SECONDS} s.`);
  const totalFrames = Math.round((seconds + tailSeconds) * sampleRate);
  return { totalFrames, byteLength: totalFrames * channels * 2 };
}

type Bus = { buf: Float64Array; a: number; z: number; left: number; right: number; drums: boolean; patch: Patch; touched: boolean };

/**
 * A renderer for `score`: pull `next()` until it returns null. The score's notes must be
 * sorted by tick (as `Score` promises; checked here); the renderer reads them, it does
 * not copy them.
 */
export function createRenderer(score: Score, options: RenderOptions = {}): Renderer {
  const { sampleRate, channels, seed, blockSize } = resolve(options);
  const { totalFrames, byteLength } = renderLength(score, options);
  const notes = score.notes;
  for (let i = 0; i < notes.length; i++) {
    const tick = notes[i]!.tick;
    if (!(tick >= 0 && tick < Number.POSITIVE_INFINITY)) throw new RangeError(`Note ${i} starts at ${tick}, not a tick.`);
    if (i > 0 && tick < notes[i - 1]!.tick) throw new RangeError('The score’s notes are not sorted by tick.');
  }

  const buses: Bus[] = score.tracks.map((t) => {
    const volume = (Math.min(100, Math.max(0, t.volume)) / 100) ** 2;
    const angle = ((Math.min(100, Math.max(-100, t.pan)) + 100) / 200) * (Math.PI / 2);
    const drums = t.role === 'drums' || t.channel === 10;
    return {
      buf: new Float64Array(blockSize),
      a: onePole(ROLE_CUTOFF[t.role] ?? 10_000, sampleRate),
      z: 0,
      left: volume * Math.cos(angle),
      right: volume * Math.sin(angle),
      drums,
      patch: PATCHES[instrumentFor(t.program)],
      touched: false,
    };
  });
  const mixL = new Float64Array(blockSize);
  const mixR = new Float64Array(blockSize);
  const voices: Voice[] = [];

  const release = Math.exp(-1 / (0.25 * sampleRate));
  const fadeFrames = Math.max(1, Math.round(FADE_SECONDS * sampleRate));
  const fadeFrom = totalFrames - fadeFrames;
  let follower = 0;

  let pos = 0;
  let index = 0;
  const frameOf = (tick: number) => Math.round(tickSeconds(tick, score.tempo) * sampleRate);
  let nextFrame = notes.length > 0 ? frameOf(notes[0]!.tick) : Number.POSITIVE_INFINITY;

  /** A free voice, a new one while the pool is under MAX_VOICES, or the oldest (releasing ones first). */
  function claim(): Voice {
    for (const v of voices) if (!v.active) return v;
    if (voices.length < MAX_VOICES) {
      const v = new Voice();
      voices.push(v);
      return v;
    }
    let victim = voices[0]!;
    for (const v of voices) {
      const vr = v.stage === 2 ? 0 : 1;
      const br = victim.stage === 2 ? 0 : 1;
      if (vr < br || (vr === br && v.startFrame < victim.startFrame)) victim = v;
    }
    return victim;
  }

  function startNote(i: number, frame: number): void {
    const note = notes[i]!;
    const bus = buses[note.track];
    // A note that is not a number anywhere would make NaN samples: it is not played.
    if (!bus || !Number.isFinite(note.pitch) || !Number.isFinite(note.velocity) || !Number.isFinite(note.duration)) return;
    let patch = bus.patch;
    if (bus.drums) patch = DRUM_PATCHES[note.drum ?? drumForKey(note.pitch)] ?? DRUM_PATCHES['closed hat'];
    else {
      // A new note on a pitch still held in its track ends the old one, as a keyboard would.
      for (const v of voices) if (v.active && v.track === note.track && v.pitch === note.pitch) v.release();
    }
    const length = frameOf(note.tick + note.duration) - frame;
    claim().start(patch, note.track, note.pitch, note.velocity, frame, length, sampleRate, noiseSeed(seed, i));
  }

  function renderVoices(from: number, to: number): void {
    for (const v of voices) {
      if (!v.active) continue;
      const bus = buses[v.track]!;
      bus.touched = true;
      v.render(bus.buf, from, to);
    }
  }

  function next(maxFrames: number = blockSize): Int16Array | null {
    const want = maxFrames >= 1 ? Math.floor(maxFrames) : 1;
    const n = Math.min(want, blockSize, totalFrames - pos);
    if (!(n > 0)) return null;
    for (const bus of buses) {
      bus.buf.fill(0, 0, n);
      bus.touched = false;
    }
    let i = 0;
    while (i < n) {
      while (nextFrame <= pos + i) {
        startNote(index, pos + i);
        index++;
        nextFrame = index < notes.length ? frameOf(notes[index]!.tick) : Number.POSITIVE_INFINITY;
      }
      const end = Math.min(n, nextFrame - pos);
      renderVoices(i, end);
      i = end;
    }

    mixL.fill(0, 0, n);
    mixR.fill(0, 0, n);
    // A silent track whose filter has settled to exactly zero adds nothing: skip it.
    const live = buses.filter((bus) => bus.touched || bus.z !== 0);
    // Two tracks a loop: each one-pole's feedback is a chain of latency, and two chains run side by side.
    for (let b = 0; b + 1 < live.length; b += 2) mixPair(live[b]!, live[b + 1]!, mixL, mixR, n);
    if (live.length % 2 === 1) mixOne(live[live.length - 1]!, mixL, mixR, n);

    if (channels === 1) {
      for (let k = 0; k < n; k++) {
        const m = (mixL[k]! + mixR[k]!) * 0.5;
        mixL[k] = m;
        mixR[k] = m;
      }
    }
    const out = new Int16Array(n * channels);
    const stride = channels;
    let env = follower;
    for (let k = 0; k < n; k++) {
      let l = mixL[k]! * MASTER;
      let r = mixR[k]! * MASTER;
      const peak = Math.max(Math.abs(l), Math.abs(r));
      // Peak envelope: up at once, down with a 250 ms time constant; the gain holds it at LIMIT.
      env *= release;
      if (peak > env) env = peak;
      const frame = pos + k;
      // Below the knee and before the fade (nearly always), the samples pass as they are.
      if (env > KNEE || frame >= fadeFrom) {
        let gain = env > LIMIT ? LIMIT / env : 1;
        if (frame >= fadeFrom) gain *= (totalFrames - frame) / fadeFrames;
        l = knee(l * gain);
        r = knee(r * gain);
      }
      // Math.round, without the call it costs on CPUs without SSE4.1: |y| < 1, so y × 32767 + 32768.5 is positive and `| 0` floors it.
      out[k * stride] = ((l * 32767 + 32768.5) | 0) - 32768;
      if (stride === 2) out[k * 2 + 1] = ((r * 32767 + 32768.5) | 0) - 32768;
    }
    follower = env;
    pos += n;
    return out;
  }

  return {
    sampleRate,
    channels,
    totalFrames,
    byteLength,
    next,
    progress: () => (totalFrames === 0 ? 1 : pos / totalFrames),
    retainedBytes: () => buses.length * blockSize * 8 + mixL.byteLength + mixR.byteLength + voices.length * VOICE_BYTES,
    activeVoices: () => voices.reduce((count, v) => count + (v.active ? 1 : 0), 0),
  };
}

function mixOne(bus: Bus, mixL: Float64Array, mixR: Float64Array, n: number): void {
  const { buf, a, left, right } = bus;
  let z = bus.z;
  for (let k = 0; k < n; k++) {
    z += a * (buf[k]! - z);
    mixL[k] = mixL[k]! + z * left;
    mixR[k] = mixR[k]! + z * right;
  }
  bus.z = z;
}

function mixPair(x: Bus, y: Bus, mixL: Float64Array, mixR: Float64Array, n: number): void {
  const bx = x.buf;
  const by = y.buf;
  const { a: ax, left: lx, right: rx } = x;
  const { a: ay, left: ly, right: ry } = y;
  let zx = x.z;
  let zy = y.z;
  for (let k = 0; k < n; k++) {
    zx += ax * (bx[k]! - zx);
    zy += ay * (by[k]! - zy);
    mixL[k] = mixL[k]! + zx * lx + zy * ly;
    mixR[k] = mixR[k]! + zx * rx + zy * ry;
  }
  x.z = zx;
  y.z = zy;
}

/** Linear below KNEE; above it, tanh bends the rest towards (never onto) full scale. NaN in, 0 out. */
function knee(x: number): number {
  const m = Math.abs(x);
  if (m <= KNEE) return x;
  if (!(m < Number.POSITIVE_INFINITY)) return m === Number.POSITIVE_INFINITY ? Math.sign(x) * 0.99999 : 0;
  const y = KNEE + (1 - KNEE) * Math.tanh((m - KNEE) / (1 - KNEE));
  return x < 0 ? -Math.min(y, 0.99999) : Math.min(y, 0.99999);
}
