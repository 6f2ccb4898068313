import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The default order, except that the route coverage check runs last: it reads what
 * every other file's browser walked (test/e2e/coverage.ts).
 */
export class CoverageLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const last = (f: TestSpecification) => f.moduleId.endsWith('/coverage.e2e.test.ts');
    return [...sorted.filter((f) => !last(f)), ...sorted.filter(last)];
  }
}
