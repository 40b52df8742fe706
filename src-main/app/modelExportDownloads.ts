/**
 * The renderer exports a model by downloading its three files (`run-<id>-model.json`,
 * `run-<id>-weights.bin`, `run-<id>-preprocessing.json`, the same code as in the browser). In the
 * desktop app those downloads are caught so that one folder dialog places all three under the
 * names model.json expects (its weightsManifest points at "weights.bin").
 */
export const MODEL_FILE_NAMES = ['model.json', 'weights.bin', 'preprocessing.json'] as const;

/** The run and the file a download belongs to, or null for any other download. */
export function modelExportFile(downloadName: string): { runId: number; file: (typeof MODEL_FILE_NAMES)[number] } | null {
  const m = /^run-(\d+)-(.+)$/.exec(downloadName);
  if (!m) return null;
  const file = MODEL_FILE_NAMES.find((f) => f === m[2]);
  return file ? { runId: Number(m[1]), file } : null;
}

/**
 * Remembers the folder chosen for a run's export while its three downloads arrive (they start
 * together, within milliseconds), so the dialog is shown once per export, not once per file.
 * null as the folder means the person cancelled: the remaining files of that export are dropped too.
 */
export function createExportFolderMemory(windowMs = 10_000, now: () => number = Date.now) {
  const chosen = new Map<number, { folder: string | null; at: number; files: Set<string> }>();
  return {
    folderFor(runId: number, file: string, ask: () => string | null): string | null {
      const previous = chosen.get(runId);
      // A file seen again means a new export of the same run: ask again.
      if (previous && now() - previous.at <= windowMs && !previous.files.has(file)) {
        previous.files.add(file);
        return previous.folder;
      }
      const folder = ask();
      chosen.set(runId, { folder, at: now(), files: new Set([file]) });
      return folder;
    },
  };
}
