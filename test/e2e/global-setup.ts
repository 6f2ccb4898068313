import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ROUTES_FILE } from './coverage';
import { startDevServer } from '../../scripts/dev-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // A fresh record of what the browser walks in this run (coverage.e2e.test.ts reads it).
  mkdirSync(dirname(ROUTES_FILE), { recursive: true });
  writeFileSync(ROUTES_FILE, '');
  const server = (await startDevServer()) as { url: string; stop: () => Promise<void>; logs: () => string };
  project.provide('baseUrl', server.url);
  return async () => {
    await server.stop();
  };
}
