// Melos through the Worker's entry point: the editor's form (save, structural
// changes, the piano roll, the preview), renders on the queue into R2 (idempotent
// job key, duplicate and bad messages, the dead-letter path), downloads (ETag, 304,
// Range, Content-Disposition), the API, sharing and remixing, and someone else's
// recipe or render (the 404 of a missing one).
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { parseMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { Recipe } from '../../workers/melos/engine/recipe';
import { EXAMPLES } from '../../workers/melos/examples';
import { fileKey } from '../../workers/melos/jobs';
import { apiPaths, paths } from '../../workers/melos/paths';
import * as repo from '../../workers/melos/repository';
import { Client, createToken, signedUp } from '../support/client';
import worker from '../../workers/index';

const example = EXAMPLES[0]!.recipe;
/** A short piece (2 bars) so renders are quick. */
const short: Recipe = { ...example, title: 'Short <b>piece</b>', bars: 2 };

/** The editor's form fields for a recipe (named by their path, as the page names them). */
function formOf(recipe: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(recipe as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') Object.assign(out, formOf(v, name));
    else out[name] = String(v);
  }
  return out;
}

/** Every field the page's editor form would post, as the browser would (inputs, selects, textareas). */
async function pageForm(html: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let select: string | null = null;
  let inForm = false;
  await new HTMLRewriter()
    .on('form#melos-editor', {
      element: (el) => {
        inForm = true;
        el.onEndTag(() => {
          inForm = false;
        });
      },
    })
    .on('form#melos-editor input[name]', {
      element: (el) => {
        if (inForm) out[el.getAttribute('name')!] = el.getAttribute('value') ?? '';
      },
    })
    .on('form#melos-editor select[name]', {
      element: (el) => {
        select = el.getAttribute('name');
      },
    })
    .on('form#melos-editor option[selected]', {
      element: (el) => {
        if (select) out[select] = el.getAttribute('value') ?? '';
      },
    })
    .transform(new Response(html))
    .text();
  return out;
}

async function saved(as: Client, recipe: Recipe = short): Promise<string> {
  await as.visit(paths.create);
  const res = await as.fetch(paths.recipes, { form: formOf(recipe) });
  expect(res.status).toBe(303);
  const id = /\/melos\/recipes\/([A-Za-z0-9_-]{22})\?done=saved$/.exec(res.headers.get('location') ?? '')?.[1];
  expect(id).toBeDefined();
  return id!;
}

const renderRow = (id: string) =>
  env.DB.prepare('SELECT status, progress, attempts, error, wav_bytes FROM melos_renders WHERE id = ?')
    .bind(id)
    .first<{ status: string; progress: number; attempts: number; error: string | null; wav_bytes: number | null }>();

/** Runs the queue consumer on these message bodies (as the platform would deliver them). */
async function deliver(bodies: unknown[], queue = 'sixfold-jobs', attempts = 1) {
  const batch = createMessageBatch<unknown>(
    queue,
    bodies.map((body, i) => ({ id: `m${i}-${Math.random()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

async function renderOf(as: Client, recipeId: string): Promise<string> {
  // A browser session calls the API with its CSRF header (as htmx sends it).
  const res = await as.fetch(apiPaths.renders(recipeId), { method: 'POST', htmx: true });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe('the editor', () => {
  it('saves a recipe from the form and shows it with its piano roll', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const res = await me.fetch(paths.recipe(id));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('class="melos-roll"');
    expect(html).toContain('Short &lt;b&gt;piece&lt;/b&gt;');
    expect(html).not.toContain('<b>piece</b>');
    const stored = await env.DB.prepare('SELECT recipe FROM melos_recipes WHERE id = ?').bind(id).first<{ recipe: string }>();
    expect(Recipe.parse(JSON.parse(stored!.recipe))).toEqual(short);
  });

  it('refuses a bad field with its message next to it, and keeps what was typed', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const res = await me.fetch(paths.recipes, { form: { ...formOf(short), progression: 'I IX IV', 'tracks.0.generator.density': 'lots' } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/IX.{0,20}is not a degree/);
    expect(html).toContain('value="I IX IV"');
    expect(html).toContain('id="f-tracks.0.generator.density-error"');
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM melos_recipes WHERE owner_id = (SELECT id FROM users WHERE email = ?)')
        .bind(me.email)
        .first<{ n: number }>(),
    ).toEqual({ n: 0 });
  });

  it('refuses a recipe too long to render, with the computed length', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const res = await me.fetch(paths.recipes, { form: { ...formOf(short), bars: '512', tempo: '30' } });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/lasts 68:16; a render may last at most 10 minutes/);
  });

  it('adds, moves and removes tracks and re-rolls the seed without saving', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const add = await me.fetch(paths.edit, { form: { ...formOf(short), op: 'add-track' }, htmx: true });
    expect(add.status).toBe(200);
    const added = await add.text();
    expect(added).toContain('name="tracks.4.name"');
    expect(added.startsWith('<form id="melos-editor"')).toBe(true);
    const moved = await (await me.fetch(paths.edit, { form: { ...formOf(short), op: 'move-down:0' }, htmx: true })).text();
    expect(moved).toMatch(/name="tracks.1.name"[^>]*value="Piano"/);
    const removed = await (await me.fetch(paths.edit, { form: { ...formOf(short), op: 'remove-track:3' }, htmx: true })).text();
    expect(removed).not.toContain('name="tracks.3.name"');
    const rerolled = await (await me.fetch(paths.edit, { form: { ...formOf(short), op: 'reroll' }, htmx: true })).text();
    expect(/name="seed"[^>]*value="(\d+)"/.exec(rerolled)?.[1]).not.toBe(String(short.seed));
  });

  it('switching a generator brings that generator’s parameters (and drops the old ones)', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const html = await (await me.fetch(paths.edit, { form: { ...formOf(short), 'tracks.0.generator.type': 'automaton' }, htmx: true })).text();
    expect(html).toContain('name="tracks.0.generator.rule"');
    expect(html).not.toContain('name="tracks.0.generator.contour"');
  });

  it('answers the piano roll of the posted form, and why there is none', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const ok = await me.fetch(paths.roll, { form: formOf(short), htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/<svg[^>]*class="melos-roll"/);
    const bad = await me.fetch(paths.roll, { form: { ...formOf(short), tempo: '9000' }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('The tempo must be at most 300.');
  });

  it('previews the first bars as a mono WAV that can be fetched by range', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const res = await me.fetch(paths.preview, { form: formOf(short), htmx: true });
    expect(res.status).toBe(200);
    const src = /<audio[^>]*src="([^"]+)"/.exec(await res.text())?.[1];
    expect(src).toMatch(/^\/melos\/previews\/[0-9a-f]{64}\.wav$/);
    const wav = await me.fetch(src!);
    expect(wav.status).toBe(200);
    const bytes = new Uint8Array(await wav.arrayBuffer());
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint16(22, true)).toBe(1);
    expect(view.getUint32(24, true)).toBe(22_050);
    const part = await me.fetch(src!, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${bytes.length}`);
  });
});

describe('renders', () => {
  it('renders MIDI and WAV into R2 through the queue, once per recipe content', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const renderId = await renderOf(me, id);
    expect(await renderOf(me, id)).toBe(renderId);
    // Two deliveries of the one message: one render.
    await deliver([
      { kind: 'melos.render', renderId },
      { kind: 'melos.render', renderId },
    ]);
    const row = await renderRow(renderId);
    expect(row).toMatchObject({ status: 'done', progress: 100, attempts: 1 });
    const poll = (await (await me.fetch(apiPaths.render(renderId))).json()) as {
      status: string;
      files: { midi: { url: string }; wav: { url: string; bytes: number } };
    };
    expect(poll.status).toBe('done');

    const midi = await me.fetch(paths.file(renderId, 'midi'));
    expect(midi.status).toBe(200);
    expect(midi.headers.get('content-type')).toBe('audio/midi');
    expect(midi.headers.get('content-disposition')).toContain('attachment; filename="Short b piece b.mid"');
    const parsed = parseMidi(new Uint8Array(await midi.arrayBuffer()));
    expect(parsed.header.format).toBe(1);

    const wav = await me.fetch(paths.file(renderId, 'wav'));
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    const etag = wav.headers.get('etag')!;
    const wavBytes = (await wav.arrayBuffer()).byteLength;
    expect(wavBytes).toBe(row!.wav_bytes);
    expect(wavBytes).toBe(poll.files.wav.bytes);
    expect((await me.fetch(paths.file(renderId, 'wav'), { headers: { 'if-none-match': etag } })).status).toBe(304);
    const tail = await me.fetch(paths.file(renderId, 'wav'), { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${wavBytes - 10}-${wavBytes - 1}/${wavBytes}`);
    expect((await me.fetch(paths.file(renderId, 'wav'), { headers: { range: `bytes=${wavBytes}-` } })).status).toBe(416);
  });

  it('a message of the wrong shape is acked and logged, never retried', async () => {
    const result = await deliver([{ kind: 'melos.render', renderId: 'nope' }, { kind: 'melos.render' }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
  });

  it('a failing render goes back to queued with its error and is retried; the dead-letter queue marks it failed; retry queues it again', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const renderId = await renderOf(me, id);
    // The bucket refuses writes for this attempt: the job throws, the message is retried.
    const put = env.MELOS_FILES.put.bind(env.MELOS_FILES);
    env.MELOS_FILES.put = () => Promise.reject(new Error('R2 is unavailable'));
    try {
      const result = await deliver([{ kind: 'melos.render', renderId }]);
      expect(result.retryMessages).toHaveLength(1);
    } finally {
      env.MELOS_FILES.put = put;
    }
    expect(await renderRow(renderId)).toMatchObject({ status: 'queued', error: 'R2 is unavailable' });
    await deliver([{ kind: 'melos.render', renderId }], 'sixfold-jobs-dlq');
    expect(await renderRow(renderId)).toMatchObject({ status: 'failed', error: 'R2 is unavailable' });
    const card = await (await me.fetch(paths.recipe(id))).text();
    expect(card).toContain('R2 is unavailable');
    expect(card).toContain('Try again');
    const retried = await me.fetch(paths.retry(renderId), { form: {}, htmx: true });
    expect(retried.status).toBe(200);
    expect(await renderRow(renderId)).toMatchObject({ status: 'queued', error: null, attempts: 0 });
  });
});

describe('the editor as the page posts it', () => {
  it('a saved recipe saves, previews and draws its roll from its own page’s form (hidden fields and all)', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const fields = await pageForm(await (await me.fetch(paths.recipe(id))).text());
    expect(fields.recipe).toBe(id);
    expect(fields['tracks.0.generator.was']).toBe(short.tracks[0]!.generator.type);
    const save = await me.fetch(paths.recipe(id), { form: { ...fields, tempo: '133' } });
    expect(save.status).toBe(303);
    expect(
      Recipe.parse(JSON.parse((await env.DB.prepare('SELECT recipe FROM melos_recipes WHERE id = ?').bind(id).first<{ recipe: string }>())!.recipe)).tempo,
    ).toBe(133);
    expect((await me.fetch(paths.roll, { form: fields, htmx: true })).status).toBe(200);
    expect((await me.fetch(paths.preview, { form: fields, htmx: true })).status).toBe(200);
  });

  it('switching a generator keeps only the note value and octave: an automaton’s rule 30 is not an L-system rule', async () => {
    const me = await signedUp();
    await me.visit(paths.create);
    const automaton = { ...short, tracks: [{ ...short.tracks[0]!, generator: { type: 'automaton', rate: '8', octave: 3, rule: 30, width: 8, voices: 2 } }] };
    const fields = { ...formOf(automaton), 'tracks.0.generator.was': 'automaton', 'tracks.0.generator.type': 'lsystem' };
    const html = await (await me.fetch(paths.edit, { form: fields, htmx: true })).text();
    expect(html).toMatch(/name="tracks.0.generator.rule"[^>]*value="F\+F-F"/);
    expect(html).toMatch(/name="tracks.0.generator.octave"[^>]*value="3"/);
  });

  it('an API token, whatever its scopes, is refused by the pages (it has the API)', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const token = await createToken(me, ['account:read']);
    const bearer = new Client();
    for (const path of [paths.recipe(id), paths.create]) {
      const res = await bearer.fetch(path, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(403);
    }
    const home = await (await bearer.fetch(paths.home, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(home).not.toContain(paths.recipe(id));
  });
});

describe('storage', () => {
  it('a render that would not fit its owner’s quota is refused with the figures; each recipe keeps its 3 newest renders; a render can be deleted', async () => {
    const tight = await signedUp({ env: { MELOS_USER_STORAGE_MB: '1' } });
    const id = await saved(tight);
    const refused = await tight.fetch(apiPaths.renders(id), { method: 'POST', htmx: true });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/^Your renders take 0 bytes of your 1 MiB, and this one needs [\d.]+ MiB/);

    const me = await signedUp();
    const recipeId = await saved(me);
    const ids: string[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const put = await me.fetch(apiPaths.recipe(recipeId), { method: 'PUT', json: { ...short, seed }, htmx: true });
      expect(put.status).toBe(200);
      const renderId = await renderOf(me, recipeId);
      await deliver([{ kind: 'melos.render', renderId }]);
      ids.push(renderId);
    }
    const kept = await env.DB.prepare('SELECT id, expected_bytes, wav_bytes FROM melos_renders WHERE recipe_id = ? ORDER BY created_at')
      .bind(recipeId)
      .all<{ id: string; expected_bytes: number; wav_bytes: number }>();
    expect(kept.results.map((r) => r.id)).toEqual(ids.slice(1));
    for (const r of kept.results) expect(r.expected_bytes).toBe(r.wav_bytes);
    expect(await env.MELOS_FILES.head(fileKey(ids[0]!, 'wav'))).toBeNull();

    const gone = await me.fetch(paths.removeRender(ids[1]!), { form: {}, htmx: true });
    expect(gone.status).toBe(200);
    expect(await gone.text()).toBe('');
    expect(await env.MELOS_FILES.head(fileKey(ids[1]!, 'wav'))).toBeNull();
    expect((await me.fetch(apiPaths.render(ids[2]!), { method: 'DELETE', htmx: true })).status).toBe(204);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM melos_renders WHERE recipe_id = ?').bind(recipeId).first<{ n: number }>()).toEqual({ n: 1 });
  });

  it('the cron sweeps old previews past the first page of the listing', async () => {
    const { purgePreviews } = await import('../../workers/melos/service');
    const bucket = env.MELOS_FILES;
    const fresh = Array.from({ length: 1000 }, (_, i) => `melos/previews/0${String(i).padStart(63, '0')}.wav`);
    const old = Array.from({ length: 20 }, (_, i) => `melos/previews/f${String(i).padStart(63, '0')}.wav`);
    for (const key of [...fresh, ...old]) await bucket.put(key, 'x');
    // Everything uploaded before "now + 1 s" is old to this sweep; the fresh ones are not, for one uploaded after the cut.
    const cut = Date.now() + 1000;
    await new Promise((r) => setTimeout(r, 1100));
    for (const key of fresh) await bucket.put(key, 'x');
    // (the previews earlier tests made are old too)
    expect(await purgePreviews(bucket, cut)).toBeGreaterThanOrEqual(20);
    for (const key of old) expect(await bucket.head(key)).toBeNull();
    expect(await bucket.head(old[19]!)).toBeNull();
    expect(await bucket.head(fresh[999]!)).not.toBeNull();
  }, 60_000);
});

describe('leases', () => {
  it('a delivery that finds another holding a live lease is retried later, and the dead-letter queue does not fail a render still leased', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const renderId = await renderOf(me, id);
    await env.DB.prepare("UPDATE melos_renders SET status = 'rendering', attempts = 1, lease_until = ? WHERE id = ?")
      .bind(Date.now() + 60_000, renderId)
      .run();
    const duplicate = await deliver([{ kind: 'melos.render', renderId }]);
    expect(duplicate.retryMessages).toHaveLength(1);
    await deliver([{ kind: 'melos.render', renderId }], 'sixfold-jobs-dlq');
    expect(await renderRow(renderId)).toMatchObject({ status: 'rendering' });
    // The lease ran out (its runner crashed): the next delivery takes it over and finishes it.
    await env.DB.prepare('UPDATE melos_renders SET lease_until = ? WHERE id = ?')
      .bind(Date.now() - 1, renderId)
      .run();
    await deliver([{ kind: 'melos.render', renderId }]);
    expect(await renderRow(renderId)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a runner that stalled past its lease and was taken over can no longer finish, fail or report on the render, nor delete its files', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const renderId = await renderOf(me, id);
    expect(await repo.claimRender(env.DB, renderId, 'stalled', Date.now() - 120_000, 60_000)).toMatchObject({ claimed: true });
    await deliver([{ kind: 'melos.render', renderId }]);
    expect(await renderRow(renderId)).toMatchObject({ status: 'done' });
    expect(await repo.reportProgress(env.DB, renderId, 'stalled', 50, Date.now() + 60_000)).toBe(false);
    expect(await repo.finishRender(env.DB, renderId, 'stalled', { seconds: 1, notes: 1, midiBytes: 1, wavBytes: 1, now: Date.now() })).toBe(false);
    expect(await repo.failClaimed(env.DB, renderId, 'stalled', 'no', Date.now())).toBe(false);
    expect(await renderRow(renderId)).toMatchObject({ status: 'done' });
    expect(await env.MELOS_FILES.head(fileKey(renderId, 'wav'))).not.toBeNull();
  });
});

describe('the API, sharing, and other people', () => {
  it('creates, reads, replaces and deletes a recipe with an API token (scope melos), refusing unknown fields by path', async () => {
    const me = await signedUp();
    const token = await createToken(me, ['melos']);
    const api = new Client();
    const auth = { authorization: `Bearer ${token}` };
    const created = await api.fetch(apiPaths.recipes, { json: short, headers: auth, bare: true });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; recipe: Recipe };
    expect(body.recipe).toEqual(short);
    const unknown = await api.fetch(apiPaths.recipes, { json: { ...short, tracks: [{ ...short.tracks[0], colour: 'red' }] }, headers: auth, bare: true });
    expect(unknown.status).toBe(422);
    expect(JSON.stringify(await unknown.json())).toContain('tracks.0');
    const put = await api.fetch(apiPaths.recipe(body.id), { method: 'PUT', json: { ...short, tempo: 140 }, headers: auth, bare: true });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { recipe: Recipe }).recipe.tempo).toBe(140);
    const other = await createToken(me, ['codebin:write']);
    expect((await api.fetch(apiPaths.recipe(body.id), { headers: { authorization: `Bearer ${other}` }, bare: true })).status).toBe(403);
    expect((await api.fetch(apiPaths.recipe(body.id), { method: 'DELETE', headers: auth, bare: true })).status).toBe(204);
    expect((await api.fetch(apiPaths.recipe(body.id), { headers: auth, bare: true })).status).toBe(404);
  });

  it('someone else’s recipe and render are the 404 of missing ones', async () => {
    const owner = await signedUp();
    const id = await saved(owner);
    const renderId = await renderOf(owner, id);
    await deliver([{ kind: 'melos.render', renderId }]);
    const stranger = await signedUp();
    const missing = await stranger.fetch(paths.recipe('AAAAAAAAAAAAAAAAAAAAAA'));
    const theirs = await stranger.fetch(paths.recipe(id));
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    for (const path of [paths.file(renderId, 'wav'), paths.renderCard(renderId), apiPaths.render(renderId), apiPaths.file(renderId, 'midi')]) {
      expect((await stranger.fetch(path)).status, path).toBe(404);
    }
    for (const [path, form] of [
      [paths.recipe(id), formOf(short)],
      [paths.remove(id), { confirm: 'yes' }],
      [paths.duplicate(id), {}],
      [paths.renders(id), {}],
      [paths.share(id), { share: 'on' }],
      [paths.retry(renderId), {}],
      [paths.removeRender(renderId), {}],
    ] as const) {
      expect((await stranger.fetch(path, { form })).status, path).toBe(404);
    }
    expect(await env.MELOS_FILES.head(fileKey(renderId, 'wav'))).not.toBeNull();
  });

  it('a share link shows the recipe read-only to anyone; remix copies it; turning sharing off breaks the link', async () => {
    const owner = await signedUp();
    const id = await saved(owner);
    await owner.fetch(paths.share(id), { form: { share: 'on' } });
    const token = (await env.DB.prepare('SELECT share_token FROM melos_recipes WHERE id = ?').bind(id).first<{ share_token: string }>())!.share_token;
    const anonymous = new Client();
    const shared = await anonymous.fetch(paths.shared(token));
    expect(shared.status).toBe(200);
    const html = await shared.text();
    expect(html).toContain('class="melos-roll"');
    expect(html).not.toContain('name="tracks.0.name"');
    const friend = await signedUp();
    await friend.visit(paths.shared(token));
    const remix = await friend.fetch(paths.remix(token), { form: {} });
    expect(remix.status).toBe(303);
    const copy = /\/melos\/recipes\/([A-Za-z0-9_-]{22})\?done=remixed$/.exec(remix.headers.get('location')!)![1]!;
    expect((await friend.fetch(paths.recipe(copy))).status).toBe(200);
    await owner.fetch(paths.share(id), { form: { share: 'off' } });
    expect((await anonymous.fetch(paths.shared(token))).status).toBe(404);
  });

  it('deleting a recipe deletes its renders’ files', async () => {
    const me = await signedUp();
    const id = await saved(me);
    const renderId = await renderOf(me, id);
    await deliver([{ kind: 'melos.render', renderId }]);
    expect(await env.MELOS_FILES.head(fileKey(renderId, 'midi'))).not.toBeNull();
    const unticked = await me.fetch(paths.remove(id), { form: {} });
    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain('Tick “Delete for good”');
    expect((await me.fetch(paths.remove(id), { form: { confirm: 'yes' } })).status).toBe(303);
    expect(await env.MELOS_FILES.head(fileKey(renderId, 'midi'))).toBeNull();
    expect(await env.MELOS_FILES.head(fileKey(renderId, 'wav'))).toBeNull();
  });
});
