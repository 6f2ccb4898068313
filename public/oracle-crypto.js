// Oracle's zero-knowledge sealing, in the owner's and the recipient's browsers (and
// in the tests, which import this very file). WebCrypto only; nothing here talks to
// the server. workers/oracle/SECURITY.md explains the scheme:
//
//   CK  a random 256-bit content key; the message is AES-256-GCM under CK with a
//       random 96-bit IV and AAD "oracle:v1:<switch id>:<message id>".
//   R   a random 256-bit recipient share: the key card. It never leaves the owner's
//       browser except on the card the owner hands over.
//   S   = CK ⊕ R, the server share: sent to the server, which stores it wrapped and
//       gives it out only in the dispatch link, after the switch has fired.
//
// Either share alone is 256 uniformly random bits: it says nothing about CK.
//
// The weaker mode ("readable by this server", for owners who will not hand out key
// cards) seals with R = 0: then S is CK itself, and the server can open the message at
// dispatch and send its text. Nothing else changes.

const KEY_BYTES = 32;
const IV_BYTES = 12;

/** base64url without padding. */
export function toBase64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function xor(a, b) {
  if (a.length !== b.length) throw new Error('shares differ in length');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

export const aadFor = (switchId, messageId) => `oracle:v1:${switchId}:${messageId}`;

const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const gcmKey = (raw, usage) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);

/** The recipient share of a message readable by the server: none (all zeros), so S = CK. */
export const NO_KEY_CARD = toBase64url(new Uint8Array(KEY_BYTES));

/**
 * Encrypts `plaintext` for the message `messageId` of switch `switchId`. Returns the
 * ciphertext and IV (for the server), S (for the server, which wraps it) and R (the
 * key card: for the recipient only), all base64url. With `keyCard: false`, R is
 * NO_KEY_CARD: the server alone can open the message (the weaker mode).
 */
export async function seal(plaintext, switchId, messageId, { keyCard = true } = {}) {
  const contentKey = random(KEY_BYTES);
  const recipientShare = keyCard ? random(KEY_BYTES) : new Uint8Array(KEY_BYTES);
  const serverShare = xor(contentKey, recipientShare);
  const iv = random(IV_BYTES);
  const key = await gcmKey(contentKey, 'encrypt');
  contentKey.fill(0);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aadFor(switchId, messageId)) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return {
    iv: toBase64url(iv),
    ciphertext: toBase64url(new Uint8Array(ciphertext)),
    serverShare: toBase64url(serverShare),
    recipientShare: toBase64url(recipientShare),
  };
}

/** Decrypts with both shares; throws if either is wrong, the ciphertext was changed, or the ids differ. */
export async function unseal({ iv, ciphertext }, serverShare, recipientShare, switchId, messageId) {
  const s = fromBase64url(serverShare);
  const r = fromBase64url(recipientShare);
  if (s.length !== KEY_BYTES || r.length !== KEY_BYTES) throw new Error('a share is not 256 bits');
  const key = await gcmKey(xor(s, r), 'decrypt');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: new TextEncoder().encode(aadFor(switchId, messageId)) },
    key,
    fromBase64url(ciphertext),
  );
  return new TextDecoder('utf-8', { fatal: true }).decode(plain);
}

/** A share as the printable code on a key card: 64 hex digits in groups of four. */
export function printableCode(share) {
  const hex = [...fromBase64url(share)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g).join(' ');
}

/**
 * A share from what a person pastes: a link with `#k=…` or `#s=…` (the named share),
 * a printable code (hex, any spacing), or the bare base64url. Null if it is none.
 */
export function readShare(text, name) {
  const input = String(text).trim();
  const hash = input.indexOf('#');
  if (hash !== -1) {
    const params = new URLSearchParams(input.slice(hash + 1));
    const value = params.get(name);
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }
  const hex = input.replace(/[\s-]/g, '');
  if (/^[0-9a-fA-F]{64}$/.test(hex)) return toBase64url(Uint8Array.from(hex.match(/../g), (h) => Number.parseInt(h, 16)));
  return /^[A-Za-z0-9_-]{43}$/.test(input) ? input : null;
}

// Also on the global, for oracle.js (a separate module script on the same page).
globalThis.oracleCrypto = { seal, unseal, printableCode, readShare, aadFor, NO_KEY_CARD };
