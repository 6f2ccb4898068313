// Pure TypeScript modules of the Worker, bundled with esbuild for timing in Node
// (workerd's clock does not move during synchronous code, so CPU-bound figures are
// measured here, on the same code).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `entry` (export lines, paths from the repository's root) as one ESM source text. */
export async function bundleSource(entry) {
  const bundle = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
  });
  return bundle.outputFiles[0].text;
}

/** The bundle of `entry`, imported. */
export async function importBundle(entry) {
  return import(`data:text/javascript;base64,${Buffer.from(await bundleSource(entry)).toString('base64')}`);
}
