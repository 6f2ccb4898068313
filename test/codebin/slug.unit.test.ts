import { describe, expect, it } from 'vitest';
import { generateSlug, isSlug, PRIVATE_SLUG_LENGTH, PUBLIC_SLUG_LENGTH, SLUG_ALPHABET, slugLengthFor } from '../../workers/codebin/slug';

describe('slugs', () => {
  it('use base58 without look-alike characters', () => {
    expect(SLUG_ALPHABET).toHaveLength(58);
    for (const ch of '0OIl') expect(SLUG_ALPHABET).not.toContain(ch);
    expect(new Set(SLUG_ALPHABET).size).toBe(58);
  });

  const lengths: Array<['public' | 'unlisted', boolean, number]> = [
    ['public', false, PUBLIC_SLUG_LENGTH],
    ['unlisted', false, PRIVATE_SLUG_LENGTH],
    ['public', true, PRIVATE_SLUG_LENGTH],
    ['unlisted', true, PRIVATE_SLUG_LENGTH],
  ];
  for (const [visibility, burn, length] of lengths) {
    it(`${visibility}${burn ? ' + burn' : ''} → ${length} characters`, () => {
      expect(slugLengthFor(visibility, burn)).toBe(length);
      const slug = generateSlug(length);
      expect(slug).toHaveLength(length);
      expect([...slug].every((ch) => SLUG_ALPHABET.includes(ch))).toBe(true);
      expect(isSlug(slug)).toBe(true);
    });
  }
  it('private slugs carry at least 90 bits', () => {
    expect(PRIVATE_SLUG_LENGTH * Math.log2(58)).toBeGreaterThan(90);
  });

  it('reject biased bytes (rejection sampling) so every character is equally likely', () => {
    // A source that cycles through all 256 byte values: bytes ≥ 232 must be skipped,
    // leaving each of the 58 characters exactly 4 times per cycle.
    let next = 0;
    const cycling = (buf: Uint8Array) => {
      for (let i = 0; i < buf.length; i++) buf[i] = next++ % 256;
    };
    const slug = generateSlug(232 * 10, cycling);
    const counts = new Map<string, number>();
    for (const ch of slug) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(58);
    expect(new Set(counts.values())).toEqual(new Set([40]));
    // Only rejected bytes: the generator keeps drawing rather than emitting anything.
    let calls = 0;
    const mostlyHigh = (buf: Uint8Array) => {
      calls++;
      buf.fill(calls < 3 ? 255 : 0);
    };
    expect(generateSlug(8, mostlyHigh)).toBe('11111111');
    expect(calls).toBe(3);
  });

  it('do not collide in 100,000 draws', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(generateSlug(PUBLIC_SLUG_LENGTH));
    expect(seen.size).toBe(100_000);
  });

  const shapes: Array<[string, boolean]> = [
    ['abcdEFGH', true],
    ['abcdEFG', false], // too short
    ['abcdEFG0', false], // 0 is not in the alphabet
    ['abcd/EFG', false],
    ['highlight.css', false],
    ['mine', false],
    ['x'.repeat(33), false],
  ];
  for (const [value, ok] of shapes) it(`isSlug(${JSON.stringify(value)}) = ${ok}`, () => expect(isSlug(value)).toBe(ok));
});
