/**
 * Melos renders, run by the Queue consumer (workers/queue.ts): a recipe's MIDI and
 * WAV into R2, the status in D1.
 *
 * Protocol: the request stores a `queued` render (one per recipe and job key, the
 * hash of the canonical recipe: asking twice gives the same render) and sends
 * `{ kind: 'melos.render', renderId }`. Here:
 *   1. claim it (queued → rendering with a lease); a render that is done, failed or
 *      gone is a duplicate delivery and acks; one another delivery holds is retried
 *      after that lease, so a runner that crashed mid-render is taken over;
 *   2. compose, write the MIDI, then stream the WAV into a multipart upload, one
 *      5 MiB part at a time (memory stays flat however long the piece: the mix is
 *      never whole in memory), reporting progress and renewing the lease per part;
 *   3. mark it done, only if it is still this runner's.
 * An attempt that throws goes back to `queued` with its error and the queue retries
 * it with backoff; after the last retry the dead-letter queue hands it to
 * `failRenderJob`, which marks it failed with that error. A recipe that can never
 * render (too big, no longer valid) fails at once, without retries.
 */
import * as z from 'zod';
import { randomToken } from '../../shared/crypto';
import { contentDisposition, safeFilename } from '../../shared/http/download';
import { compose, scoreSize } from './engine/compose';
import { scoreToMidi } from './engine/midi';
import { Recipe } from './engine/recipe';
import { MAX_NOTES, MAX_SECONDS } from './engine/score';
import { createRenderer, DEFAULT_RENDER } from './engine/synth';
import { WAV_HEADER_BYTES, wavHeader } from './engine/wav';
import { FILE_EXTENSIONS, type FileKind } from './paths';
import * as repo from './repository';

export const RenderJob = z
  .object({
    kind: z.literal('melos.render'),
    renderId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  })
  .strict();
export type RenderJob = z.infer<typeof RenderJob>;

export const renderJob = (renderId: string): RenderJob => ({ kind: 'melos.render', renderId });

/** The audio files' format: CD quality. */
export const SAMPLE_RATE = 44_100;
export const CHANNELS = 2;

/** R2 multipart parts must be ≥ 5 MiB (but the last) and all the same size. */
export const PART_BYTES = 5 * 1024 * 1024;

/** How long a claim holds without news; every part renews it. */
export const LEASE_MS = 60_000;

/**
 * The most one render may cost (≈ ms of CPU). The synthesizer's work is voices ×
 * seconds: at most 32 voices (engine/synth.ts MAX_VOICES) for 10 minutes, about 6 s
 * of CPU on the benchmark machine (the hostile review's heaviest: long pads held at the cap);
 * a typical 3-minute piece takes 2. The consumer starts a render only while this still
 * fits its invocation's budget, and counts what a render really took (below).
 */
export const RENDER_JOB_MAX_COST = 15_000;

/** Where a render's files live in R2. */
export const fileKey = (renderId: string, kind: FileKind) => `melos/${renderId}/piece.${FILE_EXTENSIONS[kind]}`;

/** Why a recipe cannot be rendered at all (before any work), or null. */
export function sizeRefusal(recipe: Recipe): string | null {
  const size = scoreSize(recipe);
  if (size.seconds > MAX_SECONDS) {
    return `This recipe lasts ${formatDuration(size.seconds)}; a render may last at most ${MAX_SECONDS / 60} minutes. Use fewer bars or a faster tempo.`;
  }
  if (size.notes > MAX_NOTES) {
    return `This recipe could make up to ${size.notes.toLocaleString('en-US')} notes; a render may have at most ${MAX_NOTES.toLocaleString('en-US')}. Use fewer bars, tracks or voices, or slower rates.`;
  }
  return null;
}

/** The WAV a recipe makes, in bytes: its length (plus the synthesizer's release tail) at CD quality, and the header. */
export function expectedWavBytes(recipe: Recipe): number {
  // As renderLength() counts frames (engine/synth.ts).
  const frames = Math.round((scoreSize(recipe).seconds + DEFAULT_RENDER.tailSeconds) * SAMPLE_RATE);
  return frames * CHANNELS * 2 + WAV_HEADER_BYTES;
}

