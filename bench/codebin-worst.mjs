// CodeBin's worst inputs, timed through the Worker (wrangler dev), for `npm run bench`.
//
// Highlighting: for every language CodeBin offers and a set of hostile line shapes
// (the super-linear cases of TextMate grammars under the JavaScript regex engine),
// a paste whose estimated cost sits just under the request's budget
// (workers/codebin/content.ts) is created through the JSON API; the slowest create
// is the most highlighting one request can be made to do. Lines over the
// tokenizing cap, and anything over the budget, cost nothing on the request (plain
// now, the Queue consumer later), so this is the bound.
//
// Rendering: 1 MiB of the shapes that once blew up plain rendering (newlines, one
// line, `<`, emoji), created and viewed: time, and bytes of the view.
//
// Run alone: `node bench/codebin-worst.mjs` (starts its own server, prints JSON).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The cost model's constants, read from the source so the bench and the Worker cannot disagree. */
export function costModel() {
  const src = readFileSync(join(root, 'workers/codebin/content.ts'), 'utf8');
  const num = (name) => {
    const m = new RegExp(`${name} = ([0-9_.]+)`).exec(src);
    if (!m) throw new Error(`${name} not found in content.ts`);
    return Number(m[1].replace(/_/g, ''));
  };
  return {
    budget: num('INLINE_HIGHLIGHT_BUDGET'),
    cap: num('MAX_TOKENIZED_LINE'),
    perChar: num('COST_PER_CHAR'),
    perChar2: num('COST_PER_CHAR_SQUARED'),
    perChar3: num('COST_PER_CHAR_CUBED'),
  };
}

export function languages() {
  const src = readFileSync(join(root, 'workers/codebin/highlight.ts'), 'utf8');
  return [...src.matchAll(/^ {2}(\w+): \(\) => import\('@shikijs\/langs\//gm)].map((m) => m[1]);
}

/** Hostile line shapes: runs that make grammars backtrack, unclosed strings/comments, nesting. */
export const SHAPES = {
  'a…': 'a',
  'a+a…': 'a+',
  '((…': '(',
  '"…': '"',
  '<a…': '<a',
  'spaces then x': ' ',
  '/*…': '/*',
  '${…': '${',
  '\\\\…': '\\',
  '#-…': '#-',
  '`…': '`',
  'a.b…': 'a.',
  'x = [{…': 'x = [{',
  // Found by the hostile review: worse than quadratic in shellscript, and lone CRs
  // (which do not end a line for Shiki).
  '<…': '<',
  '<<…': '<<',
  '$(…': '$(',
  'spaces and CRs': '  \r',
  '<a and CRs': '<a<a\r',
};

function line(unit, length) {
  // Ends in `x` so an all-whitespace shape is still a paste (blank ones are refused).
  return `${unit.repeat(Math.ceil(length / unit.length)).slice(0, length - 1)}x`;
}

/** Content of `shape` whose estimated cost is just under the budget. */
export function worstPaste(unit, model) {
  const length = model.cap - 1;
  const perLine = length * model.perChar + length ** 2 * model.perChar2 + length ** 3 * model.perChar3;
  const lines = Math.max(1, Math.floor(model.budget / perLine));
  return `${Array.from({ length: lines }, () => line(unit, length)).join('\n')}\n`;
}

/** JSON for the highlighting runs; the bytes themselves (curl --data-binary) for 1 MiB bodies. */
async function create(url, body, raw = false) {
  const t0 = performance.now();
  const headers = { 'cf-connecting-ip': `bench-${Math.random()}`, accept: 'application/json' };
  const res = raw
    ? await fetch(`${url}/codebin/api/pastes?lang=${body.language}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'text/plain' },
        body: body.content,
      })
    : await fetch(`${url}/codebin/api/pastes`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ms = performance.now() - t0;
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return { ...(await res.json()), ms };
}

export async function measureWorst(url) {
  const model = costModel();
  const langs = process.env.BENCH_LANGS ? process.env.BENCH_LANGS.split(',') : languages();
  // Warm every grammar first (its first use loads and compiles it: a one-off per isolate).
  for (const language of langs) await create(url, { content: 'x = 1\n', language });
  const rows = [];
  for (let round = 0; round < Number(process.env.BENCH_ROUNDS ?? 1); round++)
    for (const language of langs) {
      for (const [shape, unit] of Object.entries(SHAPES)) {
        const content = worstPaste(unit, model);
        const { ms } = await create(url, { content, language });
        rows.push({ language, shape, bytes: Buffer.byteLength(content), ms, round });
      }
    }
  rows.sort((a, b) => b.ms - a.ms);
  const MiB = 1024 * 1024;
  const blowups = [];
  for (const [shape, content] of [
    ['newlines', `x${'\n'.repeat(MiB - 1)}`],
    ['one line of a', 'a'.repeat(MiB)],
    ['<', '<'.repeat(MiB)],
    ['emoji', '😀'.repeat(MiB / 4)],
  ]) {
    const created = await create(url, { content, language: 'typescript' }, true);
    const t0 = performance.now();
    const view = await fetch(`${url}/codebin/${created.slug}`);
    const html = await view.arrayBuffer();
    blowups.push({ shape, createMs: created.ms, viewMs: performance.now() - t0, viewBytes: html.byteLength, status: view.status });
  }
  return { model, worst: rows.slice(0, 10), median: rows[Math.floor(rows.length / 2)], count: rows.length, blowups };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startDevServer } = await import('../scripts/dev-server.mjs');
  const server = await startDevServer({ vars: { LOG_REQUESTS: 'false' } });
  try {
    console.log(JSON.stringify(await measureWorst(server.url), null, 2));
  } finally {
    await server.stop();
  }
}
