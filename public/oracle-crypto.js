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
/** An attachment's AAD: its message's, and its place in the message. */
export const fileAadFor = (switchId, messageId, index) => `${aadFor(switchId, messageId)}:file:${index}`;

/** Attachments: at most this many a message, this many bytes together (before sealing). */
export const MAX_FILES = 10;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** A sealed file's name and type travel inside it (the server sees only its size). */
const MAX_NAME_CHARS = 200;

/** A file's bytes with its name and type in front: [4-byte length][JSON {name, type}][bytes]. */
function packFile({ name, type, bytes }) {
  const header = new TextEncoder().encode(JSON.stringify({ name: String(name).slice(0, MAX_NAME_CHARS), type: String(type || '').slice(0, 100) }));
  const out = new Uint8Array(4 + header.length + bytes.length);
  new DataView(out.buffer).setUint32(0, header.length);
  out.set(header, 4);
  out.set(bytes, 4 + header.length);
  return out;
}

function unpackFile(packed) {
  const length = new DataView(packed.buffer, packed.byteOffset, packed.byteLength).getUint32(0);
  if (length > packed.length - 4) throw new Error('not a sealed file');
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(packed.subarray(4, 4 + length)));
  return { name: String(header.name ?? 'attachment'), type: String(header.type ?? ''), bytes: packed.subarray(4 + length) };
}

const random = (n) => crypto.getRandomValues(new Uint8Array(n));
const gcmKey = (raw, usage) => crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);

/** The recipient share of a message readable by the server: none (all zeros), so S = CK. */
export const NO_KEY_CARD = toBase64url(new Uint8Array(KEY_BYTES));

/**
 * Encrypts `plaintext` for the message `messageId` of switch `switchId`. Returns the
 * ciphertext and IV (for the server), S (for the server, which wraps it) and R (the
 * key card: for the recipient only), all base64url. With `keyCard: false`, R is
 * NO_KEY_CARD: the server alone can open the message (the weaker mode). `files`
 * ({ name, type, bytes }) are sealed under the same key, each with its own IV and
 * AAD; they come back as { iv (base64url), sealed (bytes) }.
 *
 * @param {string} plaintext
 * @param {string} switchId
 * @param {string} messageId
 * @param {{ keyCard?: boolean, files?: Array<{ name: string, type: string, bytes: Uint8Array }> }} [options]
 */
export async function seal(plaintext, switchId, messageId, { keyCard = true, files = [] } = {}) {
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
  const sealedFiles = [];
  for (const [index, file] of files.entries()) {
    const fileIv = random(IV_BYTES);
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: fileIv, additionalData: new TextEncoder().encode(fileAadFor(switchId, messageId, index)) },
      key,
      packFile(file),
    );
    sealedFiles.push({ iv: toBase64url(fileIv), sealed: new Uint8Array(sealed) });
  }
  return {
    iv: toBase64url(iv),
    ciphertext: toBase64url(new Uint8Array(ciphertext)),
    serverShare: toBase64url(serverShare),
    recipientShare: toBase64url(recipientShare),
    files: sealedFiles,
  };
}

/** Opens attachment `index` of a message with both shares: { name, type, bytes }; throws like `unseal`. */
export async function openFile({ iv, sealed }, serverShare, recipientShare, switchId, messageId, index) {
  const s = fromBase64url(serverShare);
  const r = fromBase64url(recipientShare);
  if (s.length !== KEY_BYTES || r.length !== KEY_BYTES) throw new Error('a share is not 256 bits');
  const key = await gcmKey(xor(s, r), 'decrypt');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: new TextEncoder().encode(fileAadFor(switchId, messageId, index)) },
    key,
    sealed,
  );
  return unpackFile(new Uint8Array(plain));
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
globalThis.oracleCrypto = { seal, unseal, openFile, printableCode, readShare, aadFor, NO_KEY_CARD, MAX_FILES, MAX_FILE_BYTES };
