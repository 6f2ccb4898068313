// TOTP and HOTP against their RFCs' own test vectors (RFC 6238 appendix B, RFC 4226
// appendix D), base32 against RFC 4648's, and the recovery codes' form.
import { describe, expect, it } from 'vitest';
import {
  base32,
  fromBase32,
  groupedSecret,
  hotp,
  matchTotp,
  newRecoveryCodes,
  normaliseRecoveryCode,
  normaliseTotpCode,
  otpauthUri,
  totp,
  type TotpHash,
} from '../../shared/auth/totp';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('RFC 6238 test vectors (8 digits, 30 s)', () => {
  // The RFC's seeds: "12345678901234567890" repeated to the hash's block of key.
  const seeds: Record<TotpHash, Uint8Array> = {
    'SHA-1': ascii('12345678901234567890'),
    'SHA-256': ascii('12345678901234567890123456789012'),
    'SHA-512': ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const vectors: Array<[number, string, string, string]> = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [seconds, sha1, sha256, sha512] of vectors) {
    it(`T = ${seconds}`, async () => {
      expect(await totp(seeds['SHA-1'], seconds * 1000, { digits: 8, hash: 'SHA-1' })).toBe(sha1);
      expect(await totp(seeds['SHA-256'], seconds * 1000, { digits: 8, hash: 'SHA-256' })).toBe(sha256);
      expect(await totp(seeds['SHA-512'], seconds * 1000, { digits: 8, hash: 'SHA-512' })).toBe(sha512);
    });
  }
});

describe('RFC 4226 test vectors (HOTP, 6 digits)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it('counts 0 to 9', async () => {
    const secret = ascii('12345678901234567890');
    expect(await Promise.all(expected.map((_, i) => hotp(secret, i)))).toEqual(expected);
  });
});

describe('base32 (RFC 4648 vectors)', () => {
  const vectors: Array<[string, string]> = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];
  for (const [plain, encoded] of vectors) {
    it(`"${plain}" ↔ ${encoded || '(empty)'}`, () => {
      expect(base32(ascii(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase32(encoded)!)).toBe(plain);
    });
  }
  it('decodes what people type (lower case, spaces, padding) and refuses what is not base32', () => {
    expect(new TextDecoder().decode(fromBase32('mzxw 6ytb oi======')!)).toBe('foobar');
    expect(fromBase32('MZXW1')).toBeNull();
  });
  it('a 160-bit secret is 32 characters, grouped in fours for typing', () => {
    const secret = new Uint8Array(20).fill(255);
    expect(base32(secret)).toBe('7'.repeat(32));
    expect(groupedSecret(secret)).toBe('7777 7777 7777 7777 7777 7777 7777 7777');
  });
});

describe('matching a typed code', () => {
  const secret = ascii('12345678901234567890');
  const t = 1_700_000_000_000;
  it('accepts the current step and one either side, and says which', async () => {
    for (const offset of [-1, 0, 1]) {
      const code = await totp(secret, t + offset * 30_000);
      expect(await matchTotp(secret, code, t)).toBe(Math.floor(t / 30_000) + offset);
    }
  });
  it('refuses codes two steps away, and wrong ones', async () => {
    expect(await matchTotp(secret, await totp(secret, t - 60_000), t)).toBeNull();
    expect(await matchTotp(secret, await totp(secret, t + 60_000), t)).toBeNull();
    const right = await totp(secret, t);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(await matchTotp(secret, wrong, t)).toBeNull();
  });
  it('reads codes as people type them', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    expect(normaliseTotpCode('123-456')).toBe('123456');
    expect(normaliseTotpCode('12345')).toBeNull();
    expect(normaliseTotpCode('1234567')).toBeNull();
    expect(normaliseTotpCode('12345a')).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten different xxxxx-xxxxx codes of the unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });
  it('read the same however they are typed (case, spaces, o for 0, l or i for 1)', () => {
    expect(normaliseRecoveryCode('4K7QD X2M9A')).toBe('4k7qd-x2m9a');
    expect(normaliseRecoveryCode('4k7qdx2m9a')).toBe('4k7qd-x2m9a');
    expect(normaliseRecoveryCode('o0lI1-abcde')).toBe('00111-abcde');
    expect(normaliseRecoveryCode('4k7qd-x2m9')).toBeNull();
    expect(normaliseRecoveryCode('4k7qd-x2m9u')).toBeNull(); // u is not in the alphabet
  });
});

it('the otpauth URI is what authenticator apps read', () => {
  const uri = otpauthUri({ secret: ascii('foobar'), account: 'a+b@example.com', issuer: 'Sixfold (example.com)' });
  expect(uri).toBe(
    'otpauth://totp/Sixfold%20(example.com):a%2Bb%40example.com?secret=MZXW6YTBOI&issuer=Sixfold+%28example.com%29&algorithm=SHA1&digits=6&period=30',
  );
});
