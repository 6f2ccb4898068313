/** Helpers for CodeBin tests: create pastes through the public API, as curl would. */
import { env } from 'cloudflare:workers';
import type { CreatedPasteJson } from '../../workers/codebin/presenters';
import { Client } from './client';

/** CodeBin's stored bytes as the usage triggers count them (codebin_usage). */
export async function usage(): Promise<number> {
  return (await env.DB.prepare('SELECT bytes FROM codebin_usage WHERE id = 1').first<{ bytes: number }>())!.bytes;
}

/** What POST /codebin/api/pastes answers (workers/codebin/presenters.ts). */
export type CreatedPaste = CreatedPasteJson;

/** POST /codebin/api/pastes with JSON; each call from a fresh address (rate limits). */
export async function apiPaste(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<CreatedPaste> {
  const res = await new Client().fetch('/codebin/api/pastes', { json: body, bare: true, headers });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedPaste;
}

/** POST the bytes themselves, like `curl --data-binary @file`. */
export async function rawPaste(bytes: Uint8Array | string, query = ''): Promise<Response> {
  return new Client().fetch(`/codebin/api/pastes${query}`, {
    method: 'POST',
    body: typeof bytes === 'string' ? bytes : bytes,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    bare: true,
  });
}

export function pathOf(url: string): string {
  return new URL(url).pathname + new URL(url).search;
}
