import { test } from '@playwright/test';
import { checkPrerequisite, type Prerequisite } from './prerequisites.js';

/**
 * Playwright's side of `prerequisites.ts`: skips the enclosing describe (or the test, inside its
 * body) with what is missing and why as the skip annotation, which the JSON report and `npm test`'s
 * summary carry; under CI=true a missing required prerequisite throws instead, failing the file or
 * the test.
 */
export function requirePrerequisite(...prerequisites: Prerequisite[]): void {
  for (const p of prerequisites) {
    const verdict = checkPrerequisite(p);
    if (!verdict.run) {
      test.skip(true, verdict.title);
      return;
    }
  }
}
