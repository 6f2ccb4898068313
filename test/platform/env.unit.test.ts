import { describe, expect, it } from 'vitest';
import { secretWeakness } from '../../shared/env';

describe('SESSION_SECRET must look random', () => {
  const random = (n: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(n)))).replace(/=+$/, '');
  const hex = (n: number) => [...crypto.getRandomValues(new Uint8Array(n))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const cases: Array<[string, boolean, string]> = [
    [random(48), true, 'openssl rand -base64 48'],
    [random(24), true, '24 random bytes, base64'],
    [hex(32), true, 'openssl rand -hex 32'],
    [hex(16), true, 'openssl rand -hex 16 (32 hex characters)'],
    ['test-secret-that-is-long-enough-0123456789abcdef', true, 'the test suite’s secret'],
    ['correct horse battery staple and more words', true, 'a long passphrase'],
    ['a'.repeat(32), false, 'one character repeated'],
    ['ab'.repeat(32), false, 'two characters alternating'],
    ['0123456789abcdef'.repeat(2), false, 'a repeated block'],
    ['Tr0ub4dor&3'.repeat(3), false, 'a repeated password'],
    ['abcdefghijklmnopqrstuvwxyz012345', false, 'the alphabet'],
    ['99999999999999999999999999999998', false, 'a run of one digit'],
  ];
  for (const [secret, ok, label] of cases) {
    it(label, () => expect(secretWeakness(secret) === null, `${secret}: ${secretWeakness(secret)}`).toBe(ok));
  }
});
