import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ImportOverrides, ImportPreview, ImportProgress, ImportSummary } from '../../src-shared/contract/datasets.js';
import type { CandelaClient } from '../api/client.js';
import { filesFromDataTransfer, uploadFiles, type UploadProgress } from '../api/uploadFiles.js';
import { latestOnly } from './latestOnly.js';

export interface ImportState {
  /** Files announced for the current import, before any byte moves. */
  announced: number | null;
  uploading: UploadProgress | null;
  jobId: string | null;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  /** A single dropped file waits here for the user to check the detection before importing. */
  preview: { path: string; result: ImportPreview } | null;
  error: string | null;
}

export interface ImportActions {
  /** Subscribes to the import events; returns the unsubscribe. */
  connect(): () => void;
  importPaths(paths: string[], overrides?: ImportOverrides): Promise<void>;
  /** Drop handler: real paths in Electron, uploads in the browser. A single file opens the preview. */
  importDrop(dt: DataTransfer): Promise<void>;
  importFileList(files: File[]): Promise<void>;
  previewPath(path: string, overrides?: ImportOverrides): Promise<void>;
  closePreview(): void;
  cancel(): Promise<void>;
  dismissSummary(): void;
  generateDemo(): Promise<void>;
}

export type ImportStoreState = ImportState & ImportActions;
export type ImportStore = StoreApi<ImportStoreState>;

export const initialImportState: ImportState = { announced: null, uploading: null, jobId: null, progress: null, summary: null, preview: null, error: null };

/** The import workflow of the datasets domain: uploads, the single-file preview, the running job and its summary. */
export function createImportStore(client: CandelaClient): ImportStore {
  let uploadCancelled = false;
  /** Summaries that arrived before the request that started their job had answered (tiny files). */
  const earlySummaries = new Map<string, ImportSummary>();
  const previewRequest = latestOnly();
  const store = createStore<ImportStoreState>()((set, get) => ({
    ...initialImportState,
    connect() {
      const offs = [
        client.on('datasets.importProgress', (p) => p.jobId === get().jobId && set({ progress: p })),
        client.on('datasets.importFinished', (s) => {
          if (s.jobId === get().jobId) set({ summary: s, jobId: null, progress: null, announced: null, uploading: null });
          else earlySummaries.set(s.jobId, s);
        }),
      ];
      return () => offs.forEach((off) => off());
    },
    async importPaths(paths, overrides) {
      set({ error: null, summary: null, preview: null });
      const r = await client.invoke('datasets.import', overrides ? { paths, overrides } : { paths });
      if (!r.ok) set({ error: r.error.message, announced: null, uploading: null });
      else startedJob(r.value.jobId, r.value.fileCount);
    },
    async importDrop(dt) {
      if (client.pathForFile) {
        const paths = Array.from(dt.files).map((f) => client.pathForFile!(f)).filter(Boolean);
        if (paths.length === 1 && /\.(csv|tsv|txt|json)(\.gz)?$/i.test(paths[0]!)) return get().previewPath(paths[0]!);
        return get().importPaths(paths);
      }
      const files = await filesFromDataTransfer(dt);
      return get().importFileList(files);
    },
    async importFileList(files) {
      if (files.length === 0) {
        set({ error: 'Nothing to import: drop CSV, TXT, JSON or .gz files, or folders holding them.' });
        return;
      }
      uploadCancelled = false;
      set({ error: null, summary: null, announced: files.length, uploading: { file: files[0]!.name, fileIndex: 0, fileCount: files.length, sentBytes: 0, totalBytes: files.reduce((n, f) => n + f.size, 0) } });
      try {
        const paths = client.pathForFile ? files.map((f) => client.pathForFile!(f)) : await uploadFiles(client, files, (p) => set({ uploading: p }), () => uploadCancelled);
        if (paths.length === 1) {
          set({ uploading: null, announced: null });
          return get().previewPath(paths[0]!);
        }
        await get().importPaths(paths);
      } catch (e) {
        set({ error: (e as Error).message, uploading: null, announced: null });
      }
    },
    async previewPath(path, overrides) {
      const current = previewRequest.begin();
      const r = await client.invoke('datasets.preview', overrides ? { path, overrides } : { path });
      if (!current()) return;
      if (!r.ok) set({ error: r.error.message });
      else set({ preview: { path, result: r.value }, error: null });
    },
    closePreview() {
      previewRequest.cancel();
      set({ preview: null });
    },
    async cancel() {
      uploadCancelled = true;
      const jobId = get().jobId;
      if (jobId) {
        const r = await client.invoke('datasets.importCancel', { jobId });
        if (!r.ok) set({ error: r.error.message });
      } else set({ uploading: null, announced: null });
    },
    dismissSummary: () => set({ summary: null }),
    async generateDemo() {
      set({ error: null, summary: null });
      const r = await client.invoke('datasets.generateDemo', {});
      if (!r.ok) set({ error: r.error.message });
      else startedJob(r.value.jobId, r.value.fileCount);
    },
  }));

  function startedJob(jobId: string, fileCount: number) {
    const early = earlySummaries.get(jobId);
    earlySummaries.delete(jobId);
    if (early) store.setState({ summary: early, jobId: null, progress: null, announced: null, uploading: null });
    else store.setState({ jobId, announced: fileCount, uploading: null });
  }
  return store;
}

export const importSelectors = {
  busy: (s: ImportState) => s.jobId !== null || s.uploading !== null,
};
