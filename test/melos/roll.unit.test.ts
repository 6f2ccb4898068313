// The piano roll: well-formed SVG, one shape per note of the first bars (pitched notes
// and drum hits), coloured by track, numbers only (no text of the recipe's).
import { describe, expect, it } from 'vitest';
import { compose } from '../../workers/melos/engine/compose';
import { EXAMPLES } from '../../workers/melos/examples';
import { pianoRoll } from '../../workers/melos/roll';
import { parseXml } from '../support/xml';

describe('piano roll', () => {
  it.each(EXAMPLES.map((e) => [e.slug, e.recipe] as const))('%s: one rect per note of the first 8 bars, each with its track’s class', (_, recipe) => {
    const score = compose({ ...recipe, bars: 8 });
    const roll = pianoRoll(score, 8);
    const doc = parseXml(roll.svg);
    expect(doc.root.name).toBe('svg');
    expect(doc.texts).toEqual([]);
    const notes = [...roll.svg.matchAll(/<rect class="t(\d+)"/g)].map((m) => Number(m[1]));
    expect(notes.length).toBe(score.notes.length);
    expect(roll.notes).toBe(score.notes.length);
    expect(new Set(notes)).toEqual(new Set(score.notes.map((n) => n.track)));
    expect(roll.svg).not.toMatch(/<text|<title|<foreignObject/);
  });

  it('shows only the bars asked for', () => {
    const recipe = EXAMPLES[0]!.recipe;
    const score = compose(recipe);
    const roll = pianoRoll(score, 2);
    expect(roll.bars).toBe(2);
    expect(roll.notes).toBe(score.notes.filter((n) => n.tick < 2 * score.barTicks).length);
  });
});
