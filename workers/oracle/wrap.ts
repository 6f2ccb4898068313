/**
 * Wrapping with ORACLE_WRAP_KEY: the server's share of a message key (S) and each
 * webhook's signing secret are stored as `v1.<iv>.<ciphertext>` (AES-256-GCM under a
 * key derived from the secret with HKDF, AAD naming what it is), so a dump of D1
 * alone reveals neither. Only the dispatcher unwraps S, to put it in the dispatch
 * link; with S and the whole database the operator still lacks the recipient's share.
 */
import { base64url, fromBase64url, randomBytes } from '../../shared/crypto';

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function wrapKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode('sixfold:oracle:wrap:v1') },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    keys.set(secret, key);
  }
  return key;
}

/** `value` (bytes) sealed for the server, bound to `label` (e.g. "share:<message id>"). */
export async function wrap(secret: string, label: string, value: Uint8Array): Promise<string> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(label) }, await wrapKey(secret), value);
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

export async function unwrap(secret: string, label: string, wrapped: string): Promise<Uint8Array> {
  const [version, iv, sealed] = wrapped.split('.');
  if (version !== 'v1' || !iv || !sealed) throw new Error('not a wrapped value');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: encoder.encode(label) },
    await wrapKey(secret),
    fromBase64url(sealed),
  );
  return new Uint8Array(plain);
}

export const shareLabel = (messageId: string) => `share:${messageId}`;
export const webhookLabel = (recipientId: string) => `webhook:${recipientId}`;
