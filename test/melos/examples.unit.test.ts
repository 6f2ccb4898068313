// The built-in examples and the README's downloadable recipe are valid recipes that
// compose within the limits (a newcomer's first click must work).
import { describe, expect, it } from 'vitest';
import readmeRecipe from '../../docs/examples/melos-euclid-groove.json';
import { compose, scoreSize } from '../../workers/melos/engine/compose';
import { Recipe } from '../../workers/melos/engine/recipe';
import { EXAMPLES } from '../../workers/melos/examples';
import { sizeRefusal } from '../../workers/melos/jobs';

describe('examples', () => {
  it.each(EXAMPLES.map((e) => [e.slug, e.recipe] as const))('%s parses, is within the limits and composes to the size it promised', (_, recipe) => {
    expect(Recipe.parse(recipe)).toEqual(recipe);
    expect(sizeRefusal(recipe)).toBeNull();
    const score = compose(recipe);
    expect(score.notes.length).toBeGreaterThan(0);
    expect(score.notes.length).toBeLessThanOrEqual(scoreSize(recipe).notes);
  });

  it('the README’s recipe file is the Euclid groove example, as the API takes it', () => {
    expect(Recipe.parse(readmeRecipe)).toEqual(EXAMPLES.find((e) => e.slug === 'euclid-groove')!.recipe);
  });
});
