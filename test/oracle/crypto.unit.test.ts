// The browser's sealing (public/oracle-crypto.js, this very file) under test: it
// opens only with both shares and the right ids, any change to the ciphertext fails,
// and no IV repeats.
import { describe, expect, it } from 'vitest';
import { fromBase64url, printableCode, readShare, seal, toBase64url, unseal, xor } from '../../public/oracle-crypto.js';

const SWITCH = 'S'.repeat(22);
const MESSAGE = 'M'.repeat(22);

describe('sealing a message', () => {
  it('opens with both shares, and gives back the exact text (any Unicode)', async () => {
    const text = 'Les clés sont chez Zoë. 🔑\nLigne deux.';
    const sealed = await seal(text, SWITCH, MESSAGE);
    expect(await unseal(sealed, sealed.serverShare, sealed.recipientShare, SWITCH, MESSAGE)).toBe(text);
    // The shares are 256 bits each, and neither is the content key of the other.
    expect(fromBase64url(sealed.serverShare)).toHaveLength(32);
    expect(fromBase64url(sealed.recipientShare)).toHaveLength(32);
    expect(sealed.serverShare).not.toBe(sealed.recipientShare);
  });

  it('fails with either share alone, a wrong share, a flipped bit, or another message’s ids', async () => {
    const sealed = await seal('the safe code is 4711', SWITCH, MESSAGE);
    const zero = toBase64url(new Uint8Array(32));
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['server share alone', () => unseal(sealed, sealed.serverShare, zero, SWITCH, MESSAGE)],
      ['recipient share alone', () => unseal(sealed, zero, sealed.recipientShare, SWITCH, MESSAGE)],
      [
        'shares swapped in one bit',
        () =>
          unseal(sealed, sealed.serverShare, toBase64url(xor(fromBase64url(sealed.recipientShare), Uint8Array.of(1, ...new Uint8Array(31)))), SWITCH, MESSAGE),
      ],
      ['another message id (AAD)', () => unseal(sealed, sealed.serverShare, sealed.recipientShare, SWITCH, 'N'.repeat(22))],
      ['another switch id (AAD)', () => unseal(sealed, sealed.serverShare, sealed.recipientShare, 'T'.repeat(22), MESSAGE)],
    ];
    const bytes = fromBase64url(sealed.ciphertext);
    for (const at of [0, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const flipped = bytes.slice();
      flipped[at]! ^= 0x01;
      attempts.push([
        `bit flipped at byte ${at}`,
        () => unseal({ ...sealed, ciphertext: toBase64url(flipped) }, sealed.serverShare, sealed.recipientShare, SWITCH, MESSAGE),
      ]);
    }
    for (const [what, attempt] of attempts) await expect(attempt(), what).rejects.toThrow();
  });

  it('10,000 seals repeat no IV and no share', async () => {
    const ivs = new Set<string>();
    const shares = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const sealed = await seal('x', SWITCH, MESSAGE);
      ivs.add(sealed.iv);
      shares.add(sealed.recipientShare);
    }
    expect(ivs.size).toBe(10_000);
    expect(shares.size).toBe(10_000);
  });

  it('reads a key card from its link, its printed code (any spacing) or the bare share', async () => {
    const { recipientShare, serverShare } = await seal('x', SWITCH, MESSAGE);
    const code = printableCode(recipientShare);
    expect(code).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    expect(readShare(code, 'k')).toBe(recipientShare);
    expect(readShare(code.replace(/ /g, '').toUpperCase(), 'k')).toBe(recipientShare);
    expect(readShare(`https://x.test/oracle/open/${MESSAGE}#k=${recipientShare}`, 'k')).toBe(recipientShare);
    expect(readShare(`https://x.test/oracle/open/${MESSAGE}#s=${serverShare}`, 's')).toBe(serverShare);
    expect(readShare(`https://x.test/oracle/open/${MESSAGE}#s=${serverShare}`, 'k')).toBeNull();
    expect(readShare(recipientShare, 'k')).toBe(recipientShare);
    expect(readShare('1234', 'k')).toBeNull();
  });
});
