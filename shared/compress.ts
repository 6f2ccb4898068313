/** gzip through the runtime's native CompressionStream, as base64 text for D1 columns. */
import { base64url, fromBase64url } from './crypto';

async function pipe(data: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([data]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function gzipText(text: string): Promise<string> {
  return base64url(await pipe(new TextEncoder().encode(text), new CompressionStream('gzip')));
}

export async function gunzipText(encoded: string): Promise<string> {
  return new TextDecoder().decode(await pipe(fromBase64url(encoded), new DecompressionStream('gzip')));
}
