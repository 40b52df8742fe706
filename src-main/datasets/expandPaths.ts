import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Extensions the importer reads; anything else in a dropped folder is skipped and listed. */
export const IMPORTABLE = /\.(csv|tsv|txt|json|csv\.gz|tsv\.gz|txt\.gz|json\.gz|gz)$/i;

export interface ScannedFiles {
  files: { path: string; bytes: number }[];
  /** Paths that were not imported and why (not found, unsupported extension). */
  skipped: string[];
}

/**
 * Expands files and folders into the importable files they hold, recursively, in a stable
 * (sorted) order so progress and summaries read predictably. Hidden files are ignored.
 */
export async function expandPaths(paths: readonly string[]): Promise<ScannedFiles> {
  const out: ScannedFiles = { files: [], skipped: [] };
  const seen = new Set<string>();
  async function visit(p: string, explicit: boolean): Promise<void> {
    const info = await stat(p).catch(() => null);
    if (!info) {
      out.skipped.push(`${p}: not found`);
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) await visit(join(p, e.name), false);
      return;
    }
    if (!info.isFile()) return;
    if (!explicit && !IMPORTABLE.test(p)) {
      out.skipped.push(`${p}: not a CSV/TXT/JSON file`);
      return;
    }
    if (seen.has(p)) return;
    seen.add(p);
    out.files.push({ path: p, bytes: info.size });
  }
  for (const p of paths) await visit(p, true);
  return out;
}
