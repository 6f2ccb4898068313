/// <reference types="vite/client" />
/**
 * The shape of the code, checked: shared/ names no app, and workers/, shared/ and
 * durable-objects/ import each other without cycles. The sources are read at build
 * time by Vite (`import.meta.glob` with `?raw`), so this runs in workerd like every
 * other test.
 */
import { describe, expect, it } from 'vitest';
import * as entry from '../../workers/index';
import { APPS, DURABLE_OBJECTS, SCOPES } from '../../workers/apps';
import { ASSET_HASHES } from '../../workers/assets.gen';

const SOURCES = import.meta.glob(['/shared/**/*.{ts,tsx}', '/workers/**/*.{ts,tsx}', '/durable-objects/**/*.{ts,tsx}'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm;

/** `/shared/http/security.ts` imports `./request` → `/shared/http/request.ts`. Type-only imports count too: a cycle of types is still a tangle. */
function importsOf(file: string): string[] {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const out: string[] = [];
  for (const [, spec] of SOURCES[file]!.matchAll(IMPORT)) {
    const parts = `${dir}/${spec}`.split('/');
    const path: string[] = [];
    for (const part of parts) {
      if (part === '..') path.pop();
      else if (part !== '.') path.push(part);
    }
    const base = path.join('/').replace(/\.(ts|tsx)$/, '');
    const target = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`].find((f) => f in SOURCES);
    if (target) out.push(target);
  }
  return out;
}

/** Every import cycle, each as the files along it (Tarjan's strongly connected components). */
function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return cycles;
}

describe('source structure', () => {
  it('reads every source file', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(40);
    expect(SOURCES['/shared/http/request.ts']).toContain('export function isHtmx');
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      importCycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('has no import cycles in workers/, shared/ or durable-objects/', () => {
    const graph = new Map(Object.keys(SOURCES).map((f) => [f, importsOf(f)]));
    expect(graph.get('/shared/http/security.ts')).toContain('/shared/http/request.ts');
    expect(importCycles(graph)).toEqual([]);
  });

  it('shared/ names no app: apps plug in through their descriptor in workers/apps.ts', () => {
    const slugs = APPS.map((a) => a.slug);
    expect(slugs).toContain('codebin');
    const offenders = Object.entries(SOURCES)
      .filter(([file]) => file.startsWith('/shared/'))
      .flatMap(([file, text]) => slugs.filter((slug) => new RegExp(`\\b${slug}\\b`, 'i').test(text)).map((slug) => `${file} mentions ${slug}`));
    expect(offenders).toEqual([]);
  });

  it('an app imports no other app', () => {
    const slugs = APPS.map((a) => a.slug);
    const graph = new Map(Object.keys(SOURCES).map((f) => [f, importsOf(f)]));
    const crossings = [...graph].flatMap(([file, targets]) => {
      const from = /^\/workers\/([^/]+)\//.exec(file)?.[1];
      if (!from || !slugs.includes(from as never)) return [];
      return targets
        .filter((t) => {
          const to = /^\/workers\/([^/]+)\//.exec(t)?.[1];
          return to !== undefined && to !== from && slugs.includes(to as never);
        })
        .map((t) => `${file} → ${t}`);
    });
    expect(crossings).toEqual([]);
  });

  it('every scope a route asks for is described (shown when a token is made)', () => {
    const asked = new Set(
      Object.values(SOURCES).flatMap((text) => [...text.matchAll(/(?:requireScope|assertScope)\((?:[^,()]*(?:\([^()]*\))?,\s*)?'([^']+)'/g)].map((m) => m[1]!)),
    );
    expect(asked.size).toBeGreaterThanOrEqual(3);
    expect([...asked].filter((s) => !(s in SCOPES))).toEqual([]);
  });

  it('each Durable Object class in a descriptor is exported from the Worker under its binding name, and bound in wrangler.toml', () => {
    const toml = Object.values(import.meta.glob('/wrangler.toml', { query: '?raw', import: 'default', eager: true }))[0] as string;
    for (const [binding, cls] of Object.entries(DURABLE_OBJECTS)) {
      const className = (cls as { name: string }).name;
      expect((entry as Record<string, unknown>)[className], className).toBe(cls);
      expect(toml).toMatch(new RegExp(`name\\s*=\\s*"${binding}"[^\\[]*class_name\\s*=\\s*"${className}"`));
    }
    const exported = Object.entries(entry)
      .filter(([name]) => name !== 'default')
      .map(([, v]) => v);
    expect(exported.filter((v) => !Object.values(DURABLE_OBJECTS).includes(v))).toEqual([]);
  });

  it('asset versions are the content hashes of the files in public/ (run `npm install` or `npm start` after editing one)', async () => {
    const files = import.meta.glob('/public/**/*.{css,js}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
    const actual: Record<string, string> = {};
    for (const [file, text] of Object.entries(files)) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
      actual[file.replace(/^\/public/, '')] = [...digest]
        .map((b) => b.toString(16).padStart(2, '0'))
        .join('')
        .slice(0, 10);
    }
    expect(Object.keys(actual)).toContain('/styles.css');
    expect(actual).toEqual({ ...ASSET_HASHES });
  });

  it('no hand-bumped asset version is left in the code (`?v=` comes from asset())', () => {
    const literal = /['"`][^'"`]*\.(?:css|js)\?v=[^$'"`]*['"`]/;
    expect(
      Object.entries(SOURCES)
        .filter(([file, text]) => !file.endsWith('.gen.ts') && literal.test(text))
        .map(([file]) => file),
    ).toEqual([]);
  });
});
