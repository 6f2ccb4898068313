/**
 * Wrapping with ORACLE_WRAP_KEY: the server's share of a message key (S) and each
 * webhook's signing secret are stored as `v1.<iv>.<ciphertext>` (AES-256-GCM under a
 * key derived from the secret with HKDF, AAD naming what it is), so a dump of D1
 * alone reveals neither. Only the dispatcher unwraps S, to put it in the dispatch
 * link; with S and the whole database the operator still lacks the recipient's share.
 */
import { NO_KEY_CARD, unseal as openSealed } from '../../public/oracle-crypto.js';
import { seal, unseal } from '../../shared/crypto';

const INFO = 'sixfold:oracle:wrap:v1';

/** `value` (bytes) sealed for the server, bound to `label` (e.g. "share:<message id>"). */
export function wrap(secret: string, label: string, value: Uint8Array): Promise<string> {
  return seal(secret, INFO, label, value);
}

export function unwrap(secret: string, label: string, wrapped: string): Promise<Uint8Array> {
  return unseal(secret, INFO, label, wrapped);
}

export const shareLabel = (messageId: string) => `share:${messageId}`;
export const webhookLabel = (recipientId: string) => `webhook:${recipientId}`;
export const ownerWebhookLabel = (switchId: string) => `owner-webhook:${switchId}`;

/**
 * The text of a message readable by the server (sealed with no key card, so its server
 * share is the whole key), or null if it does not open so. The same code the browsers
 * run (public/oracle-crypto.js).
 */
export async function openReadable(
  sealed: { iv: string; ciphertext: string },
  serverShare: string,
  switchId: string,
  messageId: string,
): Promise<string | null> {
  try {
    return await openSealed(sealed, serverShare, NO_KEY_CARD, switchId, messageId);
  } catch {
    return null;
  }
}
