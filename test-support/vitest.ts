import { it } from 'vitest';
import { checkPrerequisite, MissingPrerequisiteError, type Prerequisite } from './prerequisites.js';

/**
 * True when the tests that need every prerequisite may be registered. Otherwise registers one test
 * in their place, so the run shows the gap: skipped under a title that says what is missing and why,
 * or, for a required prerequisite under CI=true, failing with that message. Call it inside the
 * `describe` (or before the `it`) it guards: `if (!requirePrerequisite(marketCorpus())) return;`.
 */
export function requirePrerequisite(...prerequisites: Prerequisite[]): boolean {
  for (const p of prerequisites) {
    try {
      const verdict = checkPrerequisite(p);
      if (verdict.run) continue;
      it.skip(verdict.title, () => undefined);
    } catch (error) {
      if (!(error instanceof MissingPrerequisiteError)) throw error;
      it(`needs ${p.what}`, () => {
        throw error;
      });
    }
    return false;
  }
  return true;
}
