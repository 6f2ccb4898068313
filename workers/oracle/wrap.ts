/**
 * Wrapping with ORACLE_WRAP_KEY: the server's share of a message key (S) and each
 * webhook's signing secret are stored as `v1.<iv>.<ciphertext>` (AES-256-GCM under a
 * key derived from the secret with HKDF, AAD naming what it is), so a dump of D1
 * alone reveals neither. Only the dispatcher unwraps S, to put it in the dispatch
 * link; with S and the whole database the operator still lacks the recipient's share.
 */
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
