/**
 * Seeded randomness for the engine: the same seed gives the same numbers on every
 * run and platform, which is what makes a recipe always compose to the same score.
 * Never Math.random.
 *
 * A piece draws from many independent streams (one per track and purpose), each
 * seeded by hashing the recipe's seed with labels, so what one track draws can never
 * shift another track's numbers: adding a track leaves the others as they were.
 *
 * mulberry32 is small, fast and plenty for music; it is not for secrets.
 *
 * Pure: no Workers, no Hono.
 */

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability `p` (0 never, 1 always). */
  chance(p: number): boolean;
  /** One of `items`, each equally likely. */
  pick<T>(items: readonly T[]): T;
  /** An index into `weights`, each index chosen in proportion to its weight. */
  weighted(weights: readonly number[]): number;
};

/** A stream of numbers from a 32-bit seed (mulberry32). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick() needs at least one item.');
      return items[int(items.length)]!;
    },
    weighted: (weights) => {
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (!(total > 0)) throw new RangeError('weighted() needs a positive weight.');
      let left = next() * total;
      for (let i = 0; i < weights.length; i++) {
        left -= weights[i]!;
        if (left < 0) return i;
      }
      // Rounding can leave a sliver at the end: it belongs to the last positive weight.
      return weights.findLastIndex((w) => w > 0);
    },
  };
}

/** murmur3's finaliser: spreads every input bit over every output bit. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A new 32-bit seed from `seed` and `labels` (FNV-1a over the labels, then mixed):
 * `deriveSeed(seed, 'notes', 2)` is track 2's note stream. Labels are separated, so
 * ('ab', 'c') and ('a', 'bc') differ.
 */
export function deriveSeed(seed: number, ...labels: ReadonlyArray<string | number>): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const label of labels) {
    for (const char of `${label}\u0000`) {
      h ^= char.codePointAt(0)!;
      h = Math.imul(h, 0x01000193);
    }
  }
  return mix32(h);
}

/** An independent stream for one purpose: `substream(recipe.seed, 'notes', trackIndex)`. */
export const substream = (seed: number, ...labels: ReadonlyArray<string | number>): Random => createRandom(deriveSeed(seed, ...labels));
