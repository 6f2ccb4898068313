import { describe, expect, it } from 'vitest';
import { hashPassword, parsePasswordHash, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, verifyPassword } from '../../shared/auth/password';

describe('PBKDF2 passwords', () => {
  // Production Workers throw above 100,000 iterations; local workerd does not, so this test must.
  it('never uses more than 100,000 iterations', async () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    const parsed = parsePasswordHash(await hashPassword('hunter2 hunter2'));
    expect(parsed?.iterations).toBe(PBKDF2_ITERATIONS);
    expect(parsed!.iterations).toBeLessThanOrEqual(100_000);
    await expect(hashPassword('x', 100_001)).rejects.toThrow(RangeError);
  });

  it('stores a self-describing string with a random salt', async () => {
    const a = await hashPassword('same password');
    const b = await hashPassword('same password');
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  const cases: Array<[string, string, string, { ok: boolean; needsRehash: boolean }]> = [
    ['right password', 'correct horse', 'correct horse', { ok: true, needsRehash: false }],
    ['wrong password', 'correct horse', 'correct horsf', { ok: false, needsRehash: false }],
    ['empty attempt', 'correct horse', '', { ok: false, needsRehash: false }],
    ['unicode is exact', 'pässwörd ✓', 'passwOrd ✓', { ok: false, needsRehash: false }],
  ];
  for (const [label, stored, attempt, expected] of cases) {
    it(`verifies: ${label}`, async () => {
      expect(await verifyPassword(attempt, await hashPassword(stored))).toEqual(expected);
    });
  }

  it('asks for a rehash when a hash uses fewer iterations than today', async () => {
    const weak = await hashPassword('old account', 1000);
    expect(await verifyPassword('old account', weak)).toEqual({ ok: true, needsRehash: true });
  });

  it('refuses malformed or over-limit stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toEqual({ ok: false, needsRehash: false });
    const over = (await hashPassword('x')).replace('$100000$', '$200000$');
    expect(await verifyPassword('x', over)).toEqual({ ok: false, needsRehash: false });
  });
});
