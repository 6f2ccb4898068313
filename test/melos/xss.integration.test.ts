// The stored-XSS corpus in a Melos recipe's title and track names, on every page and
// fragment that shows them: your list, the editor (page and htmx fragment), the piano
// roll fragment (its SVG carries no text at all), a shared recipe, and the render
// card; and in the files' names (Content-Disposition).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Recipe } from '../../workers/melos/engine/recipe';
import { EXAMPLES } from '../../workers/melos/examples';
import { fileKey } from '../../workers/melos/jobs';
import { paths } from '../../workers/melos/paths';
import { randomToken } from '../../shared/crypto';
import { signedUp } from '../support/client';
import { asDisplayText, scriptVectors, xssPayloads } from '../support/xss';

const payloads = xssPayloads();

/** The editor's form fields for a recipe. */
function formOf(recipe: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(recipe as Record<string, unknown>)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object') Object.assign(out, formOf(v, name));
    else out[name] = String(v);
  }
  return out;
}

async function html(res: Response, label: string): Promise<string> {
  expect(res.status, label).toBeLessThan(400);
  return res.text();
}

describe('stored XSS corpus on Melos', () => {
  it(`titles and track names stay inert on every page, fragment and file name (${payloads.length} payloads)`, async () => {
    const me = await signedUp();
    const owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(me.email).first<{ id: number }>())!.id;
    const problems: string[] = [];
    const base = EXAMPLES[0]!.recipe;
    let roller = me;
    for (const [i, payload] of payloads.entries()) {
      const recipe = Recipe.parse({
        ...base,
        bars: 2,
        title: asDisplayText(payload, 80),
        tracks: base.tracks.map((t, n) => ({ ...t, name: asDisplayText(n === 0 ? payload : `${n}${payload}`, 40) })),
      });
      const id = randomToken(16);
      const share = randomToken(16);
      const render = randomToken(16);
      const now = Date.now();
      // Stored through SQL (the routes' limits are not what this test is about; the stored text is).
      await env.DB.batch([
        env.DB.prepare('INSERT INTO melos_recipes (id, owner_id, title, recipe, share_token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').bind(
          id,
          owner,
          recipe.title,
          JSON.stringify(recipe),
          share,
          now,
          now,
        ),
        env.DB.prepare(
          `INSERT INTO melos_renders (id, owner_id, recipe_id, job_key, recipe, title, status, progress, error, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'failed', 0, ?, ?)`,
        ).bind(render, owner, id, 'f'.repeat(64), JSON.stringify(recipe), recipe.title, payload.slice(0, 500) || 'x', now),
      ]);
      const label = `payload ${i}`;
      const editor = await html(await me.fetch(paths.recipe(id)), `${label} editor`);
      problems.push(...(await scriptVectors(editor, `${label} editor`)));
      const fields = formOf(recipe);
      // The editor's changes and rolls are rate limited per user (120 a minute): a fresh account every 50 payloads.
      if (i % 50 === 0) roller = await signedUp();
      problems.push(
        ...(await scriptVectors(await html(await roller.fetch(paths.edit, { form: { ...fields, op: 'add-track' }, htmx: true }), label), `${label} edit`)),
      );

      const roll = await html(await roller.fetch(paths.roll, { form: fields, htmx: true }), `${label} roll`);
      problems.push(...(await scriptVectors(roll, `${label} roll`)));
      const svg = /<svg[\s\S]*<\/svg>/.exec(roll)?.[0] ?? '';
      if (!/^<svg[^>]*>(?:<(?:rect|line)(?: [\w-]+="[\w .:-]*")*\/>)*<\/svg>$/.test(svg)) problems.push(`${label} roll: the SVG holds more than shapes`);
      problems.push(...(await scriptVectors(await html(await roller.fetch(paths.shared(share)), `${label} shared`), `${label} shared`)));
      problems.push(...(await scriptVectors(await html(await me.fetch(paths.renderCard(render)), `${label} card`), `${label} card`)));
      if (i % 40 === 0) problems.push(...(await scriptVectors(await html(await me.fetch(paths.home), `${label} list`), `${label} list`)));
    }
    problems.push(...(await scriptVectors(await html(await me.fetch(paths.home), 'list'), 'list')));
    expect(problems.slice(0, 20), problems.join('\n')).toEqual([]);
  }, 120_000);

  it('a title that would break the Content-Disposition header downloads under a safe name', async () => {
    const me = await signedUp();
    const owner = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(me.email).first<{ id: number }>())!.id;
    const title = '"; filename="evil.exe\\..\\/<b>';
    const id = randomToken(16);
    const render = randomToken(16);
    const recipe = JSON.stringify({ ...EXAMPLES[0]!.recipe, title });
    await env.DB.batch([
      env.DB.prepare('INSERT INTO melos_recipes (id, owner_id, title, recipe, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').bind(
        id,
        owner,
        title,
        recipe,
        1,
        1,
      ),
      env.DB.prepare(
        `INSERT INTO melos_renders (id, owner_id, recipe_id, job_key, recipe, title, status, progress, seconds, notes, midi_bytes, wav_bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'done', 100, 1, 1, 4, 4, 1)`,
      ).bind(render, owner, id, 'e'.repeat(64), recipe, title),
    ]);
    const { contentDisposition, safeFilename } = await import('../../shared/http/download');
    await env.MELOS_FILES.put(fileKey(render, 'midi'), 'MThd', { httpMetadata: { contentDisposition: contentDisposition(safeFilename(title, 'mid')) } });
    const res = await me.fetch(paths.file(render, 'midi'));
    expect(res.status).toBe(200);
    const header = res.headers.get('content-disposition')!;
    expect(header).toMatch(/^attachment; filename="[^"\\]*"; filename\*=UTF-8''[\w%.'()*!~-]+$/);
    expect(header).not.toContain('evil.exe\\');
  });
});