export const formatDuration = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds % 60)).padStart(2, '0')}`;

type Outcome = 'rendered' | 'duplicate' | 'failed' | 'superseded';

export async function runRenderJob(env: Env, job: RenderJob, now: number): Promise<{ outcome: Outcome; cost: number } & Record<string, unknown>> {
  const token = randomToken(9);
  const claim = await repo.claimRender(env.DB, job.renderId, token, now, LEASE_MS);
  if (!claim.claimed) {
    // Another delivery is rendering it: look again once its lease has run out (it may have crashed).
    if (claim.status === 'rendering') throw new Error('This render is being rendered by another delivery; trying again after its lease.');
    return { outcome: 'duplicate', cost: 0 };
  }
  const parsed = Recipe.safeParse(JSON.parse(claim.recipe));
  const refusal = parsed.success ? sizeRefusal(parsed.data) : 'This recipe is no longer valid: open it, fix what the editor marks, and render again.';
  if (refusal || !parsed.success) {
    await repo.failClaimed(env.DB, job.renderId, token, refusal ?? 'This recipe cannot be rendered.', now);
    return { outcome: 'failed', cost: 0 };
  }
  try {
    const done = await renderFiles(env, job.renderId, token, parsed.data);
    if (!done.finished) return { outcome: 'superseded', cost: done.cost };
    return { outcome: 'rendered', cost: done.cost, seconds: done.seconds, notes: done.notes, wav_bytes: done.wavBytes };
  } catch (error) {
    await repo.attemptFailed(env.DB, job.renderId, token, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

/** The dead-letter queue handed the job back: it used its retries. */
export async function failRenderJob(env: Env, job: RenderJob, now: number): Promise<Record<string, unknown>> {
  return { failed: await repo.failDeadLettered(env.DB, job.renderId, now) };
}

async function renderFiles(env: Env, renderId: string, token: string, recipe: Recipe) {
  // workerd's clock moves at each I/O (every part uploaded), so the time from here to the last upload covers the synthesis.
  const started = performance.now();
  const cost = () => Math.ceil(performance.now() - started);
  const score = compose(recipe);
  const bucket = env.MELOS_FILES;
  const midi = scoreToMidi(score);
  await bucket.put(fileKey(renderId, 'midi'), midi, {
    httpMetadata: { contentType: 'audio/midi', contentDisposition: contentDisposition(safeFilename(recipe.title, 'mid', 'piece')) },
  });

  const renderer = createRenderer(score, { sampleRate: SAMPLE_RATE, channels: CHANNELS, seed: recipe.seed });
  const header = wavHeader(renderer.byteLength, SAMPLE_RATE, CHANNELS);
  const wavBytes = header.byteLength + renderer.byteLength;
  const upload = await bucket.createMultipartUpload(fileKey(renderId, 'wav'), {
    httpMetadata: { contentType: 'audio/wav', contentDisposition: contentDisposition(safeFilename(recipe.title, 'wav', 'piece')) },
  });
  const parts: R2UploadedPart[] = [];
  // One part's bytes: filled, uploaded, reused. The renderer hands out one block at a time.
  const part = new Uint8Array(Math.min(PART_BYTES, wavBytes));
  let filled = 0;
  const flush = async () => {
    parts.push(await upload.uploadPart(parts.length + 1, filled === part.length ? part : part.subarray(0, filled)));
    filled = 0;
  };
  try {
    const write = async (bytes: Uint8Array) => {
      let at = 0;
      while (at < bytes.length) {
        const n = Math.min(bytes.length - at, part.length - filled);
        part.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === part.length) {
          await flush();
          if (!(await repo.reportProgress(env.DB, renderId, token, renderer.progress() * 100, Date.now() + LEASE_MS))) throw new Superseded();
        }
      }
    };
    await write(header);
    for (let block = renderer.next(); block !== null; block = renderer.next()) {
      // Little-endian 16-bit PCM: the platform's byte order (x86 and ARM both).
      await write(new Uint8Array(block.buffer, block.byteOffset, block.byteLength));
    }
    if (filled > 0) await flush();
    await upload.complete(parts);
  } catch (error) {
    await upload.abort().catch(() => undefined);
    if (!(error instanceof Superseded)) throw error;
    await dropIfGone(env, renderId);
    return { finished: false as const, cost: cost() };
  }
  const seconds = renderer.totalFrames / SAMPLE_RATE;
  const finished = await repo.finishRender(env.DB, renderId, token, {
    seconds,
    notes: score.notes.length,
    midiBytes: midi.byteLength,
    wavBytes,
    now: Date.now(),
  });
  if (!finished) await dropIfGone(env, renderId);
  return { finished, cost: cost(), seconds, notes: score.notes.length, wavBytes };
}

/** The render is no longer this runner's: deleted (its files, written after the deletion swept them, go too) or taken over (the new runner writes the same files). */
async function dropIfGone(env: Env, renderId: string): Promise<void> {
  if (!(await repo.renderExists(env.DB, renderId))) await env.MELOS_FILES.delete([fileKey(renderId, 'midi'), fileKey(renderId, 'wav')]);
}

/** The render was deleted (or taken over) while it ran: stop. */
class Superseded extends Error {}
