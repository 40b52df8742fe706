/**
 * What a test needs from outside the repository (the real-file corpus, a built dist/, a native
 * package) and what happens when it is missing. Outside CI a missing prerequisite skips the test
 * under a title that says what is missing and why (a fresh clone has no corpus and no build yet);
 * under `CI=true` it fails the run, because CI provides everything the suite needs and a silent
 * skip there hides a broken path. `optional` prerequisites are the exceptions allowed under CI: ones
 * absent by design on some machines (an Electron binary offline, native TensorFlow, a GPU) and
 * opt-in tests; they skip everywhere with their reason in the title.
 *
 * Runner-neutral: `vitest.ts` and `playwright.ts` beside this file turn the verdict into a skipped or
 * failing test for their runner.
 */
export interface Prerequisite {
  /** What the test needs, as a noun phrase: "the real-file corpus", "the built CLI". */
  readonly what: string;
  readonly met: boolean;
  /** Why it is missing and how to get it; read only when `met` is false. */
  readonly why: string;
  /** Absent by design on some machines, or opt-in: skips even under CI=true (say why in `why`). */
  readonly optional?: boolean;
}

export type PrerequisiteVerdict = { readonly run: true } | { readonly run: false; readonly title: string };

export class MissingPrerequisiteError extends Error {
  override readonly name = 'MissingPrerequisiteError';
}

export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true';
}

/** The title a skipped test carries: the summary of `npm test` lists these. */
export function skipTitle(p: Prerequisite): string {
  return `needs ${p.what}: ${p.why}`;
}

/**
 * Run, or skip under the returned title; throws {@link MissingPrerequisiteError} where a required
 * prerequisite is missing under CI=true.
 */
export function checkPrerequisite(p: Prerequisite, env: NodeJS.ProcessEnv = process.env): PrerequisiteVerdict {
  if (p.met) return { run: true };
  if (underCi(env) && !p.optional) throw new MissingPrerequisiteError(`CI=true but the test ${skipTitle(p)}`);
  return { run: false, title: skipTitle(p) };
}
