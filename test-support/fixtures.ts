/**
 * Where the tests find what lies outside their own folder, always from the repository root (this
 * file's parent), never from the working directory (a test run from another folder would look in
 * the wrong place and skip) and never from an absolute path (another machine has another layout).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Prerequisite } from './prerequisites.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** A path inside the repository. */
export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}

/**
 * `../shared` beside the repository: material the tests read but the repository must not carry
 * (the real exports have other projects' licences; the benchmark anchors are other languages).
 * A fresh clone (CI clones main into a temporary folder) has no `../shared` of its own; it then
 * reads the one beside the repository it was cloned from, when that is a folder on this machine.
 */
export function findSharedDir(root: string, originUrl: string | null): string {
  const beside = resolve(root, '..', 'shared');
  if (existsSync(beside) || !originUrl) return beside;
  const origin = originUrl.startsWith('file://') ? fileURLToPath(originUrl) : originUrl;
  // Only a local path: a clone from a network remote has nothing beside it on this machine.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(origin) || /^[^/\\]+@[^:]+:/.test(origin)) return beside;
  const fromOrigin = resolve(root, origin, '..', 'shared');
  return existsSync(fromOrigin) ? fromOrigin : beside;
}

function originUrlOf(root: string): string | null {
  try {
    return execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

export const SHARED_DIR = findSharedDir(REPO_ROOT, originUrlOf(REPO_ROOT));

export type FolderPrerequisite = Prerequisite & { readonly dir: string };

/** The real-file corpus, `../shared/fixtures/market` (its README lists the files and their facts). */
export function marketCorpus(): FolderPrerequisite {
  const dir = join(SHARED_DIR, 'fixtures', 'market');
  return {
    what: 'the real-file corpus',
    met: existsSync(dir),
    why: `${dir} is missing; \`node scripts/fetch-market-corpus.mjs\` downloads it beside the repository`,
    dir,
  };
}

/** Files `npm run build` writes (paths relative to the repository root, e.g. `dist/main/cli.mjs`). */
export function builtFiles(...relPaths: string[]): Prerequisite {
  const missing = relPaths.filter((p) => !existsSync(repoPath(p)));
  return {
    what: relPaths.join(' and '),
    met: missing.length === 0,
    why: `${missing.join(', ')} not built yet; run \`npm run build\` (\`npm test\` builds before the unit tests)`,
  };
}
