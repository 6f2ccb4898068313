import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain ESM helper shared with the benchmarks, no type declarations
import { startDevServer } from '../../scripts/dev-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = (await startDevServer()) as { url: string; stop: () => Promise<void>; logs: () => string };
  project.provide('baseUrl', server.url);
  return async () => {
    await server.stop();
  };
}
