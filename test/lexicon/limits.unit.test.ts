/// <reference types="vite/client" />
// The numbers Lexicon tells people ("20 a minute") are the numbers the rate-limit
// bindings enforce: wrangler.toml's `simple = { limit, period }` of each binding.
// wrangler.toml is read at build time by Vite, so this runs in workerd like every other test.
import { describe, expect, it } from 'vitest';
import { LIMITS, RETRY_AFTER } from '../../workers/lexicon/limits';

const WRANGLER = Object.values(import.meta.glob('/wrangler.toml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>)[0]!;

/** Each `[[ratelimits]]` binding of wrangler.toml: its limit and period. */
function rateLimits(toml: string): Map<string, { limit: number; period: number }> {
  const out = new Map<string, { limit: number; period: number }>();
  for (const block of toml.split(/^\[\[ratelimits\]\]\s*$/m).slice(1)) {
    const section = block.split(/^\[/m)[0]!;
    const name = /^name\s*=\s*"([^"]+)"/m.exec(section)?.[1];
    const simple = /^simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)\s*\}/m.exec(section);
    if (name && simple) out.set(name, { limit: Number(simple[1]), period: Number(simple[2]) });
  }
  return out;
}

describe('Lexicon’s rate limits agree with wrangler.toml', () => {
  const bindings = rateLimits(WRANGLER);

  it('reads the bindings of wrangler.toml', () => {
    expect(WRANGLER).toContain('[[ratelimits]]');
    expect(bindings.size).toBeGreaterThanOrEqual(Object.keys(LIMITS).length);
  });

  for (const [which, limit] of Object.entries(LIMITS)) {
    it(`${which}: ${limit.per} ${limit.what} a minute, as ${limit.binding} enforces`, () => {
      const binding = bindings.get(limit.binding);
      expect(binding, `${limit.binding} in wrangler.toml`).toBeDefined();
      expect(binding!.limit, `${limit.binding} limit`).toBe(limit.per);
      expect(binding!.period, `${limit.binding} period (what Retry-After says)`).toBe(RETRY_AFTER);
    });
  }
});
